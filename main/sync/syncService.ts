import {
  syncTargetSchema,
  type SyncConnectionTest,
  type SyncErrorInfo,
  type SyncSettingsView,
  type SyncStatus,
  type SyncTarget,
} from '../../shared/domain/syncSettings';
import { type Logger } from '../base/log';
import { type SecretStore } from '../secrets/secretStore';
import { type CaptureStore } from '../store/captureStore';
import { type Db } from '../store/database';
import { createOutboxRepo } from '../store/outboxRepo';
import { type BackoffPolicy } from './backoff';
import { createSyncEngine, isConfigured, type PassResult } from './syncEngine';
import { createSyncSettingsRepo } from './syncSettingsRepo';
import { readSyncStatus } from './syncStatusQuery';

export interface SyncServiceOptions {
  db: Db;
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  captureStore: CaptureStore;
  stationName?: () => string;
  backoff?: BackoffPolicy;
  maxAttempts?: number;
  random?: () => number;
  /** Run even when the settings say disabled (the `sync` command is an explicit request). */
  ignoreEnabledSetting?: boolean;
}

export type SyncStatusListener = (status: SyncStatus) => void;

/**
 * The station's sync: owns the engine and its loop, wakes on new captures, never runs on the
 * capture path (captures only add outbox rows). start/stop/pause/resume/retryFailed/syncNow for
 * the API and the CLI; status events for the Sync page.
 */
