import { type Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'receivers and settings',
  sql: `
    CREATE TABLE receivers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('kiwisdr', 'openwebrx')),
      url TEXT NOT NULL,
      lat REAL,
      lon REAL,
      alt REAL,
      active INTEGER NOT NULL DEFAULT 1,
      notes TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX receivers_url ON receivers(url);
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
