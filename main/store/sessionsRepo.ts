import { randomUUID } from 'node:crypto';
import { type Db } from './database';

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
  };
}
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
