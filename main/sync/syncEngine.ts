import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type SyncErrorInfo, type SyncTarget } from '../../shared/domain/syncSettings';
import { type Logger } from '../base/log';
import { capturedTimeBase } from '../store/captureStore';
import { captureSigmfMetaJson } from '../store/captureSigmf';
import { createCapturesRepo, type CaptureRow } from '../store/capturesRepo';
import { type Db } from '../store/database';
import { createMeasurementsRepo, type SyncMeasurement } from '../store/measurementsRepo';
import { createOutboxRepo, type OutboxRow } from '../store/outboxRepo';
import { createSessionsRepo, type KnownSourceRow, type SessionRow } from '../store/sessionsRepo';
import { backoffDelayMs, defaultBackoff, type BackoffPolicy } from './backoff';
import { captureObjectKeys, s3Location } from './objectKeys';
import { type CaptureRowsItem, type PgTarget } from './pgTarget';
import { type S3Target } from './s3Target';
import { LocalSyncError, type DescribedError } from './syncErrors';
import { isConfigured, type ResolvedSyncSettings } from './syncSettingsRepo';

export interface SyncEngineOptions {
  db: Db;
  dataDir: string;
  log: Logger;
  settings: () => ResolvedSyncSettings;
  stationName: () => string;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Attempts before a non-transient error marks an item 'failed' (transient ones retry forever). */
  maxAttempts?: number;
  /** Time one phase may take per pass, so steady new captures cannot starve the rows phase. */
  phaseBudgetMs?: number;
}

