import { dftPlan } from './dft';
import { isPowerOfTwo } from './fft';
import { stockhamPlan } from './stockhamFft';
import { makeWindow, type WindowName } from './windows';

interface WelchOptions {
  /** Sample rate (Hz). */
  fs: number;
  /** Segment length; default min(1024, N) as the Heimdall backend used. */
  nperseg?: number;
  /** Default nperseg / 2. */
  noverlap?: number;
  window?: WindowName;
  detrend?: 'none' | 'constant';
  scaling?: 'density' | 'spectrum';
}

export interface Psd {
  /** Bin frequencies (Hz), ascending: fftshifted for complex input, 0..fs/2 for real input. */
  freqs: Float64Array;
  /** Power per bin: V^2/Hz ('density') or V^2 ('spectrum'), linear. */
  psd: Float64Array;
  segments: number;
  nperseg: number;
}

/** Reusable per-size work buffers: Welch runs on every capture window, allocations add up. */
const work = new Map<number, { seg: Float64Array; spec: Float64Array }>();
function buffers(n: number) {
  let w = work.get(n);
  if (!w) {
    w = { seg: new Float64Array(2 * n), spec: new Float64Array(2 * n) };
    work.set(n, w);
  }
  return w;
}

function setup(total: number, opts: WelchOptions) {
  if (!(opts.fs > 0)) throw new Error(`the sample rate must be positive (got ${opts.fs})`);
  if (total < 1) throw new Error('no samples to analyse');
  const nperseg = Math.min(opts.nperseg ?? 1024, total);
  const noverlap = opts.noverlap ?? Math.floor(nperseg / 2);
  if (noverlap >= nperseg) throw new Error(`noverlap (${noverlap}) must be smaller than nperseg (${nperseg})`);
  const step = nperseg - noverlap;
  const segments = Math.floor((total - noverlap) / step);
  const w = makeWindow(opts.window ?? 'hann', nperseg);
  let sum = 0;
  let sumSq = 0;
  for (const v of w) {
    sum += v;
    sumSq += v * v;
  }
  const scale = (opts.scaling ?? 'density') === 'density' ? 1 / (opts.fs * sumSq) : 1 / (sum * sum);
  return { nperseg, step, segments, w, scale };
}

/**
 * Welch PSD of interleaved complex samples (I, Q, I, Q, ...), two-sided and fftshifted, numerically
 * equal to scipy.signal.welch(x, fs, window, nperseg, noverlap, detrend, return_onesided=False,
 * scaling) after numpy.fft.fftshift.
 */
export function welchComplex(iq: Float32Array | Float64Array | Int16Array, opts: WelchOptions): Psd {
  const total = Math.floor(iq.length / 2);
  const { nperseg: n, step, segments, w, scale } = setup(total, opts);
  const dft = dftPlan(n);
  const { seg, spec } = buffers(n);
  const acc = new Float64Array(n);
  const detrend = (opts.detrend ?? 'constant') === 'constant';
  // Powers of two window the raw samples in the FFT's first pass and square in its last: two passes
  // less per segment.
  const fused = isPowerOfTwo(n) ? stockhamPlan(n) : null;
  for (let s = 0; s < segments; s++) {
    const off = s * step * 2;
    let mr = 0;
    let mi = 0;
    if (detrend) {
      for (let k = 0; k < n; k++) {
        mr += iq[off + 2 * k]!;
        mi += iq[off + 2 * k + 1]!;
      }
      mr /= n;
      mi /= n;
    }
    if (fused) {
      fused.accumulatePower(iq, s * step, w, mr, mi, acc);
      continue;
    }
    for (let k = 0; k < n; k++) {
      const wk = w[k]!;
      seg[2 * k] = (iq[off + 2 * k]! - mr) * wk;
      seg[2 * k + 1] = (iq[off + 2 * k + 1]! - mi) * wk;
    }
    dft.transform(seg, spec);
    for (let k = 0; k < n; k++) {
      const re = spec[2 * k]!;
      const im = spec[2 * k + 1]!;
      acc[k] = acc[k]! + re * re + im * im;
    }
  }
  // Average, scale and fftshift in one pass.
  const psd = new Float64Array(n);
  const freqs = new Float64Array(n);
  const half = Math.floor(n / 2);
  const k0 = n - half; // index in acc of the most negative frequency
  const norm = scale / segments;
  for (let i = 0; i < n; i++) {
    const src = (k0 + i) % n;
    psd[i] = acc[src]! * norm;
    freqs[i] = ((src >= k0 ? src - n : src) * opts.fs) / n;
  }
  return { freqs, psd, segments, nperseg: n };
}

/** Welch PSD of real samples (audio), one-sided 0..fs/2, as scipy.signal.welch's default. */
export function welchReal(x: Float32Array | Float64Array | Int16Array, opts: WelchOptions): Psd {
  const { nperseg: n, step, segments, w, scale } = setup(x.length, opts);
  const dft = dftPlan(n);
  const { seg, spec } = buffers(n);
  const bins = Math.floor(n / 2) + 1;
  const acc = new Float64Array(bins);
  const detrend = (opts.detrend ?? 'constant') === 'constant';
  for (let s = 0; s < segments; s++) {
    const off = s * step;
    let m = 0;
    if (detrend) {
      for (let k = 0; k < n; k++) m += x[off + k]!;
      m /= n;
    }
    for (let k = 0; k < n; k++) {
      seg[2 * k] = (x[off + k]! - m) * w[k]!;
      seg[2 * k + 1] = 0;
    }
    dft.transform(seg, spec);
    for (let k = 0; k < bins; k++) {
      const re = spec[2 * k]!;
      const im = spec[2 * k + 1]!;
      acc[k] = acc[k]! + re * re + im * im;
    }
  }
  const psd = new Float64Array(bins);
  const freqs = new Float64Array(bins);
  const norm = scale / segments;
  for (let k = 0; k < bins; k++) {
    // One-sided: fold the negative frequencies in, except DC and (for even n) Nyquist.
    const fold = k === 0 || (n % 2 === 0 && k === bins - 1) ? 1 : 2;
    psd[k] = acc[k]! * norm * fold;
    freqs[k] = (k * opts.fs) / n;
  }
  return { freqs, psd, segments, nperseg: n };
}
