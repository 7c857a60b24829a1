import { describe, expect, it } from 'vitest';
import { SignalDetector } from '../../../main/dsp/detector';
import { spectrumMetrics } from '../../../main/dsp/metrics';
import { WaterfallBuilder } from '../../../main/dsp/waterfall';
import { welchComplex } from '../../../main/dsp/welch';
import { gaussian, mulberry32 } from '../../../main/sim/prng';

const FS = 12000;

/** A complex tone of amplitude a at `hz` in complex white noise of total power sigma2. */
function toneInNoise(n: number, hz: number, a: number, sigma2: number, seed = 1): Float64Array {
  const g = gaussian(mulberry32(seed));
  const s = Math.sqrt(sigma2 / 2);
  const x = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    x[2 * k] = a * Math.cos((2 * Math.PI * hz * k) / FS) + s * g();
    x[2 * k + 1] = a * Math.sin((2 * Math.PI * hz * k) / FS) + s * g();
  }
  return x;
}

describe('spectrum metrics', () => {
  it('recovers tone offsets within 0.05 bin of truth anywhere between bins', () => {
    const binHz = FS / 1024;
    for (const frac of [0, 0.1, 0.25, 0.37, 0.5, 0.71, 0.9]) {
      for (const base of [-200, 17, 250]) {
        const hz = (base + frac) * binHz;
        const m = spectrumMetrics(welchComplex(toneInNoise(16384, hz, 1, 1e-6), { fs: FS, nperseg: 1024 }));
        expect(Math.abs(m.peakOffsetHz - hz) / binHz, `tone at bin ${base + frac}`).toBeLessThan(0.05);
      }
    }
  });

  it('measures SNR within 0.5 dB of the analytic value for a tone in noise', () => {
    for (const snr of [0, 10, 20, 30, 40]) {
      const sigma2 = 1e-2;
      const a = Math.sqrt(sigma2 * 10 ** (snr / 10));
      const m = spectrumMetrics(welchComplex(toneInNoise(65536, 1234.5, a, sigma2, snr + 3), { fs: FS, nperseg: 1024 }));
      expect(Math.abs(m.snrDb - snr), `SNR ${snr} dB measured ${m.snrDb.toFixed(2)}`).toBeLessThan(0.5);
      expect(Math.abs(m.noisePowerDb - 10 * Math.log10(sigma2))).toBeLessThan(0.3);
      expect(m.occupiedBandwidthHz).toBeLessThan(10 * (FS / 1024));
    }
  });
});

describe('signal detector with hysteresis', () => {
  it('proposes one segment per key-up, bridges a short fade and ignores a single click', () => {
    const d = new SignalDetector({ onDb: 10, offDb: 6, minOnWindows: 2, minOffWindows: 2 });
    const snr = [0, 0, 15, 0, 0, 0, 20, 22, 8, 21, 20, 3, 2, 1, 18, 19, 20, 0, 0];
    snr.forEach((v, i) => d.push(i * 100, 100, v));
    expect(d.finish()).toEqual([
      { startSample: 600, endSample: 1100, peakSnrDb: 22 },
      { startSample: 1400, endSample: 1700, peakSnrDb: 20 },
    ]);
  });
});

describe('waterfall rows from IQ', () => {
  it('puts a tone in its bin (fftshifted) and keeps a peak hold', () => {
    const w = new WaterfallBuilder(256, 2);
    const rows = w.push(Float32Array.from(toneInNoise(256 * 8, 1500, 1, 1e-4)));
    expect(rows).toHaveLength(4);
    const bin = 128 + Math.round((1500 / FS) * 256);
    for (const r of rows) expect(r.indexOf(Math.max(...r))).toBe(bin);
    expect(w.peakHold[bin]).toBeCloseTo(Math.max(...rows.map((r) => r[bin]!)), 5);
  });
});
