import { dftPlan } from './dft';
import { makeWindow, type WindowName } from './windows';

/**
 * Waterfall rows (dB, fftshifted, lowest frequency first) from interleaved complex samples: one row
 * per `average` windows of `fftSize` samples, averaged in power. Reuses its buffers across calls.
 */
export class WaterfallBuilder {
  private readonly seg: Float64Array;
  private readonly spec: Float64Array;
  private readonly acc: Float64Array;
  private readonly w: Float64Array;
  private readonly norm: number;
  private count = 0;
  /** Peak hold over every row since the last reset (dB). */
  readonly peakHold: Float32Array;

  constructor(
    readonly fftSize: number,
    readonly average = 1,
    window: WindowName = 'hann',
  ) {
    this.seg = new Float64Array(2 * fftSize);
    this.spec = new Float64Array(2 * fftSize);
    this.acc = new Float64Array(fftSize);
    this.w = makeWindow(window, fftSize);
    let s = 0;
    for (const v of this.w) s += v;
    this.norm = 1 / (s * s);
    this.peakHold = new Float32Array(fftSize).fill(-Infinity);
  }

  /** Feeds samples; returns the rows completed (each fftSize dB values). */
  push(iq: Float32Array | Int16Array, scale = 1): Float32Array[] {
    const n = this.fftSize;
    const rows: Float32Array[] = [];
    const dft = dftPlan(n);
    for (let off = 0; off + 2 * n <= iq.length; off += 2 * n) {
      for (let k = 0; k < n; k++) {
        this.seg[2 * k] = iq[off + 2 * k]! * scale * this.w[k]!;
        this.seg[2 * k + 1] = iq[off + 2 * k + 1]! * scale * this.w[k]!;
      }
      dft.transform(this.seg, this.spec);
      for (let k = 0; k < n; k++) this.acc[k] = this.acc[k]! + this.spec[2 * k]! ** 2 + this.spec[2 * k + 1]! ** 2;
      if (++this.count < this.average) continue;
      const row = new Float32Array(n);
      const half = Math.floor(n / 2);
      for (let i = 0; i < n; i++) {
        const v = 10 * Math.log10(Math.max((this.acc[(i + n - half) % n]! * this.norm) / this.count, 1e-30));
        row[i] = v;
        if (v > this.peakHold[i]!) this.peakHold[i] = v;
      }
      this.acc.fill(0);
      this.count = 0;
      rows.push(row);
    }
    return rows;
  }
}
