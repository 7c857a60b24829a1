import { type SyncErrorInfo, type SyncStatus } from '../../shared/domain/syncSettings';
import { createCapturesRepo } from '../store/capturesRepo';
import { type Db } from '../store/database';
import { createMeasurementsRepo } from '../store/measurementsRepo';
import { createOutboxRepo } from '../store/outboxRepo';

/** Counts from the store; the live state and the in-memory last error come from the service when it runs. */
export function readSyncStatus(db: Db, live: { state: SyncStatus['state']; lastRunAt: string | null; lastSuccessAt: string | null; lastError: SyncErrorInfo | null }): SyncStatus {
  const outbox = createOutboxRepo(db);
  const stored = outbox.lastError();
  const next = outbox.nextRetryMs();
  return {
    state: live.state,
    lastRunAt: live.lastRunAt,
    lastSuccessAt: live.lastSuccessAt,
    lastError: live.lastError ?? (stored ? { target: stored.target, message: stored.last_error, at: stored.updated_at } : null),
    captures: createCapturesRepo(db).count(),
    measurements: createMeasurementsRepo(db).count(),
    outbox: outbox.counts(),
    pendingBytes: outbox.pendingBytes(),
    nextRetryAt: next && next > Date.now() ? new Date(next).toISOString() : null,
  };
}
