import { type Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'receiver health probes',
  sql: `
    CREATE TABLE receiver_health (
      receiver_id TEXT NOT NULL REFERENCES receivers(id) ON DELETE CASCADE,
      probed_at TEXT NOT NULL,
      online INTEGER NOT NULL,
      latency_ms INTEGER,
      users INTEGER,
      users_max INTEGER,
      gps_good INTEGER,
      detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX receiver_health_by_receiver ON receiver_health(receiver_id, probed_at DESC);
  `,
};
