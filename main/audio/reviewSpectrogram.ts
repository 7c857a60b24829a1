/**
 * The waterfall of a stored recording for review: one Welch spectrum per row (IQ: two-sided around
 * the dial; audio: 0..fs/2), quantised to bytes over a range that puts the noise floor near the bottom.
 */
import { welchComplex, welchReal } from '../dsp/welch';

export interface Spectrogram {
  rows: number;
  bins: number;
  /** Frequency of bin 0 relative to the dial (IQ) or 0 Hz (audio), and the bin width. */
  startHz: number;
  binHz: number;
  rowSamples: number;
  minDb: number;
  maxDb: number;
  data: Uint8Array;
}

/** `samples`: interleaved I,Q (full scale 1); for audio, Q is 0 and only I is read. */
export function spectrogram(samples: Float32Array, isIq: boolean, sampleRate: number, wantRows: number, bins: number): Spectrogram {
  const n = samples.length >> 1;
  const perSeg = isIq ? bins : 2 * bins;
  const rows = Math.max(0, Math.min(wantRows, Math.floor(n / perSeg)));
  const rowSamples = rows > 0 ? Math.floor(n / rows) : 0;
  const db = new Float32Array(rows * bins);
  const real = isIq ? null : new Float32Array(rowSamples);
  for (let r = 0; r < rows; r++) {
    const a = r * rowSamples;
    let psd: Float64Array;
    if (isIq) {
      psd = welchComplex(samples.subarray(2 * a, 2 * (a + rowSamples)), { fs: sampleRate, nperseg: bins, detrend: 'none' }).psd;
    } else {
      for (let k = 0; k < rowSamples; k++) real![k] = samples[2 * (a + k)]!;
      psd = welchReal(real!, { fs: sampleRate, nperseg: perSeg }).psd;
    }
    for (let b = 0; b < bins; b++) db[r * bins + b] = 10 * Math.log10(Math.max(psd[b]!, 1e-20));
  }
  const sorted = Float32Array.from(db).sort();
  const floor = sorted.length ? sorted[Math.floor(sorted.length * 0.3)]! : -100;
  const top = sorted.length ? sorted[sorted.length - 1]! : 0;
  const minDb = Math.floor(floor - 6);
  const maxDb = Math.ceil(Math.max(top + 2, floor + 30));
  const data = new Uint8Array(rows * bins);
  const k = 255 / (maxDb - minDb);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round((db[i]! - minDb) * k)));
  const binHz = isIq ? sampleRate / bins : sampleRate / perSeg;
  return { rows, bins, startHz: isIq ? -sampleRate / 2 : 0, binHz, rowSamples, minDb, maxDb, data };
}
