import { type Migration } from './types';

/**
 * One outbox row per (item, target): the capture's sample objects for S3, its rows for PostgreSQL.
 * Written in the same transaction as the capture, so nothing durable can miss its upload.
 * next_attempt_ms drives backoff; a failed item waits for the operator (retrySync).
 */
export const migration004: Migration = {
  version: 4,
  name: 'sync outbox',
  sql: `
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('capture_object', 'capture_rows')),
      target TEXT NOT NULL CHECK (target IN ('s3', 'pg')),
      item_id TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      location TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      done_at TEXT,
      UNIQUE (kind, target, item_id)
    );
    CREATE INDEX outbox_due ON outbox(target, state, next_attempt_ms);
  `,
};
