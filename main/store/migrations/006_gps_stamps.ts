import { type Migration } from './types';

/**
 * Every block's GPS stamp as the receiver sent it, so a capture's time base can be rebuilt (and
 * audited, and exported) instead of trusting a time computed once; keyed like measurements (capture,
 * then sample) in one B-tree. agc: whether the receiver's AGC was on (KiwiSDR shifts its stamps for
 * its filter delays, and did so differently with AGC on); null when unknown (imports).
 */
export const migration006: Migration = {
  version: 6,
  name: 'GPS stamps per block; AGC state of a capture',
  sql: `
    CREATE TABLE capture_gps_stamps (
      capture_id TEXT NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
      sample_index INTEGER NOT NULL,
      seq INTEGER,
      fix_age_s INTEGER NOT NULL,
      gpssec INTEGER NOT NULL,
      gpsnsec INTEGER NOT NULL,
      PRIMARY KEY (capture_id, sample_index)
    ) WITHOUT ROWID;
    ALTER TABLE captures ADD COLUMN agc INTEGER;
  `,
};
