import { makeWindow } from './windows';

/**
 * Low-pass + decimation of interleaved complex samples by an integer factor, for zooming into a
 * narrower band: a windowed-sinc FIR (Blackman-Harris) evaluated only at the kept output samples. The
 * pass band (default 0.8 x the new Nyquist) stays flat; everything that would fold back into it is
 * stopped (the transition runs from the pass edge to its mirror image about the new Nyquist). State carries across calls, so a stream can be fed in
 * blocks of any size and gives the same output as one long block.
 */
interface DecimatorOptions {
  /** Keep one sample in `factor`. */
  factor: number;
  /** Filter length (odd); default fits the transition: 8 / (transition width) taps, 40 * factor + 1 at 0.8. */
  taps?: number;
  /** Pass band edge as a fraction of the output Nyquist (default 0.8). */
  passFraction?: number;
}

export class ComplexDecimator {
  readonly factor: number;
  readonly taps: Float64Array;
  /** Last taps - 1 input samples (interleaved), then room for one block. */
  private history: Float64Array;
  private held = 0;
  /** Input samples to skip before the next output (phase across blocks). */
  private phase = 0;

  constructor(opts: DecimatorOptions) {
    const factor = opts.factor;
    if (!Number.isInteger(factor) || factor < 1) throw new Error(`the decimation factor must be a whole number >= 1 (got ${factor})`);
    const pass = opts.passFraction ?? 0.8;
    if (!(pass > 0 && pass < 1)) throw new Error(`passFraction must be in (0, 1) (got ${pass}); 0.8 keeps 80 % of the new band flat`);
    // Blackman-Harris needs about 8 / width taps for a transition `width` cycles per sample wide.
    const len = opts.taps ?? 2 * Math.ceil((4 * factor) / (1 - pass)) + 1;
    if (!Number.isInteger(len) || len < 1 || len % 2 === 0) throw new Error(`the filter length must be odd and positive (got ${len})`);
    this.factor = factor;
    // Cut-off at the new Nyquist (cycles per input sample), the middle of the transition.
    const fc = 0.5 / factor;
    // Points 1..len of a periodic window of len + 1: symmetric about the middle tap, no zero ends.
    const w = makeWindow('blackmanharris', len + 1);
    const h = new Float64Array(len);
    const mid = (len - 1) / 2;
    let sum = 0;
    for (let i = 0; i < len; i++) {
      const t = i - mid;
      const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
      h[i] = sinc * w[i + 1]!;
      sum += h[i]!;
    }
    // Unity gain at DC: a tone in the pass band keeps its level after zooming.
    for (let i = 0; i < len; i++) h[i] = h[i]! / sum;
    this.taps = h;
    this.history = new Float64Array(2 * (len - 1));
    this.held = len - 1;
  }

  /** Output samples `push` will produce for `inputSamples` more complex input samples. */
  outputLength(inputSamples: number): number {
    return inputSamples > this.phase ? Math.floor((inputSamples - this.phase - 1) / this.factor) + 1 : 0;
  }

  /**
   * Filters and decimates the next block (interleaved I, Q); returns the decimated samples
   * (interleaved), written into `out` when given (it must hold outputLength(n) complex samples).
   */
  push(iq: Float32Array | Float64Array, out?: Float64Array): Float64Array {
    const n = iq.length >> 1;
    const len = this.taps.length;
    const count = this.outputLength(n);
    const y = out ?? new Float64Array(2 * count);
    if (y.length < 2 * count) throw new Error(`the output buffer holds ${y.length / 2} samples, this block makes ${count}`);
    // Work on history ++ block, so filters never look outside the array.
    const keep = len - 1;
    const buf = this.grow(keep + n);
    for (let i = 0; i < 2 * n; i++) buf[2 * keep + i] = iq[i]!;
    const h = this.taps;
    let o = 0;
    for (let k = this.phase; k < n; k += this.factor) {
      // Output aligned with input sample k: taps over buf[k .. k + len).
      let re = 0;
      let im = 0;
      let j = 2 * k;
      for (let t = len - 1; t >= 0; t--, j += 2) {
        const c = h[t]!;
        re += c * buf[j]!;
        im += c * buf[j + 1]!;
      }
      y[o++] = re;
      y[o++] = im;
    }
    this.phase = (this.phase + count * this.factor) - n;
    // Slide the last keep samples to the front for the next block.
    buf.copyWithin(0, 2 * n, 2 * (n + keep));
    this.held = keep;
    return y;
  }

  private grow(samples: number): Float64Array {
    if (this.history.length < 2 * samples) {
      const next = new Float64Array(2 * samples);
      next.set(this.history.subarray(0, 2 * this.held));
      this.history = next;
    }
    return this.history;
  }
}