export function createSyncService(opts: SyncServiceOptions) {
  const { db, log } = opts;
  const settingsRepo = createSyncSettingsRepo(db, opts.secrets);
  const outbox = createOutboxRepo(db);
  const stationName = opts.stationName ?? (() => 'Heimdall Station');
  const engine = createSyncEngine({ db, dataDir: opts.dataDir, log, settings: settingsRepo.resolved, stationName, backoff: opts.backoff, maxAttempts: opts.maxAttempts, random: opts.random });
  const listeners = new Set<SyncStatusListener>();
  let running = false;
  let paused = false;
  let passing: Promise<PassResult> | null = null;
  let loopDone: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let wakeRequested = false;
  let lastRunAt: string | null = null;
  let lastSuccessAt: string | null = null;
  let lastError: SyncErrorInfo | null = null;
  let lastPassHadErrors = false;

  const liveState = (): SyncStatus['state'] => {
    const r = settingsRepo.resolved();
    if (!isConfigured(r)) return 'not_configured';
    if (!r.settings.enabled && !opts.ignoreEnabledSetting) return 'disabled';
    if (paused) return 'paused';
    if (passing) return 'syncing';
    if (!running) return 'stopped';
    return lastPassHadErrors ? 'waiting_retry' : 'idle';
  };
  const status = (): SyncStatus => readSyncStatus(db, { state: liveState(), lastRunAt, lastSuccessAt, lastError });
  const emit = () => {
    if (!listeners.size) return;
    const s = status();
    for (const l of listeners) l(s);
  };
  const kick = () => {
    wakeRequested = true;
    wake?.();
  };
  const unsubscribe = opts.captureStore.onCommitted(() => kick());

  /** One pass; concurrent callers share it. */
  function runOnce(): Promise<PassResult> {
    if (passing) return passing;
    passing = (async () => {
      lastRunAt = new Date().toISOString();
      emit();
      try {
        const res = await engine.runPass();
        lastPassHadErrors = res.errors.length > 0;
        if (res.errors.length) lastError = res.errors[res.errors.length - 1]!;
        else if (res.itemsDone > 0 || lastError) {
          lastSuccessAt = new Date().toISOString();
          if (res.itemsDone > 0) lastError = null;
        }
        const days = settingsRepo.get().retentionDays;
        if (days !== null) {
          const ret = opts.captureStore.applyRetention(days);
          if (ret.deleted) log.info(`retention: deleted ${ret.deleted} synced sample file(s), ${(ret.freedBytes / 1e6).toFixed(1)} MB freed`);
        }
        return res;
      } finally {
        passing = null;
        emit();
      }
    })();
    return passing;
  }

  async function loop(): Promise<void> {
    while (running) {
      const r = settingsRepo.resolved();
      if (!paused && (r.settings.enabled || opts.ignoreEnabledSetting) && isConfigured(r)) {
        try {
          await runOnce();
        } catch (e) {
          // A bug here must not kill the loop: report it and try again later.
          lastError = { target: 'pg', message: `sync pass failed unexpectedly: ${(e as Error).message}`, at: new Date().toISOString() };
          log.error(lastError.message);
        }
      }
      if (!running) break;
      const intervalMs = r.settings.intervalSeconds * 1000;
      const next = engine.nextWakeMs();
      const waitMs = paused || next === null ? intervalMs : Math.max(20, Math.min(intervalMs, next - Date.now()));
      if (wakeRequested) {
        wakeRequested = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
      wakeRequested = false;
    }
  }

  return {
    /** Settings with secrets, for station code that talks to the central store itself (dataset upload). */
    resolvedSettings: () => settingsRepo.resolved(),
    settings: {
      get: (): SyncSettingsView => settingsRepo.view(),
      update(input: unknown): SyncSettingsView {
        const v = settingsRepo.update(input);
        engine.resetBackoff();
        kick();
        emit();
        return v;
      },
    },
    start(): void {
      if (running) return;
      running = true;
      loopDone = loop();
      emit();
    },
    async stop(): Promise<void> {
      running = false;
      engine.requestStop();
      wake?.();
      await loopDone;
      await passing?.catch(() => undefined);
      unsubscribe();
      await engine.close();
    },
    pause(): SyncStatus {
      paused = true;
      engine.requestStop();
      emit();
      return status();
    },
    resume(): SyncStatus {
      paused = false;
      kick();
      emit();
      return status();
    },
    retryFailed(target?: SyncTarget): SyncStatus {
      const t = target === undefined ? undefined : syncTargetSchema.parse(target);
      const n = outbox.retryFailed(t);
      outbox.wakeAll();
      engine.resetBackoff();
      if (n) log.info(`sync: ${n} failed item(s) queued again`);
      kick();
      emit();
      return status();
    },
    /** Starts a pass now (returns at once); with the loop stopped it runs a single pass. */
    syncNow(): SyncStatus {
      outbox.wakeAll();
      engine.resetBackoff();
      if (running) kick();
      else void runOnce().catch((e: unknown) => log.error(`sync failed: ${(e as Error).message}`));
      return status();
    },
    runOnce,
    /**
     * Passes until nothing is pending, or until only items waiting on a failing target remain
     * past `deadlineMs` (CLI `sync --once`, tests).
     */
    async drain(deadlineMs = 60_000): Promise<{ passes: number; errors: SyncErrorInfo[]; complete: boolean }> {
      const end = Date.now() + deadlineMs;
      let passes = 0;
      const errors: SyncErrorInfo[] = [];
      for (;;) {
        const res = await runOnce();
        passes++;
        errors.push(...res.errors);
        const next = engine.nextWakeMs();
        if (next === null) return { passes, errors, complete: true };
        if (Date.now() >= end) return { passes, errors, complete: false };
        await new Promise((r) => setTimeout(r, Math.max(10, Math.min(next - Date.now(), end - Date.now()))));
      }
    },
    status,
    on(listener: SyncStatusListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Tries saved settings, or unsaved ones from the form merged over them. */
    async testConnection(target: 's3' | 'pg' | 'both' = 'both', unsaved?: unknown): Promise<SyncConnectionTest> {
      const r = unsaved === undefined ? settingsRepo.resolved() : settingsRepo.merge(settingsRepo.resolved(), unsaved);
      const out: SyncConnectionTest = { s3: null, pg: null };
      const [{ createS3Target }, { createPgTarget }] = await Promise.all([import('./s3Target'), import('./pgTarget')]);
      if (target !== 'pg') {
        out.s3 = r.settings.s3.endpoint
          ? await createS3Target(r.settings.s3, r.s3SecretKey).testConnection(r.settings.s3.rawBucket)
          : { ok: false, message: 'No object store endpoint is set: enter the MinIO/S3 host in the central store settings (Sync page, or `heimdall-station sync configure`).' };
      }
      if (target !== 's3') {
        if (!r.settings.postgres.url) out.pg = { ok: false, message: 'No PostgreSQL URL is set: enter postgres://user@host:5432/database in the central store settings (Sync page, or `heimdall-station sync configure`).' };
        else {
          const pg = createPgTarget(r.settings.postgres, r.pgPassword, log);
          try {
            out.pg = await pg.testConnection();
          } finally {
            await pg.close();
          }
        }
      }
      return out;
    },
  };
}
export type SyncService = ReturnType<typeof createSyncService>;
