/**
 * Hand-written complex FFT for power-of-two sizes: radix-16 Stockham passes (radix16Pass.ts, written
 * out by scripts/gen-fft-kernels.mjs), then one radix-4 and/or one radix-2 pass for the bits left, on
 * interleaved Float64Arrays. Stockham sorts itself, so there is no bit-reversal pass; twiddles are
 * laid out per pass in the order the loops read them. This is where the station spends its DSP time,
 * so it beats fft.js by doing less per butterfly: typed-array tables, no trivial twiddle multiplies in
 * the first and last passes, and an optional first pass that reads raw samples (float32/int16),
 * subtracts a mean and applies the window on the fly, which saves Welch and the waterfall a whole
 * pass over each segment.
 */

import { radix16, radix16FirstWindowed, radix16Last, radix16LastPower } from './radix16Pass';

type Samples = Float32Array | Float64Array | Int16Array;
type Radix = 2 | 4 | 16;

interface Pass {
  /** Length of the sub-transforms this pass splits (n in the Stockham recursion). */
  len: number;
  /** Stride between the interleaved sub-sequences (s). */
  stride: number;
  radix: Radix;
  /** w^1 .. w^(radix-1) (re, im) for each p; empty when every twiddle is 1. */
  tw: Float64Array;
}

export class StockhamFft {
  readonly n: number;
  private readonly passes: Pass[];
  private readonly scratch: Float64Array;
  /** Where accumulatePower leaves the next-to-last pass (or the whole spectrum when n <= 16). */
  private readonly powerOut: Float64Array;

  constructor(n: number) {
    if (!(n >= 2 && (n & (n - 1)) === 0)) throw new Error(`FFT size ${n} is not a power of two (use 256, 512, 1024, ...)`);
    this.n = n;
    this.scratch = new Float64Array(2 * n);
    this.powerOut = new Float64Array(2 * n);
    this.passes = [];
    let len = n;
    let stride = 1;
    let bits = Math.log2(n);
    let first = true;
    while (len > 1) {
      // Radix 16 while 4 bits remain, then 4, then 2: fewer passes over the data is what pays here.
      const radix: Radix = bits >= 4 ? 16 : bits >= 2 ? 4 : 2;
      const m = len / radix;
      const perP = radix - 1;
      // The first pass always gets a table (all ones when m = 1): its windowed variant expects one.
      const tw = new Float64Array(radix > 2 && (m > 1 || first) ? 2 * perP * m : 0);
      first = false;
      for (let p = 0; p < tw.length / (2 * perP); p++) {
        for (let j = 1; j <= perP; j++) {
          const a = (-2 * Math.PI * j * p) / len;
          tw[2 * perP * p + 2 * (j - 1)] = Math.cos(a);
          tw[2 * perP * p + 2 * (j - 1) + 1] = Math.sin(a);
        }
      }
      this.passes.push({ len, stride, radix, tw });
      len = m;
      stride *= radix;
      bits -= Math.log2(radix);
    }
  }

  /** Forward DFT of interleaved `input` (length 2n) into `output`; they must not alias. */
  transform(input: Float64Array, output: Float64Array): void {
    this.run(input, 0, null, 0, 0, output);
  }

  /**
   * Forward DFT of ((x - mean) * window) for the n complex samples of `src` starting at complex
   * index `start`, without a separate windowing pass.
   */
  transformWindowed(src: Samples, start: number, window: Float64Array, meanRe: number, meanIm: number, output: Float64Array): void {
    this.run(src, start, window, meanRe, meanIm, output);
  }

  /**
   * Adds |DFT((x - mean) * window)|^2 into `acc` (n bins, natural order) without storing the
   * spectrum: the last pass squares and accumulates as it goes, which is all Welch needs.
   */
  accumulatePower(src: Samples, start: number, window: Float64Array, meanRe: number, meanIm: number, acc: Float64Array): void {
    const passes = this.passes;
    const last = passes.length - 1;
    if (last === 0) {
      // A single pass (n <= 16) has nothing to fuse: transform, then square.
      const out = this.powerOut;
      this.run(src, start, window, meanRe, meanIm, out);
      for (let k = 0; k < this.n; k++) acc[k] = acc[k]! + out[2 * k]! * out[2 * k]! + out[2 * k + 1]! * out[2 * k + 1]!;
      return;
    }
    this.run(src, start, window, meanRe, meanIm, this.powerOut, last);
    const pass = passes[last]!;
    if (pass.radix === 16) radix16LastPower(this.powerOut, acc, pass.stride);
    else if (pass.radix === 4) radix4LastPower(this.powerOut, acc, pass.stride);
    else radix2LastPower(this.powerOut, acc, pass.stride);
  }

