import { type TimeBase } from '../recordings/timeBase';
import { type CaptureStore } from '../store/captureStore';
import { type CaptureRow } from '../store/capturesRepo';

/**
 * Maps wall-clock time to sample indices of a stored capture through its time base (GPS where a
 * fresh fix covers the samples, the receiver's or host clock elsewhere), so a segment the operator
 * marked in Unix ms lands on the samples each receiver actually recorded then.
 */
export function captureClock(c: Pick<CaptureRow, 'sample_count'>, timeBase: TimeBase) {
  return {
    timeBase,
    /** Sample index at Unix ms (clamped to the recording). */
    sampleAt(unixMs: number): number {
      const idx = Math.round(timeBase.sampleAt(BigInt(Math.round(unixMs * 1e6))));
      return Math.max(0, Math.min(c.sample_count, idx));
    },
    /** Unix ns (as a number; sub-µs precision is not needed here) of a sample index. */
    unixNsOf(sample: number): number {
      return Number(timeBase.unixNsAt(sample));
    },
    /** GPS-true Unix ns (decimal string) of a sample, or null where no fresh GPS fix covers it. */
    gpsAt(sample: number): string | null {
      return timeBase.gpsNsAt(sample)?.toString() ?? null;
    },
  };
}
export type CaptureClock = ReturnType<typeof captureClock>;

/** A session's stored captures, each with its clock and its measurement windows (what review, detection and datasets read). */
export function sessionCaptures(store: CaptureStore, sessionId: string) {
  return store.repos.captures.bySession(sessionId).map((c) => ({ c, clock: captureClock(c, store.timeBase(c)), rows: store.repos.measurements.allFor(c.id) }));
}
export type SessionCapture = ReturnType<typeof sessionCaptures>[number];
