import { type Migration } from './types';

/**
 * The station's session workflow on top of the backend-shaped tables: a finer state than the
 * backend's status/approval pair (kept in step by the repo), the plan of the recording, the
 * operator's and the detector's segments, and a review per segment per receiver. Datasets keep
 * their definition (filters, ratios, seed) so an export can be repeated exactly.
 */
export const migration005: Migration = {
  version: 5,
  name: 'session workflow: state, plan, segments, reviews; dataset specs',
  sql: `
    ALTER TABLE known_sources ADD COLUMN alt REAL;
    ALTER TABLE known_sources ADD COLUMN notes TEXT;
    ALTER TABLE recording_sessions ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
      CHECK (state IN ('draft', 'recording', 'review', 'approved', 'rejected', 'failed', 'aborted'));
    ALTER TABLE recording_sessions ADD COLUMN state_reason TEXT;
    ALTER TABLE recording_sessions ADD COLUMN plan_json TEXT;
    ALTER TABLE recording_sessions ADD COLUMN started_at TEXT;
    ALTER TABLE recording_sessions ADD COLUMN transmit_down_ms INTEGER;
    CREATE TABLE session_segments (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES recording_sessions(id) ON DELETE CASCADE,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('operator', 'detector', 'manual')),
      label TEXT NOT NULL DEFAULT 'transmission',
      notes TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (end_ms > start_ms)
    );
    CREATE INDEX session_segments_by_session ON session_segments(session_id, start_ms);
    CREATE TABLE segment_reviews (
      segment_id TEXT NOT NULL REFERENCES session_segments(id) ON DELETE CASCADE,
      receiver_id TEXT NOT NULL,
      decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected')),
      notes TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (segment_id, receiver_id)
    );
    ALTER TABLE datasets ADD COLUMN spec_json TEXT;
    CREATE TABLE dataset_exports (
      id TEXT PRIMARY KEY,
      dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      format TEXT NOT NULL CHECK (format IN ('sigmf', 'npy', 'manifest')),
      out_dir TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
      phase TEXT NOT NULL DEFAULT '',
      message TEXT NOT NULL DEFAULT '',
      done_samples INTEGER NOT NULL DEFAULT 0,
      total_samples INTEGER NOT NULL DEFAULT 0,
      done_bytes INTEGER NOT NULL DEFAULT 0,
      total_bytes INTEGER NOT NULL DEFAULT 0,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      uploaded_to TEXT
    );
    CREATE INDEX dataset_exports_by_dataset ON dataset_exports(dataset_id, started_at DESC);
  `,
};
