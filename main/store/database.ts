import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../shared/errors';
import { type Logger } from '../base/log';
import { migrations as allMigrations } from './migrations/index';
import { type Migration } from './migrations/types';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  /** The previous run did not close the store (crash, kill -9, power loss): integrity was checked. */
  recoveredFromUncleanShutdown: boolean;
  close(): void;
}

const DB_FILE = 'station.sqlite';
const RUNNING_MARKER = 'station.running';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data directory with a marker holding our pid. A marker left by a dead process means the
 * last run ended uncleanly; one held by a live process means another station owns the directory.
 */
function claimDataDir(dataDir: string): { unclean: boolean } {
  const marker = path.join(dataDir, RUNNING_MARKER);
  let unclean = false;
  try {
    const prev = JSON.parse(fs.readFileSync(marker, 'utf8')) as { pid?: unknown };
    const pid = typeof prev.pid === 'number' ? prev.pid : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) {
      throw new StationError(
        'conflict',
        `Another Heimdall Station (pid ${pid}) is using the data directory ${dataDir}. Stop it first, or choose another --data-dir.`,
      );
    }
    unclean = true;
  } catch (e) {
    if (e instanceof StationError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') unclean = true;
  }
  fs.writeFileSync(marker, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  return { unclean };
}

export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StationError(
      'conflict',
      `The station database is at schema version ${current}, newer than this app understands (${latest}). Update Heimdall Station, or use another data directory.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export function openDatabase(dataDir: string, log: Logger): OpenedDatabase {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (e) {
    throw new StationError(
      'unavailable',
      `The data directory ${dataDir} cannot be written (${(e as Error).message}). Choose a writable --data-dir or fix its permissions.`,
    );
  }
  const { unclean } = claimDataDir(dataDir);
  const file = path.join(dataDir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    fs.rmSync(path.join(dataDir, RUNNING_MARKER), { force: true });
    throw new StationError('unavailable', `The station database ${file} cannot be opened (${(e as Error).message}). Move it aside and restart to begin a new one.`);
  }
  if (unclean) {
    const result = db.pragma('integrity_check') as { integrity_check: string }[];
    const ok = result.length === 1 && result[0]?.integrity_check === 'ok';
    if (!ok) {
      db.close();
      fs.rmSync(path.join(dataDir, RUNNING_MARKER), { force: true });
      const detail = result.slice(0, 3).map((r) => r.integrity_check).join('; ');
      throw new StationError(
        'internal',
        `The station database ${file} is damaged after an unclean shutdown (${detail}). Keep a copy of it, then restore a backup or move it aside to start fresh.`,
      );
    }
    log.warn(`the previous run did not shut down cleanly; database integrity check: ok`);
  }
  migrate(db);
  return {
    db,
    recoveredFromUncleanShutdown: unclean,
    close() {
      if (!db.open) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      fs.rmSync(path.join(dataDir, RUNNING_MARKER), { force: true });
    },
  };
}
