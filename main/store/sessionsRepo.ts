import { randomUUID } from 'node:crypto';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type SessionState } from '../../shared/domain/sessions';
import { type Db } from './database';
import { uuidv7 } from './ids';

/** What a session's plan_json column holds: the plan as the session was created. */
export interface SessionPlanJson {
  freqHz: number;
  mode: CaptureMode;
  /** Absent in sessions planned before passbands existed. */
  passband?: { lowHz: number; highHz: number } | null;
  durationSec: number | null;
  /** Absent in sessions planned before rounds existed. */
  rounds?: number | null;
  receivers: { id: string; name: string; kind: 'kiwisdr' | 'openwebrx'; url: string; lat: number | null; lon: number | null; alt: number | null }[];
}

export interface SessionRow {
  id: string;
  known_source_id: string | null;
  session_name: string;
  session_start: string;
  session_end: string | null;
  status: 'pending' | 'in_progress' | 'completed' | 'failed';
  approval_status: 'pending' | 'approved' | 'rejected';
  notes: string | null;
  created_at: string;
  updated_at: string;
  /** Station workflow state (migration 005); status/approval_status mirror it for the backend. */
  state?: SessionState;
  state_reason?: string | null;
  plan_json?: string | null;
  started_at?: string | null;
  transmit_down_ms?: number | null;
}

