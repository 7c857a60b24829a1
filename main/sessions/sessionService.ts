import { fanout } from '../base/events';
import { sessionTransitions, type Session, type SessionInput, type SessionState, type SessionSummary, type SegmentSpectrum } from '../../shared/domain/sessions';
import { sessionInputSchema } from '../../shared/domain/sessions';
import { StationError, invalidInput } from '../../shared/errors';
import { type LiveRunEvent, type ReceiverStateChange, type RowsMessage } from '../capture/monitorService';
import { type DspPool } from '../dsp/pool';
import { type Logger } from '../base/log';
import { type ReceiverRegistry } from '../receivers/registry';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type Receiver } from '../../shared/domain/receiver';
import { type CaptureStore } from '../store/captureStore';
import { type SessionPlanJson, type SessionRow, type SessionsRepo } from '../store/sessionsRepo';
import { detectSessionSegments } from './detectSegments';
import { captureClock, sessionCaptures } from './sampleClock';
import { readCaptureSamples } from './captureSamples';
import { adoptedRecordings, recordSession, type SessionPlan, type SessionRecording, type RecordingOutcome } from './sessionRecorder';
import { buildSessionView } from './sessionView';

export interface SessionServiceDeps {
  repo: SessionsRepo;
  captures: CaptureStore;
  receivers: ReceiverRegistry;
  pool: () => DspPool;
  log: Logger;
  dataDir: string;
  identUser: () => string;
  /** Stops the Live monitor so the receivers' slots are free for the session. */
  stopMonitor: () => Promise<unknown>;
  changed: (sessionId: string) => void;
}

/** Key-ups shorter than this are a slipped finger, not a transmission. */
const MIN_MARK_MS = 150;
/** Recording kept after the last round's release. */
const ROUND_TAIL_MS = 1000;

/**
 * The recording-session state machine. Every transition is written to the store before it is
 * reported, so a restart finds each session where it was: a session caught recording is ended
 * cleanly with what the receivers had written (see recover()).
 */
