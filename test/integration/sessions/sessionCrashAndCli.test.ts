/**
 * The session CLI as an operator uses it, and a station killed (SIGKILL) in the middle of a
 * recording: on the next start the session ends cleanly with what the receivers had written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { type Simulation } from '../../../main/sim/simulation';
import { createStation } from '../../../main/station';
import { DEMO_HF_TX_HZ } from '../../../main/sim/demoScene';
import { demoKiwiScene, registerDemoKiwis, startDemoKiwis } from '../../fixtures/sessions/demoKiwiWorld';
import { repoRoot, resourcesDir } from '../../helpers/station';
import { killHard, spawnStationUntil } from '../../helpers/spawnUntil';
import { tempDir } from '../../helpers/tempDir';
import { createStationClient } from '../../../shared/client';
import { dispatchCall } from '../../../main/api/dispatch';
import { type Session } from '../../../shared/domain/sessions';

const scene = demoKiwiScene();
let sim: Simulation;
const tmp = tempDir('heimdall-session-cli-');
const dataDir = path.join(tmp.dir, 'station');
const cli = (args: string[]) => spawnSync(process.execPath, ['bin/heimdall-station.mjs', ...args, '--data-dir', dataDir], { cwd: repoRoot, encoding: 'utf8' });

beforeAll(async () => {
  sim = await startDemoKiwis(scene);
}, 30_000);
afterAll(async () => {
  await sim?.close();
  tmp.cleanup();
});

/** The station in this process, with a client over the real dispatcher (input defaults and checks apply). */
function openStation() {
  const station = createStation({ dataDir, resourcesDir, log: silentLogger });
  const client = createStationClient({ call: (m, i) => dispatchCall(station.api, m, i), subscribe: () => () => undefined });
  return { station, client };
}

