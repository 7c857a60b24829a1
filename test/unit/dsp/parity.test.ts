/**
 * Numerical parity with scipy.signal.welch and numpy.fft on committed fixtures
 * (scripts/gen-dsp-fixtures.py): max |error| in dB below 1e-3 on every bin above the noise.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dftPlan } from '../../../main/dsp/dft';
import { welchComplex, welchReal } from '../../../main/dsp/welch';
import { type WindowName } from '../../../main/dsp/windows';

const dir = new URL('../../fixtures/dsp/', import.meta.url);
const read = (name: string) => fs.readFileSync(new URL(name, dir));
const f32 = (name: string) => {
  const b = read(name);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const f64 = (name: string) => {
  const b = read(name);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

interface Case {
  name: string;
  complex?: boolean;
  fft?: boolean;
  n: number;
  fs: number;
  nperseg: number;
  noverlap?: number | null;
  window: WindowName;
  detrend: 'none' | 'constant';
  scaling: 'density' | 'spectrum';
}
const { cases } = JSON.parse(read('cases.json').toString()) as { cases: Case[] };

describe('Welch PSD matches scipy.signal.welch', () => {
  for (const c of cases.filter((x) => !x.fft)) {
    it(`${c.name}: ${c.complex ? 'complex two-sided' : 'real one-sided'}, ${c.window}, nperseg ${c.nperseg}, ${c.scaling}, detrend ${c.detrend}`, () => {
      const x = f32(`${c.name}.in.f32`);
      const want = f64(`${c.name}.psd.f64`);
      const wantF = f64(`${c.name}.freqs.f64`);
      const opts = { fs: c.fs, nperseg: c.nperseg, noverlap: c.noverlap ?? undefined, window: c.window, detrend: c.detrend, scaling: c.scaling };
      const got = c.complex ? welchComplex(x, opts) : welchReal(x, opts);
      expect(got.psd.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got.freqs[i]! - wantF[i]!)).toBeLessThan(1e-6);
      // "Above the noise": bins within 100 dB of the peak (far below every case's noise floor).
      const peak = Math.max(...want);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        if (want[i]! < peak * 1e-10) continue;
        worst = Math.max(worst, Math.abs(10 * Math.log10(got.psd[i]! / want[i]!)));
      }
      expect(worst).toBeLessThan(1e-3);
    });
  }
});

describe('complex DFT matches numpy.fft.fft', () => {
  for (const c of cases.filter((x) => x.fft)) {
    it(`n = ${c.n}${(c.n & (c.n - 1)) === 0 ? ' (fft.js)' : ' (Bluestein)'}`, () => {
      const x = Float64Array.from(f32(`${c.name}.in.f32`));
      const want = f64(`${c.name}.out.f64`);
      const out = new Float64Array(2 * c.n);
      dftPlan(c.n).transform(x, out);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(out[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(worst / scale).toBeLessThan(1e-9);
    });
  }
});
