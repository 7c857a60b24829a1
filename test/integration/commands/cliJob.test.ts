/**
 * The whole job by the command line only, as a newcomer would do it on a fresh data directory:
 * receivers (asked for their kind, name and position) and a known source, a session created and
 * recorded from the demo scene's simulated KiwiSDRs, the detector's proposals and a segment marked
 * by hand approved, the dataset exported in all three formats, status, and sync to the embedded
 * PostgreSQL + s3rver the other sync tests use. Every step is the real binary in its own process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_HF_TX_HZ } from '../../../main/sim/demoScene';
import { type Simulation } from '../../../main/sim/simulation';
import { type Session } from '../../../shared/domain/sessions';
import { demoBeacon, demoKiwiScene, startDemoKiwis } from '../../fixtures/sessions/demoKiwiWorld';
import { startTestPostgres, type TestPostgres } from '../../helpers/pg';
import { startTestS3, type TestS3 } from '../../helpers/s3';
import { tempDir } from '../../helpers/tempDir';
import { expectOk, runCli } from '../../helpers/runCli';

const scene = demoKiwiScene();
const beacon = demoBeacon(scene);
let sim: Simulation;
let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-cli-job-');
const dataDir = path.join(tmp.dir, 'station');
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(async () => {
  [sim, pg, s3] = await Promise.all([startDemoKiwis(scene), startTestPostgres(), startTestS3()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([sim?.close(), pg?.dispose(), s3?.dispose()]);
  tmp.cleanup();
});

/** The header of a .npy file: its shape. */
function npyShape(file: string): number[] {
  const b = fs.readFileSync(file);
  const len = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + len).toString('latin1');
  return /'shape':\s*\(([^)]*)\)/.exec(header)![1]!.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
}

const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

