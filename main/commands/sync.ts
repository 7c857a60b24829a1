/**
 * `heimdall-station sync [--once] [--data-dir D]`: uploads what the station holds offline to the
 * central store (MinIO + PostgreSQL) set with `sync configure` or on the Sync page. Without --once
 * it keeps running (Ctrl-C stops it cleanly); with --once it drains the outbox and exits.
 * Both go through the station API the UI uses (drainSync; the sync.status events of stationEvents).
 * `sync configure` sets the central store from a terminal (secrets from the environment).
 */
import { type Command } from 'commander';
import { type SyncSettingsView, type SyncStatus } from '../../shared/domain/syncSettings';
import { StationError } from '../../shared/errors';
import { consoleLogger } from '../base/log';
import { positiveArg } from './args';
import { dataDirOption, openLocalStation, resolveDataDir, stationExists } from './localClient';
import { registerSyncConfigureCommand } from './syncConfigure';

const counts = (st: SyncStatus) => st.outbox.map((c) => `${c.target} ${c.state} ${c.count}`).join(', ') || 'empty';
const configured = (v: SyncSettingsView) => Boolean(v.s3.endpoint && v.postgres.url);

export function registerSyncCommand(program: Command): void {
  const cmd = program
    .command('sync')
    .summary('upload what is kept offline to the central store; `sync configure` sets it')
    // `sync configure --data-dir D`: options after the subcommand are the subcommand's.
    .enablePositionalOptions()
    .description('upload captures and measurements kept offline to the central store (MinIO + PostgreSQL), idempotently: sample objects first, then rows in the heimdall schema')
    .option('--once', 'drain the outbox once and exit (exit code 1 if something could not be synced)', false)
    .option('--timeout <s>', 'with --once: give up after this many seconds', positiveArg('--timeout', 'seconds'), 600)
    .option('--quiet', 'only warnings and errors', false)
    .option(...dataDirOption)
    .action(async (o: { once: boolean; dataDir?: string; timeout: number; quiet: boolean }) => {
      const dataDir = resolveDataDir(o.dataDir);
      if (!stationExists(dataDir)) {
        throw new StationError('not_found', `There is no station in ${dataDir}, so there is nothing to sync (nothing was created there). Check --data-dir.`);
      }
      const log = consoleLogger('sync', o.quiet);
      // An explicit `sync` runs even when the settings say disabled (that switch is for the background loop);
      // without --once the station's sync loop runs as under `serve` (it makes no pass while nothing is configured),
      // and its status arrives on the event stream the Sync page listens to.
      const { station, client } = await openLocalStation(o.dataDir, { mode: 'read', quiet: o.quiet, syncWhenDisabled: true, backgroundSync: !o.once });
      try {
        if (!configured(await client.getSyncSettings())) {
          throw new StationError('invalid_input', `The central store is not configured for ${dataDir}: set it with \`heimdall-station sync configure --s3-endpoint <host> --pg-url postgres://user@host/db ...\` (or on the Sync page of the station UI), then run sync again.`);
        }
        if (o.once) {
          const { complete, status: st } = await client.drainSync({ timeoutSeconds: o.timeout });
          console.log(`sync ${complete ? 'complete' : 'incomplete'}: ${st.captures} captures, ${st.measurements} measurements; outbox: ${counts(st)}`);
          if (!complete || st.outbox.some((c) => c.state !== 'done')) {
            if (st.lastError) console.error(`last error (${st.lastError.target}): ${st.lastError.message}`);
            process.exitCode = 1;
          }
          return;
        }
        log.info(`syncing ${dataDir} (Ctrl-C to stop)`);
        let last = '';
        const off = client.subscribe('stationEvents', {}, ({ header: e }) => {
          if (e.type !== 'sync.status') return;
          const st = e.status;
          const line = `${st.state}: ${counts(st)}${st.lastError ? ` - ${st.lastError.message}` : ''}`;
          if (line !== last) log.info(line);
          last = line;
        });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        off();
      } finally {
        await station.close();
      }
    });
  registerSyncConfigureCommand(cmd);
}
