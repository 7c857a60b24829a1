/**
 * The locate job of a recorded session (or imported set): its captures as signals (OpenWebRX ones
 * too, so the core refuses them with the reason), the receivers' positions as recorded, the session's
 * known source as the ground truth, and the stretches of time to correlate:
 *
 *   1. a segment named by the caller: that segment, whatever its review says;
 *   2. else the approved segments (approved for at least one receiver);
 *   3. else every segment not rejected for every receiver (a fresh review: all of them);
 *   4. else, with no segment at all, the whole time the recordings share.
 *
 * Overlapping segments are merged, so no second is counted twice. A receiver whose recording of every
 * chosen segment was rejected in review, or whose samples were removed after upload, is left out
 * with that reason.
 */
import { type LocateReceiver } from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { type CaptureStore } from '../store/captureStore';
import { type CaptureRow } from '../store/capturesRepo';
import { type ReviewRow, type SegmentRow, type SessionPlanJson, type SessionRow, type SessionsRepo } from '../store/sessionsRepo';
import { type TimeBaseInput } from '../recordings/timeBase';
import { type CaptureSignalSpec, type LocateJobSpec } from './locateJob';

export interface SessionLocateInput {
  segmentId?: string | null;
  region?: LocateJobSpec['region'];
  stepDeg?: number;
}

export interface SessionLocatePlan {
  spec: LocateJobSpec;
  /** Receivers left out before the job runs (review, retention), as they go into the result. */
  leftOut: LocateReceiver[];
  /** Which stretches were chosen, in words ("the 2 approved segments, 8.0 s"). */
  windows: string;
}

type Window = { startNs: bigint; endNs: bigint };

/** Sorted, overlaps merged. */
export function mergeWindows(ws: readonly Window[]): Window[] {
  const sorted = [...ws].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && w.startNs <= last.endNs) {
      if (w.endNs > last.endNs) last.endNs = w.endNs;
    } else out.push({ ...w });
  }
  return out;
}

/** The spec's own (mutable) copy: the store's time base input is shared and read-only. */
function timeBaseSpec(i: TimeBaseInput): CaptureSignalSpec['timeBase'] {
  return {
    stamps: [...i.stamps],
    totalSamples: i.totalSamples,
    nominalRateHz: i.nominalRateHz,
    weekHintUnixMs: i.weekHintUnixMs,
    ...(i.restarts ? { restarts: [...i.restarts] } : {}),
    ...(i.hostTimes ? { hostTimes: [...i.hostTimes] } : {}),
  };
}

