/** Our FFT against a plain O(n^2) DFT in float64, every power of two from 2 to 4096. */
import { describe, expect, it } from 'vitest';
import { dftPlan } from '../../../main/dsp/dft';
import { StockhamFft } from '../../../main/dsp/stockhamFft';
import { makeWindow } from '../../../main/dsp/windows';
import { mulberry32 } from '../../../main/sim/prng';

function naiveDft(x: Float64Array): Float64Array {
  const n = x.length / 2;
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      // k * t mod n keeps the angle exact for large products.
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      re += x[2 * t]! * c - x[2 * t + 1]! * s;
      im += x[2 * t]! * s + x[2 * t + 1]! * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

function randomIq(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: 2 * n }, () => r() - 0.5);
}

function relErr(got: Float64Array, want: Float64Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return worst / scale;
}

describe('Stockham FFT', () => {
  for (let n = 2; n <= 4096; n *= 2) {
    it(`n = ${n} matches the direct DFT`, () => {
      const x = randomIq(n, n);
      const before = x.slice();
      const out = new Float64Array(2 * n);
      new StockhamFft(n).transform(x, out);
      expect(relErr(out, naiveDft(x))).toBeLessThan(1e-12);
      expect(x).toEqual(before); // the input is left alone
    });
  }

  it('windows raw float32 and int16 samples inside the first pass, mean removed, at any start', () => {
    for (const n of [8, 64, 512, 1024, 2048]) {
      const w = makeWindow('hann', n);
      const raw16 = Int16Array.from(randomIq(3 * n, 5), (v) => Math.round(v * 20000));
      const raw32 = Float32Array.from(raw16, (v) => v / 32768);
      const start = n + 3;
      for (const raw of [raw16, raw32]) {
        const mr = 0.25;
        const mi = -0.125;
        const manual = new Float64Array(2 * n);
        for (let k = 0; k < n; k++) {
          manual[2 * k] = (raw[2 * (start + k)]! - mr) * w[k]!;
          manual[2 * k + 1] = (raw[2 * (start + k) + 1]! - mi) * w[k]!;
        }
        const out = new Float64Array(2 * n);
        new StockhamFft(n).transformWindowed(raw, start, w, mr, mi, out);
        expect(relErr(out, naiveDft(manual)), `n ${n}, ${raw.constructor.name}`).toBeLessThan(1e-12);
      }
    }
  });

  it('refuses sizes that are not powers of two, saying which sizes work', () => {
    expect(() => new StockhamFft(1000)).toThrow(/not a power of two \(use 256, 512, 1024/);
  });

  it('dftPlan takes any length (Bluestein) and agrees with the direct DFT', () => {
    for (const n of [3, 5, 12, 100, 777]) {
      const x = randomIq(n, 100 + n);
      const out = new Float64Array(2 * n);
      dftPlan(n).transform(x, out);
      expect(relErr(out, naiveDft(x)), `n ${n}`).toBeLessThan(1e-10);
    }
  });
});

describe('Stockham FFT power accumulation (what Welch uses)', () => {
  it('adds |X|^2 of the windowed segment into the accumulator, every size from 2 to 4096', () => {
    for (let n = 2; n <= 4096; n *= 2) {
      const w = makeWindow('hann', n);
      const raw = Float32Array.from(randomIq(2 * n, 9 + n));
      const start = n >> 1;
      const manual = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        manual[2 * k] = (raw[2 * (start + k)]! - 0.1) * w[k]!;
        manual[2 * k + 1] = (raw[2 * (start + k) + 1]! + 0.2) * w[k]!;
      }
      const spec = naiveDft(manual);
      const acc = new Float64Array(n).fill(1);
      const fft = new StockhamFft(n);
      fft.accumulatePower(raw, start, w, 0.1, -0.2, acc);
      fft.accumulatePower(raw, start, w, 0.1, -0.2, acc);
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < n; k++) {
        const want = 1 + 2 * (spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2);
        worst = Math.max(worst, Math.abs(acc[k]! - want));
        scale = Math.max(scale, want);
      }
      expect(worst / scale, `n ${n}`).toBeLessThan(1e-12);
    }
  });
});
