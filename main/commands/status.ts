/**
 * `heimdall-station status [--json] [--data-dir D]`: what the store holds and how far sync got.
 * Reads the database read-only, so it works while a station is running on the same directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Command } from 'commander';
import { type SyncStatus } from '../../shared/domain/syncSettings';
import { StationError } from '../../shared/errors';
import { defaultDataDir } from '../paths';
import { fileSecretStore, withEnvironmentOverrides } from '../secrets/secretStore';
import { isConfigured } from '../sync/syncEngine';
import { createSyncSettingsRepo } from '../sync/syncSettingsRepo';
import { readSyncStatus } from '../sync/syncStatusQuery';

const OUTBOX_SCHEMA_VERSION = 4;

export interface StationStoreStatus {
  dataDir: string;
  schemaVersion: number;
  running: boolean;
  sync: SyncStatus;
}

export function readStoreStatus(dataDir: string): StationStoreStatus {
  const file = path.join(dataDir, 'station.sqlite');
  if (!fs.existsSync(file)) throw new StationError('not_found', `There is no station database in ${dataDir}. Check --data-dir, or start the station once to create it.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const running = fs.existsSync(path.join(dataDir, 'station.running'));
    if (schemaVersion < OUTBOX_SCHEMA_VERSION) {
      const empty: SyncStatus = { state: 'not_configured', lastRunAt: null, lastSuccessAt: null, lastError: null, captures: 0, measurements: 0, outbox: [], pendingBytes: 0, nextRetryAt: null };
      return { dataDir, schemaVersion, running, sync: empty };
    }
    const settings = createSyncSettingsRepo(db, withEnvironmentOverrides(fileSecretStore(path.join(dataDir, 'secrets.json'))));
    const r = settings.resolved();
    const state: SyncStatus['state'] = !isConfigured(r) ? 'not_configured' : !r.settings.enabled ? 'disabled' : running ? 'idle' : 'stopped';
    return { dataDir, schemaVersion, running, sync: readSyncStatus(db, { state, lastRunAt: null, lastSuccessAt: null, lastError: null }) };
  } finally {
    db.close();
  }
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('counts of captures, measurements and sync outbox items by state and target, and the last sync error')
    .option('--json', 'print JSON', false)
    .option('--data-dir <dir>', 'the station data directory (default: the user data folder, or $HEIMDALL_DATA_DIR)')
    .action((o: { json: boolean; dataDir?: string }) => {
      const st = readStoreStatus(path.resolve(o.dataDir ?? defaultDataDir()));
      if (o.json) {
        console.log(JSON.stringify(st, null, 2));
        return;
      }
      const s = st.sync;
      console.log(`data directory: ${st.dataDir}${st.running ? ' (a station is running on it)' : ''}`);
      console.log(`captures: ${s.captures}, measurements: ${s.measurements}, sample bytes to upload: ${s.pendingBytes}`);
      console.log(`sync: ${s.state}`);
      for (const c of s.outbox) console.log(`  ${c.target.padEnd(3)} ${c.state.padEnd(8)} ${c.count}`);
      if (s.lastError) console.log(`last error (${s.lastError.target}, ${s.lastError.at}): ${s.lastError.message}`);
    });
}