const msToNs = (ms: number) => BigInt(Math.round(ms)) * 1_000_000n;
const seconds = (ws: readonly Window[]) => ws.reduce((n, w) => n + Number(w.endNs - w.startNs) / 1e9, 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The segments to locate on, by the rule above, and how to say which they are. */
function chooseSegments(segments: readonly SegmentRow[], reviews: readonly ReviewRow[], receiverIds: readonly string[], segmentId: string | null): { chosen: SegmentRow[]; why: string } {
  if (segmentId) {
    const g = segments.find((s) => s.id === segmentId);
    if (!g) throw new StationError('not_found', `The session has no segment ${segmentId}. It may have been removed; reload the session.`);
    return { chosen: [g], why: `segment "${g.label}"` };
  }
  const of = (g: SegmentRow) => reviews.filter((r) => r.segment_id === g.id);
  const approved = segments.filter((g) => of(g).some((r) => r.decision === 'approved'));
  if (approved.length) return { chosen: approved, why: `the ${plural(approved.length, 'approved segment')}` };
  // A receiver without a review row of a segment has not decided on it: pending, not rejected.
  const open = segments.filter((g) => receiverIds.some((id) => of(g).find((r) => r.receiver_id === id)?.decision !== 'rejected'));
  if (open.length) return { chosen: open, why: `the ${plural(open.length, 'segment')} not rejected in review (none is approved yet)` };
  return { chosen: [], why: `the whole time the recordings share (${segments.length ? 'every segment was rejected in review' : 'the session has no segments'})` };
}

function uniqueNames(rows: readonly CaptureRow[]): Map<string, string> {
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  for (const c of rows) {
    const n = (seen.get(c.receiver_name) ?? 0) + 1;
    seen.set(c.receiver_name, n);
    out.set(c.id, n === 1 ? c.receiver_name : `${c.receiver_name} (${n})`);
  }
  return out;
}

export function sessionLocatePlan(deps: { sessions: SessionsRepo; captures: CaptureStore; kindOf?: (receiverId: string) => 'kiwisdr' | 'openwebrx' | null }, session: SessionRow, input: SessionLocateInput): SessionLocatePlan {
  const plan = JSON.parse(session.plan_json ?? '{}') as Partial<SessionPlanJson>;
  const planned = plan.receivers ?? [];
  const state = session.state ?? 'draft';
  if (state === 'recording') throw new StationError('conflict', `Session "${session.session_name}" is still recording. Stop it (or let it end), then locate it.`);
  // One recording per receiver, as datasets take them.
  const rows = deps.captures.repos.captures.bySession(session.id).filter((c, i, all) => all.findIndex((x) => x.receiver_id === c.receiver_id) === i);
  if (!rows.length) {
    throw new StationError('conflict', `Session "${session.session_name}" has no recordings to locate from${state === 'draft' ? ': record it first' : ''}. A TDoA fix needs at least 3 GPS-stamped KiwiSDR IQ recordings of the same moment.`);
  }
  const segments = deps.sessions.segments(session.id);
  const reviews = deps.sessions.reviews(session.id);
  const { chosen, why } = chooseSegments(segments, reviews, rows.map((c) => c.receiver_id), input.segmentId ?? null);
  const windows = mergeWindows(chosen.map((g) => ({ startNs: msToNs(g.start_ms), endNs: msToNs(g.end_ms) })));
  const names = uniqueNames(rows);

  const signals: LocateJobSpec['signals'] = [];
  const leftOut: LocateReceiver[] = [];
  for (const c of rows) {
    const p = planned.find((r) => r.id === c.receiver_id);
    const kind = p?.kind ?? deps.kindOf?.(c.receiver_id) ?? (c.datatype.startsWith('c') ? 'kiwisdr' : 'openwebrx');
    const lat = c.receiver_lat ?? p?.lat ?? null;
    const lon = c.receiver_lon ?? p?.lon ?? null;
    const name = names.get(c.id)!;
    const rejectedEverywhere = chosen.length > 0 && chosen.every((g) => reviews.some((r) => r.segment_id === g.id && r.receiver_id === c.receiver_id && r.decision === 'rejected'));
    const why = c.samples_deleted_at
      ? 'its samples were removed by the retention setting after upload'
      : rejectedEverywhere
        ? `its recording of ${chosen.length === 1 ? 'the segment' : 'every chosen segment'} was rejected in review`
        : null;
    if (why) {
      leftOut.push({ receiverId: c.receiver_id, name, lat, lon, captureId: c.id, file: null, status: 'bad', reason: why, rateHz: null });
      continue;
    }
    signals.push({
      from: 'capture',
      name,
      receiverId: c.receiver_id,
      captureId: c.id,
      kind,
      file: deps.captures.absolutePath(c.file_path),
      datatype: c.datatype,
      lat,
      lon,
      timeBase: timeBaseSpec(deps.captures.timeBase(c).input),
    });
  }
  if (!signals.length) {
    throw new StationError('invalid_input', `Cannot locate: every recording of session "${session.session_name}" is left out (${leftOut.map((r) => `${r.name}: ${r.reason}`).join('; ')}).`);
  }
  const src = session.known_source_id ? deps.sessions.getSource(session.known_source_id) : undefined;
  const source = src && src.lat !== null && src.lon !== null ? { name: src.name, lat: src.lat, lon: src.lon } : null;
  const spec: LocateJobSpec = {
    signals,
    source,
    freqHz: plan.freqHz ?? rows[0]!.freq_hz,
    ...(windows.length ? { windows } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.stepDeg !== undefined ? { stepDeg: input.stepDeg } : {}),
  };
  return { spec, leftOut, windows: windows.length ? `${why}, ${seconds(windows).toFixed(1)} s` : why };
}
