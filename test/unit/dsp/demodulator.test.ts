/**
 * The demodulators on synthetic signals with a known modulating tone, at a KiwiSDR's exact IQ rate
 * and with receiver noise added: each mode must give back the tone (frequency within 1 Hz, SNR
 * over 30 dB), and the stream must not depend on how the samples were cut into blocks.
 */
import { describe, expect, it } from 'vitest';
import { LISTEN_DEFAULTS, type ListenSettings } from '../../../shared/domain/audio';
import { Demodulator } from '../../../main/dsp/demod/demodulator';
import { gaussian, mulberry32 } from '../../../main/sim/prng';
import { analyseTone } from '../../helpers/toneAnalysis';

const FS = 12001.135;
const SECONDS = 4;
const N = Math.round(FS * SECONDS);

/** Complex baseband of `phase(t)`, `amp(t)` plus complex white noise `cnrDb` below the carrier power (over the whole band). */
function signal(amp: (t: number) => number, phase: (t: number) => number, cnrDb: number, seed = 1): Float32Array {
  const x = new Float32Array(2 * N);
  const noise = gaussian(mulberry32(seed));
  let power = 0;
  for (let k = 0; k < N; k++) power += amp(k / FS) ** 2;
  const sigma = Math.sqrt(power / N / 10 ** (cnrDb / 10) / 2);
  for (let k = 0; k < N; k++) {
    const t = k / FS;
    const a = amp(t);
    const ph = phase(t);
    x[2 * k] = a * Math.cos(ph) + noise() * sigma;
    x[2 * k + 1] = a * Math.sin(ph) + noise() * sigma;
  }
  return x;
}

