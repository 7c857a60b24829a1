import { type CaptureSegment } from '../../shared/domain/capture';
import { rfc3339FromUnixNs } from './rfc3339';
import { type TimeBase } from './timeBase';

const RUN_REASONS = { start: 'start', reconnect: 'reconnect', 'seq-gap': 'gap', 'stamp-gap': 'gap' } as const;

/**
 * The store's segments of a capture: the stream breaks the source recorded, plus the breaks the time
 * base found in the stamps (lost blocks), each with its first sample's time from the time base.
 */
export function captureSegments(tb: TimeBase, given: readonly { sampleStart: number; reason: string }[], totalSamples: number): CaptureSegment[] {
  const starts = new Map<number, string>();
  for (const r of tb.runs) starts.set(Math.max(0, r.start), RUN_REASONS[r.reason]);
  for (const g of given) if (g.sampleStart < totalSamples || g.sampleStart === 0) starts.set(g.sampleStart, g.reason);
  if (!starts.has(0)) starts.set(0, 'start');
  const sorted = [...starts].filter(([s]) => s < Math.max(1, totalSamples)).sort((a, b) => a[0] - b[0]);
  return sorted.map(([sampleStart, reason], i) => {
    const gps = tb.gpsNsAt(sampleStart);
    return {
      sampleStart,
      sampleCount: (sorted[i + 1]?.[0] ?? totalSamples) - sampleStart,
      utc: rfc3339FromUnixNs(tb.unixNsAt(sampleStart)),
      gpsUnixNs: gps === null ? null : gps.toString(),
      reason,
    };
  });
}
