import { type Session, type SegmentReview } from '../../shared/domain/sessions';
import { type CaptureStore } from '../store/captureStore';
import { type SessionPlanJson, type SessionRow, type SessionsRepo } from '../store/sessionsRepo';
import { sessionCaptures } from './sampleClock';
import { segmentMetrics } from './segmentMetrics';

/** What a session was planned as, kept on the row so a restart can resume or recover it. */
/** The session as the UI and the CLI see it: rows joined with per-segment, per-receiver figures. */
export function buildSessionView(repo: SessionsRepo, store: CaptureStore, r: SessionRow, plan: SessionPlanJson): Session {
  const perCapture = sessionCaptures(store, r.id);
  const reviews = repo.reviews(r.id);
  const source = r.known_source_id ? repo.getSource(r.known_source_id) : undefined;
  return {
    id: r.id,
    name: r.session_name,
    sourceId: r.known_source_id,
    sourceName: source?.name ?? null,
    freqHz: plan.freqHz,
    mode: plan.mode,
    passband: plan.passband ?? null,
    receivers: plan.receivers.map((x) => ({ receiverId: x.id, name: x.name, kind: x.kind })),
    durationSec: plan.durationSec,
    rounds: plan.rounds ?? null,
    state: r.state ?? 'draft',
    stateReason: r.state_reason ?? null,
    notes: r.notes,
    createdAt: r.created_at,
    startedAt: r.started_at ?? null,
    endedAt: r.session_end,
    transmitHeldSinceMs: r.state === 'recording' ? (r.transmit_down_ms ?? null) : null,
    captures: perCapture.map(({ c }) => ({
      captureId: c.id,
      receiverId: c.receiver_id,
      receiverName: c.receiver_name,
      status: c.status,
      message: c.message,
      sampleRate: c.sample_rate,
      sampleCount: c.sample_count,
      datatype: c.datatype,
      firstSampleUtc: c.first_sample_utc,
      gpsStamped: c.first_sample_gps_ns !== null,
    })),
    segments: repo.segments(r.id).map((s) => ({
      id: s.id,
      startMs: s.start_ms,
      endMs: s.end_ms,
      origin: s.origin,
      label: s.label,
      notes: s.notes,
      reviews: plan.receivers.map((x): SegmentReview => {
        const pc = perCapture.find((p) => p.c.receiver_id === x.id);
        const v = reviews.find((rv) => rv.segment_id === s.id && rv.receiver_id === x.id);
        const m = pc ? segmentMetrics(pc.rows, pc.clock.sampleAt(s.start_ms), pc.clock.sampleAt(s.end_ms)) : null;
        return {
          receiverId: x.id,
          receiverName: x.name,
          captureId: pc?.c.id ?? null,
          decision: v?.decision ?? 'pending',
          notes: v?.notes ?? null,
          snrDb: m?.snrDb ?? null,
          signalPowerDb: m?.signalPowerDb ?? null,
          noisePowerDb: m?.noisePowerDb ?? null,
          freqOffsetHz: m?.freqOffsetHz ?? null,
          windows: m?.windows ?? 0,
        };
      }),
    })),
  };
}