export function createSessionService(d: SessionServiceDeps) {
  const active = new Map<string, { rec: SessionRecording; ending: Promise<void> | null }>();
  const rows = fanout<RowsMessage>();
  const stateFanout = fanout<ReceiverStateChange>();
  const runs = fanout<LiveRunEvent>();

  const row = (id: string): SessionRow => {
    const r = d.repo.getSession(id);
    if (!r) throw new StationError('not_found', `No session with id ${id}. It may have been deleted; reload the list.`);
    return r;
  };
  const planOf = (r: SessionRow): SessionPlanJson => JSON.parse(r.plan_json ?? '{}') as SessionPlanJson;
  const view = (id: string): Session => {
    const r = row(id);
    return buildSessionView(d.repo, d.captures, r, planOf(r));
  };
  const move = (r: SessionRow, to: SessionState, reason: string | null, times: { start?: string; end?: string } = {}) => {
    const from = r.state ?? 'draft';
    if (!sessionTransitions[from].includes(to)) {
      throw new StationError('conflict', `The session is ${from}, so it cannot become ${to}. ${hintFor(from)}`);
    }
    d.repo.setState(r.id, to, reason, times);
    d.changed(r.id);
  };

  function recordingPlan(p: SessionPlanJson): SessionPlan {
    return {
      freqHz: p.freqHz,
      mode: p.mode,
      passband: p.passband ?? null,
      durationSec: p.durationSec,
      receivers: p.receivers.map((r) => ({ receiverId: r.id, name: r.name, kind: r.kind, url: r.url, password: safePassword(r.id), lat: r.lat, lon: r.lon, alt: r.alt })),
    };
  }
  const safePassword = (id: string): string | undefined => {
    try {
      return d.receivers.password(id);
    } catch {
      return undefined;
    }
  };

  /** Stored captures -> detector segments -> review (or failed when nothing was captured). */
  function conclude(id: string, outcome: RecordingOutcome, reason: string | null) {
    const r = row(id);
    const heldSince = r.transmit_down_ms ?? null;
    const end = new Date().toISOString();
    if (heldSince !== null) {
      // Still held when the recording ended: the mark ends with the last sample recorded.
      const lastMs = Math.max(0, ...sessionCaptures(d.captures, id).map(({ c, clock }) => clock.unixNsOf(c.sample_count) / 1e6));
      const endMs = Math.round(Math.min(Date.now(), lastMs || Date.now()));
      if (endMs - heldSince >= MIN_MARK_MS) d.repo.addSegment({ session_id: id, start_ms: heldSince, end_ms: endMs, origin: 'operator', label: 'transmission' });
    }
    d.repo.setTransmitDown(id, null);
    for (const f of outcome.failed) d.log.warn(`session ${id}: nothing stored for ${f.name}: ${f.message}`);
    detect(id);
    // An aborted session keeps its captures and proposals but stays aborted.
    if ((r.state ?? 'draft') !== 'recording') {
      d.changed(id);
      return;
    }
    const failures = outcome.failed.map((f) => `${f.name}: ${f.message}`).join('; ');
    if (outcome.stored.length === 0) {
      move(row(id), 'failed', `No receiver delivered samples${failures ? ` (${failures})` : ''}. Check the receivers on the Receivers page and record again.`, { end });
      return;
    }
    const note = [reason, failures ? `Not recorded: ${failures}` : null].filter(Boolean).join(' ');
    move(row(id), 'review', note || null, { end });
  }

  function detect(id: string) {
    d.repo.deleteDetectedSegments(id);
    for (const iv of detectSessionSegments(sessionCaptures(d.captures, id))) d.repo.addSegment({ session_id: id, start_ms: iv.startMs, end_ms: iv.endMs, origin: 'detector', label: 'transmission' });
  }

  const api = {
    list(): SessionSummary[] {
      return d.repo.listSessions().map((r) => {
        const p = planOf(r);
        const segs = d.repo.segments(r.id);
        const reviews = d.repo.reviews(r.id);
        return {
          id: r.id,
          name: r.session_name,
          sourceName: r.known_source_id ? (d.repo.getSource(r.known_source_id)?.name ?? null) : null,
          freqHz: p.freqHz,
          mode: p.mode,
          state: r.state ?? 'draft',
          stateReason: r.state_reason ?? null,
          createdAt: r.created_at,
          startedAt: r.started_at ?? null,
          endedAt: r.session_end,
          receiverCount: p.receivers?.length ?? 0,
          segmentCount: segs.length,
          approvedSegments: segs.filter((s) => reviews.some((v) => v.segment_id === s.id && v.decision === 'approved')).length,
        };
      });
    },
    get: view,
    create(input: SessionInput): Session {
      const parsed = sessionInputSchema.safeParse(input);
      if (!parsed.success) throw invalidInput('The session', parsed.error);
      const s = parsed.data;
      if (s.sourceId && !d.repo.getSource(s.sourceId)) throw new StationError('not_found', `No known source with id ${s.sourceId}. Choose one from the catalogue or add it first.`);
      const chosen = s.receiverIds.map((rid) => d.receivers.get(rid));
      if (s.mode === 'iq') {
        const owrx = chosen.filter((r) => r.kind === 'openwebrx');
        if (owrx.length) throw new StationError('invalid_input', `OpenWebRX receivers cannot deliver IQ (${owrx.map((r) => r.name).join(', ')}). Choose a demodulated mode, or only KiwiSDR receivers for IQ.`);
      }
      const plan: SessionPlanJson = {
        freqHz: s.freqHz,
        mode: s.mode,
        passband: s.passband,
        durationSec: s.durationSec,
        rounds: s.rounds,
        receivers: chosen.map((r) => ({ id: r.id, name: r.name, kind: r.kind, url: r.url, lat: r.lat, lon: r.lon, alt: r.alt })),
      };
      const r = d.repo.insertDraft({ known_source_id: s.sourceId, session_name: s.name, notes: s.notes, plan_json: JSON.stringify(plan) });
      d.changed(r.id);
      return view(r.id);
    },
    async start(id: string): Promise<Session> {
      const r = row(id);
      if (active.size > 0) throw new StationError('conflict', 'Another session is recording. Stop it before starting this one (one session at a time keeps receiver slots free).');
      if ((r.state ?? 'draft') !== 'draft') throw new StationError('conflict', `The session is ${r.state}; only a draft can start recording. Create a new session to record again.`);
      await d.stopMonitor();
      const plan = recordingPlan(planOf(r));
      const rec = recordSession({ store: d.captures, pool: d.pool(), log: d.log, identUser: d.identUser() }, id, plan);
      runs.emit({ run: rec.run, spec: { mode: plan.mode, passband: plan.passband, receivers: plan.receivers } });
      const ended = () => runs.emit({ run: rec.run, spec: null });
      rec.run.done.then(ended, ended);
      const entry = { rec, ending: null as Promise<void> | null };
      active.set(id, entry);
      rec.onMessage((m) => {
        if (m.t === 'rows') rows.emit(m);
        else if (m.t === 'state') stateFanout.emit({ receiverId: m.receiverId, state: m.state });
        else if (m.t === 'smeter') stateFanout.emit({ receiverId: m.receiverId, smeterDbm: m.dbm });
      });
      entry.ending = rec.finished.then(
        (outcome) => {
          active.delete(id);
          conclude(id, outcome, null);
        },
        (e: unknown) => {
          active.delete(id);
          d.log.error(`session ${id} recording failed: ${(e as Error).message}`);
          const cur = row(id);
          if ((cur.state ?? 'draft') === 'recording') move(cur, 'failed', `The recording failed: ${(e as Error).message}. Record a new session.`, { end: new Date().toISOString() });
        },
      );
      move(r, 'recording', null, { start: new Date(rec.startAtMs).toISOString() });
      void rec.started.then((ms) => {
        const now = d.repo.getSession(id);
        if (now && ms !== Date.parse(now.started_at ?? '')) {
          d.repo.setStartedAt(id, new Date(ms).toISOString());
          d.changed(id);
        }
      });
      return view(id);
    },
    markTransmit(id: string, action: 'down' | 'up', atMs = Date.now()): Session {
      const r = row(id);
      if ((r.state ?? 'draft') !== 'recording') throw new StationError('conflict', `The session is ${r.state}; the transmit marker works only while recording.`);
      if (action === 'down') {
        if (r.transmit_down_ms === null || r.transmit_down_ms === undefined) d.repo.setTransmitDown(id, Math.round(atMs));
      } else if (r.transmit_down_ms !== null && r.transmit_down_ms !== undefined) {
        d.repo.setTransmitDown(id, null);
        // A release that arrives after the planned end (the recording is being stored) ends at the planned end.
        const plan = planOf(r);
        const plannedEnd = r.started_at && plan.durationSec ? Date.parse(r.started_at) + plan.durationSec * 1000 : Infinity;
        const end = Math.round(Math.min(atMs, plannedEnd));
        if (end - r.transmit_down_ms >= MIN_MARK_MS) d.repo.addSegment({ session_id: id, start_ms: r.transmit_down_ms, end_ms: end, origin: 'operator', label: 'transmission' });
        // The last round released: end the recording a moment later, so the release is inside it.
        const marks = d.repo.segments(id).filter((g) => g.origin === 'operator').length;
        if (plan.rounds && marks >= plan.rounds) setTimeout(() => void api.stop(id).catch((e: Error) => d.log.warn(`session ${id}: stopping after the last round failed: ${e.message}`)), ROUND_TAIL_MS);
      }
      d.changed(id);
      return view(id);
    },
    /** Ends the recording; resolves once the captures are stored and the session is in review. */
    async stop(id: string): Promise<Session> {
      const r = row(id);
      const a = active.get(id);
      if (!a) {
        if ((r.state ?? 'draft') === 'recording') api.recover();
        return view(id);
      }
      await a.rec.stop();
      await a.ending;
      return view(id);
    },
    async abort(id: string, reason: string): Promise<Session> {
      const r = row(id);
      const a = active.get(id);
      if (a) {
        // The captures are kept (they are data); the session is marked aborted first so conclude() leaves it.
        move(r, 'aborted', reason, { end: new Date().toISOString() });
        await a.rec.stop();
        await a.ending;
      } else move(r, 'aborted', reason, { end: new Date().toISOString() });
      return view(id);
    },
    addSegment(sessionId: string, startMs: number, endMs: number, label: string): Session {
      const r = row(sessionId);
      if (!['review', 'recording'].includes(r.state ?? 'draft')) throw new StationError('conflict', `The session is ${r.state}; reopen its review to change segments.`);
      if (endMs - startMs < MIN_MARK_MS) throw new StationError('invalid_input', 'A segment must last at least 0.15 s; drag over the transmission again.');
      d.repo.addSegment({ session_id: sessionId, start_ms: Math.round(startMs), end_ms: Math.round(endMs), origin: 'manual', label });
      d.changed(sessionId);
      return view(sessionId);
    },
    deleteSegment(sessionId: string, segmentId: string): Session {
      const r = row(sessionId);
      const seg = d.repo.segment(segmentId);
      if (!seg || seg.session_id !== sessionId) throw new StationError('not_found', 'No such segment in this session; reload the session.');
      if ((r.state ?? 'draft') !== 'review') throw new StationError('conflict', `The session is ${r.state}; reopen its review to change segments.`);
      d.repo.deleteSegment(segmentId);
      d.changed(sessionId);
      return view(sessionId);
    },
    review(input: { sessionId: string; segmentId: string; receiverId?: string; decision?: 'pending' | 'approved' | 'rejected'; label?: string; notes?: string | null }): Session {
      const r = row(input.sessionId);
      const seg = d.repo.segment(input.segmentId);
      if (!seg || seg.session_id !== input.sessionId) throw new StationError('not_found', 'No such segment in this session; reload the session.');
      if ((r.state ?? 'draft') !== 'review') throw new StationError('conflict', `The session is ${r.state}; reviews can change only in review (reopen it first).`);
      const plan = planOf(r);
      if (input.label !== undefined || (input.notes !== undefined && !input.receiverId)) d.repo.updateSegment(seg.id, input.label ?? seg.label, input.notes !== undefined && !input.receiverId ? input.notes : seg.notes);
      if (input.decision) {
        const ids = input.receiverId ? [input.receiverId] : plan.receivers.map((x) => x.id);
        if (input.receiverId && !plan.receivers.some((x) => x.id === input.receiverId)) throw new StationError('not_found', 'That receiver is not part of this session.');
        const existing = new Map(d.repo.reviews(input.sessionId).filter((v) => v.segment_id === seg.id).map((v) => [v.receiver_id, v]));
        for (const rid of ids) d.repo.setReview({ segment_id: seg.id, receiver_id: rid, decision: input.decision, notes: input.receiverId && input.notes !== undefined ? input.notes : (existing.get(rid)?.notes ?? null) });
      }
      d.changed(input.sessionId);
      return view(input.sessionId);
    },
    decide(id: string, decision: 'approved' | 'rejected' | 'review', notes?: string | null): Session {
      const r = row(id);
      if (decision === 'approved') {
        const reviews = d.repo.reviews(id);
        if (!reviews.some((v) => v.decision === 'approved')) throw new StationError('conflict', 'Approve at least one segment (for at least one receiver) before approving the session.');
      }
      if (notes !== undefined) d.repo.setNotes(id, notes);
      move(r, decision, null);
      // The central copy of the session carries the approval: queue its captures' rows again.
      for (const c of d.captures.repos.captures.bySession(id)) d.captures.repos.outbox.requeue('capture_rows', 'pg', c.id);
      return view(id);
    },
    async spectrum(sessionId: string, segmentId: string, receiverId: string): Promise<SegmentSpectrum> {
      const seg = d.repo.segment(segmentId);
      if (!seg || seg.session_id !== sessionId) throw new StationError('not_found', 'No such segment in this session; reload the session.');
      const c = d.captures.repos.captures.bySession(sessionId).find((x) => x.receiver_id === receiverId);
      if (!c) throw new StationError('not_found', 'This receiver recorded nothing in this session, so there is no spectrum to show.');
      if (c.samples_deleted_at) throw new StationError('unavailable', 'The samples of this recording were removed by the retention setting after upload; the spectrum needs them.');
      const clock = captureClock(c, d.captures.timeBase(c));
      const a = clock.sampleAt(seg.start_ms);
      const b = Math.min(clock.sampleAt(seg.end_ms), a + Math.round(c.sample_rate * 2));
      if (b - a < 256) throw new StationError('not_found', `${c.receiver_name} has no samples inside this segment (it was not recording then).`);
      const iq = readCaptureSamples(d.captures.absolutePath(c.file_path), c.datatype, a, b - a);
      const res = await d.pool().analyzeIq(iq, c.sample_rate, 1024);
      const db = Array.from(res.psdDb, (v) => Math.round(v * 100) / 100);
      return { startHz: c.freq_hz + res.startHz, binHz: res.binHz, db, snrDb: res.metrics.snrDb, peakOffsetHz: res.metrics.peakOffsetHz };
    },
    /**
     * At start-up: sessions the last run left recording are ended with what the receivers wrote
     * (partial captures) and go to review; nothing captured means failed, with the reason.
     */
    recover(): string[] {
      const ids: string[] = [];
      for (const r of d.repo.sessionsInState('recording')) {
        if (active.has(r.id)) continue;
        const outcome = adoptedRecordings(d.captures, r.id);
        conclude(r.id, outcome, 'The station stopped during this recording; what was captured before is kept.');
        ids.push(r.id);
      }
      return ids;
    },
    /** An acquisition imported from files: a session that holds the captures (it records nothing). */
    beginImport(input: { name: string; freqHz: number; mode: CaptureMode; receivers: Receiver[]; sourceId: string | null; notes: string | null }): string {
      if (input.sourceId && !d.repo.getSource(input.sourceId)) throw new StationError('not_found', `No known source with id ${input.sourceId}. Choose one from the catalogue or add it first.`);
      const plan: SessionPlanJson = {
        freqHz: input.freqHz,
        mode: input.mode,
        passband: null,
        durationSec: null,
        rounds: null,
        receivers: input.receivers.map((r) => ({ id: r.id, name: r.name, kind: r.kind, url: r.url, lat: r.lat, lon: r.lon, alt: r.alt })),
      };
      return d.repo.insertDraft({ known_source_id: input.sourceId, session_name: input.name.slice(0, 255), notes: input.notes, plan_json: JSON.stringify(plan) }).id;
    },
    /** Its captures are in: straight to review, with the interval every recording covers as a segment and the detector's proposals. */
    finishImport(id: string, t: { startMs: number; endMs: number; commonStartMs: number; commonEndMs: number }): void {
      const r = row(id);
      const plan = planOf(r);
      plan.durationSec = Math.max(0.001, (t.endMs - t.startMs) / 1000);
      d.repo.setPlan(id, JSON.stringify(plan));
      d.repo.setState(id, 'review', 'Imported from recording files.', { start: new Date(t.startMs).toISOString(), end: new Date(t.endMs).toISOString() });
      if (t.commonEndMs - t.commonStartMs >= MIN_MARK_MS) {
        d.repo.addSegment({ session_id: id, start_ms: Math.round(t.commonStartMs), end_ms: Math.round(t.commonEndMs), origin: 'manual', label: 'transmission', notes: 'The interval every imported recording covers.' });
      }
      detect(id);
      d.changed(id);
    },
    discardImport(id: string): void {
      if (d.captures.repos.captures.bySession(id).length === 0) d.repo.deleteSession(id);
      d.changed(id);
    },
    isRecording: () => active.size > 0,
    onRows: rows.on,
    onState: stateFanout.on,
    /** Recording runs starting and ending (for listening). */
    onRun: runs.on,
    async close(): Promise<void> {
      // A clean shutdown ends the recording like a stop: everything captured is stored.
      await Promise.all([...active.keys()].map((id) => api.stop(id).catch(() => undefined)));
    },
  };
  return api;
}
export type SessionService = ReturnType<typeof createSessionService>;

function hintFor(state: SessionState): string {
  switch (state) {
    case 'draft':
      return 'Start recording it first.';
    case 'recording':
      return 'Stop the recording first.';
    case 'review':
      return 'Approve or reject it, or abort it.';
    case 'approved':
    case 'rejected':
      return 'Reopen its review to change it.';
    default:
      return 'It is closed; create a new session.';
  }
}
