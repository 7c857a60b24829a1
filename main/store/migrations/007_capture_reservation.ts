import { type Migration } from './types';

/**
 * A capture is reserved before its first sample (its row exists while it records, so measurements
 * commit as they arrive and a crash leaves a row to adopt the partial file into), and its hashes are
 * computed once, as the bytes pass: sha512 (SigMF core:sha512) and md5 (the S3 ETag) join sha256.
 * Reserved rows (recording = 1) are not acknowledged: listings, status and sync leave them out.
 */
export const migration007: Migration = {
  version: 7,
  name: 'capture reservation while recording; sha512 per capture',
  sql: `
    ALTER TABLE captures ADD COLUMN recording INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE captures ADD COLUMN sha512 TEXT;
    CREATE INDEX captures_recording ON captures(recording) WHERE recording = 1;
  `,
};
