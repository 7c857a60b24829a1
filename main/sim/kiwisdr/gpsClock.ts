/**
 * The GPS stamps a simulated KiwiSDR puts in its IQ frames, behaving as real ones do (see the real
 * recordings in LOCALISATION.md): the first frame's stamp is minutes stale, `last_gps_solution` counts
 * the seconds since the last fix (255 without a GPS clock) and drops at each fresh fix, and between
 * fixes the stamps continue from the last fix at the true rate.
 */
import { unixNsToGps } from '../../recordings/gpsTime';
import { hashSeed } from '../prng';
import { type SceneReceiver } from '../scene';

export function simGpsClock(rx: SceneReceiver, streamStartNs: bigint) {
  const g = rx.gps;
  const periodNs = BigInt(Math.round(g.fixEverySec * 1e9));
  // Each receiver fixes at its own phase, as independent GPS receivers do.
  const phaseNs = BigInt(hashSeed(`${rx.id}:gps`) % Number(periodNs / 1_000_000n)) * 1_000_000n;
  const badFrom = g.badFixAfterSec !== undefined ? streamStartNs + BigInt(Math.round(g.badFixAfterSec * 1e9)) : null;
  const lastFixAt = (ns: bigint) => ns - ((((ns - phaseNs) % periodNs) + periodNs) % periodNs);
  const badFix = badFrom === null ? null : lastFixAt(badFrom) + periodNs;
  return {
    /** The stamp of a frame whose first sample is at `trueNs` (the receiver's own clock, offset included). */
    stamp(frameSeq: number, trueNs: bigint): { solution: number; gpssec: number; gpsnsec: number } {
      if (g.noClock) return { solution: 255, ...unixNsToGps(trueNs) };
      const fix = lastFixAt(trueNs);
      const solution = Math.min(252, Number((trueNs - fix) / 1_000_000_000n));
      if (frameSeq === 0) return { solution, ...unixNsToGps(trueNs - BigInt(Math.round(g.staleFirstSec * 1e9))) };
      // A bad fix shifts the stamps until the next fix corrects them.
      const off = badFix !== null && fix === badFix ? BigInt(Math.round(g.badFixNs)) : 0n;
      return { solution, ...unixNsToGps(trueNs + off) };
    },
  };
}
