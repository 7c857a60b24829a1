import { decodeAdpcm, newAdpcmState } from '../codecs/imaAdpcm';
import { type ParseResult } from '../kiwisdr/sndFrame';

const PAD = 10;

/**
 * An OpenWebRX FFT frame body (after the type byte): float32 LE dB x fft_size, or ADPCM with a
 * fresh codec per frame: 10 padding values + fft_size values of int16(dB x 100).
 */
export function parseFftFrame(body: Uint8Array, fftSize: number, compressed: boolean): ParseResult<Float32Array> {
  if (!compressed) {
    if (body.length < fftSize * 4) return { ok: false, error: `FFT frame of ${body.length} bytes, expected ${fftSize * 4}` };
    const out = new Float32Array(fftSize);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 0; i < fftSize; i++) out[i] = view.getFloat32(i * 4, true);
    return { ok: true, value: out };
  }
  const bytes = (PAD + fftSize) / 2;
  if (body.length < bytes) return { ok: false, error: `compressed FFT frame of ${body.length} bytes, expected ${bytes}` };
  const decoded = new Int16Array(PAD + fftSize);
  decodeAdpcm(newAdpcmState(), body.subarray(0, bytes), decoded);
  const out = new Float32Array(fftSize);
  for (let i = 0; i < fftSize; i++) out[i] = decoded[i + PAD]! / 100;
  return { ok: true, value: out };
}
