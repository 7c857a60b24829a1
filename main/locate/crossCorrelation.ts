/**
 * Normalised complex cross-correlation of receivers' IQ blocks, by FFT, with the lag bounded by the
 * baseline. For one block a receiver's spectra are its block (the 'a' side of a pair) and its block
 * widened by the largest lag (the 'b' side), each taken once and only when a pair asks for it. A pair
 * reads only the lags the baseline allows, the integer peak gives a least-squares parabola through 5
 * points, and Newton steps on the band-limited correlation refine it.
 *
 * Where the time goes (three receivers, 1 s blocks at 12 kHz, N = 16384): the forward transforms.
 * Each pair then needs 2K+1 (~100) of the N lags, so the inverse transform is pruned: N/P transforms
 * of P >= 2K+1 points and a short sum per lag; and the Newton steps sum over N bins without a trig call.
 */
import { stockhamPlan, type StockhamFft } from '../dsp/stockhamFft';

/**
 * One receiver's spectra for one block. The arrays are the correlator's and are reused: they hold
 * this block until the next spectra() of the same samples (the recording's next block).
 */
export interface BlockSpectra {
  /** DFT of the block placed at offset maxLag of a zero frame (the 'a' side of a pair). */
  core: Float64Array;
  /** DFT of the block widened by maxLag on each side (the 'b' side). */
  wide: Float64Array;
  /** Energy of the block, and prefix sums of |x|^2 over the widened block (for the lag-dependent norm). */
  coreEnergy: number;
  widePrefix: Float64Array;
}

export interface PairLag {
  /** Lag in samples (fractional): a's block at t matches b's at t - lag, so a hears it lag samples later. */
  lag: number;
  /** Normalised correlation at the peak, 0..1. */
  peak: number;
  /** False when the peak sits on the edge of the allowed lags (the true one may lie beyond). */
  interior: boolean;
}

