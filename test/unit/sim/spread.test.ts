/**
 * The transmitters' pseudo-random phase spread (DCF77-like): what a receiver gets is the transmitted
 * waveform delayed by its path, exactly, at any fraction of a sample; it never repeats, so it has one
 * lag; and it leaves the envelope, hence keying and levels, as they were.
 */
import { describe, expect, it } from 'vitest';
import { IQ_FULL_SCALE_DBM, propagation, sceneSchema, synthesizeIq, type Scene } from '../../../main/sim/scene';
import { spreadPhase, spreadSchema, spreadWaveform } from '../../../main/sim/spread';

const RATE = 12001.135;
const FREQ = 7_100_000;
/** Unix-sized, an hour and a minute past a whole hour, on an odd nanosecond. */
const T0_NS = 1_767_225_600_000_000_000n + 3_725_000_000_123n;

function scene(spread: Record<string, number> = { chipRateHz: 2000, deviationDeg: 15, seed: 7 }): Scene {
  return sceneSchema.parse({
    name: 'spread',
    transmitters: [{ id: 'tx', name: 'tx', freqHz: FREQ, lat: 45.563, lon: 8.054, altM: 420, powerDbm: 27, modulation: 'cw', schedule: { periodSec: 10, onSec: 10 }, spread }],
    // Noiseless receivers 60 and 137 km away.
    receivers: [
      { id: 'near', name: 'near', kind: 'kiwisdr', lat: 45.737, lon: 7.32, noiseFloorDbmHz: -260 },
      { id: 'far', name: 'far', kind: 'kiwisdr', lat: 44.384, lon: 7.542, noiseFloorDbmHz: -260 },
    ],
  });
}

/** The phase the transmitter radiates at Unix time `epochSec + sec` (epochSec whole). */
function txPhase(s: Scene, epochSec: number, sec: number): number {
  const whole = Math.floor(sec);
  return spreadPhase(s.transmitters[0]!.spread!, epochSec + whole, sec - whole);
}

const wrap = (a: number) => Math.atan2(Math.sin(a), Math.cos(a));

