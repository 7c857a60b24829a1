/**
 * `heimdall-station sync [--once] [--data-dir D]`: uploads what the station holds offline to the
 * central store (MinIO + PostgreSQL) configured in Settings > Central store. Without --once it
 * keeps running (Ctrl-C stops it cleanly); with --once it drains the outbox and exits.
 */
import path from 'node:path';
import { type Command } from 'commander';
import { StationError } from '../../shared/errors';
import { consoleLogger } from '../log';
import { defaultDataDir } from '../paths';

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('upload captures and measurements kept offline to the central store (MinIO + PostgreSQL)')
    .option('--once', 'drain the outbox once and exit (exit code 1 if something could not be synced)', false)
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .option('--timeout <s>', 'with --once: give up after this many seconds', (v) => Number(v), 600)
    .option('--quiet', 'only warnings and errors', false)
    .action(async (o: { once: boolean; dataDir?: string; timeout: number; quiet: boolean }) => {
      // Loaded here, not at CLI start-up: pg, minio and better-sqlite3 are only needed by this command.
      const [{ fileSecretStore, withEnvironmentOverrides }, { createCaptureStore }, { openDatabase }, { createSyncService }, { createSyncSettingsRepo, isConfigured }] = await Promise.all([
        import('../secrets/secretStore'),
        import('../store/captureStore'),
        import('../store/database'),
        import('../sync/syncService'),
        import('../sync/syncSettingsRepo'),
      ]);
      const log = consoleLogger('sync', o.quiet);
      const dataDir = path.resolve(o.dataDir ?? defaultDataDir());
      const opened = openDatabase(dataDir, log);
      const secrets = withEnvironmentOverrides(fileSecretStore(path.join(dataDir, 'secrets.json')));
      try {
        if (!isConfigured(createSyncSettingsRepo(opened.db, secrets).resolved())) {
          throw new StationError('invalid_input', `The central store is not configured for ${dataDir}: set the MinIO endpoint and the PostgreSQL URL in Settings > Central store, then run sync again.`);
        }
        const store = createCaptureStore({ db: opened.db, dataDir, log });
        store.recoverOrphans();
        const sync = createSyncService({ db: opened.db, dataDir, secrets, log, captureStore: store, ignoreEnabledSetting: true });
        if (o.once) {
          const r = await sync.drain(o.timeout * 1000);
          const st = sync.status();
          await sync.stop();
          const counts = st.outbox.map((c) => `${c.target} ${c.state} ${c.count}`).join(', ') || 'empty';
          console.log(`sync ${r.complete ? 'complete' : 'incomplete'}: ${st.captures} captures, ${st.measurements} measurements; outbox: ${counts}`);
          const failed = st.outbox.some((c) => c.state !== 'done');
          if (!r.complete || failed) {
            if (st.lastError) console.error(`last error (${st.lastError.target}): ${st.lastError.message}`);
            process.exitCode = 1;
          }
          return;
        }
        sync.start();
        log.info(`syncing ${dataDir} (Ctrl-C to stop)`);
        let last = '';
        const off = sync.on((st) => {
          const line = `${st.state}: ${st.outbox.map((c) => `${c.target} ${c.state} ${c.count}`).join(', ')}${st.lastError ? ` - ${st.lastError.message}` : ''}`;
          if (line !== last) log.info(line);
          last = line;
        });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        off();
        await sync.stop();
      } finally {
        opened.close();
      }
    });
}
