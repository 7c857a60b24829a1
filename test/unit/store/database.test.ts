import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../main/store/migrations/index';
import { migrate, openDatabase } from '../../../main/store/database';
import { silentLogger } from '../../../main/base/log';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const freshDir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('SQLite store', () => {
  it('numbers migrations 1, 2, 3... with no gaps, so each database knows exactly where it stands', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('opens in WAL mode with foreign keys on and the latest schema', () => {
    const dir = freshDir();
    const store = openDatabase(dir, silentLogger);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(store.recoveredFromUncleanShutdown).toBe(false);
    store.close();
    expect(fs.existsSync(path.join(dir, 'station.running'))).toBe(false);
  });

  it('notices an unclean shutdown (marker of a dead process), checks integrity and keeps the data', () => {
    const dir = freshDir();
    const first = openDatabase(dir, silentLogger);
    first.db.prepare("INSERT INTO settings(key, value) VALUES ('callsign', '\"IK1ABC\"')").run();
    first.db.close(); // no clean close: the marker stays, as after kill -9
    // A pid that cannot be alive stands in for the crashed process.
    fs.writeFileSync(path.join(dir, 'station.running'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const second = openDatabase(dir, silentLogger);
    expect(second.recoveredFromUncleanShutdown).toBe(true);
    expect(second.db.prepare("SELECT value FROM settings WHERE key='callsign'").get()).toEqual({ value: '"IK1ABC"' });
    second.close();
  });

  it('refuses a data directory held by another live station', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'station.running'), JSON.stringify({ pid: process.ppid }));
    expect(() => openDatabase(dir, silentLogger)).toThrow(/Another Heimdall Station .* is using the data directory/);
  });

  it('refuses a database written by a newer app instead of downgrading it', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/schema version 999, newer than this app/);
  });

  it('applies only the migrations a database lacks', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='receivers'").all();
    expect(tables).toHaveLength(1);
  });

  it('tells the operator when the data directory cannot be written', () => {
    const dir = freshDir();
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    expect(() => openDatabase(path.join(file, 'sub'), silentLogger)).toThrow(/cannot be written .*Choose a writable --data-dir/);
  });
});
