import FFT from 'fft.js';

/** fft.js plans, one per size (its tables cost more than a transform). Sizes must be powers of two. */
const plans = new Map<number, FFT>();

export function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

export function fftPlan(n: number): FFT {
  let p = plans.get(n);
  if (!p) {
    if (!isPowerOfTwo(n)) throw new Error(`FFT size ${n} is not a power of two (use 256, 512, 1024, ...)`);
    p = new FFT(n);
    plans.set(n, p);
  }
  return p;
}

/** Forward complex FFT of interleaved input into interleaved output (both length 2n). */
export function fft(input: Float64Array, output: Float64Array): void {
  fftPlan(input.length / 2).transform(output, input);
}

/** Reorders an n-bin spectrum so the most negative frequency comes first (numpy.fft.fftshift). */
export function fftshiftInPlace(a: Float64Array | Float32Array): void {
  const n = a.length;
  const half = Math.floor(n / 2);
  const tmp = a.slice(0, n - half);
  a.copyWithin(0, n - half);
  a.set(tmp, half);
}
