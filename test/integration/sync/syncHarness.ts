/** A station store + sync service wired to the test PostgreSQL and S3, as createStation will wire them. */
import path from 'node:path';
import { silentLogger, type Logger } from '../../../main/base/log';
import { fileSecretStore, type SecretStore } from '../../../main/secrets/secretStore';
import { createCaptureStore, type CaptureStore } from '../../../main/store/captureStore';
import { openDatabase, type OpenedDatabase } from '../../../main/store/database';
import { createSyncService, type SyncService } from '../../../main/sync/syncService';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';

export interface SyncRig {
  opened: OpenedDatabase;
  store: CaptureStore;
  sync: SyncService;
  secrets: SecretStore;
  close(): Promise<void>;
}

export function syncSettingsFor(pg: TestPostgres, s3: TestS3, extra: Record<string, unknown> = {}) {
  return {
    enabled: true,
    intervalSeconds: 1,
    s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey },
    postgres: { url: pg.url },
    secretKey: s3.secretKey,
    postgresPassword: pg.password,
    ...extra,
  };
}

export function openRig(dataDir: string, pg: TestPostgres, s3: TestS3, opts: { log?: Logger; configure?: boolean; settings?: Record<string, unknown> } = {}): SyncRig {
  const log = opts.log ?? silentLogger;
  const opened = openDatabase(dataDir, log);
  const secrets = fileSecretStore(path.join(dataDir, 'secrets.json'));
  const store = createCaptureStore({ db: opened.db, dataDir, log, diskMarginBytes: () => 0 });
  store.recoverOrphans();
  // Fast backoff so flapping tests finish quickly; production uses 1 s .. 5 min.
  const sync = createSyncService({ db: opened.db, dataDir, secrets, log, captureStore: store, backoff: { baseMs: 50, maxMs: 500 } });
  if (opts.configure !== false) sync.settings.update(syncSettingsFor(pg, s3, opts.settings));
  return {
    opened,
    store,
    sync,
    secrets,
    async close() {
      await sync.stop();
      opened.close();
    },
  };
}
