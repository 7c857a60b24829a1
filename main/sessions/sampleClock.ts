import { type CaptureStore } from '../store/captureStore';
import { type CaptureRow, type SegmentRow } from '../store/capturesRepo';

/** Unix ns of a capture segment's first sample: GPS time when the receiver gave it, else the host's UTC. */
function segmentStartNs(s: Pick<SegmentRow, 'utc' | 'gps_unix_ns'>): number {
  // Number() keeps ~0.25 µs at today's epoch: far finer than a 0.5 s measurement window.
  if (s.gps_unix_ns) return Number(BigInt(s.gps_unix_ns));
  return Date.parse(s.utc) * 1e6;
}

/**
 * Maps wall-clock time to sample indices of a stored capture through its segments (each starts a
 * new time base after a gap or reconnect), so a segment the operator marked in Unix ms lands on
 * the samples each receiver actually recorded then, whatever its start-up delay.
 */
export function captureClock(c: Pick<CaptureRow, 'sample_rate' | 'sample_count' | 'first_sample_utc' | 'first_sample_gps_ns'>, segments: readonly SegmentRow[]) {
  const bases = (segments.length ? segments : [{ sample_start: 0, utc: c.first_sample_utc, gps_unix_ns: c.first_sample_gps_ns }])
    .map((s) => ({ sample: s.sample_start, ns: segmentStartNs(s) }))
    .sort((a, b) => a.sample - b.sample);
  const rate = c.sample_rate;
  return {
    /** Sample index at Unix ms (clamped to the recording). */
    sampleAt(unixMs: number): number {
      const ns = unixMs * 1e6;
      let base = bases[0]!;
      for (const b of bases) if (b.ns <= ns) base = b;
      const idx = Math.round(base.sample + ((ns - base.ns) / 1e9) * rate);
      return Math.max(0, Math.min(c.sample_count, idx));
    },
    /** Unix ns (as a number; sub-µs precision is not needed here) of a sample index. */
    unixNsOf(sample: number): number {
      let base = bases[0]!;
      for (const b of bases) if (b.sample <= sample) base = b;
      return base.ns + ((sample - base.sample) / rate) * 1e9;
    },
    /** GPS-derived Unix ns (decimal string) of a sample, or null when its time base is not GPS. */
    gpsAt(sample: number): string | null {
      let found: SegmentRow | undefined;
      for (const s of segments) if (s.sample_start <= sample) found = s;
      if (!found?.gps_unix_ns) return null;
      const ns = BigInt(found.gps_unix_ns) + BigInt(Math.round(((sample - found.sample_start) / rate) * 1e9));
      return ns.toString();
    },
  };
}
export type CaptureClock = ReturnType<typeof captureClock>;

/** A session's stored captures, each with its clock and its measurement windows (what review, detection and datasets read). */
export function sessionCaptures(store: CaptureStore, sessionId: string) {
  return store.repos.captures.bySession(sessionId).map((c) => ({ c, clock: captureClock(c, store.repos.captures.segments(c.id)), rows: store.repos.measurements.allFor(c.id) }));
}
export type SessionCapture = ReturnType<typeof sessionCaptures>[number];