describe('spread modulation', () => {
  it('reaches each receiver as the transmitted phase delayed by the path, to a thousandth of a sample', () => {
    const s = scene();
    const epochS = Number(T0_NS / 3_600_000_000_000n) * 3600;
    const t0 = Number(T0_NS - BigInt(epochS) * 1_000_000_000n) / 1e9;
    const rad = (15 * Math.PI) / 180;
    for (const r of s.receivers) {
      const { delaySec } = propagation(r, s.transmitters[0]!);
      // Not a whole number of samples: the fraction must survive.
      expect(Math.abs(delaySec * RATE - Math.round(delaySec * RATE))).toBeGreaterThan(0.05);
      const n = 6000;
      const iq = synthesizeIq(s, r, FREQ, RATE, T0_NS, n);
      let worst = 0;
      let worstShifted = 0;
      for (let k = 0; k < n; k++) {
        const heard = Math.atan2(iq[2 * k + 1]!, iq[2 * k]!);
        const t = t0 + k / RATE;
        worst = Math.max(worst, Math.abs(wrap(heard - txPhase(s, epochS, t - delaySec))));
        // The same comparison with the delay off by a hundredth of a sample, for scale.
        worstShifted = Math.max(worstShifted, Math.abs(wrap(heard - txPhase(s, epochS, t - delaySec - 0.01 / RATE))));
      }
      // Phase slopes reach ~3300 rad/s: 1e-5 rad is a thousandth of a sample, float32 rounding included.
      expect(worst).toBeLessThan(1e-5);
      expect(worstShifted).toBeGreaterThan(100 * worst);
      expect(worstShifted).toBeLessThan(rad);
    }
  });

  it('gives two receivers the same waveform shifted by their delay difference, a fraction of a sample included', () => {
    const s = scene();
    const [near, far] = s.receivers as [Scene['receivers'][number], Scene['receivers'][number]];
    const x = s.transmitters[0]!;
    const diffNs = BigInt(Math.round((propagation(far, x).delaySec - propagation(near, x).delaySec) * 1e9));
    const n = 4000;
    const a = synthesizeIq(s, near, FREQ, RATE, T0_NS, n);
    // The far receiver sampling later by exactly the delay difference hears what the near one heard.
    const b = synthesizeIq(s, far, FREQ, RATE, T0_NS + diffNs, n);
    const unshifted = synthesizeIq(s, far, FREQ, RATE, T0_NS, n);
    let worst = 0;
    let worstUnshifted = 0;
    for (let k = 0; k < n; k++) {
      const pa = Math.atan2(a[2 * k + 1]!, a[2 * k]!);
      worst = Math.max(worst, Math.abs(wrap(Math.atan2(b[2 * k + 1]!, b[2 * k]!) - pa)));
      worstUnshifted = Math.max(worstUnshifted, Math.abs(wrap(Math.atan2(unshifted[2 * k + 1]!, unshifted[2 * k]!) - pa)));
    }
    // The difference rounded to the ns moves it by 6e-6 sample at most: under 2e-6 rad at the steepest.
    expect(worst).toBeLessThan(1e-5);
    expect(worstUnshifted).toBeGreaterThan(0.3);
  });

  it('never repeats within a second: one correlation peak, the rest near zero', () => {
    const sp = spreadSchema.parse({ chipRateHz: 2000, seed: 3 });
    const fs = 12_000;
    const n = fs; // 1 s
    const w = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) w[i] = spreadWaveform(sp, 1_767_225_600 + Math.floor(i / fs), (i % fs) / fs);
    const corr = (lag: number) => {
      let c = 0;
      let e = 0;
      for (let i = 0; i < n; i++) {
        c += w[i]! * w[i + lag]!;
        e += w[i]! * w[i]!;
      }
      return c / e;
    };
    expect(corr(0)).toBeCloseTo(1, 12);
    // From two chips (12 samples) to half a second: nothing stands out (1/sqrt(2000 chips) ~ 0.02).
    let worst = 0;
    for (let lag = 12; lag <= fs / 2; lag += 7) worst = Math.max(worst, Math.abs(corr(lag)));
    expect(worst).toBeLessThan(0.12);
  });

  it('keeps the envelope and leaves cos^2(deviation) of the power in the carrier', () => {
    const s = scene({ chipRateHz: 2000, deviationDeg: 15, seed: 11 });
    const r = s.receivers[0]!;
    const amp = 10 ** ((propagation(r, s.transmitters[0]!).rxPowerDbm - IQ_FULL_SCALE_DBM) / 20);
    const n = 24_000;
    const iq = synthesizeIq(s, r, FREQ, RATE, T0_NS, n);
    let mr = 0;
    let mi = 0;
    for (let k = 0; k < n; k++) {
      expect(Math.abs(Math.hypot(iq[2 * k]!, iq[2 * k + 1]!) / amp - 1)).toBeLessThan(1e-5);
      mr += iq[2 * k]!;
      mi += iq[2 * k + 1]!;
    }
    const carrierShare = (mr * mr + mi * mi) / (n * n * amp * amp);
    expect(carrierShare).toBeGreaterThan(Math.cos((15 * Math.PI) / 180) ** 2 - 0.02);
    expect(carrierShare).toBeLessThan(1);
  });

  it('is optional: scene files without it load and their transmitters are unmodulated as before', () => {
    const s = sceneSchema.parse({ name: 'x', receivers: [], transmitters: [{ id: 't', name: 't', freqHz: FREQ, lat: 45, lon: 8, powerDbm: 0, modulation: 'cw', schedule: { periodSec: 10, onSec: 4 } }] });
    expect(s.transmitters[0]!.spread).toBeUndefined();
    expect(spreadSchema.parse({ chipRateHz: 500 })).toEqual({ chipRateHz: 500, deviationDeg: 15, seed: 1, transition: 0.5 });
    expect(spreadSchema.safeParse({ chipRateHz: 500, deviationDeg: 120 }).success).toBe(false);
  });
});