  /** Runs passes [0, count) (all by default); the result of the last one run lands in `output`. */
  private run(src: Samples, start: number, window: Float64Array | null, meanRe: number, meanIm: number, output: Float64Array, count = this.passes.length): void {
    const passes = this.passes;
    const last = count - 1;
    // Ping-pong so that the last pass lands in `output`.
    let dst = last % 2 === 0 ? output : this.scratch;
    let prev: Float64Array = dst;
    for (let i = 0; i <= last; i++) {
      const pass = passes[i]!;
      if (i === 0 && pass.radix === 16) {
        if (window === null) radix16(src as Float64Array, dst, pass.len >> 4, 1, pass.tw);
        else radix16FirstWindowed(src, 2 * start, window, meanRe, meanIm, dst, pass.len >> 4, pass.tw);
      } else if (i === 0) {
        if (pass.radix === 2) firstRadix2(src, 2 * start, window, meanRe, meanIm, dst, pass.len >> 1);
        else firstRadix4(src, 2 * start, window, meanRe, meanIm, dst, pass.len >> 2, pass.tw);
      } else if (pass.radix === 16) {
        if (pass.tw.length === 0) radix16Last(prev, dst, pass.stride);
        else radix16(prev, dst, pass.len >> 4, pass.stride, pass.tw);
      } else if (pass.radix === 2) {
        radix2Last(prev, dst, pass.stride);
      } else if (pass.tw.length === 0) {
        radix4Last(prev, dst, pass.stride);
      } else {
        radix4(prev, dst, pass.len >> 2, pass.stride, pass.tw);
      }
      prev = dst;
      dst = dst === output ? this.scratch : output;
    }
  }
}

/**
 * First pass (stride 1). `w === null` means plain input; otherwise (x - mean) * w is read on the fly.
 * Written out in full (no helper call) because V8 would not inline a 17-argument butterfly.
 */
function firstRadix4(x: Samples, o: number, w: Float64Array | null, mr: number, mi: number, y: Float64Array, m: number, tw: Float64Array): void {
  if (w === null) firstRadix4Plain(x, o, y, m, tw);
  else firstRadix4Windowed(x, o, w, mr, mi, y, m, tw);
}

function firstRadix4Plain(x: Samples, o: number, y: Float64Array, m: number, tw: Float64Array): void {
  const m2 = 2 * m;
  const twiddle = m > 1;
  for (let p = 0; p < m; p++) {
    const a = o + 2 * p;
    const b = a + m2;
    const c = b + m2;
    const d = c + m2;
    const ar = x[a]!;
    const ai = x[a + 1]!;
    const br = x[b]!;
    const bi = x[b + 1]!;
    const cr = x[c]!;
    const ci = x[c + 1]!;
    const dr = x[d]!;
    const di = x[d + 1]!;
    const apcR = ar + cr;
    const apcI = ai + ci;
    const amcR = ar - cr;
    const amcI = ai - ci;
    const bpdR = br + dr;
    const bpdI = bi + di;
    const bmdR = br - dr;
    const bmdI = bi - di;
    const y0 = 8 * p;
    y[y0] = apcR + bpdR;
    y[y0 + 1] = apcI + bpdI;
    const r1 = amcR + bmdI;
    const i1 = amcI - bmdR;
    const r2 = apcR - bpdR;
    const i2 = apcI - bpdI;
    const r3 = amcR - bmdI;
    const i3 = amcI + bmdR;
    if (twiddle) {
      const t = 6 * p;
      const w1r = tw[t]!;
      const w1i = tw[t + 1]!;
      const w2r = tw[t + 2]!;
      const w2i = tw[t + 3]!;
      const w3r = tw[t + 4]!;
      const w3i = tw[t + 5]!;
      y[y0 + 2] = r1 * w1r - i1 * w1i;
      y[y0 + 3] = r1 * w1i + i1 * w1r;
      y[y0 + 4] = r2 * w2r - i2 * w2i;
      y[y0 + 5] = r2 * w2i + i2 * w2r;
      y[y0 + 6] = r3 * w3r - i3 * w3i;
      y[y0 + 7] = r3 * w3i + i3 * w3r;
    } else {
      y[y0 + 2] = r1;
      y[y0 + 3] = i1;
      y[y0 + 4] = r2;
      y[y0 + 5] = i2;
      y[y0 + 6] = r3;
      y[y0 + 7] = i3;
    }
  }
}

