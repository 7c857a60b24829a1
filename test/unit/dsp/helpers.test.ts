/** The small pieces around the spectra: median selection, display bytes, window gains, calibrations. */
import { describe, expect, it } from 'vitest';
import { calibration, spectrumMetrics } from '../../../main/dsp/metrics';
import { byteToDb, quantizeRow } from '../../../main/dsp/quantizeRow';
import { kthSmallest } from '../../../main/dsp/select';
import { welchComplex } from '../../../main/dsp/welch';
import { makeWindow, windowGains } from '../../../main/dsp/windows';
import { mulberry32 } from '../../../main/sim/prng';

describe('kthSmallest', () => {
  it('agrees with a full sort on random, sorted, reversed and constant data', () => {
    const r = mulberry32(3);
    const sets = [
      Float64Array.from({ length: 1001 }, () => r()),
      Float64Array.from({ length: 512 }, (_, i) => i),
      Float64Array.from({ length: 513 }, (_, i) => -i),
      new Float64Array(300).fill(7),
      Float64Array.from({ length: 257 }, () => Math.floor(r() * 4)),
    ];
    for (const a of sets) {
      const sorted = [...a].sort((x, y) => x - y);
      for (const k of [0, 1, a.length >> 1, a.length - 1]) expect(kthSmallest(a.slice(), a.length, k)).toBe(sorted[k]);
    }
  });

  it('refuses an index outside the data', () => {
    expect(() => kthSmallest(new Float64Array(4), 4, 4)).toThrow(/outside 0\.\.3/);
  });
});

describe('quantizeRow', () => {
  it('maps [minDb, maxDb] linearly onto 0..255 and clamps outside, silence included', () => {
    const row = quantizeRow(Float32Array.from([-200, -120, -100, -80, -40, 0, -Infinity, NaN, Infinity]), -120, -40);
    expect([...row]).toEqual([0, 0, 64, 128, 255, 255, 0, 0, 255]);
    for (const b of [0, 64, 200, 255]) expect(quantizeRow(Float64Array.of(byteToDb(b, -130, -30)), -130, -30)[0]).toBe(b);
  });

  it('writes into a caller buffer and says when the range or the buffer is wrong', () => {
    const out = new Uint8Array(3);
    expect(quantizeRow(Float32Array.of(-100, -90, -80), -100, -80, out)).toBe(out);
    expect(() => quantizeRow(Float32Array.of(0), -40, -40)).toThrow(/maxDb > minDb/);
    expect(() => quantizeRow(new Float32Array(4), -100, 0, new Uint8Array(2))).toThrow(/holds 2 bytes, the spectrum has 4 bins/);
  });
});

describe('windows', () => {
  it('have the textbook coherent gain and noise bandwidth', () => {
    const expectGains = (name: Parameters<typeof makeWindow>[0], cg: number, enbw: number) => {
      const g = windowGains(makeWindow(name, 4096));
      expect(g.coherentGain, name).toBeCloseTo(cg, 4);
      expect(g.enbwBins, name).toBeCloseTo(enbw, 3);
    };
    expectGains('hann', 0.5, 1.5);
    expectGains('hamming', 0.54, 1.3628);
    expectGains('blackmanharris', 0.35875, 2.0044);
    expectGains('flattop', 0.21557895, 3.7702);
    expectGains('boxcar', 1, 1);
  });
});

describe('metrics edge cases and calibration', () => {
  it('gives finite metrics for exact silence instead of NaN', () => {
    const m = spectrumMetrics(welchComplex(new Float32Array(4096), { fs: 12000 }));
    for (const [k, v] of Object.entries(m)) expect(Number.isFinite(v), k).toBe(true);
  });

  it('converts receiver levels to dBm as each receiver defines them', () => {
    expect(calibration.kiwiSmeterDbm(-330)).toBeCloseTo(-160, 9);
    expect(calibration.kiwiSmeterDbm(0)).toBe(-127);
    expect(calibration.kiwiWaterfallDbm(200, -13)).toBe(-68);
    expect(calibration.openwebrxSmeterDb(1e-6)).toBeCloseTo(-60, 9);
    expect(Number.isFinite(calibration.openwebrxSmeterDb(0))).toBe(true);
  });
});
