import { fftPlan, isPowerOfTwo } from './fft';
import { stockhamPlan } from './stockhamFft';

/**
 * Complex DFT of any length: our Stockham FFT for powers of two (faster than fft.js, see
 * stockhamFft.ts), Bluestein's chirp-z otherwise (scipy's
 * welch takes nperseg = N when N < 1024, which is rarely a power of two).
 */
interface Dft {
  n: number;
  /** input and output interleaved, length 2n; output may not alias input. */
  transform(input: Float64Array, output: Float64Array): void;
}

const plans = new Map<number, Dft>();

export function dftPlan(n: number): Dft {
  let p = plans.get(n);
  if (!p) {
    p = isPowerOfTwo(n) ? powerOfTwo(n) : bluestein(n);
    plans.set(n, p);
  }
  return p;
}

function powerOfTwo(n: number): Dft {
  const f = stockhamPlan(n);
  return { n, transform: (input, output) => f.transform(input, output) };
}

function bluestein(n: number): Dft {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const f = fftPlan(m);
  // chirp w_k = exp(-i pi k^2 / n); k^2 taken mod 2n to keep the angle exact for large k.
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    cos[k] = Math.cos(a);
    sin[k] = -Math.sin(a);
  }
  // B = FFT of conj(w) laid out circularly over m.
  const b = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    b[2 * k] = cos[k]!;
    b[2 * k + 1] = -sin[k]!;
    if (k > 0) {
      b[2 * (m - k)] = cos[k]!;
      b[2 * (m - k) + 1] = -sin[k]!;
    }
  }
  const B = new Float64Array(2 * m);
  f.transform(B, b);
  const a = new Float64Array(2 * m);
  const A = new Float64Array(2 * m);
  const c = new Float64Array(2 * m);
  return {
    n,
    transform(input, output) {
      a.fill(0);
      for (let k = 0; k < n; k++) {
        const re = input[2 * k]!;
        const im = input[2 * k + 1]!;
        a[2 * k] = re * cos[k]! - im * sin[k]!;
        a[2 * k + 1] = re * sin[k]! + im * cos[k]!;
      }
      f.transform(A, a);
      for (let k = 0; k < m; k++) {
        const re = A[2 * k]! * B[2 * k]! - A[2 * k + 1]! * B[2 * k + 1]!;
        const im = A[2 * k]! * B[2 * k + 1]! + A[2 * k + 1]! * B[2 * k]!;
        A[2 * k] = re;
        A[2 * k + 1] = im;
      }
      f.inverseTransform(c, A);
      for (let k = 0; k < n; k++) {
        const re = c[2 * k]!;
        const im = c[2 * k + 1]!;
        output[2 * k] = re * cos[k]! - im * sin[k]!;
        output[2 * k + 1] = re * sin[k]! + im * cos[k]!;
      }
    },
  };
}
