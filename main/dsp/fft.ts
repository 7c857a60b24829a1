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
