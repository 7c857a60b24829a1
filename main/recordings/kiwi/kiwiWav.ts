/**
 * kiwirecorder's IQ/audio WAV (`kiwirecorder -w`): RIFF/WAVE, fmt (PCM int16, 1 or 2 channels, the
 * integer rate), then for each SND packet a 10-byte `kiwi` chunk (u8 last_gps_solution, u8 0,
 * u32 gpssec, u32 gpsnsec, LE) stamping the first sample of the `data` chunk after it. The one reader
 * and writer of this format: the reader walks chunk headers only (samples stay on disk).
 */
import fs from 'node:fs';
import { type ByteSource } from '../byteSource';

export interface KiwiBlockStamp {
  fixAgeSec: number;
  gpssec: number;
  gpsnsec: number;
}

export interface KiwiWavBlock {
  /** Byte position and length (whole samples) of the block's samples in the file. */
  dataPos: number;
  dataLen: number;
  sampleIndex: number;
  stamp: KiwiBlockStamp | null;
}

export interface KiwiWavLayout {
  channels: 1 | 2;
  /** The header's integer rate (kiwirecorder rounds the receiver's exact rate). */
  headerRateHz: number;
  blocks: KiwiWavBlock[];
  totalSamples: number;
  /** The file ends inside a chunk (cut off, or still being recorded). */
  truncated: boolean;
  warnings: string[];
}

const GIVE = 'give a kiwirecorder .wav file (recorded with kiwirecorder -w)';

/** Reads the chunk layout; errors say what is wrong with the file. */
export function readKiwiWavLayout(source: ByteSource): KiwiWavLayout {
  const size = source.size;
  const warnings: string[] = [];
  if (size < 12) throw new Error(`the file is only ${size} bytes long: not a WAV file, or cut off; ${GIVE}`);
  const head = source.read(0, 12);
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') throw new Error(`this is not a WAV file (no RIFF/WAVE header); ${GIVE}`);
  let fmt: { channels: 1 | 2; rate: number } | null = null;
  const blocks: KiwiWavBlock[] = [];
  let pending: KiwiBlockStamp | null = null;
  let truncated = false;
  let total = 0;
  let off = 12;
  while (off + 8 <= size) {
    const h = source.read(off, 8);
    const id = h.toString('latin1', 0, 4);
    const declared = h.readUInt32LE(4);
    const avail = size - off - 8;
    const len = Math.min(declared, avail);
    // kiwirecorder writes a huge placeholder size into the last chunk while it records.
    if (declared > avail) truncated = true;
    if (id === 'fmt ') {
      if (len < 16) throw new Error(`the fmt chunk is cut off (${len} of ${declared} bytes): the file is truncated or damaged`);
      const b = source.read(off + 8, 16);
      const format = b.readUInt16LE(0);
      const channels = b.readUInt16LE(2);
      const rate = b.readUInt32LE(4);
      const bits = b.readUInt16LE(14);
      if ((format !== 1 && format !== 0xfffe) || bits !== 16) throw new Error(`only 16-bit PCM WAV is supported (this one is format ${format}, ${bits} bits); kiwirecorder writes 16-bit PCM`);
      if (channels !== 1 && channels !== 2) throw new Error(`the WAV has ${channels} channels; kiwirecorder writes 2 (IQ) or 1 (audio)`);
      if (rate === 0) throw new Error('the fmt chunk gives a sample rate of 0: the file is damaged');
      fmt = { channels, rate };
    } else if (id === 'kiwi') {
      if (len >= 10) {
        const b = source.read(off + 8, 10);
        pending = { fixAgeSec: b[0]!, gpssec: b.readUInt32LE(2), gpsnsec: b.readUInt32LE(6) };
      } else warnings.push(`a kiwi GPS chunk at byte ${off} is only ${len} bytes long (10 expected); it was ignored`);
    } else if (id === 'data') {
      if (!fmt) throw new Error('a data chunk comes before any fmt chunk: the file is damaged (kiwirecorder writes fmt first)');
      const frame = 2 * fmt.channels;
      const whole = len - (len % frame);
      if (len % frame && !truncated) warnings.push(`the data chunk at byte ${off} holds ${len} bytes, not whole ${frame}-byte samples; its last ${len % frame} byte(s) were left out`);
      if (whole > 0) {
        blocks.push({ dataPos: off + 8, dataLen: whole, sampleIndex: total, stamp: pending });
        total += whole / frame;
      }
      pending = null;
    }
    if (truncated) break;
    off += 8 + declared + (declared % 2);
  }
  if (!truncated && off < size && size - off < 8) truncated = true;
  if (!fmt) throw new Error('there is no fmt chunk: the file is damaged or not a kiwirecorder WAV (its sample rate and channels are unknown)');
  if (!blocks.length) throw new Error('its data chunks hold no samples: the recording is empty');
  if (truncated) warnings.push(`the file ends inside a chunk (cut off, or still being recorded); the ${total} whole samples it holds are used`);
  return { channels: fmt.channels, headerRateHz: fmt.rate, blocks, totalSamples: total, truncated, warnings };
}

/**
 * Writes a kiwirecorder-layout WAV (for sample recordings, fixtures and tests that need one):
 * fmt, then [kiwi] + data per block; the RIFF size is patched on close.
 */
export class KiwiWavWriter {
  private readonly fd: number;
  private bytes = 12;
  private closed = false;

  constructor(file: string, private readonly o: { rateHz: number; channels: 1 | 2 }) {
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'));
    const fmt = Buffer.alloc(16);
    fmt.writeUInt16LE(1, 0);
    fmt.writeUInt16LE(o.channels, 2);
    fmt.writeUInt32LE(Math.round(o.rateHz), 4);
    fmt.writeUInt32LE(Math.round(o.rateHz) * 2 * o.channels, 8);
    fmt.writeUInt16LE(2 * o.channels, 12);
    fmt.writeUInt16LE(16, 14);
    this.chunk('fmt ', fmt);
  }

  private chunk(id: string, body: Buffer): void {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    fs.writeSync(this.fd, h);
    fs.writeSync(this.fd, body);
    this.bytes += 8 + body.length;
    if (body.length % 2) {
      fs.writeSync(this.fd, Buffer.alloc(1));
      this.bytes++;
    }
  }

  /** One SND packet: its stamp (null = none, as for audio without GPS) and its int16 samples (interleaved I,Q for IQ). */
  writeBlock(stamp: KiwiBlockStamp | null, samples: Int16Array): void {
    if (this.closed) throw new Error('this WAV is closed; write a new one');
    if (stamp) {
      const k = Buffer.alloc(10);
      k[0] = stamp.fixAgeSec;
      k.writeUInt32LE(stamp.gpssec, 2);
      k.writeUInt32LE(stamp.gpsnsec, 6);
      this.chunk('kiwi', k);
    }
    const le = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++) le.writeInt16LE(samples[i]!, 2 * i);
    this.chunk('data', le);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const size = Buffer.alloc(4);
    size.writeUInt32LE(this.bytes - 8, 0);
    fs.writeSync(this.fd, size, 0, 4, 4);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