it('creates a session from the CLI, survives a SIGKILL while recording, and ends it in review with the partial captures', async () => {
  const { station, client } = openStation();
  await registerDemoKiwis(client, sim, scene);
  await station.close();

  const created = cli(['session', 'create', '--name', 'crash run', '--freq', String(DEMO_HF_TX_HZ), '--receiver', 'KiwiSDR Aosta (sim)', 'KiwiSDR Asti (sim)', '--source', scene.transmitters[1]!.name, '--duration', '60', '--passband', '-3000:3000']);
  expect(created.status, created.stderr).toBe(0);
  const id = /id ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
  expect(created.stdout).toContain('[draft]');
  expect(created.stdout).toContain('iq -3000..3000 Hz');

  const bad = cli(['session', 'create', '--name', 'x', '--freq', '7100000', '--receiver', 'No Such Kiwi']);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/No receiver "No Such Kiwi"/);

  // Record, then kill the whole process a few seconds in: no clean shutdown, no stop.
  const { child } = await spawnStationUntil(['session', 'record', id, '--data-dir', dataDir], 'recording "crash run"');
  // 3 s of lead-in before the common start, then ~12 s of samples: more than one 10 s period of the
  // beacon's schedule (4 s keyed), so a whole key-up with quiet on both sides is always recorded.
  await new Promise((r) => setTimeout(r, 15_000));
  await killHard(child);

  const shown = cli(['session', 'show', id, '--json']);
  expect(shown.status, shown.stderr).toBe(0);
  const s = JSON.parse(shown.stdout) as Session;
  expect(s.state).toBe('review');
  expect(s.stateReason).toMatch(/stopped during this recording/);
  expect(s.captures).toHaveLength(2);
  for (const c of s.captures) {
    expect(c.status).toBe('partial');
    expect(c.gpsStamped).toBe(true);
    // At least ~2 s of the ~12 s recorded made it to disk before the kill.
    expect(c.sampleCount).toBeGreaterThan(c.sampleRate * 2);
  }
  expect(fs.existsSync(path.join(dataDir, 'sessions', id))).toBe(false);

  // The measurement windows committed while recording survived the kill: the detector proposed the key-up.
  expect(s.segments.some((g) => g.origin === 'detector')).toBe(true);
  // Nothing approved yet: the CLI refuses with the reason and the way out.
  const refused = cli(['session', 'approve', id]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/Nothing in session [0-9a-f]{8} is approved yet \(\d+ segments: \d+ proposed by the detector, 0 marked\)\. Approve some with `heimdall-station session review /);

  // Mark the recorded stretch as a segment, approve the marked ones, and export the dataset from the CLI.
  const { station: st2, client: c2 } = openStation();
  const first = Date.parse(s.captures[0]!.firstSampleUtc);
  await c2.addSegment({ sessionId: id, startMs: first + 500, endMs: first + 1500, label: 'beacon' });
  await st2.close();
  const approved = cli(['session', 'approve', id, '--marked', '--notes', 'after the crash']);
  expect(approved.status, approved.stderr).toBe(0);
  expect(approved.stdout).toContain('[approved]');
  const listed = cli(['session', 'list']);
  expect(listed.stdout).toMatch(new RegExp(`${id.slice(-8)}\\s+approved`));

  const outDir = path.join(tmp.dir, 'export');
  const exported = cli(['export', '--dataset', 'crash-set', '--create', '--format', 'manifest', '--out', outDir]);
  expect(exported.status, exported.stderr + exported.stdout).toBe(0);
  const rows = fs.readFileSync(path.join(outDir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => r.session_id === id && r.label === 'beacon')).toBe(true);
  const again = cli(['export', '--dataset', 'crash-set', '--format', 'manifest', '--out', outDir]);
  expect(again.status).toBe(1);
  expect(again.stdout).toMatch(/not empty/);
}, 120_000);

it('aborting a recording keeps what was captured and says why', async () => {
  const { station, client } = openStation();
  try {
    if ((await client.listReceivers()).length === 0) await registerDemoKiwis(client, sim, scene);
    const receivers = await client.listReceivers();
    const s = await client.createSession({ name: 'aborted run', freqHz: DEMO_HF_TX_HZ, mode: 'iq', receiverIds: [receivers[0]!.id], durationSec: 60 });
    await client.startSession({ id: s.id });
    await expect(client.startSession({ id: s.id })).rejects.toThrow(/Another session is recording|only a draft/);
    await expect(client.startMonitor({ receiverIds: [receivers[0]!.id], freqHz: DEMO_HF_TX_HZ, mode: 'iq' })).rejects.toThrow(/A session is recording/);
    await new Promise((r) => setTimeout(r, 5500));
    await client.markTransmit({ id: s.id, action: 'down' });
    await new Promise((r) => setTimeout(r, 1500));
    const aborted = await client.abortSession({ id: s.id, reason: 'the transmitter battery died' });
    expect(aborted.state).toBe('aborted');
    expect(aborted.stateReason).toBe('the transmitter battery died');
    expect(aborted.captures).toHaveLength(1);
    expect(aborted.captures[0]!.sampleCount).toBeGreaterThan(aborted.captures[0]!.sampleRate);
    // The key-up held at the abort is kept as a segment.
    expect(aborted.segments.filter((g) => g.origin === 'operator')).toHaveLength(1);
    await expect(client.decideSession({ id: s.id, decision: 'review' })).rejects.toThrow(/aborted/);
  } finally {
    await station.close();
  }
}, 60_000);

it('a session of 2 rounds ends by itself a second after the second key-up is released', async () => {
  const { station, client } = openStation();
  try {
    if ((await client.listReceivers()).length === 0) await registerDemoKiwis(client, sim, scene);
    const receivers = await client.listReceivers();
    const s = await client.createSession({ name: 'two rounds', freqHz: DEMO_HF_TX_HZ, mode: 'iq', receiverIds: [receivers[0]!.id], durationSec: 120, rounds: 2 });
    expect(s.rounds).toBe(2);
    await client.startSession({ id: s.id });
    await new Promise((r) => setTimeout(r, 4500));
    for (let round = 0; round < 2; round++) {
      await client.markTransmit({ id: s.id, action: 'down' });
      await new Promise((r) => setTimeout(r, 600));
      await client.markTransmit({ id: s.id, action: 'up' });
    }
    const releasedAt = Date.now();
    let done = await client.getSession({ id: s.id });
    while (done.state === 'recording' && Date.now() - releasedAt < 15_000) {
      await new Promise((r) => setTimeout(r, 200));
      done = await client.getSession({ id: s.id });
    }
    expect(done.state).toBe('review');
    expect(done.segments.filter((g) => g.origin === 'operator')).toHaveLength(2);
    // Ended about a second after the release, far before the 120 s duration.
    expect(Date.parse(done.endedAt!) - releasedAt).toBeLessThan(8000);
    expect(done.captures[0]!.status).toBe('complete');
  } finally {
    await station.close();
  }
}, 60_000);
