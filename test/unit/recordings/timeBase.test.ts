/**
 * The time base on hand-computed cases: the numbers below are worked out here from the block count
 * and the rate, independently of the code under test.
 */
import { describe, expect, it } from 'vitest';
import { type GpsStamp } from '../../../shared/domain/gpsStamp';
import { unixNsToGpsWeek } from '../../../main/recordings/gpsTime';
import { buildTimeBase } from '../../../main/recordings/timeBase';

const B = 512; // samples per block
const T0 = 1_795_000_000_000_000_000n; // Unix ns of sample 0 (2026-11-18)
const T0_MS = Number(T0 / 1_000_000n);

/** GPS seconds-of-week + ns of a Unix time (GPS = UTC + 18 s), computed here. */
function gps(unixNs: bigint): { gpssec: number; gpsnsec: number } {
  const g = unixNs - (315_964_800n - 18n) * 1_000_000_000n;
  const w = g % (604_800n * 1_000_000_000n);
  return { gpssec: Number(w / 1_000_000_000n), gpsnsec: Number(w % 1_000_000_000n) };
}

/** Unix ns of block k's first sample at a constant rate. */
const at = (k: number, rate: number, t0 = T0) => t0 + BigInt(Math.round(((k * B) / rate) * 1e9));
/** Within a nanosecond (the time base rounds to whole ns). */
const ns = (v: bigint | null) => Number(v);

/** Stamps of `blocks` blocks; the fix age drops to 0 at the blocks in `fresh` and is 1 + whole seconds since the last fix otherwise. */
function stamps(o: { blocks: number; fresh: number[]; time: (k: number) => bigint; seq?: (k: number) => number | null; index?: (k: number) => number; staleFirstSec?: number }): GpsStamp[] {
  let last = -100;
  return Array.from({ length: o.blocks }, (_, k) => {
    if (o.fresh.includes(k)) last = k;
    const age = k === last ? 0 : 1 + Math.floor(((k - last) * B) / 12000);
    const t = k === 0 && o.staleFirstSec ? o.time(0) - BigInt(o.staleFirstSec * 1e9) : o.time(k);
    return { sampleIndex: o.index ? o.index(k) : k * B, seq: o.seq ? o.seq(k) : null, fixAgeSec: age, ...gps(t) };
  });
}

