import { type OutboxState, type SyncTarget } from '../../shared/domain/syncSettings';
import { type Db } from './database';

export type OutboxKind = 'capture_object' | 'capture_rows';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  target: SyncTarget;
  item_id: string;
  state: OutboxState;
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  location: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

export function createOutboxRepo(db: Db) {
  const enqueue = db.prepare<[OutboxKind, SyncTarget, string, string, string]>(
    `INSERT INTO outbox (kind, target, item_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kind, target, item_id) DO NOTHING`,
  );
  // New rows for an item already synced: back to pending (the central insert is idempotent).
  const requeue = db.prepare<[OutboxKind, SyncTarget, string, string, string, string]>(
    `INSERT INTO outbox (kind, target, item_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kind, target, item_id) DO UPDATE SET state = 'pending', attempts = 0, next_attempt_ms = 0, updated_at = ?`,
  );
  const due = db.prepare<[SyncTarget, number, number], OutboxRow>(
    `SELECT * FROM outbox WHERE target = ? AND state = 'pending' AND next_attempt_ms <= ? ORDER BY id LIMIT ?`,
  );
  const byItem = db.prepare<[OutboxKind, SyncTarget, string], OutboxRow>('SELECT * FROM outbox WHERE kind = ? AND target = ? AND item_id = ?');
  const markDone = db.prepare<[string, string, string | null, number]>(
    `UPDATE outbox SET state = 'done', done_at = ?, updated_at = ?, last_error = NULL, location = coalesce(?, location) WHERE id = ?`,
  );
  const markError = db.prepare<[OutboxState, number, string, string, number]>(
    `UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_ms = ?, last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const retryFailed = db.prepare<[string]>(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0, updated_at = ? WHERE state = 'failed'`);
  const retryFailedTarget = db.prepare<[string, SyncTarget]>(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0, updated_at = ? WHERE state = 'failed' AND target = ?`,
  );
  const wakeAll = db.prepare(`UPDATE outbox SET next_attempt_ms = 0 WHERE state = 'pending'`);
  const counts = db.prepare<[], { target: SyncTarget; state: OutboxState; count: number }>(
    'SELECT target, state, count(*) AS count FROM outbox GROUP BY target, state ORDER BY target, state',
  );
  const nextRetry = db.prepare<[], { t: number | null }>(`SELECT min(next_attempt_ms) AS t FROM outbox WHERE state = 'pending'`);
  const lastError = db.prepare<[], { target: SyncTarget; last_error: string; updated_at: string }>(
    `SELECT target, last_error, updated_at FROM outbox WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1`,
  );
  const pendingBytes = db.prepare<[], { n: number | null }>(
    `SELECT sum(c.byte_size) AS n FROM outbox o JOIN captures c ON c.id = o.item_id WHERE o.kind = 'capture_object' AND o.state != 'done'`,
  );
  // Rows go only after the object they point at: a pg item is ready when its capture's S3 item is done.
  const duePgReady = db.prepare<[number, number], OutboxRow & { s3_location: string }>(
    `SELECT p.*, s.location AS s3_location FROM outbox p
     JOIN outbox s ON s.item_id = p.item_id AND s.kind = 'capture_object' AND s.target = 's3' AND s.state = 'done'
     WHERE p.target = 'pg' AND p.kind = 'capture_rows' AND p.state = 'pending' AND p.next_attempt_ms <= ? ORDER BY p.id LIMIT ?`,
  );
  const nextDueS3 = db.prepare<[], { t: number | null }>(`SELECT min(next_attempt_ms) AS t FROM outbox WHERE target = 's3' AND state = 'pending'`);
  const nextDuePg = db.prepare<[], { t: number | null }>(
    `SELECT min(p.next_attempt_ms) AS t FROM outbox p
     JOIN outbox s ON s.item_id = p.item_id AND s.kind = 'capture_object' AND s.target = 's3' AND s.state = 'done'
     WHERE p.target = 'pg' AND p.state = 'pending'`,
  );
  const markDoneUnchanged = db.prepare<[string, string, number, string]>(
    `UPDATE outbox SET state = 'done', done_at = ?, updated_at = ?, last_error = NULL WHERE id = ? AND updated_at = ?`,
  );
  const markDoneMany = db.transaction((items: readonly Pick<OutboxRow, 'id' | 'updated_at'>[], unlessRequeued: boolean) => {
    const t = new Date().toISOString();
    for (const it of items) {
      if (unlessRequeued) markDoneUnchanged.run(t, t, it.id, it.updated_at);
      else markDone.run(t, t, null, it.id);
    }
  });
  const now = () => new Date().toISOString();
  return {
    duePgReady: (nowMs: number, limit: number) => duePgReady.all(nowMs, limit),
    /** Earliest next attempt among items that can actually run (pg items wait for their object). */
    nextDueMs: (target: SyncTarget): number | null => (target === 's3' ? nextDueS3.get()?.t : nextDuePg.get()?.t) ?? null,
    /** unlessRequeued: leave an item pending when it changed since it was read (a requeue: more rows to send). */
    markDoneMany: (items: readonly Pick<OutboxRow, 'id' | 'updated_at'>[], opts: { unlessRequeued?: boolean } = {}) => markDoneMany(items, opts.unlessRequeued ?? false),
    enqueue: (kind: OutboxKind, target: SyncTarget, itemId: string) => enqueue.run(kind, target, itemId, now(), now()),
    requeue: (kind: OutboxKind, target: SyncTarget, itemId: string) => {
      const t = now();
      requeue.run(kind, target, itemId, t, t, t);
    },
    due: (target: SyncTarget, nowMs: number, limit: number): OutboxRow[] => due.all(target, nowMs, limit),
    get: (kind: OutboxKind, target: SyncTarget, itemId: string): OutboxRow | undefined => byItem.get(kind, target, itemId),
    markDone: (id: number, location: string | null = null) => {
      const t = now();
      markDone.run(t, t, location, id);
    },
    markError: (id: number, state: OutboxState, nextAttemptMs: number, message: string) => markError.run(state, nextAttemptMs, message, now(), id),
    retryFailed: (target?: SyncTarget): number => (target ? retryFailedTarget.run(now(), target) : retryFailed.run(now())).changes,
    wakeAll: () => wakeAll.run(),
    counts: () => counts.all(),
    nextRetryMs: (): number | null => nextRetry.get()?.t ?? null,
    lastError: () => lastError.get() ?? null,
    pendingBytes: (): number => pendingBytes.get()?.n ?? 0,
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