export interface SegmentRow {
  id: string;
  session_id: string;
  start_ms: number;
  end_ms: number;
  origin: 'operator' | 'detector' | 'manual';
  label: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReviewRow {
  segment_id: string;
  receiver_id: string;
  decision: 'pending' | 'approved' | 'rejected';
  notes: string | null;
  updated_at: string;
}

/** The backend's coarse status and approval for a station state. */
export function backendStatus(state: SessionState): { status: SessionRow['status']; approval: SessionRow['approval_status'] } {
  switch (state) {
    case 'draft':
      return { status: 'pending', approval: 'pending' };
    case 'recording':
      return { status: 'in_progress', approval: 'pending' };
    case 'review':
      return { status: 'completed', approval: 'pending' };
    case 'approved':
      return { status: 'completed', approval: 'approved' };
    case 'rejected':
      return { status: 'completed', approval: 'rejected' };
    default:
      return { status: 'failed', approval: 'pending' };
  }
}

export interface KnownSourceRow {
  id: string;
  name: string;
  description: string | null;
  frequency_hz: number | null;
  lat: number | null;
  lon: number | null;
  power_dbm: number | null;
  source_type: string | null;
  is_validated: number;
  error_margin_m: number;
  created_at: string;
  updated_at: string;
  alt?: number | null;
  notes?: string | null;
}

/** Recording sessions and the known transmitters they are about (the session state machine owns the logic). */
export function createSessionsRepo(db: Db) {
  const insertSession = db.prepare<SessionRow>(
    `INSERT INTO recording_sessions (id, known_source_id, session_name, session_start, session_end, status, approval_status, notes, created_at, updated_at)
     VALUES (@id, @known_source_id, @session_name, @session_start, @session_end, @status, @approval_status, @notes, @created_at, @updated_at)`,
  );
  const updateSession = db.prepare<[string | null, string, string, string, string]>(
    'UPDATE recording_sessions SET session_end = ?, status = ?, approval_status = ?, updated_at = ? WHERE id = ?',
  );
  const sessionById = db.prepare<[string], SessionRow>('SELECT * FROM recording_sessions WHERE id = ?');
  const insertSource = db.prepare<KnownSourceRow>(
    `INSERT INTO known_sources (id, name, description, frequency_hz, lat, lon, power_dbm, source_type, is_validated, error_margin_m, created_at, updated_at)
     VALUES (@id, @name, @description, @frequency_hz, @lat, @lon, @power_dbm, @source_type, @is_validated, @error_margin_m, @created_at, @updated_at)`,
  );
  const sourceById = db.prepare<[string], KnownSourceRow>('SELECT * FROM known_sources WHERE id = ?');
  const now = () => new Date().toISOString();
  return {
    createSession(s: { name: string; knownSourceId?: string | null; start?: string; notes?: string | null }): SessionRow {
      const t = now();
      const row: SessionRow = {
        id: randomUUID(),
        known_source_id: s.knownSourceId ?? null,
        session_name: s.name,
        session_start: s.start ?? t,
        session_end: null,
        status: 'in_progress',
        approval_status: 'pending',
        notes: s.notes ?? null,
        created_at: t,
        updated_at: t,
      };
      insertSession.run(row);
      return row;
    },
    updateSession(id: string, end: string | null, status: SessionRow['status'], approval: SessionRow['approval_status']) {
      updateSession.run(end, status, approval, now(), id);
    },
    getSession: (id: string): SessionRow | undefined => sessionById.get(id),
    createSource(s: { name: string; frequencyHz?: number | null; lat?: number | null; lon?: number | null; powerDbm?: number | null; sourceType?: string | null; description?: string | null }): KnownSourceRow {
      const t = now();
      const row: KnownSourceRow = {
        id: randomUUID(),
        name: s.name,
        description: s.description ?? null,
        frequency_hz: s.frequencyHz ?? null,
        lat: s.lat ?? null,
        lon: s.lon ?? null,
        power_dbm: s.powerDbm ?? null,
        source_type: s.sourceType ?? null,
        is_validated: 0,
        error_margin_m: 50,
        created_at: t,
        updated_at: t,
      };
      insertSource.run(row);
      return row;
    },
    getSource: (id: string): KnownSourceRow | undefined => sourceById.get(id),
    ...workflowQueries(db),
  };
}

/** The session workflow's statements (migration 005). */
function workflowQueries(db: Db) {
  const now = () => new Date().toISOString();
  const sources = db.prepare<[], KnownSourceRow>('SELECT * FROM known_sources ORDER BY name COLLATE NOCASE');
  const sourceByName = db.prepare<[string], KnownSourceRow>('SELECT * FROM known_sources WHERE name = ? COLLATE NOCASE');
  const upsertSource = db.prepare<Required<KnownSourceRow>>(
    `INSERT INTO known_sources (id, name, description, frequency_hz, lat, lon, alt, power_dbm, source_type, is_validated, error_margin_m, notes, created_at, updated_at)
     VALUES (@id, @name, @description, @frequency_hz, @lat, @lon, @alt, @power_dbm, @source_type, @is_validated, @error_margin_m, @notes, @created_at, @updated_at)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, frequency_hz = excluded.frequency_hz, lat = excluded.lat,
       lon = excluded.lon, alt = excluded.alt, power_dbm = excluded.power_dbm, source_type = excluded.source_type, is_validated = excluded.is_validated,
       error_margin_m = excluded.error_margin_m, notes = excluded.notes, updated_at = excluded.updated_at`,
  );
  const deleteSource = db.prepare<[string]>('DELETE FROM known_sources WHERE id = ?');
  const sessionsUsingSource = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM recording_sessions WHERE known_source_id = ?');
  const sessions = db.prepare<[], SessionRow>('SELECT * FROM recording_sessions ORDER BY created_at DESC');
  const sessionsInState = db.prepare<[string], SessionRow>('SELECT * FROM recording_sessions WHERE state = ?');
  const insertDraft = db.prepare<SessionRow>(
    `INSERT INTO recording_sessions (id, known_source_id, session_name, session_start, session_end, status, approval_status, notes, created_at, updated_at, state, state_reason, plan_json, started_at, transmit_down_ms)
     VALUES (@id, @known_source_id, @session_name, @session_start, @session_end, @status, @approval_status, @notes, @created_at, @updated_at, @state, @state_reason, @plan_json, @started_at, @transmit_down_ms)`,
  );
  const setState = db.prepare<{ id: string; state: SessionState; reason: string | null; status: string; approval: string; at: string; start: string | null; end: string | null }>(
    `UPDATE recording_sessions SET state = @state, state_reason = @reason, status = @status, approval_status = @approval, updated_at = @at,
       started_at = coalesce(@start, started_at), session_start = coalesce(@start, session_start), session_end = coalesce(@end, session_end)
     WHERE id = @id`,
  );
  const setNotes = db.prepare<[string | null, string, string]>('UPDATE recording_sessions SET notes = ?, updated_at = ? WHERE id = ?');
  const setTransmitDown = db.prepare<[number | null, string]>('UPDATE recording_sessions SET transmit_down_ms = ? WHERE id = ?');
  const segments = db.prepare<[string], SegmentRow>('SELECT * FROM session_segments WHERE session_id = ? ORDER BY start_ms, id');
  const segmentById = db.prepare<[string], SegmentRow>('SELECT * FROM session_segments WHERE id = ?');
  const insertSegment = db.prepare<SegmentRow>(
    `INSERT INTO session_segments (id, session_id, start_ms, end_ms, origin, label, notes, created_at, updated_at)
     VALUES (@id, @session_id, @start_ms, @end_ms, @origin, @label, @notes, @created_at, @updated_at)`,
  );
  const updateSegment = db.prepare<[string, string | null, string, string]>('UPDATE session_segments SET label = ?, notes = ?, updated_at = ? WHERE id = ?');
  const deleteSegment = db.prepare<[string]>('DELETE FROM session_segments WHERE id = ?');
  const deleteSession = db.prepare<[string]>('DELETE FROM recording_sessions WHERE id = ?');
  const setPlan = db.prepare<[string, string, string]>('UPDATE recording_sessions SET plan_json = ?, updated_at = ? WHERE id = ?');
  const setStartedAt = db.prepare<[string, string, string, string]>('UPDATE recording_sessions SET started_at = ?, session_start = ?, updated_at = ? WHERE id = ?');
  const deleteDetected = db.prepare<[string]>("DELETE FROM session_segments WHERE session_id = ? AND origin = 'detector'");
  const reviews = db.prepare<[string], ReviewRow>(
    'SELECT r.* FROM segment_reviews r JOIN session_segments s ON s.id = r.segment_id WHERE s.session_id = ?',
  );
  const upsertReview = db.prepare<ReviewRow>(
    `INSERT INTO segment_reviews (segment_id, receiver_id, decision, notes, updated_at) VALUES (@segment_id, @receiver_id, @decision, @notes, @updated_at)
     ON CONFLICT (segment_id, receiver_id) DO UPDATE SET decision = excluded.decision, notes = excluded.notes, updated_at = excluded.updated_at`,
  );
  return {
    listSources: (): KnownSourceRow[] => sources.all(),
    sourceByName: (name: string): KnownSourceRow | undefined => sourceByName.get(name),
    saveSource(row: Required<KnownSourceRow>): void {
      upsertSource.run(row);
    },
    deleteSource: (id: string): boolean => deleteSource.run(id).changes > 0,
    sessionsUsingSource: (id: string): number => sessionsUsingSource.get(id)?.n ?? 0,
    listSessions: (): SessionRow[] => sessions.all(),
    sessionsInState: (state: SessionState): SessionRow[] => sessionsInState.all(state),
    insertDraft(row: Omit<SessionRow, 'id' | 'created_at' | 'updated_at' | 'status' | 'approval_status' | 'session_start' | 'session_end' | 'state' | 'started_at' | 'transmit_down_ms' | 'state_reason'>): SessionRow {
      const t = now();
      const full: SessionRow = {
        ...row,
        id: uuidv7(),
        session_start: t,
        session_end: null,
        status: 'pending',
        approval_status: 'pending',
        created_at: t,
        updated_at: t,
        state: 'draft',
        state_reason: null,
        started_at: null,
        transmit_down_ms: null,
      };
      insertDraft.run(full);
      return full;
    },
    setState(id: string, state: SessionState, reason: string | null, times: { start?: string; end?: string } = {}): void {
      const b = backendStatus(state);
      setState.run({ id, state, reason, status: b.status, approval: b.approval, at: now(), start: times.start ?? null, end: times.end ?? null });
    },
    setNotes: (id: string, notes: string | null) => setNotes.run(notes, now(), id),
    /** Only for a session nothing refers to yet (an import whose every file failed). */
    deleteSession: (id: string) => deleteSession.run(id).changes > 0,
    setPlan: (id: string, planJson: string) => setPlan.run(planJson, now(), id),
    /** The recording's common start, once its workers are up (set provisionally when it starts). */
    setStartedAt: (id: string, at: string) => setStartedAt.run(at, at, now(), id),
    setTransmitDown: (id: string, ms: number | null) => setTransmitDown.run(ms, id),
    segments: (sessionId: string): SegmentRow[] => segments.all(sessionId),
    segment: (id: string): SegmentRow | undefined => segmentById.get(id),
    addSegment(s: Pick<SegmentRow, 'session_id' | 'start_ms' | 'end_ms' | 'origin' | 'label'> & { notes?: string | null }): SegmentRow {
      const t = now();
      const row: SegmentRow = { id: uuidv7(), notes: null, ...s, created_at: t, updated_at: t };
      insertSegment.run(row);
      return row;
    },
    updateSegment: (id: string, label: string, notes: string | null) => updateSegment.run(label, notes, now(), id),
    deleteSegment: (id: string) => deleteSegment.run(id).changes > 0,
    deleteDetectedSegments: (sessionId: string) => deleteDetected.run(sessionId).changes,
    reviews: (sessionId: string): ReviewRow[] => reviews.all(sessionId),
    setReview: (r: Omit<ReviewRow, 'updated_at'>) => upsertReview.run({ ...r, updated_at: now() }),
  };
}
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
