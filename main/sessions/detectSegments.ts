import { SignalDetector } from '../dsp/detector';
import { type MeasurementRow } from '../store/measurementsRepo';
import { type CaptureClock } from './sampleClock';

export interface DetectedInterval {
  startMs: number;
  endMs: number;
  receivers: number;
}

/** The level a receiver sits at when nothing transmits: a low percentile of its windows' SNR. */
function baseline(snrs: number[]): number {
  const v = [...snrs].sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) * 0.2)] ?? 0;
}

/**
 * Detector proposals for a session: each receiver's windows, relative to that receiver's own quiet
 * level (band SNRs differ by tens of dB between a near and a far receiver, so one absolute
 * threshold would fit none of them), go through the hysteresis detector;
 * its segments become wall-clock intervals, and overlapping intervals of different receivers merge
 * into one proposal (a transmission is one event however many receivers heard it).
 */
export function detectSessionSegments(
  perReceiver: { rows: readonly MeasurementRow[]; clock: CaptureClock }[],
  opts: { onDb?: number; offDb?: number; minDurationMs?: number } = {},
): DetectedInterval[] {
  const intervals: { startMs: number; endMs: number }[] = [];
  for (const { rows, clock } of perReceiver) {
    const d = new SignalDetector({ onDb: opts.onDb ?? 8, offDb: opts.offDb ?? 4, minOnWindows: 1, minOffWindows: 1 });
    const quiet = baseline(rows.flatMap((m) => (m.snr_db === null ? [] : [m.snr_db])));
    for (const m of rows) if (m.snr_db !== null) d.push(m.window_start_sample, m.window_samples, m.snr_db - quiet);
    for (const s of d.finish()) intervals.push({ startMs: clock.unixNsOf(s.startSample) / 1e6, endMs: clock.unixNsOf(s.endSample) / 1e6 });
  }
  intervals.sort((a, b) => a.startMs - b.startMs);
  const merged: DetectedInterval[] = [];
  for (const iv of intervals) {
    const last = merged.at(-1);
    if (last && iv.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, iv.endMs);
      last.receivers++;
    } else merged.push({ ...iv, receivers: 1 });
  }
  return merged.filter((m) => m.endMs - m.startMs >= (opts.minDurationMs ?? 300)).map((m) => ({ ...m, startMs: Math.round(m.startMs), endMs: Math.round(m.endMs) }));
}