it('does the whole job from the CLI on a fresh data directory', async () => {
  // A fresh folder reads as an empty station and stays untouched.
  const empty = expectOk(await cli('status', '--json'), 'status --json');
  expect(JSON.parse(empty.stdout)).toMatchObject({ exists: false, sync: { captures: 0, measurements: 0, outbox: [] } });
  expect(fs.existsSync(dataDir)).toBe(false);

  // Receivers by URL only: kind, name and position come from their /status.
  for (const [i, r] of sim.receivers.entries()) {
    const added = expectOk(await cli('receiver', 'add', r.url), `receiver add ${r.url}`);
    const s = scene.receivers.find((x) => x.id === r.id)!;
    expect(added.stdout).toMatch(new RegExp(`^added [0-9a-f]{8}  KiwiSDR\\s+${s.name.replace(/[()]/g, '\\$&')}  ${r.url}  \\(${s.lat.toFixed(4)}, ${s.lon.toFixed(4)}, ${Math.round(s.altM)} m\\)`));
    // The first one started the station there, and said so.
    if (i === 0) expect(added.stderr).toContain(`started a new station in ${dataDir}`);
    else expect(added.stderr).toBe('');
  }
  const receivers = JSON.parse(expectOk(await cli('receiver', 'list', '--json'), 'receiver list').stdout) as { name: string; kind: string; lat: number }[];
  expect(receivers.map((r) => [r.name, r.kind])).toEqual(scene.receivers.map((r) => [r.name, 'kiwisdr']).sort());

  expectOk(
    await cli('source', 'add', '--name', beacon.name, '--lat', String(beacon.lat), '--lon', String(beacon.lon), '--alt', String(beacon.altM), '--freq', '7.1M', '--error-margin', '10', '--power', String(beacon.powerDbm), '--kind', 'beacon', '--validated'),
    'source add',
  );
  expect(expectOk(await cli('source', 'list'), 'source list').stdout).toContain(`${beacon.name}  ${beacon.lat.toFixed(5)}, ${beacon.lon.toFixed(5)}, ${beacon.altM} m (±10 m), 7.100000 MHz, beacon, validated`);

  // Nothing approved yet: export --create refuses and leaves no empty dataset behind.
  const early = await cli('export', '--dataset', 'job-set', '--create', '--format', 'manifest', '--out', path.join(tmp.dir, 'early'));
  expect(early.code).toBe(1);
  expect(early.stderr).toMatch(/No approved recordings to put in dataset "job-set".*nothing was created.*session approve/);
  expect(expectOk(await cli('export', '--list'), 'export --list').stdout).toMatch(/No datasets yet/);

  // Receivers and source named by a unique part of their names, the frequency with a unit.
  const created = expectOk(await cli('session', 'create', '--name', 'job run', '--freq', '7.1M', '--receiver', 'aosta', 'asti', 'cuneo', '--source', 'biella', '--duration', '16', '--passband', '-2500:2500'), 'session create');
  const short = /\(short ([0-9a-f]{8})\)/.exec(created.stdout)![1]!;
  expect(created.stdout).toContain(`Record it with \`heimdall-station session record ${short}\``);

  const recorded = expectOk(await runCli(['session', 'record', short, '--data-dir', dataDir], { timeoutMs: 90_000 }), 'session record');
  expect(recorded.stdout).toMatch(/^recording "job run" from .* for 16 s; Ctrl-C to stop$/m);
  expect(recorded.stdout).toMatch(/In review: [1-9]\d* segments? proposed by the detector/);
  let s = JSON.parse(expectOk(await cli('session', 'show', short, '--json'), 'session show').stdout) as Session;
  expect(s.state).toBe('review');
  expect(s.freqHz).toBe(DEMO_HF_TX_HZ);
  expect(s.captures.map((c) => c.status)).toEqual(['complete', 'complete', 'complete']);
  const proposed = s.segments.filter((g) => g.origin === 'detector');
  expect(proposed.length).toBeGreaterThanOrEqual(1);

  // Approving with nothing approved says how to approve.
  const refused = await cli('session', 'approve', short);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`Nothing in session ${short} is approved yet (${s.segments.length} segments: ${proposed.length} proposed by the detector, 0 marked). Approve some with \`heimdall-station session review ${short} <segment> --approve\``);
  expect(refused.stderr).toContain(`\`heimdall-station session approve ${short} --all-segments\``);

  // The detector's proposals, by the short ids `session show` prints, labelled.
  const reviewed = expectOk(await cli('session', 'review', short, ...proposed.map((g) => g.id.slice(-8)), '--approve', '--label', 'beacon'), 'session review');
  for (const g of proposed) expect(reviewed.stdout).toContain(`segment ${g.id.slice(-8)} proposed "beacon": 3/3 receivers approved (approved)`);

  // One marked by hand (inside the first proposal, in seconds after the start), approved for one receiver.
  const t0 = Date.parse(s.startedAt!);
  const from = (proposed[0]!.startMs - t0) / 1000 + 0.5;
  const marked = expectOk(await cli('session', 'mark', short, '--start', from.toFixed(2), '--end', (from + 1.5).toFixed(2), '--label', 'by hand'), 'session mark');
  const manualShort = /^marked segment ([0-9a-f]{8}) "by hand"/.exec(marked.stdout)![1]!;
  expectOk(await cli('session', 'review', short, manualShort, '--approve', '--receiver', 'aosta'), 'session review --receiver');

  const approved = expectOk(await cli('session', 'approve', short, '--notes', 'done from the CLI'), 'session approve');
  expect(approved.stdout).toContain('job run  [approved]');
  s = JSON.parse(expectOk(await cli('session', 'show', short, '--json'), 'session show').stdout) as Session;
  const manual = s.segments.find((g) => g.origin === 'manual')!;
  expect(Math.round((manual.startMs - t0) / 10)).toBe(Math.round(from * 100));
  expect(manual.reviews.filter((r) => r.decision === 'approved').map((r) => r.receiverName)).toEqual(['KiwiSDR Aosta (sim)']);
  const expectedSamples = proposed.length * 3 + 1;
  expect(expectOk(await cli('session', 'list'), 'session list').stdout).toMatch(new RegExp(`^${short}  approved .* ${proposed.length + 1}/${s.segments.length} segments approved  job run$`, 'm'));

  // All three formats; the first export defines the dataset.
  const outs: Record<string, string> = {};
  for (const format of ['sigmf', 'npy', 'manifest']) {
    outs[format] = path.join(tmp.dir, `export-${format}`);
    const r = expectOk(await cli('export', '--dataset', 'job-set', '--create', '--format', format, '--out', outs[format]!), `export ${format}`);
    if (format === 'sigmf') expect(r.stdout).toContain(`created dataset job-set`);
    else expect(r.stdout).not.toContain('created dataset');
    expect(r.stdout).toContain(`done: ${expectedSamples} samples in`);
  }
  const rows = fs.readFileSync(path.join(outs.manifest!, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { session_id: string; label: string; receiver_name?: string });
  expect(rows).toHaveLength(expectedSamples);
  expect(rows.every((r) => r.session_id === s.id)).toBe(true);
  expect(rows.filter((r) => r.label === 'beacon')).toHaveLength(proposed.length * 3);
  expect(rows.filter((r) => r.label === 'by hand')).toHaveLength(1);
  const sigmf = walk(outs.sigmf!);
  expect(sigmf.filter((f) => f.endsWith('.sigmf'))).toHaveLength(expectedSamples);
  expect(sigmf.filter((f) => f.endsWith('.sigmf-collection'))).toHaveLength(proposed.length + 1);
  const iq = walk(outs.npy!).filter((f) => f.endsWith('_iq.npy'));
  expect(iq).toHaveLength(proposed.length + 1);
  const shapes = iq.map(npyShape).sort((a, b) => a[0]! - b[0]!);
  expect(shapes[0]![0]).toBe(1); // the hand-marked segment: one receiver approved
  expect(shapes[0]![1]).toBeGreaterThan(12_000); // 1.5 s at 12 kS/s
  for (const sh of shapes.slice(1)) expect(sh[0]).toBe(3);
  const labels = walk(outs.npy!).filter((f) => f.endsWith('_label.npy'));
  const label = fs.readFileSync(labels[0]!);
  expect([label.readDoubleLE(label.length - 16), label.readDoubleLE(label.length - 8)]).toEqual([beacon.lat, beacon.lon]);

  const before = JSON.parse(expectOk(await cli('status', '--json'), 'status --json').stdout) as { exists: boolean; sync: { captures: number; measurements: number; state: string; outbox: { state: string }[] } };
  expect(before).toMatchObject({ exists: true, sync: { captures: 3, state: 'not_configured' } });
  expect(before.sync.outbox.every((o) => o.state === 'pending')).toBe(true);

  // The central store, secrets from the environment only, then one drain.
  const secrets = { HEIMDALL_S3_SECRET_KEY: s3.secretKey, HEIMDALL_PG_PASSWORD: pg.password };
  const configured = expectOk(
    await runCli(['sync', 'configure', '--s3-endpoint', `http://${s3.endpoint}:${s3.port}`, '--s3-access-key', s3.accessKey, '--pg-url', pg.url, '--test', '--data-dir', dataDir], { env: secrets }),
    'sync configure',
  );
  expect(configured.stdout).toContain('central store settings saved');
  expect(configured.stdout).toMatch(/^object store: ok - /m);
  expect(configured.stdout).toMatch(/^PostgreSQL: ok - /m);
  expect(configured.stdout).not.toContain(pg.password);
  const synced = expectOk(await cli('sync', '--once', '--quiet'), 'sync --once');
  expect(synced.stdout).toMatch(new RegExp(`^sync complete: 3 captures, ${before.sync.measurements} measurements; outbox: pg done \\d+, s3 done 3$`, 'm'));
  const after = JSON.parse(expectOk(await cli('status', '--json'), 'status --json').stdout) as { sync: { outbox: { state: string }[] } };
  expect(after.sync.outbox.every((o) => o.state === 'done')).toBe(true);
  expect((await pg.query('SELECT count(*)::int AS n FROM heimdall.measurements')).rows[0]).toEqual({ n: before.sync.measurements });
  expect((await s3.list('heimdall-raw-iq')).filter((o) => o.name.endsWith('.sigmf-data'))).toHaveLength(3);
}, 300_000);
