/**
 * The whole path, offline first: simulated KiwiSDRs -> capture engine (workers) -> DSP pool ->
 * offline store -> sync into a real PostgreSQL and S3 -> every measurement row points at an object
 * whose bytes are the local file's; a second sync changes nothing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCapture } from '../../../main/capture/captureEngine';
import { reserveRecordings } from '../../../main/sessions/reservedRecordings';
import { createDspPool } from '../../../main/dsp/pool';
import { silentLogger } from '../../../main/base/log';
import { sceneSchema } from '../../../main/sim/scene';
import { startSimulation, type Simulation } from '../../../main/sim/simulation';
import { startTestPostgres, type TestPostgres } from '../../helpers/pg';
import { startTestS3, type TestS3 } from '../../helpers/s3';
import { tempDir } from '../../helpers/tempDir';
import { openRig } from './syncHarness';

const scene = sceneSchema.parse({
  name: 'offline then sync',
  transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 1, onSec: 1 } }], // always keyed: every 1 s window sees it
  receivers: [
    { id: 'a', name: 'Kiwi Alpha', kind: 'kiwisdr', lat: 45.1, lon: 7.75, altM: 300 },
    { id: 'b', name: 'Kiwi Bravo', kind: 'kiwisdr', lat: 44.4, lon: 8.95, altM: 100 },
  ],
});

let pg: TestPostgres;
let s3: TestS3;
let sim: Simulation;
const tmp = tempDir();
beforeAll(async () => {
  [pg, s3, sim] = await Promise.all([startTestPostgres(), startTestS3(), startSimulation(scene)]);
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await s3?.dispose();
  await pg?.dispose();
  tmp.cleanup();
});

it('captures from the simulator offline, then syncs every measurement with its samples, once', async () => {
  const dataDir = path.join(tmp.dir, 'station');
  const rig = openRig(dataDir, pg, s3);
  try {
    // Offline: nothing reaches the central store while capturing.
    rig.sync.pause();
    const receivers = sim.receivers.map((r) => {
      const s = scene.receivers.find((x) => x.id === r.id)!;
      return { receiverId: `rx-${r.id}`, name: s.name, kind: 'kiwisdr' as const, url: r.url, lat: s.lat, lon: s.lon, alt: s.altM };
    });
    const pool = createDspPool({ size: 1 });
    // Straight into the store: reserved captures, written once by the workers, committed from their done messages.
    const rec = reserveRecordings(rig.store, receivers, { freqHz: 7_100_000, mode: 'iq', sessionId: null, durationSec: 2 });
    const run = startCapture({ receivers: rec.receivers, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', durationSec: 2, outDir: null, alignLeadMs: 3000, dsp: { pool } }, silentLogger);
    run.events.on('measurement', (m) => rec.measured(m));
    const summaries = await run.done;
    await pool.close();
    const ids = summaries.map((s) => rec.commit(s));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect((await pg.query("SELECT to_regclass('heimdall.measurements') AS t")).rows[0]?.t ?? null).toBeNull();

    // Back online: sync drains everything.
    rig.sync.resume();
    const first = await rig.sync.drain(60_000);
    expect(first.errors).toEqual([]);
    const remote = await pg.query<{ id: string; iq_data_location: string; station_capture_id: string; snr_db: number; frequency_offset_hz: number; iq_sample_rate: number }>(
      'SELECT id, iq_data_location, station_capture_id, snr_db, frequency_offset_hz, iq_sample_rate FROM heimdall.measurements',
    );
    expect(remote.rows).toHaveLength(4); // 2 receivers x 2 one-second windows
    for (const row of remote.rows) {
      expect(Math.abs(row.frequency_offset_hz - 500)).toBeLessThanOrEqual(2);
      expect(row.snr_db).toBeGreaterThan(20);
      const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(row.iq_data_location) ?? /^([^/]+)\/(.+)$/.exec(row.iq_data_location);
      expect(m, row.iq_data_location).not.toBeNull();
      const bytes = await s3.getBytes(m![1]!, m![2]!);
      const local = rig.opened.db.prepare<[string], { file_path: string; sha256: string; sha512: string; md5: string; sample_count: number }>('SELECT file_path, sha256, sha512, md5, sample_count FROM captures WHERE id = ?').get(row.station_capture_id)!;
      // Hashed once by the worker as the bytes passed, and those hashes are the bytes' in S3.
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(local.sha256);
      expect(createHash('sha512').update(bytes).digest('hex')).toBe(local.sha512);
      expect(createHash('md5').update(bytes).digest('hex')).toBe(local.md5);
      expect(bytes.equals(fs.readFileSync(path.join(dataDir, local.file_path)))).toBe(true);
      expect(local.sample_count).toBe(Math.round(2 * 12001.135));
    }
    // A second sync changes nothing.
    const before = (await pg.query('SELECT count(*)::int AS n, max(created_at) AS t FROM heimdall.measurements')).rows[0];
    const objects = await s3.list('heimdall-raw-iq');
    await rig.sync.syncNow();
    await rig.sync.drain(30_000);
    expect((await pg.query('SELECT count(*)::int AS n, max(created_at) AS t FROM heimdall.measurements')).rows[0]).toEqual(before);
    expect(await s3.list('heimdall-raw-iq')).toEqual(objects);
  } finally {
    await rig.close();
  }
});
