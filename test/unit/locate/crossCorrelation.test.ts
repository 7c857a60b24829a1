import { describe, expect, it } from 'vitest';
import { BlockCorrelator, parabolaOffset } from '../../../main/locate/crossCorrelation';

function noise(n: number, seed: number): Float32Array {
  let s = seed;
  const x = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/** |sum a[ia+t] conj(b[ib+t-lag])| / sqrt(Ea Eb(lag)), the definition, without FFTs or mean removal. */
function direct(a: Float32Array, ia: number, b: Float32Array, ib: number, L: number, lag: number): number {
  let re = 0;
  let im = 0;
  let ea = 0;
  let eb = 0;
  for (let t = 0; t < L; t++) {
    const ar = a[2 * (ia + t)]!;
    const ai = a[2 * (ia + t) + 1]!;
    const br = b[2 * (ib + t - lag)]!;
    const bi = b[2 * (ib + t - lag) + 1]!;
    re += ar * br + ai * bi;
    im += ai * br - ar * bi;
    ea += ar * ar + ai * ai;
    eb += br * br + bi * bi;
  }
  return Math.hypot(re, im) / Math.sqrt(ea * eb);
}

describe('block cross-correlation', () => {
  it('finds an integer delay in either direction and its normalised peak', () => {
    const L = 3000;
    const M = 40;
    const x = noise(L + 4 * M, 1);
    const c = new BlockCorrelator(L, M);
    for (const d of [-17, -1, 0, 5, 33]) {
      // b is a, d samples earlier: a's sample t equals b's sample t - d.
      const b = new Float32Array(x.length);
      for (let i = 0; i < x.length / 2; i++) {
        const j = i + d;
        if (j >= 0 && j < x.length / 2) {
          b[2 * i] = x[2 * j]!;
          b[2 * i + 1] = x[2 * j + 1]!;
        }
      }
      const r = c.pair(c.spectra(x, M + 20), c.spectra(b, M + 20), M);
      expect(r.lag).toBeCloseTo(d, 1);
      expect(r.peak).toBeGreaterThan(0.99);
      expect(r.interior).toBe(true);
      // Mean-free noise: the FFT value equals the direct definition at the peak.
      expect(r.peak).toBeCloseTo(direct(x, M + 20, b, M + 20, L, d), 2);
    }
  });

  it('says a peak on the edge of the allowed lags is not to be trusted', () => {
    // Smooth (low-pass) noise: its correlation falls off over many samples, so a delay of 14 with
    // lags bounded to 10 puts the largest value on the bound.
    const L = 2000;
    const raw = noise(L + 400, 3);
    const x = new Float32Array(raw.length);
    for (let i = 16; i < raw.length / 2; i++) {
      for (let k = 0; k < 16; k++) {
        x[2 * i]! += raw[2 * (i - k)]!;
        x[2 * i + 1]! += raw[2 * (i - k) + 1]!;
      }
    }
    const b = new Float32Array(x.length);
    b.set(x.subarray(2 * 14));
    const c = new BlockCorrelator(L, 40);
    const r = c.pair(c.spectra(x, 60), c.spectra(b, 60), 10);
    expect(r.interior).toBe(false);
    expect(c.pair(c.spectra(x, 60), c.spectra(b, 60), 20).lag).toBeCloseTo(14, 2);
  });

  it('measures a fractional delay of a band-limited signal to a hundredth of a sample', () => {
    // A sum of tones evaluated at t and t - 0.37 samples: an exact fractional delay.
    const L = 4000;
    const n = L + 200;
    const tones = Array.from({ length: 40 }, (_, k) => ({ f: ((k * 0.6180339) % 1) * 0.8 - 0.4, ph: k * 1.3 }));
    const make = (delay: number) => {
      const x = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        for (const t of tones) {
          x[2 * i]! += Math.cos(2 * Math.PI * t.f * (i - delay) + t.ph);
          x[2 * i + 1]! += Math.sin(2 * Math.PI * t.f * (i - delay) + t.ph);
        }
      }
      return x;
    };
    const c = new BlockCorrelator(L, 30);
    for (const d of [0.37, -1.62, 4.5]) {
      const r = c.pair(c.spectra(make(d), 80), c.spectra(make(0), 80), 30);
      expect(r.lag).toBeCloseTo(d, 2);
    }
  });

  it('places the vertex of a sampled parabola to the sub-sample', () => {
    const y = [0, 1, 2, 3, 4, 5, 6].map((i) => -((i - 3.3) ** 2));
    expect(3 + parabolaOffset(y, 3, y.length)).toBeCloseTo(3.3, 6);
    const edge = [-((0 - 0.2) ** 2), -((1 - 0.2) ** 2), -((2 - 0.2) ** 2)];
    expect(parabolaOffset(edge, 1, 3) + 1).toBeCloseTo(1 - 0.5, 6); // clamped to half a sample
  });
});
