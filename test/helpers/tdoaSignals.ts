/**
 * Synthetic GPS-stamped IQ recordings of one transmitter heard by several receivers, built from
 * first principles and independent of the simulator: band-limited noise (a sum of tones at random
 * frequencies and phases, evaluated exactly at any instant), each receiver sampling it at its own
 * rate and first-sample time, delayed by its ground-wave path, with KiwiSDR-like block stamps (a stale
 * first block, a fresh fix every ~5 s). What the locate tests feed the core.
 */
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { unixNsToGps } from '../../main/recordings/gpsTime';
import { buildTimeBase } from '../../main/recordings/timeBase';
import { groundWaveDelaySec, type LatLon } from '../../main/locate/geodesy';
import { type LocateSignal } from '../../main/locate/locate';

export interface SyntheticReceiver extends LatLon {
  name: string;
  /** True sample rate (Hz) and GPS time of the first sample (s after the scene's epoch). */
  rateHz: number;
  startSec: number;
  seconds: number;
  /** Standard deviation of the added complex noise, relative to the signal's. */
  noise?: number;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A scene epoch on a whole GPS second, so stamps are easy to reason about. */
export const EPOCH_UNIX_NS = 1_700_000_000_000_000_000n;

export function syntheticSignals(tx: LatLon, receivers: SyntheticReceiver[], opts: { seed?: number; tones?: number; bandHz?: number } = {}): LocateSignal[] {
  const rand = rng(opts.seed ?? 7);
  const tones = Array.from({ length: opts.tones ?? 48 }, () => ({ f: (rand() - 0.5) * (opts.bandHz ?? 6000), phase: rand() * 2 * Math.PI, amp: 0.5 + rand() }));
  const norm = 1 / Math.sqrt(tones.reduce((s, t) => s + t.amp * t.amp, 0));
  return receivers.map((r, k) => {
    const n = Math.round(r.seconds * r.rateHz);
    const x = new Float32Array(2 * n);
    const delay = groundWaveDelaySec(tx, r);
    const t0 = r.startSec - delay;
    const noise = r.noise ?? 0.1;
    const nr = rng(1000 + k);
    // Phasors stepped by rotation: exact to float64 rounding over a few hundred thousand samples.
    for (const t of tones) {
      let re = Math.cos(2 * Math.PI * t.f * t0 + t.phase) * t.amp * norm;
      let im = Math.sin(2 * Math.PI * t.f * t0 + t.phase) * t.amp * norm;
      const cr = Math.cos((2 * Math.PI * t.f) / r.rateHz);
      const ci = Math.sin((2 * Math.PI * t.f) / r.rateHz);
      for (let i = 0; i < n; i++) {
        x[2 * i]! += re * 0.5;
        x[2 * i + 1]! += im * 0.5;
        const nre = re * cr - im * ci;
        im = re * ci + im * cr;
        re = nre;
      }
    }
    for (let i = 0; i < 2 * n; i++) x[i]! += noise * 0.5 * Math.sqrt(-2 * Math.log(1 - nr())) * Math.cos(2 * Math.PI * nr());
    const stamps: GpsStamp[] = [];
    for (let b = 0, age = 3; b * 512 < n; b++) {
      const at = EPOCH_UNIX_NS + BigInt(Math.round((r.startSec + (b * 512) / r.rateHz) * 1e9));
      // The first block's stamp is minutes stale, as in every real kiwirecorder file.
      const stamp = unixNsToGps(b === 0 ? at - 300_000_000_000n : at);
      if (b > 0 && (b * 512) % Math.round(5 * r.rateHz) < 512) age = 0;
      else if (b % 23 === 0) age = Math.min(age + 1, 20);
      stamps.push({ sampleIndex: b * 512, seq: b, fixAgeSec: age, ...stamp });
    }
    const timeBase = buildTimeBase({ stamps, totalSamples: n, nominalRateHz: Math.round(r.rateHz), weekHintUnixMs: Number(EPOCH_UNIX_NS / 1_000_000n) });
    return {
      name: r.name,
      receiverId: `rx-${k}`,
      captureId: null,
      file: null,
      kind: 'kiwisdr' as const,
      complex: true,
      lat: r.lat,
      lon: r.lon,
      totalSamples: n,
      timeBase,
      read: (start: number, count: number) => x.slice(2 * start, 2 * (start + count)),
    };
  });
}