function firstRadix4Windowed(x: Samples, o: number, w: Float64Array, mr: number, mi: number, y: Float64Array, m: number, tw: Float64Array): void {
  const m2 = 2 * m;
  const twiddle = m > 1;
  for (let p = 0; p < m; p++) {
    const a = o + 2 * p;
    const b = a + m2;
    const c = b + m2;
    const d = c + m2;
    const wa = w[p]!;
    const wb = w[p + m]!;
    const wc = w[p + 2 * m]!;
    const wd = w[p + 3 * m]!;
    const ar = (x[a]! - mr) * wa;
    const ai = (x[a + 1]! - mi) * wa;
    const br = (x[b]! - mr) * wb;
    const bi = (x[b + 1]! - mi) * wb;
    const cr = (x[c]! - mr) * wc;
    const ci = (x[c + 1]! - mi) * wc;
    const dr = (x[d]! - mr) * wd;
    const di = (x[d + 1]! - mi) * wd;
    const apcR = ar + cr;
    const apcI = ai + ci;
    const amcR = ar - cr;
    const amcI = ai - ci;
    const bpdR = br + dr;
    const bpdI = bi + di;
    const bmdR = br - dr;
    const bmdI = bi - di;
    const y0 = 8 * p;
    y[y0] = apcR + bpdR;
    y[y0 + 1] = apcI + bpdI;
    const r1 = amcR + bmdI;
    const i1 = amcI - bmdR;
    const r2 = apcR - bpdR;
    const i2 = apcI - bpdI;
    const r3 = amcR - bmdI;
    const i3 = amcI + bmdR;
    if (twiddle) {
      const t = 6 * p;
      const w1r = tw[t]!;
      const w1i = tw[t + 1]!;
      const w2r = tw[t + 2]!;
      const w2i = tw[t + 3]!;
      const w3r = tw[t + 4]!;
      const w3i = tw[t + 5]!;
      y[y0 + 2] = r1 * w1r - i1 * w1i;
      y[y0 + 3] = r1 * w1i + i1 * w1r;
      y[y0 + 4] = r2 * w2r - i2 * w2i;
      y[y0 + 5] = r2 * w2i + i2 * w2r;
      y[y0 + 6] = r3 * w3r - i3 * w3i;
      y[y0 + 7] = r3 * w3i + i3 * w3r;
    } else {
      y[y0 + 2] = r1;
      y[y0 + 3] = i1;
      y[y0 + 4] = r2;
      y[y0 + 5] = i2;
      y[y0 + 6] = r3;
      y[y0 + 7] = i3;
    }
  }
}

function firstRadix2(x: Samples, o: number, w: Float64Array | null, mr: number, mi: number, y: Float64Array, m: number): void {
  // Only reached for n = 2 (every larger power of two starts with a radix-4 pass).
  for (let p = 0; p < m; p++) {
    const a = o + 2 * p;
    const b = a + 2 * m;
    const wa = w === null ? 1 : w[p]!;
    const wb = w === null ? 1 : w[p + m]!;
    const ar = (x[a]! - mr) * wa;
    const ai = (x[a + 1]! - mi) * wa;
    const br = (x[b]! - mr) * wb;
    const bi = (x[b + 1]! - mi) * wb;
    y[4 * p] = ar + br;
    y[4 * p + 1] = ai + bi;
    y[4 * p + 2] = ar - br;
    y[4 * p + 3] = ai - bi;
  }
}

/** A middle pass: m groups of 4 sub-sequences, each `s` complex values long. */
function radix4(x: Float64Array, y: Float64Array, m: number, s: number, tw: Float64Array): void {
  const s2 = 2 * s;
  const ms2 = m * s2;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = tw[t]!;
    const w1i = tw[t + 1]!;
    const w2r = tw[t + 2]!;
    const w2i = tw[t + 3]!;
    const w3r = tw[t + 4]!;
    const w3i = tw[t + 5]!;
    const a0 = p * s2;
    const y0 = 4 * a0;
    for (let q = 0; q < s2; q += 2) {
      const a = a0 + q;
      const b = a + ms2;
      const c = b + ms2;
      const d = c + ms2;
      const ar = x[a]!;
      const ai = x[a + 1]!;
      const br = x[b]!;
      const bi = x[b + 1]!;
      const cr = x[c]!;
      const ci = x[c + 1]!;
      const dr = x[d]!;
      const di = x[d + 1]!;
      const apcR = ar + cr;
      const apcI = ai + ci;
      const amcR = ar - cr;
      const amcI = ai - ci;
      const bpdR = br + dr;
      const bpdI = bi + di;
      const bmdR = br - dr;
      const bmdI = bi - di;
      const o0 = y0 + q;
      const o1 = o0 + s2;
      const o2 = o1 + s2;
      const o3 = o2 + s2;
      y[o0] = apcR + bpdR;
      y[o0 + 1] = apcI + bpdI;
      const r1 = amcR + bmdI;
      const i1 = amcI - bmdR;
      const r2 = apcR - bpdR;
      const i2 = apcI - bpdI;
      const r3 = amcR - bmdI;
      const i3 = amcI + bmdR;
      y[o1] = r1 * w1r - i1 * w1i;
      y[o1 + 1] = r1 * w1i + i1 * w1r;
      y[o2] = r2 * w2r - i2 * w2i;
      y[o2 + 1] = r2 * w2i + i2 * w2r;
      y[o3] = r3 * w3r - i3 * w3i;
      y[o3 + 1] = r3 * w3i + i3 * w3r;
    }
  }
}

