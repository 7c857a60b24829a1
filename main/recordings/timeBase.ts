/**
 * The one time base of a recording: what GPS time sample n is, and which samples can be trusted.
 * Every consumer (the store's sync rows, session review, dataset exports, analyze, locate) asks this
 * object instead of doing its own arithmetic on stamps.
 *
 * Built from the KiwiSDR block stamps as received (see LOCALISATION.md):
 * - the first block of every stream (the recording's start, each reconnect) is dropped: its stamp is
 *   often minutes stale;
 * - time is anchored only on fresh stamps, where the fix age (`last_gps_solution`) drops; between
 *   fixes the receiver only extrapolates its own clock;
 * - a fresh stamp more than one sample off the block count since the previous anchor is rejected;
 * - each interval between anchors has its own rate, the median is the recording's GPS rate;
 * - before the first and after the last anchor of a stream, time is extrapolated at the median rate;
 * - a stream break (reconnect, sequence gap, a jump of whole blocks in the stamps) starts a new run
 *   that needs its own anchor: samples in a run without one are not trusted.
 * Captures without stamps (OpenWebRX audio) get a host-clock time base that trusts nothing.
 */
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { gpsWeekNear, gpsWeekToUnixNs, leapSecondsAt, unixNsToGpsWeek, WEEK_S } from './gpsTime';

export interface TimeBaseInput {
  stamps: readonly GpsStamp[];
  /** Samples in the recording. */
  totalSamples: number;
  /** The rate the receiver announced or the file header gives (the integer 12001 in kiwirecorder files). */
  nominalRateHz: number;
  /** A Unix time (ms) near the first sample, to resolve the GPS week: the host clock live, the kiwirecorder file name on import. */
  weekHintUnixMs: number;
  /** Sample indices where the stream restarted (reconnects): each starts a new run whose first block is dropped. */
  restarts?: readonly number[];
  /** Host-clock time of segment starts: the time of samples no GPS anchor covers. */
  hostTimes?: readonly { sampleStart: number; unixNs: bigint }[];
}

export interface TimeAnchor {
  sampleIndex: number;
  unixNs: bigint;
}

export interface RejectedStamp extends TimeAnchor {
  /** How far the stamp is from the block count since the previous anchor, in samples. */
  offSamples: number;
  reason: string;
}

export interface TimeRun {
  /** First sample of the run and one past its last. */
  start: number;
  end: number;
  /** Why it starts: 'start', 'reconnect', 'seq-gap' or 'stamp-gap'. */
  reason: 'start' | 'reconnect' | 'seq-gap' | 'stamp-gap';
  /** Blocks lost before the run (from the sequence numbers or the stamps), when known. */
  lostSamples: number | null;
  anchors: TimeAnchor[];
  trusted: boolean;
}

export interface TimeBaseSummary {
  source: 'gps' | 'host';
  rateHz: number;
  rateSource: 'gps-anchors' | 'receiver-stamps' | 'nominal';
  nominalRateHz: number;
  /** GPS week of the first sample (null without GPS). */
  gpsWeek: number | null;
  stamps: number;
  fresh: number;
  anchors: number;
  rejected: number;
  /** Stamps whose time is more than one sample from the time base (the first block's, typically by minutes). */
  stale: number;
  noFix: number;
  invalid: number;
  runs: number;
  trustedSamples: number;
  good: boolean;
  reasons: string[];
}

const NS = 1_000_000_000;

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ppm = (a: number, b: number) => ((a - b) / b) * 1e6;

interface Resolved extends GpsStamp {
  unixNs: bigint;
  usable: boolean;
}

export class TimeBase {
  readonly runs: TimeRun[];
  readonly rejected: RejectedStamp[];
  readonly summary: TimeBaseSummary;
  private readonly stamps: Resolved[];
  private readonly hostTimes: { sampleStart: number; unixNs: bigint }[];
  /** Per run: accepted anchors and the rate of each interval after them (the last one extrapolates). */
  private readonly rates: number[][];