export interface PassResult {
  objectsUploaded: number;
  objectsAlreadyThere: number;
  rowsInserted: number;
  itemsDone: number;
  errors: SyncErrorInfo[];
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export { isConfigured } from './syncSettingsRepo';

/**
 * One pass drains what is due: objects first (each verified), then the rows that point at them in
 * batched transactions. SQLite reads and writes are short and between awaits, so capture writes
 * interleave; a target that fails transiently is left alone until its backoff ends.
 */
export function createSyncEngine(opts: SyncEngineOptions) {
  const { db, dataDir, log } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const policy = opts.backoff ?? defaultBackoff;
  const maxAttempts = opts.maxAttempts ?? 5;
  const phaseBudgetMs = opts.phaseBudgetMs ?? 2_000;
  const outbox = createOutboxRepo(db);
  const captures = createCapturesRepo(db);
  const measurements = createMeasurementsRepo(db);
  const sessions = createSessionsRepo(db);
  const downUntil: Record<SyncTarget, number> = { s3: 0, pg: 0 };
  const downAttempts: Record<SyncTarget, number> = { s3: 0, pg: 0 };
  let targets: { key: string; s3: S3Target; pg: PgTarget } | null = null;
  let stopRequested = false;

  async function currentTargets(r: ResolvedSyncSettings) {
    // Rebuilt when settings or secrets change (compared in memory only, never logged).
    const key = JSON.stringify([r.settings.s3, r.settings.postgres, r.s3SecretKey, r.pgPassword]);
    if (targets?.key === key) return targets;
    // pg and minio load on the first pass, not at station start-up.
    const [{ createS3Target }, { createPgTarget }] = await Promise.all([import('./s3Target'), import('./pgTarget')]);
    if (targets?.key === key) return targets;
    const old = targets;
    targets = { key, s3: createS3Target(r.settings.s3, r.s3SecretKey), pg: createPgTarget(r.settings.postgres, r.pgPassword, log) };
    void old?.pg.close();
    return targets;
  }

  function recordFailure(target: SyncTarget, items: OutboxRow[], d: DescribedError, result: PassResult, local: boolean) {
    const t = now();
    for (const it of items) {
      const attempts = it.attempts + 1;
      const failed = local || (!d.transient && attempts >= maxAttempts);
      outbox.markError(it.id, failed ? 'failed' : 'pending', t + backoffDelayMs(attempts - 1, policy, random), d.message);
    }
    if (d.transient) {
      downAttempts[target]++;
      downUntil[target] = t + backoffDelayMs(downAttempts[target] - 1, policy, random);
    }
    result.errors.push({ target, message: d.message, at: new Date(t).toISOString() });
  }

  async function uploadCapture(r: ResolvedSyncSettings, s3: S3Target, c: CaptureRow): Promise<{ location: string; sent: boolean }> {
    const bucket = r.settings.s3.rawBucket;
    const keys = captureObjectKeys(c);
    const file = path.join(dataDir, c.file_path);
    if (!fs.existsSync(file)) {
      throw new LocalSyncError(`The sample file of capture ${c.id} (${c.file_path}) is missing from the data directory, so it cannot be uploaded: restore it from a backup, then retry sync.`);
    }
    await s3.ensureBucket(bucket);
    const enc = (v: string) => encodeURIComponent(v);
    const put = await s3.put({
      bucket,
      key: keys.data,
      file,
      size: c.byte_size,
      md5: c.md5,
      sha256: c.sha256,
      metadata: {
        'heimdall-capture-id': c.id,
        'heimdall-session-id': c.session_id ?? '',
        'heimdall-receiver': enc(c.receiver_name),
        'heimdall-datatype': c.datatype,
        'heimdall-sample-count': String(c.sample_count),
        'heimdall-sample-rate': String(c.sample_rate),
      },
    });
    if (put.md5 && !c.md5) captures.setMd5(c.id, put.md5);
    const metaBytes = Buffer.from(captureSigmfMetaJson(c, captures.segments(c.id), captures.stamps(c.id), opts.stationName()));
    await s3.put({
      bucket,
      key: keys.meta,
      bytes: metaBytes,
      size: metaBytes.byteLength,
      md5: createHash('md5').update(metaBytes).digest('hex'),
      sha256: createHash('sha256').update(metaBytes).digest('hex'),
      metadata: { 'heimdall-capture-id': c.id },
    });
    return { location: s3Location(bucket, keys.data), sent: put.sent };
  }

  async function s3Phase(r: ResolvedSyncSettings, s3: S3Target, result: PassResult) {
    const until = now() + phaseBudgetMs;
    while (!stopRequested && now() >= downUntil.s3 && now() < until) {
      const items = outbox.due('s3', now(), 16);
      if (!items.length) return;
      for (const it of items) {
        if (stopRequested || now() >= until) return;
        const c = captures.get(it.item_id);
        if (!c) {
          outbox.markError(it.id, 'failed', now(), `capture ${it.item_id} no longer exists in the local store`);
          continue;
        }
        try {
          const { location, sent } = await uploadCapture(r, s3, c);
          outbox.markDone(it.id, location);
          if (sent) result.objectsUploaded++;
          else result.objectsAlreadyThere++;
          result.itemsDone++;
          downAttempts.s3 = 0;
        } catch (e) {
          const local = e instanceof LocalSyncError;
          const d = local ? { message: (e as Error).message, transient: false } : s3.describe(e, r.settings.s3.rawBucket);
          recordFailure('s3', [it], d, result, local);
          if (d.transient) return;
        }
        await yieldToLoop();
      }
    }
  }

  /**
   * A capture's rows, a page at a time as the COPY asks for them: reading overlaps PostgreSQL's work,
   * and each page is its own statement, so other writers of the store are never kept waiting.
   */
  function* pagedMeasurements(captureId: string): Generator<SyncMeasurement> {
    for (let after = ''; ; ) {
      const page = measurements.syncPage(captureId, after, 2000);
      yield* page;
      if (page.length < 2000) return;
      after = page[page.length - 1]![0];
    }
  }

  function loadBatch(ready: (OutboxRow & { s3_location: string })[], budgetRows: number) {
    const chosen: { item: OutboxRow; rows: CaptureRowsItem }[] = [];
    let rows = 0;
    for (const it of ready) {
      const c = captures.get(it.item_id);
      if (!c) continue;
      const count = measurements.countFor(c.id);
      // Iterable again from the start each time (a COPY retried as text, or through the temp table, reads them anew).
      const rowsOf: Iterable<SyncMeasurement> = { [Symbol.iterator]: () => pagedMeasurements(c.id) };
      chosen.push({ item: it, rows: { capture: c, location: it.s3_location, measurements: rowsOf, timeBase: capturedTimeBase(c, captures.segments(c.id), captures.stamps(c.id)) } });
      rows += count;
      if (rows >= budgetRows) break;
    }
    const sessionRows = new Map<string, SessionRow>();
    const sourceRows = new Map<string, KnownSourceRow>();
    for (const { rows: r } of chosen) {
      const sid = r.capture.session_id;
      if (!sid || sessionRows.has(sid)) continue;
      const s = sessions.getSession(sid);
      if (!s) continue;
      sessionRows.set(sid, s);
      if (s.known_source_id && !sourceRows.has(s.known_source_id)) {
        const src = sessions.getSource(s.known_source_id);
        if (src) sourceRows.set(src.id, src);
      }
    }
    return { chosen, sessions: [...sessionRows.values()], sources: [...sourceRows.values()] };
  }

  async function pgPhase(r: ResolvedSyncSettings, pg: PgTarget, result: PassResult) {
    const budget = r.settings.batchRows;
    const until = now() + phaseBudgetMs;
    while (!stopRequested && now() >= downUntil.pg && now() < until) {
      const ready = outbox.duePgReady(now(), 2_000);
      if (!ready.length) return;
      const batch = loadBatch(ready, budget);
      if (!batch.chosen.length) return;
      await yieldToLoop();
      try {
        result.rowsInserted += await pg.writeBatch({ items: batch.chosen.map((c) => c.rows), sessions: batch.sessions, sources: batch.sources, stationName: opts.stationName() });
        // An item whose capture gained rows meanwhile (requeued) stays pending: its new rows go next time.
        outbox.markDoneMany(batch.chosen.map((c) => c.item), { unlessRequeued: true });
        result.itemsDone += batch.chosen.length;
        downAttempts.pg = 0;
      } catch (e) {
        const d = pg.describe(e);
        recordFailure('pg', batch.chosen.map((c) => c.item), d, result, false);
        if (d.transient) return;
      }
      await yieldToLoop();
    }
  }

  return {
    async runPass(): Promise<PassResult> {
      stopRequested = false;
      const result: PassResult = { objectsUploaded: 0, objectsAlreadyThere: 0, rowsInserted: 0, itemsDone: 0, errors: [] };
      const r = opts.settings();
      if (!isConfigured(r)) return result;
      const t = await currentTargets(r);
      await s3Phase(r, t.s3, result);
      await pgPhase(r, t.pg, result);
      for (const e of result.errors.slice(0, 3)) log.warn(`sync ${e.target}: ${e.message}`);
      return result;
    },
    /** When the next pass has something to do (ms since epoch), or null when nothing is pending. */
    nextWakeMs(): number | null {
      let best: number | null = null;
      for (const target of ['s3', 'pg'] as const) {
        const due = outbox.nextDueMs(target);
        if (due === null) continue;
        const at = Math.max(due, downUntil[target]);
        best = best === null ? at : Math.min(best, at);
      }
      return best;
    },
    /** Forget target backoff (operator pressed "sync now" or "retry"). */
    resetBackoff() {
      downUntil.s3 = downUntil.pg = 0;
      downAttempts.s3 = downAttempts.pg = 0;
    },
    requestStop() {
      stopRequested = true;
    },
    async close(): Promise<void> {
      stopRequested = true;
      const t = targets;
      targets = null;
      await t?.pg.close();
    },
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