describe('time base', () => {
  it('drops the stale first block and anchors on fresh stamps only', () => {
    const R = 12000;
    const s = stamps({ blocks: 40, fresh: [10, 20, 30], time: (k) => at(k, R), staleFirstSec: 300 });
    const tb = buildTimeBase({ stamps: s, totalSamples: 40 * B, nominalRateHz: 12001, weekHintUnixMs: T0_MS });
    expect(tb.anchors().map((a) => a.sampleIndex)).toEqual([10 * B, 20 * B, 30 * B]);
    expect(tb.rateHz).toBeCloseTo(R, 4); // the GPS rate, not the header's 12001
    expect(tb.summary.rateSource).toBe('gps-anchors');
    // Sample 0 extrapolated back from the first anchor: exactly T0, not the stale stamp (300 s earlier).
    expect(Math.abs(ns(tb.gpsNsAt(0)! - T0))).toBeLessThanOrEqual(1);
    expect(tb.summary).toMatchObject({ stamps: 40, fresh: 3, anchors: 3, rejected: 0, stale: 1, runs: 1, good: true, source: 'gps' });
    // A sample past the last anchor is extrapolated: block 39 + 100 samples.
    expect(Number(tb.gpsNsAt(39 * B + 100)! - T0)).toBeCloseTo(((39 * B + 100) / R) * 1e9, -1);
    expect(tb.summary.gpsWeek).toBe(unixNsToGpsWeek(T0).week);
    expect(tb.trusts(0, 40 * B)).toBe(true);
  });

  it('trusts nothing from a receiver without a GPS clock (255) and falls back to the host clock', () => {
    const s = stamps({ blocks: 30, fresh: [10, 20], time: (k) => at(k, 12000) }).map((x) => ({ ...x, fixAgeSec: 255 }));
    const host = T0 + 5_000_000n;
    const tb = buildTimeBase({ stamps: s, totalSamples: 30 * B, nominalRateHz: 12000, weekHintUnixMs: T0_MS, hostTimes: [{ sampleStart: 0, unixNs: host }] });
    expect(tb.summary.source).toBe('host');
    expect(tb.summary.good).toBe(false);
    expect(tb.summary.noFix).toBe(30);
    expect(tb.summary.reasons.join(' ')).toMatch(/no GPS clock/);
    expect(tb.gpsNsAt(0)).toBeNull();
    expect(tb.unixNsAt(12000)).toBe(host + 1_000_000_000n);
    expect(tb.trusts(0, 100)).toBe(false);
  });

  it('gives each interval between anchors its own rate and reports the median', () => {
    // 12000/s up to block 20, then 12000.5/s (a rate step), anchors at blocks 10, 20, 30.
    const r1 = 12000;
    const r2 = 12000.5;
    const t20 = at(20, r1);
    const time = (k: number) => (k <= 20 ? at(k, r1) : t20 + BigInt(Math.round((((k - 20) * B) / r2) * 1e9)));
    const tb = buildTimeBase({ stamps: stamps({ blocks: 40, fresh: [10, 20, 30], time }), totalSamples: 40 * B, nominalRateHz: 12000, weekHintUnixMs: T0_MS });
    const [, rates] = [tb.runs[0]!.anchors, (tb as unknown as { rates: number[][] }).rates[0]!];
    expect(rates[0]).toBeCloseTo(r1, 4);
    expect(rates[1]).toBeCloseTo(r2, 4);
    expect(tb.rateHz).toBeCloseTo((r1 + r2) / 2, 4);
    // Inside the second interval the second rate applies: block 20 + 2560 samples.
    expect(Number(tb.gpsNsAt(20 * B + 2560)! - t20)).toBeCloseTo((2560 / r2) * 1e9, 0);
    // Inside the first interval, the first rate.
    expect(Number(tb.gpsNsAt(15 * B)! - at(10, r1))).toBeCloseTo(((5 * B) / r1) * 1e9, 0);
  });

  it('starts a new run at a sequence gap, anchored on its own fresh stamps', () => {
    const R = 12000;
    // Blocks 0..19 with seq 0..19; then 5 blocks are lost: block k >= 20 has seq k + 5 and the time of k + 5.
    const shift = (k: number) => (k < 20 ? k : k + 5);
    const s = stamps({ blocks: 40, fresh: [5, 15, 24, 34], time: (k) => at(shift(k), R), seq: shift });
    const tb = buildTimeBase({ stamps: s, totalSamples: 40 * B, nominalRateHz: R, weekHintUnixMs: T0_MS });
    expect(tb.runs.map((r) => [r.start, r.reason, r.lostSamples, r.anchors.length])).toEqual([
      [0, 'start', null, 2],
      [20 * B, 'seq-gap', 5 * B, 2],
    ]);
    // The first sample after the gap is at the time of block 25, from the second run's anchors.
    expect(Math.abs(ns(tb.gpsNsAt(20 * B)! - at(25, R)))).toBeLessThanOrEqual(1);
    expect(Math.abs(ns(tb.gpsNsAt(19 * B)! - at(19, R)))).toBeLessThanOrEqual(1);
  });

  it('does not trust a run after a gap that has no fresh fix, and says so', () => {
    const R = 12000;
    const shift = (k: number) => (k < 20 ? k : k + 5);
    const s = stamps({ blocks: 30, fresh: [5, 15], time: (k) => at(shift(k), R), seq: shift });
    const tb = buildTimeBase({ stamps: s, totalSamples: 30 * B, nominalRateHz: R, weekHintUnixMs: T0_MS });
    expect(tb.runs[1]!.trusted).toBe(false);
    expect(tb.gpsNsAt(25 * B)).toBeNull();
    expect(tb.trusts(0, 20 * B)).toBe(true);
    expect(tb.trusts(10 * B, 25 * B)).toBe(false);
    expect(tb.summary.trustedSamples).toBe(20 * B);
    expect(tb.summary.reasons.join(' ')).toMatch(/33 % of the samples lie in a stretch with no fresh GPS fix/);
    // Untrusted samples still get the receiver's own (extrapolated) time: block 25 + 5 lost = the time of block 30.
    expect(Math.abs(ns(tb.unixNsAt(25 * B) - at(30, R)))).toBeLessThanOrEqual(1);
  });

  it('finds whole blocks missing in stamps without sequence numbers (kiwirecorder files)', () => {
    const R = 12000;
    const shift = (k: number) => (k < 20 ? k : k + 3);
    const tb = buildTimeBase({ stamps: stamps({ blocks: 40, fresh: [5, 15, 25, 35], time: (k) => at(shift(k), R) }), totalSamples: 40 * B, nominalRateHz: 12001, weekHintUnixMs: T0_MS });
    expect(tb.runs.map((r) => [r.start, r.reason, r.lostSamples])).toEqual([
      [0, 'start', null],
      [20 * B, 'stamp-gap', 3 * B],
    ]);
    expect(Math.abs(ns(tb.gpsNsAt(20 * B)! - at(23, R)))).toBeLessThanOrEqual(1);
  });

  it('rejects a fresh stamp more than one sample off the block count, keeps one half a sample off', () => {
    const R = 12000;
    const oneSampleNs = 1e9 / R;
    const off = new Map([
      [20, BigInt(Math.round(2 * oneSampleNs))],
      [30, BigInt(Math.round(0.5 * oneSampleNs))],
    ]);
    const s = stamps({ blocks: 60, fresh: [10, 20, 30, 40, 50], time: (k) => at(k, R) + (off.get(k) ?? 0n) });
    const tb = buildTimeBase({ stamps: s, totalSamples: 60 * B, nominalRateHz: R, weekHintUnixMs: T0_MS });
    expect(tb.anchors().map((a) => a.sampleIndex / B)).toEqual([10, 30, 40, 50]);
    expect(tb.rejected).toHaveLength(1);
    expect(tb.rejected[0]!.sampleIndex).toBe(20 * B);
    expect(tb.rejected[0]!.offSamples).toBeCloseTo(2, 1);
    expect(tb.summary.rejected).toBe(1);
  });

  it('rejects a bad first anchor when the next ones agree with each other', () => {
    const R = 12000;
    const s = stamps({ blocks: 60, fresh: [10, 20, 30, 40, 50], time: (k) => at(k, R) + (k === 10 ? 250_000n : 0n) });
    const tb = buildTimeBase({ stamps: s, totalSamples: 60 * B, nominalRateHz: R, weekHintUnixMs: T0_MS });
    expect(tb.rejected.map((r) => r.sampleIndex / B)).toEqual([10]);
    expect(tb.anchors()[0]!.sampleIndex).toBe(20 * B);
    expect(Math.abs(ns(tb.gpsNsAt(0)! - T0))).toBeLessThanOrEqual(1);
  });

  it('maps Unix time back to samples through the same anchors', () => {
    const R = 12001.2;
    const tb = buildTimeBase({ stamps: stamps({ blocks: 50, fresh: [10, 20, 30, 40], time: (k) => at(k, R) }), totalSamples: 50 * B, nominalRateHz: 12001, weekHintUnixMs: T0_MS });
    for (const n of [0, 1234, 20 * B + 7, 49 * B]) expect(tb.sampleAt(tb.gpsNsAt(n)!)).toBeCloseTo(n, 3);
  });

  it('says why a recording with fewer than 2 blocks or no fresh fix cannot be timed', () => {
    const one = buildTimeBase({ stamps: stamps({ blocks: 1, fresh: [], time: (k) => at(k, 12000) }), totalSamples: B, nominalRateHz: 12000, weekHintUnixMs: T0_MS });
    expect(one.summary.reasons.join(' ')).toMatch(/fewer than 2 GPS-stamped blocks/);
    const stale = buildTimeBase({ stamps: stamps({ blocks: 30, fresh: [], time: (k) => at(k, 12000) }), totalSamples: 30 * B, nominalRateHz: 12000, weekHintUnixMs: T0_MS });
    expect(stale.summary.reasons.join(' ')).toMatch(/no fresh GPS fix/);
    expect(stale.summary.good).toBe(false);
    const none = buildTimeBase({ stamps: [], totalSamples: 100, nominalRateHz: 12000, weekHintUnixMs: T0_MS, hostTimes: [{ sampleStart: 0, unixNs: T0 }] });
    expect(none.summary.reasons).toEqual(['the recording carries no GPS time stamps']);
    expect(none.unixNsAt(6000)).toBe(T0 + 500_000_000n);
  });

  it('calls a GPS rate far from the announced one mislabelled samples', () => {
    const tb = buildTimeBase({ stamps: stamps({ blocks: 60, fresh: [10, 20, 30, 40, 50], time: (k) => at(k, 12500) }), totalSamples: 60 * B, nominalRateHz: 12001.135, weekHintUnixMs: T0_MS });
    expect(tb.rateHz).toBeCloseTo(12500, 3);
    expect(tb.summary.good).toBe(false);
    expect(tb.summary.reasons.join(' ')).toMatch(/12500\.000 samples\/s, 41568 ppm off the 12001\.135 announced: the samples are mislabelled/);
  });
});