  constructor(readonly input: TimeBaseInput) {
    const nominal = input.nominalRateHz;
    this.hostTimes = [...(input.hostTimes ?? [])].sort((a, b) => a.sampleStart - b.sampleStart);
    const sorted = [...input.stamps].sort((a, b) => a.sampleIndex - b.sampleIndex).filter((s, i, all) => i === 0 || s.sampleIndex !== all[i - 1]!.sampleIndex);
    let invalid = 0;
    let noFix = 0;
    this.stamps = sorted.map((s) => {
      const bad = s.gpssec >= WEEK_S || s.gpsnsec >= NS;
      if (bad) invalid++;
      else if (s.fixAgeSec === 255) noFix++;
      const hintMs = input.weekHintUnixMs + (s.sampleIndex / nominal) * 1000;
      const unixNs = bad ? 0n : gpsWeekToUnixNs(gpsWeekNear(s.gpssec, hintMs), s.gpssec, s.gpsnsec, leapSecondsAt(hintMs / 1000));
      return { ...s, unixNs, usable: !bad && s.fixAgeSec !== 255 };
    });

    // Runs: stream restarts given by the caller, sequence gaps, and stamps jumping by whole blocks.
    const restarts = new Set(input.restarts ?? []);
    const runs: (TimeRun & { stamps: Resolved[] })[] = [];
    let cur: (TimeRun & { stamps: Resolved[] }) | null = null;
    let prev: Resolved | null = null;
    for (const s of this.stamps) {
      let reason: TimeRun['reason'] | null = cur ? null : 'start';
      let lost: number | null = null;
      const restartHere = [...restarts].some((r) => prev !== null && r > prev.sampleIndex && r <= s.sampleIndex);
      if (cur && restartHere) reason = 'reconnect';
      else if (cur && prev && prev.seq !== null && s.seq !== null && s.seq !== ((prev.seq + 1) >>> 0)) {
        reason = 'seq-gap';
        lost = (((s.seq - prev.seq - 1) >>> 0) * (s.sampleIndex - prev.sampleIndex)) | 0;
      } else if (cur && prev && prev.usable && s.usable && cur.stamps.length > 1) {
        // Whole blocks missing show as a stamp step of k+1 block lengths (the first block of a run is stale and not compared).
        const dn = s.sampleIndex - prev.sampleIndex;
        const expected = dn / nominal;
        const dt = Number(s.unixNs - prev.unixNs) / NS;
        const blocks = dt / expected;
        // A fix that corrects a drifted clock moves the stamps by a fraction of a block: not a gap.
        if (blocks > 1.5 && Math.abs(blocks - Math.round(blocks)) < 0.25) {
          reason = 'stamp-gap';
          lost = Math.max(0, Math.round(dt * nominal) - dn);
        }
      }
      if (reason) {
        if (cur) cur.end = s.sampleIndex;
        cur = { start: cur ? s.sampleIndex : 0, end: input.totalSamples, reason, lostSamples: lost, anchors: [], trusted: false, stamps: [] };
        runs.push(cur);
      }
      cur!.stamps.push(s);
      prev = s;
    }
    // Restarts with no stamp after them still split the samples.
    if (!runs.length) runs.push({ start: 0, end: input.totalSamples, reason: 'start', lostSamples: null, anchors: [], trusted: false, stamps: [] });

    // Fresh stamps (the fix age dropped) after each run's dropped first block.
    const candidates = runs.map((r) =>
      // From 255 ("no fix yet") only a fix of age 0 is fresh: a first solution reported seconds old was extrapolated.
      r.stamps.filter((s, i) => i > 0 && s.usable && s.fixAgeSec < r.stamps[i - 1]!.fixAgeSec && (r.stamps[i - 1]!.fixAgeSec !== 255 || s.fixAgeSec === 0)),
    );
    const fresh = candidates.reduce((n, c) => n + c.length, 0);
    const intervalRates = (list: TimeAnchor[]) => list.slice(1).map((a, i) => (a.sampleIndex - list[i]!.sampleIndex) / (Number(a.unixNs - list[i]!.unixNs) / NS));
    // The rate to check anchors against: the receiver's own clock, the median step of its hundreds of
    // stamps (a bad fresh stamp moves one step, and the intervals between a few anchors would carry it),
    // else the median of the intervals between the fresh stamps.
    const candidateRates = candidates.flatMap(intervalRates).filter((r) => r > 0 && Math.abs(ppm(r, nominal)) < 20_000);
    const stampRate = this.receiverStampRate(runs);
    const checkRate = stampRate ?? median(candidateRates) ?? nominal;

    this.rejected = [];
    const offBy = (a: TimeAnchor, b: TimeAnchor) => (Number(b.unixNs - a.unixNs) / NS - (b.sampleIndex - a.sampleIndex) / checkRate) * checkRate;
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k]!;
      const list = candidates[k]!;
      const accepted: TimeAnchor[] = [];
      for (let i = 0; i < list.length; i++) {
        const c = { sampleIndex: list[i]!.sampleIndex, unixNs: list[i]!.unixNs };
        const p = accepted.at(-1);
        if (!p) {
          accepted.push(c);
          continue;
        }
        const off = offBy(p, c);
        if (Math.abs(off) <= 1) {
          accepted.push(c);
          continue;
        }
        // Only the first anchor of a run has no earlier one to vouch for it: if this stamp agrees with
        // the next while the first agrees with neither, the first was the bad one.
        const next = list[i + 1];
        if (accepted.length === 1 && next && Math.abs(offBy(c, next)) <= 1) {
          this.rejected.push({ ...p, offSamples: -off, reason: `${(-off).toFixed(2)} samples off the block count to the next fresh stamps` });
          accepted[0] = c;
          continue;
        }
        this.rejected.push({ ...c, offSamples: off, reason: `${off.toFixed(2)} samples off the block count since the previous anchor` });
      }
      run.anchors = accepted;
    }

    this.rates = runs.map((r) => intervalRates(r.anchors));
    const gpsRate = median(this.rates.flat());
    const rateHz = gpsRate ?? stampRate ?? nominal;
    const rateSource: TimeBaseSummary['rateSource'] = gpsRate !== null ? 'gps-anchors' : stampRate !== null ? 'receiver-stamps' : 'nominal';
    for (const r of runs) r.trusted = r.anchors.length > 0;
    this.runs = runs.map(({ stamps: _stamps, ...r }) => r);
    this.medianRate = rateHz;

    let stale = 0;
    for (let k = 0; k < runs.length; k++) {
      if (!runs[k]!.trusted) continue;
      for (const s of runs[k]!.stamps) {
        if (!s.usable) continue;
        const off = (Number(s.unixNs - this.gpsNsAtRun(k, s.sampleIndex)) / NS) * rateHz;
        if (Math.abs(off) > 1) stale++;
      }
    }

    const reasons: string[] = [];
    const usable = this.stamps.filter((s) => s.usable).length;
    if (!this.stamps.length) reasons.push('the recording carries no GPS time stamps');
    else if (!usable && noFix) reasons.push('the receiver had no GPS clock (every time stamp says 255, "never had a fix")');
    else if (!usable) reasons.push('every GPS time stamp is impossible (seconds of week or nanoseconds out of range)');
    else if (this.stamps.length < 2) reasons.push('fewer than 2 GPS-stamped blocks');
    else if (!fresh) reasons.push('no fresh GPS fix during the recording (the receiver only extrapolated its clock)');
    else if (!runs.some((r) => r.trusted)) reasons.push('every fresh GPS stamp disagrees with the sample count');
    if (gpsRate !== null && Math.abs(ppm(gpsRate, nominal)) > 1000) {
      reasons.push(`the GPS time stamps run at ${gpsRate.toFixed(3)} samples/s, ${ppm(gpsRate, nominal).toFixed(0)} ppm off the ${nominal} announced: the samples are mislabelled`);
    }
    const trustedSamples = this.runs.filter((r) => r.trusted).reduce((n, r) => n + Math.max(0, Math.min(r.end, input.totalSamples) - Math.max(r.start, 0)), 0);
    if (trustedSamples > 0 && trustedSamples < input.totalSamples) {
      reasons.push(`${(((input.totalSamples - trustedSamples) / input.totalSamples) * 100).toFixed(0)} % of the samples lie in a stretch with no fresh GPS fix (after a gap or reconnect)`);
    }
    const source: TimeBaseSummary['source'] = this.runs.some((r) => r.trusted) ? 'gps' : 'host';
    const first = source === 'gps' ? this.gpsNsAt(0) : null;
    this.summary = {
      source,
      rateHz,
      rateSource,
      nominalRateHz: nominal,
      gpsWeek: first !== null ? unixNsToGpsWeek(first).week : null,
      stamps: this.stamps.length,
      fresh,
      anchors: this.runs.reduce((n, r) => n + r.anchors.length, 0),
      rejected: this.rejected.length,
      stale,
      noFix,
      invalid,
      runs: this.runs.length,
      trustedSamples,
      good: trustedSamples > 0 && !reasons.some((r) => r.includes('mislabelled')),
      reasons,
    };
  }

  private medianRate: number;

  /** The receiver's own rate estimate: the median step of consecutive usable stamps (its clock between fixes). */
  private receiverStampRate(runs: { stamps: Resolved[] }[]): number | null {
    const steps: number[] = [];
    for (const r of runs) {
      for (let i = 2; i < r.stamps.length; i++) {
        const a = r.stamps[i - 1]!;
        const b = r.stamps[i]!;
        if (!a.usable || !b.usable) continue;
        const dt = Number(b.unixNs - a.unixNs) / NS;
        if (dt > 0) steps.push((b.sampleIndex - a.sampleIndex) / dt);
      }
    }
    // Filtered around the median itself, not the announced rate, so a receiver that lies about its rate is still measured.
    const m = median(steps.filter((r) => r > 0));
    return m === null ? null : median(steps.filter((r) => Math.abs(ppm(r, m)) < 20_000));
  }

  /** The GPS rate (median of the intervals between anchors), else the best fallback. */
  get rateHz(): number {
    return this.medianRate;
  }

  private runOf(sample: number): number {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runs[mid]!.start <= sample) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private gpsNsAtRun(k: number, sample: number): bigint {
    const anchors = this.runs[k]!.anchors;
    const rates = this.rates[k]!;
    // The interval holding the sample; before the first anchor and after the last, the median rate.
    let i = 0;
    let hi = anchors.length - 1;
    while (i < hi) {
      const mid = (i + hi + 1) >> 1;
      if (anchors[mid]!.sampleIndex <= sample) i = mid;
      else hi = mid - 1;
    }
    const a = anchors[i]!;
    const rate = sample >= a.sampleIndex && i < rates.length ? rates[i]! : this.medianRate;
    return a.unixNs + BigInt(Math.round(((sample - a.sampleIndex) / rate) * NS));
  }

  /** GPS-true Unix ns of a sample, or null when no fresh GPS fix covers the stretch it lies in. */
  gpsNsAt(sample: number): bigint | null {
    const k = this.runOf(sample);
    return this.runs[k]!.trusted ? this.gpsNsAtRun(k, sample) : null;
  }

  /** Best Unix ns of a sample: GPS where trusted, else the receiver's own stamps, else the host clock. */
  unixNsAt(sample: number): bigint {
    const k = this.runOf(sample);
    const run = this.runs[k]!;
    if (run.trusted) return this.gpsNsAtRun(k, sample);
    // The receiver's latest usable stamp in the run at or before the sample, past the run's stale first block.
    let ref: Resolved | null = null;
    let lo = 0;
    let hi = this.stamps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.stamps[mid]!.sampleIndex <= sample) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = hi; i >= 0 && this.stamps[i]!.sampleIndex > run.start; i--) {
      if (this.stamps[i]!.usable) {
        ref = this.stamps[i]!;
        break;
      }
    }
    if (ref) return ref.unixNs + BigInt(Math.round(((sample - ref.sampleIndex) / this.medianRate) * NS));
    let host: { sampleStart: number; unixNs: bigint } | null = this.hostTimes[0] ?? null;
    for (const h of this.hostTimes) if (h.sampleStart <= sample) host = h;
    if (host) return host.unixNs + BigInt(Math.round(((sample - host.sampleStart) / this.medianRate) * NS));
    const any = this.stamps.find((s) => s.usable);
    return any ? any.unixNs + BigInt(Math.round(((sample - any.sampleIndex) / this.medianRate) * NS)) : BigInt(Math.round(this.input.weekHintUnixMs * 1e6 + (sample / this.medianRate) * NS));
  }

  /** The (fractional) sample index at a Unix time, by the same mapping; unclamped. */
  sampleAt(unixNs: bigint): number {
    // Runs are in sample order and (within a recording) in time order: the last run starting at or before the time.
    let k = 0;
    for (let i = 0; i < this.runs.length; i++) {
      const start = Math.max(0, this.runs[i]!.start);
      if (this.unixNsAt(start) <= unixNs) k = i;
    }
    const start = Math.max(0, this.runs[k]!.start);
    const t0 = this.unixNsAt(start);
    let n = start + (Number(unixNs - t0) / NS) * this.medianRate;
    // One correction step through the piecewise rates (they differ by ppm: one step is exact to far below a sample).
    const err = Number(unixNs - this.unixNsAt(Math.round(n))) / NS;
    n = Math.round(n) + err * this.medianRate;
    return n;
  }

  /** True when every sample of [start, end) has a GPS-true time. */
  trusts(start: number, end: number): boolean {
    if (end <= start) return false;
    for (const r of this.runs) {
      if (r.end <= start || r.start >= end) continue;
      if (!r.trusted) return false;
    }
    return this.gpsNsAt(start) !== null;
  }

  /** Sample ranges with GPS-true time. */
  trustedRanges(): { start: number; end: number }[] {
    return this.runs.filter((r) => r.trusted).map((r) => ({ start: Math.max(0, r.start), end: Math.min(r.end, this.input.totalSamples) }));
  }

  /** Anchors of every run, in order. */
  anchors(): TimeAnchor[] {
    return this.runs.flatMap((r) => r.anchors);
  }
}

export function buildTimeBase(input: TimeBaseInput): TimeBase {
  return new TimeBase(input);
}
