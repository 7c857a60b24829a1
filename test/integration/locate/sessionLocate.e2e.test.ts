/**
 * THE end to end of issue 12, on the simulator: a session recorded through the station API on the
 * demo scene's five simulated KiwiSDRs (real wire protocol, capture workers, DSP pool, store),
 * reviewed (the detector's segments approved), located with locateSession: the beacon within 2 km of
 * where the scene has it, progress seen as events, the fix stored and read back, a second job
 * cancelled without a trace, and a dataset export carrying the fix beside the ground truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greatCircleM } from '../../../main/locate/geodesy';
import { DEMO_HF_TX_HZ } from '../../../main/sim/demoScene';
import { type Simulation } from '../../../main/sim/simulation';
import { type StationClient } from '../../../shared/client';
import { type LocateJob } from '../../../shared/domain/locate';
import { type Session } from '../../../shared/domain/sessions';
import { demoBeacon, demoKiwiScene, registerDemoKiwis, startDemoKiwis } from '../../fixtures/sessions/demoKiwiWorld';
import { startTestStation, type TestStation } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const scene = demoKiwiScene();
const beacon = demoBeacon(scene);
const KIWIS = scene.receivers.filter((r) => r.kind === 'kiwisdr').length;

let sim: Simulation;
let ts: TestStation;
let client: StationClient;
const out = tempDir('heimdall-locate-e2e-');
const jobs: LocateJob[] = [];
const changed: string[] = [];

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const ended = (id: string) => waitFor(`locate job ${id} to end`, 120_000, () => jobs.find((j) => j.id === id && j.state !== 'running'));

beforeAll(async () => {
  sim = await startDemoKiwis(scene);
  ts = await startTestStation();
  client = ts.connect();
  client.subscribe('stationEvents', {}, (ev) => {
    if (ev.header.type === 'locate.progress') jobs.push(ev.header.job);
    if (ev.header.type === 'sessions.changed') changed.push(ev.header.sessionId);
  });
}, 60_000);
afterAll(async () => {
  await ts?.close();
  await sim?.close();
  out.cleanup();
});

describe(`locating the demo beacon from a session on its ${KIWIS} simulated KiwiSDRs`, () => {
  let session: Session;

  it('records and reviews a session: the detector proposes the key-ups, the operator approves them', async () => {
    expect(KIWIS).toBe(5);
    const { receiverIds, source } = await registerDemoKiwis(client, sim, scene);
    const draft = await client.createSession({ name: 'Biella locate run', sourceId: source.id, freqHz: DEMO_HF_TX_HZ, mode: 'iq', receiverIds, durationSec: 22 });
    await client.startSession({ id: draft.id });
    session = await waitFor('the session to reach review', 90_000, async () => {
      const s = await client.getSession({ id: draft.id });
      return s.state === 'recording' ? undefined : s;
    });
    expect(session.state, session.stateReason ?? '').toBe('review');
    expect(session.captures.map((c) => [c.status, c.gpsStamped])).toEqual(Array(KIWIS).fill(['complete', true]));
    const detected = session.segments.filter((g) => g.origin === 'detector');
    expect(detected.length).toBeGreaterThanOrEqual(1);
    for (const g of detected) session = await client.reviewSegment({ sessionId: session.id, segmentId: g.id, decision: 'approved', label: 'beacon' });
    session = await client.decideSession({ id: session.id, decision: 'approved' });
    expect(session.state).toBe('approved');
  }, 150_000);

  it('locates the beacon within 2 km with locateSession, reporting progress, and stores the fix', async () => {
    const t0 = Date.now();
    const started = await client.locateSession({ sessionId: session.id });
    expect(started).toMatchObject({ sessionId: session.id, segmentId: null, state: 'running', resultId: null });
    expect(started.message).toMatch(/^Locating over the \d approved segments?, \d+\.\d s\.$/);
    const job = await ended(started.id);
    expect(job.state, job.message).toBe('done');
    const steps = jobs.filter((j) => j.id === started.id);
    const phases = [...new Set(steps.map((j) => j.phase))];
    expect(phases).toEqual(expect.arrayContaining(['reading samples', 'correlating', 'grid', 'done']));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.progress).toBeGreaterThanOrEqual(steps[i - 1]!.progress);
    expect(steps.length).toBeGreaterThan(5);
    expect(changed).toContain(session.id);

    const list = await client.listLocates({ sessionId: session.id });
    expect(list.map((l) => l.id)).toEqual([job.resultId]);
    const fix = await client.getLocate({ id: job.resultId! });
    const errorKm = greatCircleM(fix.position, beacon) / 1000;
    console.log(
      `simulator: fix ${fix.position.lat.toFixed(4)} N ${fix.position.lon.toFixed(4)} E, ${errorKm.toFixed(2)} km from "${beacon.name}", ${fix.interval.seconds.toFixed(1)} s of key-ups, ` +
        `${fix.pairs.length} pairs (rms ${fix.pairs.map((p) => p.rmsUs.toFixed(1)).join('/')} us), job ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(errorKm).toBeLessThan(2);
    expect(fix.source).toMatchObject({ name: beacon.name });
    expect(fix.source!.distanceKm).toBeCloseTo(errorKm, 6);
    expect(fix.receivers.map((r) => r.status)).toEqual(Array(KIWIS).fill('good'));
    expect(fix.pairs).toHaveLength((KIWIS * (KIWIS - 1)) / 2);
    expect(job.message).toContain(`${errorKm.toFixed(2)} km from ${beacon.name}`);
  }, 150_000);

  it('cancels a running job: it ends cancelled and the stored fix stays as it was', async () => {
    const before = await client.listLocates({ sessionId: session.id });
    const started = await client.locateSession({ sessionId: session.id, region: { lat0: 40, lat1: 50, lon0: 3, lon1: 13 }, stepDeg: 0.004 });
    const reply = await client.cancelLocate({ id: started.id });
    expect(reply).toMatchObject({ id: started.id, state: 'cancelled', message: 'Cancelled; nothing was stored.' });
    const job = await ended(started.id);
    expect(job.state).toBe('cancelled');
    expect(job.resultId).toBeNull();
    expect(await client.listLocates({ sessionId: session.id })).toEqual(before);
    await expect(client.cancelLocate({ id: 'no-such-job' })).rejects.toThrow(/No locate job/);
  }, 60_000);

  it('carries the fix into a dataset export beside the ground truth', async () => {
    await client.createDataset({ name: 'biella-tdoa', filters: { approval: 'approved', sessionIds: [session.id] }, ratios: { train: 1, val: 0, test: 0 }, seed: 1 });
    const dir = path.join(out.dir, 'manifest');
    const job = await client.exportDataset({ dataset: 'biella-tdoa', format: 'manifest', outDir: dir });
    await waitFor('the export to end', 60_000, async () => {
      const j = (await client.listDatasets()).flatMap((d) => d.exports).find((x) => x.id === job.id);
      return j && j.state !== 'running' ? j : undefined;
    });
    const rows = fs.readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThanOrEqual(KIWIS);
    const [stored] = await client.listLocates({ sessionId: session.id });
    for (const r of rows) {
      expect(r).toMatchObject({ source_lat: beacon.lat, source_lon: beacon.lon, tdoa_receivers: KIWIS, tdoa_receiver_status: 'good', tdoa_scope: 'session', tdoa_id: stored!.id });
      expect(r.tdoa_error_km as number).toBeLessThan(2);
    }
  }, 90_000);
});