function demodulate(settings: ListenSettings, iq: Float32Array, blocks: number[] = [512]): Float32Array {
  const d = new Demodulator(settings, FS);
  const parts: Float32Array[] = [];
  let at = 0;
  let i = 0;
  while (at < iq.length / 2) {
    const size = Math.min(blocks[i++ % blocks.length]!, iq.length / 2 - at);
    parts.push(d.process(iq.subarray(2 * at, 2 * (at + size))));
    at += size;
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const TWO_PI = 2 * Math.PI;
const report = (mode: string, r: { freqHz: number; snrDb: number }) => console.info(`demod ${mode}: tone ${r.freqHz.toFixed(3)} Hz, SNR ${r.snrDb.toFixed(1)} dB`);
/** Skip the first half second: filter, AGC and squelch settle. */
const SKIP = Math.round(FS * 0.5);

describe('Demodulator', () => {
  it('AM: recovers a 1 kHz tone from a carrier 150 Hz off the dial, 50 % modulated, 40 dB CNR', () => {
    const iq = signal((t) => 0.05 * (1 + 0.5 * Math.sin(TWO_PI * 1000 * t)), (t) => TWO_PI * 150 * t + 0.3, 40);
    const audio = demodulate(LISTEN_DEFAULTS.am, iq);
    const r = analyseTone(audio, FS, { skip: SKIP });
    report('AM', r);
    expect(Math.abs(r.freqHz - 1000)).toBeLessThan(1);
    expect(r.snrDb).toBeGreaterThan(30);
    expect(r.rms).toBeGreaterThan(0.05); // audible: the AGC brought it up from -26 dBFS
  });

  it('NFM: recovers a 1 kHz tone at 2.5 kHz deviation from a carrier 200 Hz off the dial, 30 dB CNR', () => {
    const iq = signal(() => 0.02, (t) => TWO_PI * -200 * t + (2500 / 1000) * Math.sin(TWO_PI * 1000 * t), 30);
    const audio = demodulate(LISTEN_DEFAULTS.nfm, iq);
    const r = analyseTone(audio, FS, { skip: SKIP });
    report('NFM', r);
    expect(Math.abs(r.freqHz - 1000)).toBeLessThan(1);
    expect(r.snrDb).toBeGreaterThan(30);
    // 2.5 kHz of a 5 kHz full-scale deviation: the tone's peak is half scale (RMS 0.35).
    expect(r.rms).toBeGreaterThan(0.3);
    expect(r.rms).toBeLessThan(0.4);
  });

  it('USB: a 1 kHz audio tone transmitted single-sideband comes back at 1 kHz, the image in LSB is gone', () => {
    const iq = signal(() => 0.01, (t) => TWO_PI * 1000 * t, 40);
    const usb = analyseTone(demodulate(LISTEN_DEFAULTS.usb, iq), FS, { skip: SKIP });
    report('USB', usb);
    expect(Math.abs(usb.freqHz - 1000)).toBeLessThan(1);
    expect(usb.snrDb).toBeGreaterThan(30);
    // The same signal through the lower sideband filter: nothing but the AGC-limited noise floor.
    const lsb = analyseTone(demodulate(LISTEN_DEFAULTS.lsb, iq), FS, { skip: SKIP });
    expect(20 * Math.log10(lsb.rms / usb.rms)).toBeLessThan(-20);
  });

  it('LSB: a tone 1.3 kHz below the dial comes back at 1.3 kHz', () => {
    const iq = signal(() => 0.01, (t) => TWO_PI * -1300 * t, 40);
    const r = analyseTone(demodulate(LISTEN_DEFAULTS.lsb, iq), FS, { skip: SKIP });
    expect(Math.abs(r.freqHz - 1300)).toBeLessThan(1);
    expect(r.snrDb).toBeGreaterThan(30);
  });

  it('CW: a carrier 40 Hz above the dial sounds at the BFO pitch plus 40 Hz', () => {
    const iq = signal(() => 0.003, (t) => TWO_PI * 40 * t, 30);
    const r = analyseTone(demodulate({ ...LISTEN_DEFAULTS.cw, bfoHz: 600 }, iq), FS, { skip: SKIP });
    expect(Math.abs(r.freqHz - 640)).toBeLessThan(1);
    expect(r.snrDb).toBeGreaterThan(30);
  });

  it('gives the same audio whatever the block sizes the stream arrives in', () => {
    const iq = signal((t) => 0.05 * (1 + 0.5 * Math.sin(TWO_PI * 700 * t)), (t) => TWO_PI * 80 * t, 35, 7);
    for (const mode of ['am', 'nfm', 'usb', 'cw'] as const) {
      const a = demodulate(LISTEN_DEFAULTS[mode], iq, [512]);
      const b = demodulate(LISTEN_DEFAULTS[mode], iq, [100, 1000, 37, 4096, 512]);
      const n = Math.min(a.length, b.length);
      expect(n).toBeGreaterThan(N - 1024);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst, mode).toBeLessThan(1e-5);
    }
  });

  it('NFM squelch: noise alone stays quiet, a carrier opens it', () => {
    const noiseOnly = signal(() => 0, () => 0, 0, 3).map((v) => v + 0);
    // signal() scales noise to the carrier power; with no carrier, add it by hand.
    const g = gaussian(mulberry32(5));
    for (let i = 0; i < noiseOnly.length; i++) noiseOnly[i] = g() * 0.01;
    const quiet = analyseTone(demodulate(LISTEN_DEFAULTS.nfm, noiseOnly), FS, { skip: SKIP });
    const iq = signal(() => 0.02, (t) => 2.5 * Math.sin(TWO_PI * 1000 * t), 30);
    const loud = analyseTone(demodulate(LISTEN_DEFAULTS.nfm, iq), FS, { skip: SKIP });
    expect(20 * Math.log10(quiet.rms / loud.rms)).toBeLessThan(-20);
  });

  it('changes mode and passband mid-stream without losing samples', () => {
    const iq = signal(() => 0.01, (t) => TWO_PI * 1000 * t, 40);
    const d = new Demodulator(LISTEN_DEFAULTS.usb, FS);
    const half = 2 * 512 * 40;
    const a = d.process(iq.subarray(0, half));
    d.set({ ...LISTEN_DEFAULTS.cw, lowHz: 700, highHz: 1300, bfoHz: 200 });
    const b = d.process(iq.subarray(half));
    expect(a.length + b.length).toBe(Math.floor(N / 512) * 512);
    // In CW with the passband moved onto the tone, the BFO adds its 200 Hz.
    expect(Math.abs(analyseTone(b, FS, { skip: SKIP }).freqHz - 1200)).toBeLessThan(1);
  });
});