export function nextPow2(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/** Smallest row transform of the pruned inverse: below it the row transforms cost more per point than they save. */
const MIN_ROW = 256;

/**
 * The arrays one recording's spectra live in, reused block after block: a fix takes ~100 of them and
 * fresh 256 kB arrays cost page faults and garbage collection. A spectra object keeps them until the
 * next spectra() of the same samples; an object used after that recomputes into arrays of its own.
 */
interface Slot {
  owner: LazyBlockSpectra | null;
  prefix: Float64Array;
  core: Float64Array;
  wide: Float64Array;
}

/** Spectra computed on first use: a receiver that is only ever the 'a' side never pays for its wide transform. */
class LazyBlockSpectra implements BlockSpectra {
  private coreDone = false;
  private wideDone = false;

  constructor(
    private readonly owner: BlockCorrelator,
    private slot: Slot,
    private readonly x: Float32Array,
    private readonly start: number,
    private readonly meanRe: number,
    private readonly meanIm: number,
    readonly coreEnergy: number,
  ) {}

  private own(): Slot {
    if (this.slot.owner !== this) {
      // Another block of the same samples took the arrays: start again in arrays of our own.
      this.slot = this.owner.newSlot(this);
      this.owner.fillPrefix(this.x, this.start, this.meanRe, this.meanIm, this.slot.prefix);
      this.coreDone = false;
      this.wideDone = false;
    }
    return this.slot;
  }

  get widePrefix(): Float64Array {
    return this.own().prefix;
  }

  get core(): Float64Array {
    const slot = this.own();
    if (!this.coreDone) this.owner.frameSpectrum(this.x, this.start, this.meanRe, this.meanIm, true, slot.core);
    this.coreDone = true;
    return slot.core;
  }

  get wide(): Float64Array {
    const slot = this.own();
    if (!this.wideDone) this.owner.frameSpectrum(this.x, this.start, this.meanRe, this.meanIm, false, slot.wide);
    this.wideDone = true;
    return slot.wide;
  }
}

export class BlockCorrelator {
  readonly size: number;
  private readonly fft: StockhamFft;
  /** The pruned inverse: bin f = p + rows q goes to row p, column q; each row gets a rowLen-point transform. */
  private readonly rowLen: number;
  private readonly rows: number;
  private readonly rowFft: StockhamFft;
  private readonly frame: Float64Array;
  /** 1 over the block (core) or the widened block (wide) in the frame, 0 elsewhere. */
  private readonly coreWindow: Float64Array;
  private readonly wideWindow: Float64Array;
  /** The pair's cross spectrum A conj(B), in the row layout above. */
  private readonly product: Float64Array;
  private readonly rowSpectra: Float64Array;
  /** Each row of the two above as an array of its own (the transform's input and output). */
  private readonly productRows: Float64Array[];
  private readonly rowSpectraRows: Float64Array[];
  /** e^(+j 2 pi p k / N) for k in -maxLag..maxLag (row k + maxLag), p < rows. */
  private readonly lagTwiddles: Float64Array;
  private readonly mags: Float64Array;
  /** Newton steps: per-row and per-column phasors (columns from P/2 on are the negative frequencies, s = q - P). */
  private readonly rowPhasor: Float64Array;
  private readonly colPhasor: Float64Array;
  private readonly rowSumsOut = new Float64Array(6);
  private readonly slots = new WeakMap<Float32Array, Slot>();

  /**
   * @param blockLen samples per block
   * @param maxLag the largest lag any pair may need, samples
   */
  constructor(
    readonly blockLen: number,
    readonly maxLag: number,
  ) {
    const N = nextPow2(blockLen + 2 * maxLag + 1);
    this.size = N;
    this.fft = stockhamPlan(N);
    const P = Math.min(N, Math.max(MIN_ROW, nextPow2(2 * maxLag + 1)));
    const Q = N / P;
    this.rowLen = P;
    this.rows = Q;
    this.rowFft = stockhamPlan(P);
    this.frame = new Float64Array(2 * N);
    this.coreWindow = new Float64Array(N).fill(1, maxLag, maxLag + blockLen);
    this.wideWindow = new Float64Array(N).fill(1, 0, blockLen + 2 * maxLag);
    this.product = new Float64Array(2 * N);
    this.rowSpectra = new Float64Array(2 * N);
    this.productRows = Array.from({ length: Q }, (_, p) => this.product.subarray(2 * p * P, 2 * (p + 1) * P));
    this.rowSpectraRows = Array.from({ length: Q }, (_, p) => this.rowSpectra.subarray(2 * p * P, 2 * (p + 1) * P));
    this.mags = new Float64Array(2 * maxLag + 1);
    this.lagTwiddles = new Float64Array(2 * (2 * maxLag + 1) * Q);
    for (let k = -maxLag; k <= maxLag; k++) {
      for (let p = 0; p < Q; p++) {
        // (p k) mod N first, so the angle keeps its digits.
        const a = (2 * Math.PI * ((((p * k) % N) + N) % N)) / N;
        const o = 2 * ((k + maxLag) * Q + p);
        this.lagTwiddles[o] = Math.cos(a);
        this.lagTwiddles[o + 1] = Math.sin(a);
      }
    }
    this.rowPhasor = new Float64Array(2 * Q);
    this.colPhasor = new Float64Array(2 * P);
  }

  /**
   * Spectra of x[start .. start + blockLen) (interleaved complex) and of its widening by maxLag, with
   * the block's mean removed from both: a carrier on the dial says nothing about the lag and only
   * flattens the peak. The transforms are taken when a pair first reads them, from x as it is then;
   * the arrays are valid until the next spectra() of the same x (the recording's next block).
   */
  spectra(x: Float32Array, start: number): BlockSpectra {
    const { blockLen: L, maxLag: M } = this;
    if (start - M < 0 || 2 * (start + L + M) > x.length) throw new Error(`block [${start - M}, ${start + L + M}) lies outside the ${x.length / 2} samples`);
    let mr = 0;
    let mi = 0;
    for (let t = 2 * start; t < 2 * (start + L); t += 2) {
      mr += x[t]!;
      mi += x[t + 1]!;
    }
    mr /= L;
    mi /= L;
    let slot = this.slots.get(x);
    if (!slot) {
      slot = this.newSlot(null);
      this.slots.set(x, slot);
    }
    this.fillPrefix(x, start, mr, mi, slot.prefix);
    const s = new LazyBlockSpectra(this, slot, x, start, mr, mi, slot.prefix[M + L]! - slot.prefix[M]!);
    slot.owner = s;
    return s;
  }

  /** Fresh arrays for one block's spectra (for the spectra objects, as are the two methods below). */
  newSlot(owner: LazyBlockSpectra | null): Slot {
    const N = this.size;
    return { owner, prefix: new Float64Array(this.blockLen + 2 * this.maxLag + 1), core: new Float64Array(2 * N), wide: new Float64Array(2 * N) };
  }

  /** Prefix sums of |x - mean|^2 over the widened block. */
  fillPrefix(x: Float32Array, start: number, mr: number, mi: number, prefix: Float64Array): void {
    const { blockLen: L, maxLag: M } = this;
    let e = 0;
    prefix[0] = 0;
    for (let u = 0, i = 2 * (start - M); u < L + 2 * M; u++, i += 2) {
      const re = x[i]! - mr;
      const im = x[i + 1]! - mi;
      e += re * re + im * im;
      prefix[u + 1] = e;
    }
  }

  /** DFT of the mean-removed block (core: alone at offset maxLag) or of its widening, in a zero frame. */
  frameSpectrum(x: Float32Array, start: number, mr: number, mi: number, core: boolean, out: Float64Array): void {
    const { blockLen: L, maxLag: M, size: N } = this;
    if (2 * (start - M + N) <= x.length) {
      // The samples reach past the frame: the transform's first pass reads them, removes the mean and
      // zeroes what lies outside the block (a 0/1 window), with no frame written in between.
      this.fft.transformWindowed(x, start - M, core ? this.coreWindow : this.wideWindow, mr, mi, out);
      return;
    }
    const f = this.frame;
    const from = core ? M : 0;
    const to = core ? M + L : L + 2 * M;
    f.fill(0, 0, 2 * from);
    const shift = 2 * (start - M);
    for (let j = 2 * from; j < 2 * to; j += 2) {
      f[j] = x[shift + j]! - mr;
      f[j + 1] = x[shift + j + 1]! - mi;
    }
    f.fill(0, 2 * to);
    this.fft.transform(f, out);
  }

  /** The lag of b against a within +-maxLagPair samples (<= maxLag). */
  pair(a: BlockSpectra, b: BlockSpectra, maxLagPair: number): PairLag {
    const { blockLen: L, maxLag: M, size: N, rowLen: P, rows: Q } = this;
    const K = Math.min(M, Math.max(1, Math.ceil(maxLagPair)));
    const A = a.core;
    const B = b.wide;
    const y = this.product;
    // Bin f = p + Q q goes to row p, column q (read with stride Q: tiling the reads measured slower).
    for (let p = 0; p < Q; p++) {
      let o = 2 * p * P;
      for (let i = 2 * p; i < 2 * N; i += 2 * Q, o += 2) {
        const ar = A[i]!;
        const ai = A[i + 1]!;
        const br = B[i]!;
        const bi = B[i + 1]!;
        y[o] = ar * br + ai * bi;
        y[o + 1] = ai * br - ar * bi;
      }
    }
    // r[k] = sum_f Y[f] e^(+j 2 pi f k / N) = sum_p e^(+j 2 pi p k / N) sum_q Y[p + Q q] e^(+j 2 pi q k / P),
    // and the inner sum is row p's forward P-point DFT read at (-k) mod P.
    const rs = this.rowSpectra;
    for (let p = 0; p < Q; p++) this.rowFft.transform(this.productRows[p]!, this.rowSpectraRows[p]!);
    const tw = this.lagTwiddles;
    const mags = this.mags;
    const ea = a.coreEnergy;
    const wp = b.widePrefix;
    let best = -1;
    let bestK = 0;
    for (let k = -K; k <= K; k++) {
      const col = 2 * ((P - (k % P)) % P);
      const t = 2 * (k + M) * Q;
      let sr = 0;
      let si = 0;
      for (let p = 0, o = col; p < Q; p++, o += 2 * P) {
        const fr = rs[o]!;
        const fi = rs[o + 1]!;
        const wr = tw[t + 2 * p]!;
        const wi = tw[t + 2 * p + 1]!;
        sr += fr * wr - fi * wi;
        si += fr * wi + fi * wr;
      }
      const eb = wp[M - k + L]! - wp[M - k]!;
      const den = Math.sqrt(ea * eb);
      const v = den > 0 ? Math.hypot(sr, si) / N / den : 0;
      mags[k + K] = v;
      if (v > best) {
        best = v;
        bestK = k;
      }
    }
    const c = bestK + K;
    const interior = bestK > -K && bestK < K;
    const rough = bestK + parabolaOffset(mags, c, 2 * K + 1);
    return { lag: interior ? this.refinePeak(rough) : rough, peak: best, interior };
  }

  /**
   * The peak of |r(tau)| between samples, from the band-limited interpolation of the correlation
   * r(tau) = sum_f Z[f] e^(j 2 pi f tau / N) (f signed), by Newton steps on |r|^2 from the parabola's
   * estimate. The parabola alone is what LOCALISATION.md describes and is fine for a narrow-band signal
   * (DCF77's broad peak), but on a wide-band one its vertex is pulled toward the nearest sample by up to
   * ~0.15 sample (12 us at 12 kHz; measured on synthetic noise): the interpolation has no such bias.
   *
   * Z is the cross spectrum in the row layout: with f = p + Q s (s the column's signed index),
   * e^(j w f tau) = e^(j w p tau) e^(j w Q s tau). Per row, the sums of the terms times 1, s and s^2
   * come from running sums (summation by parts: three additions per bin, no multiply by s), and the
   * sums times f and f^2 from those; no trig call per bin and no serial phasor.
   */
  private refinePeak(start: number): number {
    const { size: N, rowLen: P, rows: Q } = this;
    const Z = this.product;
    const rp = this.rowPhasor;
    const cp = this.colPhasor;
    const half = P / 2;
    const sums = this.rowSumsOut;
    const w = (2 * Math.PI) / N;
    let tau = start;
    for (let it = 0; it < 4; it++) {
      phasors(rp, Q, w * tau);
      // Columns: s = q for q < P/2, q - P above; e^(-j x) is the conjugate of e^(j x).
      phasors(cp, half + 1, w * Q * tau);
      for (let q = P - 1; q > half; q--) {
        cp[2 * q] = cp[2 * (P - q)]!;
        cp[2 * q + 1] = -cp[2 * (P - q) + 1]!;
      }
      const hr = cp[2 * half]!;
      const hi = cp[2 * half + 1]!;
      cp[2 * half] = hr;
      cp[2 * half + 1] = -hi;
      let t0r = 0;
      let t0i = 0;
      let t1r = 0;
      let t1i = 0;
      let t2r = 0;
      let t2i = 0;
      for (let p = 0; p < Q; p++) {
        rowSums(Z, 2 * p * P, cp, P, sums);
        const ar = sums[0]!;
        const ai = sums[1]!;
        const br = sums[2]!;
        const bi = sums[3]!;
        const cr = sums[4]!;
        const ci = sums[5]!;
        // sum j u = P a - b; sum j^2 u = P^2 a - 2 P b + 2 c - b; then s = j - P/2.
        const j1r = P * ar - br;
        const j1i = P * ai - bi;
        const j2r = P * P * ar - 2 * P * br + 2 * cr - br;
        const j2i = P * P * ai - 2 * P * bi + 2 * ci - bi;
        const h1r = j1r - half * ar;
        const h1i = j1i - half * ai;
        const h2r = j2r - 2 * half * j1r + half * half * ar;
        const h2i = j2i - 2 * half * j1i + half * half * ai;
        // f = p + Q s: f u sums to p h0 + Q h1, f^2 u to p^2 h0 + 2 p Q h1 + Q^2 h2; then the row phasor.
        const g1r = p * ar + Q * h1r;
        const g1i = p * ai + Q * h1i;
        const g2r = p * p * ar + 2 * p * Q * h1r + Q * Q * h2r;
        const g2i = p * p * ai + 2 * p * Q * h1i + Q * Q * h2i;
        const xr = rp[2 * p]!;
        const xi = rp[2 * p + 1]!;
        t0r += xr * ar - xi * ai;
        t0i += xr * ai + xi * ar;
        t1r += xr * g1r - xi * g1i;
        t1i += xr * g1i + xi * g1r;
        t2r += xr * g2r - xi * g2i;
        t2i += xr * g2i + xi * g2r;
      }
      // r = t0, r' = j w t1, r'' = -w^2 t2.
      const r0r = t0r;
      const r0i = t0i;
      const r1r = -w * t1i;
      const r1i = w * t1r;
      const r2r = -w * w * t2r;
      const r2i = -w * w * t2i;
      const g = r1r * r0r + r1i * r0i;
      const h = r1r * r1r + r1i * r1i + r2r * r0r + r2i * r0i;
      if (!(h < 0)) break;
      const step = Math.max(-0.5, Math.min(0.5, -g / h));
      tau += step;
      if (Math.abs(step) < 1e-4) break;
    }
    return Math.abs(tau - start) <= 1 ? tau : start;
  }
}

/**
 * One row of the Newton sums: over its bins in order of s = j - P/2 (j = 0 .. P-1), with
 * u_j = Z e^(j w Q s tau): a = sum u, b = sum (P - j) u, c = sum (P - j)(P - j + 1)/2 u, by running
 * sums (three additions per bin).
 */
function rowSums(Z: Float64Array, row: number, cp: Float64Array, P: number, out: Float64Array): void {
  const half = P / 2;
  let ar = 0;
  let ai = 0;
  let br = 0;
  let bi = 0;
  let cr = 0;
  let ci = 0;
  for (let j = 0; j < P; j++) {
    const q = 2 * ((j + half) & (P - 1));
    const zr = Z[row + q]!;
    const zi = Z[row + q + 1]!;
    const er = cp[q]!;
    const ei = cp[q + 1]!;
    ar += zr * er - zi * ei;
    ai += zr * ei + zi * er;
    br += ar;
    bi += ai;
    cr += br;
    ci += bi;
  }
  out[0] = ar;
  out[1] = ai;
  out[2] = br;
  out[3] = bi;
  out[4] = cr;
  out[5] = ci;
}

/** out[m] = e^(j m a) for m < count, by rotation with an exact anchor every 32 steps (rounding stays ~1e-15). */
function phasors(out: Float64Array, count: number, a: number): void {
  const cr = Math.cos(a);
  const ci = Math.sin(a);
  for (let m = 0; m < count; m++) {
    if ((m & 31) === 0) {
      out[2 * m] = Math.cos(m * a);
      out[2 * m + 1] = Math.sin(m * a);
    } else {
      const pr = out[2 * m - 2]!;
      const pi = out[2 * m - 1]!;
      out[2 * m] = pr * cr - pi * ci;
      out[2 * m + 1] = pr * ci + pi * cr;
    }
  }
}

/**
 * Sub-sample offset of a peak at index c: vertex of the least-squares parabola through the 5 points
 * c-2..c+2 (3 points at an edge), within half a sample.
 */
export function parabolaOffset(y: ArrayLike<number>, c: number, n: number): number {
  if (c >= 2 && c + 2 < n) {
    const y0 = y[c - 2]!;
    const y1 = y[c - 1]!;
    const y2 = y[c]!;
    const y3 = y[c + 1]!;
    const y4 = y[c + 2]!;
    const slope = (-2 * y0 - y1 + y3 + 2 * y4) / 10;
    const curve = (2 * y0 - y1 - 2 * y2 - y3 + 2 * y4) / 14;
    return curve < 0 ? clampHalf(-slope / (2 * curve)) : 0;
  }
  if (c >= 1 && c + 1 < n) {
    const den = y[c - 1]! - 2 * y[c]! + y[c + 1]!;
    return den < 0 ? clampHalf((0.5 * (y[c - 1]! - y[c + 1]!)) / den) : 0;
  }
  return 0;
}

const clampHalf = (v: number) => Math.max(-0.5, Math.min(0.5, v));
