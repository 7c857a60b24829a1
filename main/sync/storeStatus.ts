/**
 * What `heimdall-station status` reports, read from the database read-only, so it works while a
 * station is running on the same directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type SyncStatus } from '../../shared/domain/syncSettings';
import { fileSecretStore, withEnvironmentOverrides } from '../secrets/secretStore';
import { createSyncSettingsRepo, isConfigured } from './syncSettingsRepo';
import { readSyncStatus } from './syncStatusQuery';

const OUTBOX_SCHEMA_VERSION = 4;

export interface StationStoreStatus {
  dataDir: string;
  /** False for a folder that holds no station (yet). */
  exists: boolean;
  schemaVersion: number;
  running: boolean;
  sync: SyncStatus;
}

const emptySync = (): SyncStatus => ({ state: 'not_configured', lastRunAt: null, lastSuccessAt: null, lastError: null, captures: 0, measurements: 0, outbox: [], pendingBytes: 0, nextRetryAt: null });

/** A folder without a station reads as an empty one (nothing is created to say so). */
export function readStoreStatus(dataDir: string): StationStoreStatus {
  const file = path.join(dataDir, 'station.sqlite');
  if (!fs.existsSync(file)) return { dataDir, exists: false, schemaVersion: 0, running: false, sync: emptySync() };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const running = fs.existsSync(path.join(dataDir, 'station.running'));
    if (schemaVersion < OUTBOX_SCHEMA_VERSION) return { dataDir, exists: true, schemaVersion, running, sync: emptySync() };
    const settings = createSyncSettingsRepo(db, withEnvironmentOverrides(fileSecretStore(path.join(dataDir, 'secrets.json'))));
    const r = settings.resolved();
    const state: SyncStatus['state'] = !isConfigured(r) ? 'not_configured' : !r.settings.enabled ? 'disabled' : running ? 'idle' : 'stopped';
    return { dataDir, exists: true, schemaVersion, running, sync: readSyncStatus(db, { state, lastRunAt: null, lastSuccessAt: null, lastError: null }) };
  } finally {
    db.close();
  }
}