/** Last radix-4 pass (m = 1): every twiddle is 1. */
function radix4Last(x: Float64Array, y: Float64Array, s: number): void {
  const s2 = 2 * s;
  for (let q = 0; q < s2; q += 2) {
    const b = q + s2;
    const c = b + s2;
    const d = c + s2;
    const ar = x[q]!;
    const ai = x[q + 1]!;
    const br = x[b]!;
    const bi = x[b + 1]!;
    const cr = x[c]!;
    const ci = x[c + 1]!;
    const dr = x[d]!;
    const di = x[d + 1]!;
    const apcR = ar + cr;
    const apcI = ai + ci;
    const amcR = ar - cr;
    const amcI = ai - ci;
    const bpdR = br + dr;
    const bpdI = bi + di;
    const bmdR = br - dr;
    const bmdI = bi - di;
    y[q] = apcR + bpdR;
    y[q + 1] = apcI + bpdI;
    y[b] = amcR + bmdI;
    y[b + 1] = amcI - bmdR;
    y[c] = apcR - bpdR;
    y[c + 1] = apcI - bpdI;
    y[d] = amcR - bmdI;
    y[d + 1] = amcI + bmdR;
  }
}

/** Last pass when log2 n is odd: radix 2, m = 1, no twiddles. */
function radix2Last(x: Float64Array, y: Float64Array, s: number): void {
  const s2 = 2 * s;
  for (let q = 0; q < s2; q += 2) {
    const b = q + s2;
    const ar = x[q]!;
    const ai = x[q + 1]!;
    const br = x[b]!;
    const bi = x[b + 1]!;
    y[q] = ar + br;
    y[q + 1] = ai + bi;
    y[b] = ar - br;
    y[b + 1] = ai - bi;
  }
}

/** radix4Last, adding |X|^2 into acc instead of storing X. */
function radix4LastPower(x: Float64Array, acc: Float64Array, s: number): void {
  const s2 = 2 * s;
  for (let q = 0; q < s; q++) {
    const a = 2 * q;
    const b = a + s2;
    const c = b + s2;
    const d = c + s2;
    const ar = x[a]!;
    const ai = x[a + 1]!;
    const br = x[b]!;
    const bi = x[b + 1]!;
    const cr = x[c]!;
    const ci = x[c + 1]!;
    const dr = x[d]!;
    const di = x[d + 1]!;
    const apcR = ar + cr;
    const apcI = ai + ci;
    const amcR = ar - cr;
    const amcI = ai - ci;
    const bpdR = br + dr;
    const bpdI = bi + di;
    const bmdR = br - dr;
    const bmdI = bi - di;
    const r0 = apcR + bpdR;
    const i0 = apcI + bpdI;
    const r1 = amcR + bmdI;
    const i1 = amcI - bmdR;
    const r2 = apcR - bpdR;
    const i2 = apcI - bpdI;
    const r3 = amcR - bmdI;
    const i3 = amcI + bmdR;
    acc[q] = acc[q]! + r0 * r0 + i0 * i0;
    acc[q + s] = acc[q + s]! + r1 * r1 + i1 * i1;
    acc[q + 2 * s] = acc[q + 2 * s]! + r2 * r2 + i2 * i2;
    acc[q + 3 * s] = acc[q + 3 * s]! + r3 * r3 + i3 * i3;
  }
}

/** radix2Last, adding |X|^2 into acc instead of storing X. */
function radix2LastPower(x: Float64Array, acc: Float64Array, s: number): void {
  const s2 = 2 * s;
  for (let q = 0; q < s; q++) {
    const a = 2 * q;
    const b = a + s2;
    const r0 = x[a]! + x[b]!;
    const i0 = x[a + 1]! + x[b + 1]!;
    const r1 = x[a]! - x[b]!;
    const i1 = x[a + 1]! - x[b + 1]!;
    acc[q] = acc[q]! + r0 * r0 + i0 * i0;
    acc[q + s] = acc[q + s]! + r1 * r1 + i1 * i1;
  }
}

const plans = new Map<number, StockhamFft>();

/** Cached plan per size: building the twiddle tables costs more than a transform. */
export function stockhamPlan(n: number): StockhamFft {
  let p = plans.get(n);
  if (!p) {
    p = new StockhamFft(n);
    plans.set(n, p);
  }
  return p;
}
