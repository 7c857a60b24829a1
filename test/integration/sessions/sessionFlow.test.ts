/**
 * A human-assisted session end to end against the demo scene's KiwiSDRs (real wire protocol, real
 * capture workers, DSP pool and store): the operator marks the beacon's key-up, the detector
 * proposes segments, the operator approves, and the dataset is exported in all three formats.
 * The beacon's schedule is known, so the marks and the detections can be checked against it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { DEMO_HF_TX_HZ } from '../../../main/sim/demoScene';
import { type Simulation } from '../../../main/sim/simulation';
import { type StationClient } from '../../../shared/client';
import { type Session } from '../../../shared/domain/sessions';
import { demoBeacon, demoKiwiScene, nextKeyUpSec, registerDemoKiwis, startDemoKiwis } from '../../fixtures/sessions/demoKiwiWorld';
import { startTestStation, type TestStation } from '../../helpers/station';
import { startTestPostgres } from '../../helpers/pg';
import { startTestS3 } from '../../helpers/s3';
import { syncSettingsFor } from '../sync/syncHarness';
import { tempDir } from '../../helpers/tempDir';

const scene = demoKiwiScene();
const beacon = demoBeacon(scene);
/** The demo's KiwiSDRs, all recorded: one capture, sample and export file each. */
const KIWIS = scene.receivers.length;
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const schemaDir = path.resolve(import.meta.dirname, '../../fixtures/sigmf');

let sim: Simulation;
let ts: TestStation;
let client: StationClient;
let session: Session;
let keyUpSec = 0;
const out = tempDir('heimdall-export-');

