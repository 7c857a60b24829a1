/** Zooming: low-pass + decimation keeps pass-band tones at level and frequency, removes what would alias. */
import { describe, expect, it } from 'vitest';
import { ComplexDecimator } from '../../../main/dsp/decimator';
import { spectrumMetrics } from '../../../main/dsp/metrics';
import { welchComplex } from '../../../main/dsp/welch';

const FS = 12000;

function tone(n: number, hz: number, amp: number): Float32Array {
  const x = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    x[2 * k] = amp * Math.cos((2 * Math.PI * hz * k) / FS);
    x[2 * k + 1] = amp * Math.sin((2 * Math.PI * hz * k) / FS);
  }
  return x;
}

/** RMS amplitude of the output after the filter has settled. */
function rms(y: Float64Array, skip: number): number {
  let s = 0;
  let n = 0;
  for (let k = skip; k < y.length / 2; k++, n++) s += y[2 * k]! ** 2 + y[2 * k + 1]! ** 2;
  return Math.sqrt(s / n);
}

describe('ComplexDecimator', () => {
  it('keeps a pass-band tone at its level and frequency at the lower rate', () => {
    const d = new ComplexDecimator({ factor: 4 });
    const y = d.push(tone(32768, 1000, 0.5));
    expect(y.length).toBe(2 * 8192);
    expect(20 * Math.log10(rms(y, 64) / 0.5)).toBeGreaterThan(-0.1);
    const m = spectrumMetrics(welchComplex(y.subarray(128), { fs: FS / 4, nperseg: 1024 }), { searchHz: FS / 8 });
    expect(Math.abs(m.peakOffsetHz - 1000)).toBeLessThan(0.05 * (FS / 4 / 1024));
  });

  it('attenuates a tone that would alias into the new band by more than 60 dB', () => {
    const d = new ComplexDecimator({ factor: 4 });
    // 2500 Hz is outside the new +-1500 Hz band and would fold onto -500 Hz.
    const y = d.push(tone(32768, 2500, 0.5));
    expect(20 * Math.log10(rms(y, 64) / 0.5)).toBeLessThan(-60);
  });

  it('gives the same output fed in odd-sized blocks as in one block', () => {
    const x = tone(5000, 700, 0.3);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + 0.01 * Math.sin(i * 1.7);
    const whole = new ComplexDecimator({ factor: 3 }).push(x);
    const d = new ComplexDecimator({ factor: 3 });
    const parts: number[] = [];
    let at = 0;
    for (const size of [1, 2, 97, 500, 3, 1000, 1397, 2000]) {
      const block = x.subarray(2 * at, 2 * Math.min(5000, at + size));
      expect(d.outputLength(block.length / 2)).toBe(Math.floor(d.outputLength(block.length / 2)));
      parts.push(...d.push(block));
      at += size;
    }
    expect(at).toBe(5000);
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i]!, 12);
  });

  it('says what is wrong with a bad configuration', () => {
    expect(() => new ComplexDecimator({ factor: 2.5 })).toThrow(/whole number >= 1/);
    expect(() => new ComplexDecimator({ factor: 2, taps: 10 })).toThrow(/must be odd/);
    expect(() => new ComplexDecimator({ factor: 2, passFraction: 1.5 })).toThrow(/passFraction/);
  });
});
