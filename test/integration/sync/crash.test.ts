import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { hashFile } from '../../../main/samples/sampleWriter';
import { prng } from '../../fixtures/sync/syntheticCaptures';
import { openRig } from './syncHarness';

const ROUNDS = Number(process.env.HEIMDALL_CRASH_ROUNDS ?? 20);
const SEED = Number(process.env.HEIMDALL_CRASH_SEED ?? 20261122);
const child = path.resolve(import.meta.dirname, '../../fixtures/sync/crashChild.ts');
const repoRoot = path.resolve(import.meta.dirname, '../../..');

let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-crash-');

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(() => tmp.cleanup());

/** Runs the child; kills it with SIGKILL `killAfterMs` after it is ready (or lets it finish when null). */
function runChild(args: string[], killAfterMs: number | null): Promise<{ acks: string[]; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && !timer && out.includes('READY\n')) timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killAfterMs === null && code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
      if (killAfterMs !== null && signal !== 'SIGKILL') return reject(new Error(`child ended by itself (${code} ${signal}): ${err}`));
      // Only complete lines count: a line cut by the kill was never fully acknowledged.
      const acks = out.split('\n').slice(0, -1).filter((l) => l.startsWith('ACK ')).map((l) => l.slice(4));
      resolve({ acks, out, err });
    });
  });
}

describe('crash safety: kill -9 during capture and sync', () => {
  it(`loses no acknowledged capture and duplicates nothing over ${ROUNDS} kill -9 rounds`, async () => {
    const dataDir = tmp.dir;
    // Configure once (settings + secrets on disk), small multipart threshold so big captures go multipart.
    const setup = openRig(dataDir, pg, s3, { settings: { s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey, multipartThresholdBytes: 5 * 1024 * 1024 }, intervalSeconds: 1 } });
    await setup.close();
    const rand = prng(SEED);
    const acked = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const { acks, err } = await runChild([dataDir, String(SEED + round)], 150 + Math.floor(rand() * 1200));
      if (err.trim()) throw new Error(`round ${round}: child wrote to stderr: ${err}`);
      acks.forEach((a) => acked.add(a));
      if (process.env.HEIMDALL_CRASH_DEBUG) console.log(`round ${round}: ${acks.length} acks`);
    }
    expect(acked.size).toBeGreaterThan(ROUNDS);
    const drained = await runChild([dataDir, String(SEED), "drain"], null);
    expect(drained.out).toContain('DRAINED true 0');

    const db = new Database(path.join(dataDir, 'station.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const captures = db.prepare<[], { id: string; file_path: string; byte_size: number; md5: string; sha256: string }>('SELECT id, file_path, byte_size, md5, sha256 FROM captures').all();
    const byId = new Map(captures.map((c) => [c.id, c]));
    for (const id of acked) expect(byId.has(id), `acknowledged capture ${id} is missing`).toBe(true);
    // Local files: exactly one per capture, whole; no leftover partial or orphan file.
    for (const c of captures) expect(fs.statSync(path.join(dataDir, c.file_path)).size).toBe(c.byte_size);
    const files = fs.readdirSync(path.join(dataDir, 'samples'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBe(captures.length);
    const outbox = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state').all();
    const stuck = db.prepare<[], { target: string; last_error: string }>("SELECT target, last_error FROM outbox WHERE state != 'done' LIMIT 3").all();
    expect(stuck).toEqual([]);
    expect(outbox).toEqual([{ state: 'done', n: captures.length * 2 }]);
    const localRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM measurements').get()!.n;
    db.close();

    const remote = await pg.query<{ n: number; d: number; caps: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, count(DISTINCT station_capture_id)::int AS caps FROM heimdall.measurements');
    expect(remote.rows[0]).toEqual({ n: localRows, d: localRows, caps: captures.length });
    const stations = await pg.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT name)::int AS d FROM heimdall.websdr_stations');
    expect(stations.rows[0]!.n).toBe(stations.rows[0]!.d);

    const objects = await s3.list('heimdall-raw-iq');
    const data = objects.filter((o) => o.name.endsWith('.sigmf-data'));
    expect(objects).toHaveLength(captures.length * 2);
    expect(new Set(data.map((o) => o.name)).size).toBe(captures.length);
    const locations = await pg.query<{ station_capture_id: string; iq_data_location: string }>('SELECT DISTINCT station_capture_id, iq_data_location FROM heimdall.measurements');
    const objByKey = new Map(data.map((o) => [o.name, o]));
    let multipart = 0;
    for (const row of locations.rows) {
      const c = byId.get(row.station_capture_id)!;
      const key = row.iq_data_location.replace(/^s3:\/\/heimdall-raw-iq\//, '');
      const o = objByKey.get(key);
      expect(o, `object for capture ${c.id}`).toBeDefined();
      expect(o!.size).toBe(c.byte_size);
      if (c.byte_size > 5 * 1024 * 1024) {
        multipart++;
        const stat = await s3.client.statObject('heimdall-raw-iq', key);
        expect(stat.metaData['heimdall-sha256']).toBe(c.sha256);
      } else expect(o!.etag).toBe((await hashFile(path.join(dataDir, c.file_path))).md5);
    }
    expect(locations.rows).toHaveLength(captures.length);
    console.log(`crash test: ${ROUNDS} rounds, ${acked.size} acknowledged captures, ${captures.length} stored, ${localRows} rows, ${multipart} multipart objects`);
  }, 180_000);
});
