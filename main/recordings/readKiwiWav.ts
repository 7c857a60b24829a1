import fs from 'node:fs';
import { type LoadedRecording } from './recording';

/**
 * kiwirecorder IQ .wav: RIFF/WAVE, 2 channels int16 LE at the exact rate; before each `data` chunk
 * a 10-byte `kiwi` chunk (u8 last_gps_solution, u8 0, u32 gpssec, u32 gpsnsec, LE) stamping that
 * chunk's first sample. Also reads plain mono/stereo int16 WAV.
 */
export function readKiwiWav(file: string): LoadedRecording {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist; give the path of a kiwirecorder .wav file`);
  const b = fs.readFileSync(file);
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error(`${file} is not a WAV file (no RIFF/WAVE header); give a kiwirecorder IQ .wav or a SigMF .sigmf-meta`);
  }
  let channels = 0;
  let rate = 0;
  let bits = 0;
  const parts: Buffer[] = [];
  const timestamps: LoadedRecording['timestamps'] = [];
  let pendingGps: { solution: number; gpssec: number; gpsnsec: number } | null = null;
  let sampleIndex = 0;
  for (let off = 12; off + 8 <= b.length; ) {
    const id = b.toString('latin1', off, off + 4);
    // kiwirecorder writes a huge placeholder size in the last data chunk while recording: clamp it.
    const size = Math.min(b.readUInt32LE(off + 4), b.length - off - 8);
    const body = b.subarray(off + 8, off + 8 + size);
    if (id === 'fmt ') {
      if (body.length < 16) throw new Error(`${file}: truncated fmt chunk`);
      const format = body.readUInt16LE(0);
      channels = body.readUInt16LE(2);
      rate = body.readUInt32LE(4);
      bits = body.readUInt16LE(14);
      if (format !== 1 || bits !== 16) throw new Error(`${file}: only 16-bit PCM WAV is supported (format ${format}, ${bits} bits)`);
    } else if (id === 'kiwi' && body.length >= 10) {
      pendingGps = { solution: body[0]!, gpssec: body.readUInt32LE(2), gpsnsec: body.readUInt32LE(6) };
    } else if (id === 'data') {
      if (!channels) throw new Error(`${file}: data before the fmt chunk`);
      if (pendingGps) timestamps.push({ sampleIndex, ...pendingGps });
      pendingGps = null;
      parts.push(body);
      sampleIndex += Math.floor(body.length / (2 * channels));
    }
    off += 8 + size + (size % 2);
  }
  if (!channels || !rate) throw new Error(`${file}: no fmt chunk; the file is damaged`);
  const data = Buffer.concat(parts);
  if (data.length < 2 * channels) throw new Error(`${file} has no samples in its data chunks; the recording is empty, record again`);
  const n = Math.floor(data.length / 2);
  const samples = new Float32Array(n - (channels === 2 ? n % 2 : 0));
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(2 * i) / 32768;
  return { format: 'kiwi-wav', complex: channels === 2, sampleRate: rate, freqHz: null, datatype: channels === 2 ? 'ci16_le' : 'ri16_le', samples, timestamps, meta: {} };
}