const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));
async function waitForState(id: string, states: string[], timeoutMs: number): Promise<Session> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.getSession({ id });
    if (states.includes(s.state)) return s;
    if (Date.now() > end) throw new Error(`session stayed ${s.state} (${s.stateReason ?? ''}), expected ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  sim = await startDemoKiwis(scene);
  ts = await startTestStation();
  client = ts.connect();
}, 60_000);
afterAll(async () => {
  await ts?.close();
  await sim?.close();
  out.cleanup();
});

describe('a recording session on the demo beacon', () => {
  it('records, takes the operator mark while the beacon keys, and proposes the same segment from the DSP', async () => {
    const { receiverIds, source } = await registerDemoKiwis(client, sim, scene);
    const draft = await client.createSession({ name: 'Biella beacon run', sourceId: source.id, freqHz: DEMO_HF_TX_HZ, mode: 'iq', passband: { lowHz: -2500, highHz: 2500 }, receiverIds, durationSec: 18 });
    expect(draft.state).toBe('draft');
    expect(draft.passband).toEqual({ lowHz: -2500, highHz: 2500 });
    await expect(client.createSession({ name: 'bad', freqHz: DEMO_HF_TX_HZ, mode: 'iq', passband: { lowHz: 100, highHz: -100 }, receiverIds })).rejects.toThrow(/at least 50 Hz wide/);
    const started = await client.startSession({ id: draft.id });
    expect(started.state).toBe('recording');
    const startMs = Date.parse(started.startedAt!);
    // The first key-up at least 1 s into the recording, so every receiver is streaming by then.
    keyUpSec = nextKeyUpSec(scene, startMs + 1000);
    await sleepUntil(keyUpSec * 1000 + 100);
    await client.markTransmit({ id: draft.id, action: 'down', atMs: keyUpSec * 1000 });
    await sleepUntil((keyUpSec + beacon.schedule.onSec) * 1000 + 100);
    const held = await client.getSession({ id: draft.id });
    expect(held.transmitHeldSinceMs).toBe(keyUpSec * 1000);
    await client.markTransmit({ id: draft.id, action: 'up', atMs: (keyUpSec + beacon.schedule.onSec) * 1000 });
    session = await waitForState(draft.id, ['review', 'failed'], 40_000);
    expect(session.state, session.stateReason ?? '').toBe('review');
    expect(session.captures).toHaveLength(KIWIS);
    for (const c of session.captures) {
      expect(c.status).toBe('complete');
      expect(c.gpsStamped).toBe(true);
      expect(c.datatype).toBe('ci16_le');
    }
    const operator = session.segments.filter((s) => s.origin === 'operator');
    expect(operator).toHaveLength(1);
    expect(operator[0]!.startMs).toBe(keyUpSec * 1000);
    // Each receiver heard the beacon in the marked segment, far above the same receiver when it is off.
    const offStart = (keyUpSec + beacon.schedule.onSec + 0.5) * 1000;
    const withQuiet = await client.addSegment({ sessionId: draft.id, startMs: offStart, endMs: offStart + 1000, label: 'quiet' });
    const quiet = withQuiet.segments.find((s) => s.origin === 'manual')!;
    for (const r of operator[0]!.reviews) {
      const q = quiet.reviews.find((x) => x.receiverId === r.receiverId)!;
      expect(r.windows, r.receiverName).toBeGreaterThanOrEqual(6);
      expect(q.windows, r.receiverName).toBeGreaterThanOrEqual(1);
      expect(r.snrDb! - q.snrDb!, r.receiverName).toBeGreaterThan(10);
      expect(Math.abs(r.freqOffsetHz!), r.receiverName).toBeLessThan(100);
    }
    session = await client.deleteSegment({ sessionId: draft.id, segmentId: quiet.id });
    expect(session.segments.some((s) => s.origin === 'manual')).toBe(false);
    // The detector found the same key-up: within one 0.5 s window of the schedule's edges.
    const detected = session.segments.filter((s) => s.origin === 'detector');
    const match = detected.find((s) => Math.abs(s.startMs - keyUpSec * 1000) <= 600);
    expect(match, JSON.stringify(detected)).toBeDefined();
    expect(Math.abs(match!.endMs - (keyUpSec + beacon.schedule.onSec) * 1000)).toBeLessThanOrEqual(600);
    // ...and nothing where the beacon was off for sure: every proposal overlaps a key-up, widened by one
    // 0.5 s window (a window straddling a key-up at the recording's end is a right proposal).
    const { periodSec, onSec, offsetSec } = beacon.schedule;
    for (const s of detected) {
      const k = Math.floor((s.startMs / 1000 - offsetSec) / periodSec);
      const overlaps = [k, k + 1].some((n) => {
        const on = n * periodSec + offsetSec;
        return s.startMs / 1000 < on + onSec + 0.5 && s.endMs / 1000 > on - 0.5;
      });
      expect(overlaps, JSON.stringify(s)).toBe(true);
    }
  }, 90_000);

  it('draws the spectrum of a segment with the beacon at its frequency', async () => {
    const seg = session.segments.find((s) => s.origin === 'operator')!;
    const spec = await client.getSegmentSpectrum({ sessionId: session.id, segmentId: seg.id, receiverId: session.receivers[0]!.receiverId });
    const peak = spec.db.indexOf(Math.max(...spec.db));
    expect(Math.abs(spec.startHz + peak * spec.binHz - beacon.freqHz)).toBeLessThan(3 * spec.binHz + 50);
    const sorted = [...spec.db].sort((a, b) => a - b);
    expect(spec.db[peak]! - sorted[sorted.length >> 1]!).toBeGreaterThan(20);
  });

  it('refuses to approve a session before a segment is approved, then approves it', async () => {
    await expect(client.decideSession({ id: session.id, decision: 'approved' })).rejects.toThrow(/Approve at least one segment/);
    const seg = session.segments.find((s) => s.origin === 'operator')!;
    const detected = session.segments.filter((s) => s.origin === 'detector');
    let s = await client.reviewSegment({ sessionId: session.id, segmentId: seg.id, decision: 'approved', label: 'beacon keyed' });
    for (const d of detected) s = await client.reviewSegment({ sessionId: session.id, segmentId: d.id, decision: 'rejected' });
    expect(s.segments.find((x) => x.id === seg.id)!.reviews.every((r) => r.decision === 'approved')).toBe(true);
    s = await client.decideSession({ id: session.id, decision: 'approved', notes: 'clean run' });
    expect(s.state).toBe('approved');
    await expect(client.markTransmit({ id: session.id, action: 'down' })).rejects.toThrow(/only while recording/);
    session = s;
  });

  it('exports SigMF, NumPy and a manifest whose contents match the recordings and the scene', async () => {
    const ds = await client.createDataset({ name: 'biella-beacon', filters: { approval: 'approved' }, ratios: { train: 0.7, val: 0.15, test: 0.15 }, seed: 7 });
    expect(ds.preview.sessions).toBe(1);
    expect(ds.preview.samples).toBe(KIWIS);
    const done: Record<string, string> = {};
    for (const format of ['sigmf', 'npy', 'manifest'] as const) {
      const dir = path.join(out.dir, format);
      const job = await client.exportDataset({ dataset: 'biella-beacon', format, outDir: dir });
      const end = Date.now() + 30_000;
      let j = job;
      while (j.state === 'running' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        j = (await client.listDatasets()).find((x) => x.id === ds.id)!.exports.find((x) => x.id === job.id)!;
      }
      expect(j.state, j.message).toBe('done');
      expect(j.doneSamples).toBe(KIWIS);
      done[format] = dir;
    }

    // SigMF: valid against the 1.2 schema, data hashes match, receiver and ground truth are right.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validateMeta = ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, 'sigmf-meta.schema.json'), 'utf8')));
    const archives = fs.readdirSync(done.sigmf!).filter((f) => f.endsWith('.sigmf'));
    expect(archives).toHaveLength(KIWIS);
    expect(fs.readdirSync(done.sigmf!).filter((f) => f.endsWith('.sigmf-collection'))).toHaveLength(1);
    for (const a of archives) {
      const members = await readSigmfArchive(path.join(done.sigmf!, a));
      const name = a.replace(/\.sigmf$/, '');
      const meta = JSON.parse(members.get(`${name}/${name}.sigmf-meta`)!.toString('utf8'));
      const data = members.get(`${name}/${name}.sigmf-data`)!;
      expect(validateMeta(meta), JSON.stringify(validateMeta.errors)).toBe(true);
      expect(createHash('sha512').update(data).digest('hex')).toBe(meta.global['core:sha512']);
      const rx = scene.receivers.find((r) => r.name === meta.global['heimdall:receiver_name'] || meta.global['core:description']?.includes(r.name));
      expect(rx, JSON.stringify(meta.global)).toBeDefined();
      expect(meta.global['core:geolocation'].coordinates.slice(0, 2)).toEqual([rx!.lon, rx!.lat]);
      expect(meta.captures[0]['core:frequency']).toBe(DEMO_HF_TX_HZ);
      expect(meta.annotations[0]['core:label']).toBe('beacon keyed');
      expect(JSON.stringify(meta.global)).toContain(String(beacon.lat));
      expect(data.length / 4).toBeGreaterThan(12_000 * 3.5);
    }

    // Manifest: one row per sample, one split per session, checksums match the SigMF data.
    const jsonl = fs.readFileSync(path.join(done.manifest!, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(KIWIS);
    const splitOfSession = new Map<string, string>();
    for (const row of jsonl) {
      const prev = splitOfSession.get(row.session_id);
      if (prev) expect(row.split).toBe(prev);
      splitOfSession.set(row.session_id, row.split);
      expect(row.source_lat).toBe(beacon.lat);
      expect(row.source_lon).toBe(beacon.lon);
    }
    expect(fs.readFileSync(path.join(done.manifest!, 'manifest.csv'), 'utf8').trim().split(/\r?\n/)).toHaveLength(KIWIS + 1);

    // NumPy training layout: one acquisition, one row per receiver, complex64; label = the scene's transmitter.
    const split = jsonl[0].split as string;
    const iqFiles = fs.readdirSync(path.join(done.npy!, split)).filter((f) => f.endsWith('_iq.npy'));
    expect(iqFiles).toHaveLength(1);
    for (const other of ['train', 'val', 'test'].filter((x) => x !== split)) {
      expect(fs.existsSync(path.join(done.npy!, other)) ? fs.readdirSync(path.join(done.npy!, other)).filter((f) => f.endsWith('.npy')) : []).toEqual([]);
    }
    if (python) {
      const iq = path.join(done.npy!, split, iqFiles[0]!);
      const r = spawnSync('python3', ['-c', 'import numpy as np, json, sys\na=np.load(sys.argv[1]); b=np.load(sys.argv[2])\nprint(json.dumps([str(a.dtype), list(a.shape), str(b.dtype), b.tolist(), float(np.abs(a).max())]))', iq, iq.replace('_iq.npy', '_label.npy')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const [dtype, shape, ldtype, label, maxAbs] = JSON.parse(r.stdout);
      expect(dtype).toBe('complex64');
      expect(shape[0]).toBe(KIWIS);
      expect(shape[1]).toBeGreaterThan(12_000 * 3.5);
      expect(ldtype).toBe('float64');
      expect(label).toEqual([beacon.lat, beacon.lon]);
      expect(maxAbs).toBeGreaterThan(0.001);
      expect(maxAbs).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('refuses an export into a folder that already holds files, and leaves it untouched', async () => {
    const dir = path.join(out.dir, 'busy');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const job = await client.exportDataset({ dataset: 'biella-beacon', format: 'manifest', outDir: dir });
    let j = job;
    for (let i = 0; i < 100 && j.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      j = (await client.listDatasets())[0]!.exports.find((x) => x.id === job.id)!;
    }
    expect(j.state).toBe('failed');
    expect(j.message).toMatch(/not empty|already/i);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('uploads a finished export to heimdall-datasets and registers it in training_datasets / dataset_measurements', async () => {
    const [pg, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
    try {
      await client.updateSyncSettings(syncSettingsFor(pg, s3, { enabled: false }));
      const ds = (await client.listDatasets()).find((d) => d.name === 'biella-beacon')!;
      const job = await client.exportDataset({ dataset: ds.id, format: 'sigmf', outDir: path.join(out.dir, 'upload'), upload: true });
      let j = job;
      for (let i = 0; i < 300 && j.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        j = (await client.listDatasets()).find((x) => x.id === ds.id)!.exports.find((x) => x.id === job.id)!;
      }
      expect(j.state, j.message).toBe('done');
      expect(j.uploadedTo).toMatch(/^s3:\/\/heimdall-datasets\/datasets\/biella_beacon-/);
      const prefix = j.uploadedTo!.replace('s3://heimdall-datasets/', '');
      const objects = await s3.list('heimdall-datasets', prefix);
      const local = fs.readdirSync(j.outDir).sort();
      expect(objects.map((o) => o.name.slice(prefix.length)).sort()).toEqual(local);
      for (const f of local) expect(objects.find((o) => o.name.endsWith(f))!.size).toBe(fs.statSync(path.join(j.outDir, f)).size);
      const row = await pg.query<{ name: string; measurement_count: number; frequency_range_min_hz: string }>('SELECT name, measurement_count, frequency_range_min_hz FROM heimdall.training_datasets WHERE id = $1', [ds.id]);
      expect(row.rows[0]!.name).toBe('biella-beacon');
      expect(Number(row.rows[0]!.frequency_range_min_hz)).toBe(DEMO_HF_TX_HZ);
      const members = await pg.query<{ n: string }>('SELECT count(*) AS n FROM heimdall.dataset_measurements WHERE dataset_id = $1', [ds.id]);
      expect(Number(members.rows[0]!.n)).toBe(row.rows[0]!.measurement_count);
      expect(row.rows[0]!.measurement_count).toBeGreaterThanOrEqual(KIWIS * 6);
      // Again: same objects, no new rows.
      const again = await client.exportDataset({ dataset: ds.id, format: 'sigmf', outDir: path.join(out.dir, 'upload2'), upload: true });
      let k = again;
      for (let i = 0; i < 300 && k.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        k = (await client.listDatasets()).find((x) => x.id === ds.id)!.exports.find((x) => x.id === again.id)!;
      }
      expect(k.state, k.message).toBe('done');
      expect((await pg.query<{ n: string }>('SELECT count(*) AS n FROM heimdall.dataset_measurements WHERE dataset_id = $1', [ds.id])).rows[0]!.n).toBe(members.rows[0]!.n);
      expect(await s3.list('heimdall-datasets', prefix)).toHaveLength(objects.length);
    } finally {
      await Promise.all([pg.dispose(), s3.dispose()]);
    }
  }, 120_000);
});
