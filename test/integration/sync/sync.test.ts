import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Logger } from '../../../main/base/log';
import { createSessionsRepo } from '../../../main/store/sessionsRepo';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { prng, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';
import { openRig } from './syncHarness';

let pg: TestPostgres;
let s3: TestS3;
const cleanups: (() => void)[] = [];

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(async () => {
  cleanups.forEach((c) => c());
});

const fresh = () => {
  const t = tempDir('heimdall-sync-');
  cleanups.push(t.cleanup);
  return t.dir;
};

const parseLocation = (loc: string) => {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(loc);
  if (!m) throw new Error(`not an s3:// location: ${loc}`);
  return { bucket: m[1]!, key: m[2]! };
};

describe('offline first, then sync (real PostgreSQL + S3)', () => {
  it('syncs captures written offline: every row lands in heimdall.measurements pointing at an object with the same bytes; a second sync changes nothing', async () => {
    const dir = fresh();
    const rig = openRig(dir, pg, s3, { configure: false });
    const rand = prng(42);
    const sessions = createSessionsRepo(rig.opened.db);
    const source = sessions.createSource({ name: 'Beacon IQ1ZW', frequencyHz: 145_500_000, lat: 44.4, lon: 8.95 });
    const session = sessions.createSession({ name: 'beacon run 1', knownSourceId: source.id });
    const ids = Array.from({ length: 12 }, (_, i) => writeSyntheticCapture(rig.store, rand, { windows: 25, sessionId: i % 2 ? session.id : null }));
    // Offline: nothing configured yet, everything waits in the outbox.
    expect(rig.sync.status().state).toBe('not_configured');
    expect(rig.sync.status().outbox).toEqual([
      { target: 'pg', state: 'pending', count: 12 },
      { target: 's3', state: 'pending', count: 12 },
    ]);
    rig.sync.settings.update({
      enabled: true,
      s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey },
      postgres: { url: pg.url },
      secretKey: s3.secretKey,
      postgresPassword: pg.password,
    });
    const first = await rig.sync.drain(30_000);
    expect(first.errors).toEqual([]);
    expect(first.complete).toBe(true);

    const local = rig.opened.db.prepare<[], { id: string; capture_id: string }>('SELECT id, capture_id FROM measurements').all();
    expect(local).toHaveLength(12 * 25);
    const remote = await pg.query<{ id: string; iq_data_location: string; station_capture_id: string; websdr_station_id: string }>(
      'SELECT id, iq_data_location, station_capture_id, websdr_station_id FROM heimdall.measurements',
    );
    expect(remote.rows).toHaveLength(local.length);
    expect(new Set(remote.rows.map((r) => r.id))).toEqual(new Set(local.map((r) => r.id)));
    // Each location holds exactly the local file's bytes.
    const byCapture = new Map(remote.rows.map((r) => [r.station_capture_id, r.iq_data_location]));
    expect(byCapture.size).toBe(12);
    for (const id of ids) {
      const c = rig.opened.db.prepare<[string], { file_path: string; sha256: string }>('SELECT file_path, sha256 FROM captures WHERE id = ?').get(id)!;
      const { bucket, key } = parseLocation(byCapture.get(id)!);
      expect(bucket).toBe('heimdall-raw-iq');
      expect(key).toMatch(/^sessions\/[0-9a-f-]{36}\/websdr_[a-z0-9_]+(_[0-9a-f-]{36})?\.sigmf-data$/);
      const bytes = await s3.getBytes(bucket, key);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(c.sha256);
      expect(bytes).toEqual(fs.readFileSync(path.join(dir, c.file_path)));
      const meta = JSON.parse((await s3.getBytes(bucket, key.replace(/\.sigmf-data$/, '.sigmf-meta'))).toString('utf8')) as { global: Record<string, unknown> };
      expect(meta.global['core:datatype']).toBe('ci16_le');
      expect(meta.global['heimdall:capture_id']).toBe(id);
    }
    // Receivers referenced are in websdr_stations, measurements point at them.
    const stations = await pg.query<{ id: string; name: string }>('SELECT id, name FROM heimdall.websdr_stations');
    const stationIds = new Set(stations.rows.map((s) => s.id));
    expect(remote.rows.every((r) => stationIds.has(r.websdr_station_id))).toBe(true);

    const remoteSession = await pg.query('SELECT session_name, known_source_id, status FROM heimdall.recording_sessions');
    expect(remoteSession.rows).toEqual([{ session_name: 'beacon run 1', known_source_id: source.id, status: 'in_progress' }]);

    const snapshot = async () => ({
      sessions: (await pg.query('SELECT id, updated_at::text FROM heimdall.recording_sessions')).rows,
      measurements: (await pg.query('SELECT count(*)::int AS n FROM heimdall.measurements')).rows[0],
      stations: (await pg.query("SELECT id, name, updated_at::text FROM heimdall.websdr_stations ORDER BY name")).rows,
      objects: (await s3.list('heimdall-raw-iq')).map((o) => `${o.name}:${o.size}:${o.etag}`).sort(),
    });
    const before = await snapshot();
    expect(before.objects).toHaveLength(24); // data + meta per capture
    // Second sync: requeue everything (as after losing the outbox state) and run again.
    rig.opened.db.prepare("UPDATE outbox SET state = 'pending', done_at = NULL").run();
    const second = await rig.sync.drain(30_000);
    expect(second.errors).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const pass = await rig.sync.runOnce();
    expect(pass.rowsInserted).toBe(0);
    expect(pass.objectsUploaded).toBe(0);
    await rig.close();
  });

  it('keeps secrets out of settings, status, logs and the settings table; the PostgreSQL password is split from the URL', async () => {
    const dir = fresh();
    const lines: string[] = [];
    const log: Logger = { info: (m, ...d) => lines.push(m, JSON.stringify(d)), warn: (m, ...d) => lines.push(m, JSON.stringify(d)), error: (m, ...d) => lines.push(m, JSON.stringify(d)) };
    const rig = openRig(dir, pg, s3, { log, configure: false });
    const pgSecret = 'Sup3r-Secret-PG-pw!';
    const s3Secret = 'S3cret-Key-Do-Not-Leak-9f8e7d';
    const u = new URL(pg.url);
    u.password = encodeURIComponent(pgSecret);
    const view = rig.sync.settings.update({ enabled: true, s3: { endpoint: '127.0.0.1', port: s3.port, accessKey: 'NOT-A-KEY' }, secretKey: s3Secret, postgres: { url: u.toString() } });
    expect(view.hasSecretKey).toBe(true);
    expect(view.hasPostgresPassword).toBe(true);
    expect(view.postgres.url).not.toContain(pgSecret);
    expect(rig.secrets.get('centralStore.postgres.password')).toBe(pgSecret);
    writeSyntheticCapture(rig.store, prng(7), { windows: 2 });
    // The credentials are wrong for these servers (s3rver does not check V4 signatures, so the access
    // key is the wrong part there), so errors are produced and logged.
    await rig.sync.runOnce();
    const tests = await rig.sync.testConnection('both');
    const everything = JSON.stringify([view, rig.sync.settings.get(), rig.sync.status(), tests, lines, rig.opened.db.prepare('SELECT * FROM settings').all(), rig.opened.db.prepare('SELECT * FROM outbox').all()]);
    for (const secret of [pgSecret, encodeURIComponent(pgSecret), s3Secret]) expect(everything).not.toContain(secret);
    expect(tests.pg?.ok).toBe(false);
    expect(tests.pg?.message).toMatch(/refused the password for user postgres: fix the password in the central store settings \(Sync page, or `heimdall-station sync configure`\)/);
    expect(tests.s3?.ok).toBe(false);
    expect(tests.s3?.message).toMatch(/does not know the access key: fix the access key in the central store settings \(Sync page/);
    expect(rig.sync.status().lastError?.message).toMatch(/access key|password/);
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    await rig.close();
  });

  it('tests connections with a sentence per target: unreachable host, missing bucket that will be created, all good', async () => {
    const dir = fresh();
    const rig = openRig(dir, pg, s3);
    const ok = await rig.sync.testConnection('both', { s3: { rawBucket: 'heimdall-raw-iq-missing' } });
    expect(ok.pg).toEqual({ ok: true, message: expect.stringMatching(/^Connected to PostgreSQL at 127\.0\.0\.1:\d+ as postgres; schema heimdall/) });
    expect(ok.s3?.message).toMatch(/bucket heimdall-raw-iq-missing is missing and will be created/);
    const down = await rig.sync.testConnection('both', { s3: { port: 1 }, postgres: { url: 'postgres://postgres@127.0.0.1:1/heimdall' } });
    expect(down.pg?.message).toMatch(/PostgreSQL at 127\.0\.0\.1:1 refused the connection: check that it is running/);
    expect(down.s3?.message).toMatch(/refused the connection/);
    await rig.close();
  });
});
