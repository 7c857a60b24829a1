/**
 * The real DCF77 set as an operator handles it: imported as an acquisition with its known source,
 * located with `locate --session` (whole and one segment; again, replacing the first), the fixes
 * listed and read back through the station API the UI uses, and a dataset export carrying them next
 * to the ground truth (manifest columns, SigMF annotations read by sigmf-python, the NumPy meta).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { realDataSet } from '../../helpers/realData';
import { repoRoot, startTestStation } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';
import { expectOk, runCli } from '../../helpers/runCli';

const set = realDataSet('kiwi-dcf77-2017');
if (!set.dir) console.log(`locateImportedSet.test: skipped, ${set.why}`);
const haveSigmf = spawnSync('python3', ['-c', 'import sigmf, numpy'], { encoding: 'utf8' }).status === 0;
if (!haveSigmf) console.log('locateImportedSet.test: the sigmf-python check is skipped (pip install sigmf to run it)');
const tmp = tempDir('heimdall-locate-import-');
afterAll(() => tmp.cleanup());
const dataDir = path.join(tmp.dir, 'station');
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

describe.skipIf(!set.dir)('an imported DCF77 acquisition, located and exported', () => {
  it('is located from the CLI, its fixes stored, listed, read back and carried into the exports', async () => {
    expectOk(await cli('source', 'add', '--name', 'DCF77 Mainflingen', '--lat', '50.0152', '--lon', '9.0112', '--freq', '77.5k', '--kind', 'beacon'), 'source add');
    const imported = JSON.parse(expectOk(await cli('import', set.dir!, '--source', 'DCF77 Mainflingen', '--json'), 'import').stdout) as { acquisitions: { sessionId: string }[] };
    const sessionId = imported.acquisitions[0]!.sessionId;
    const short = sessionId.slice(-8);

    const whole = expectOk(await cli('locate', '--session', short), 'locate --session');
    console.log(whole.stdout);
    const km = Number(/^known source: DCF77 Mainflingen at .*, (\d+\.\d+) km from the fix$/m.exec(whole.stdout)![1]);
    expect(km).toBeLessThan(15);
    expect(whole.stdout).toMatch(/^stored as ([0-9a-f]{8}) with session "Import 2017-11-27 10:41:55 UTC.*", located over the 2 segments not rejected in review \(none is approved yet\), 29\.0 s/m);
    const seg2 = expectOk(await cli('locate', '--session', short, '--segment', '2', '--json'), 'locate --segment 2');
    const segResult = JSON.parse(seg2.stdout) as { id: string; segmentId: string; source: { distanceKm: number } };
    expect(segResult.segmentId).toBeTruthy();
    expect(segResult.source.distanceKm).toBeLessThan(20);
    const again = expectOk(await cli('locate', '--session', short, '--step', '0.02'), 'locate again');
    const againId = /^stored as ([0-9a-f]{8})/m.exec(again.stdout)![1]!;

    // Errors a user meets: an unknown session, a segment number out of range.
    const unknown = await cli('locate', '--session', 'no-such-session');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No session "no-such-session". List them with `heimdall-station session list`.');
    const out = await cli('locate', '--session', short, '--segment', '9');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`Session ${short} has 2 segments: --segment takes 1 to 2`);

    // Approve and export: every sample carries its acquisition's fix beside the ground truth.
    expectOk(await cli('session', 'approve', short, '--all-segments'), 'session approve');
    for (const format of ['manifest', 'sigmf', 'npy']) expectOk(await cli('export', '--dataset', 'dcf77', '--create', '--format', format, '--out', path.join(tmp.dir, format)), `export ${format}`);
    const rows = fs.readFileSync(path.join(tmp.dir, 'manifest', 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(6);
    const bySegment = new Map(rows.map((r) => [r.segment_id as string, r]));
    expect(bySegment.size).toBe(2);
    const segmentRow = bySegment.get(segResult.segmentId)!;
    expect(segmentRow).toMatchObject({ tdoa_scope: 'segment', tdoa_id: segResult.id, tdoa_receivers: 3, tdoa_receiver_status: 'good', source_lat: 50.0152 });
    const sessionRow = [...bySegment.values()].find((r) => r !== segmentRow)!;
    expect(sessionRow).toMatchObject({ tdoa_scope: 'session', tdoa_receivers: 3 });
    expect(String(sessionRow.tdoa_id).endsWith(againId)).toBe(true);
    for (const r of rows) {
      expect(r.tdoa_error_km as number).toBeLessThan(20);
      expect(Math.abs((r.tdoa_lat as number) - 50.0152)).toBeLessThan(0.3);
    }
    const csv = fs.readFileSync(path.join(tmp.dir, 'manifest', 'manifest.csv'), 'utf8').split('\r\n')[0]!;
    expect(csv.endsWith('tdoa_lat,tdoa_lon,tdoa_error_km,tdoa_receivers,tdoa_receiver_status,tdoa_scope,tdoa_id')).toBe(true);

    const archives = fs.readdirSync(path.join(tmp.dir, 'sigmf')).filter((f) => f.endsWith('.sigmf'));
    expect(archives).toHaveLength(6);
    for (const a of archives) {
      const name = a.replace(/\.sigmf$/, '');
      const meta = JSON.parse((await readSigmfArchive(path.join(tmp.dir, 'sigmf', a))).get(`${name}/${name}.sigmf-meta`)!.toString('utf8'));
      const t = meta.annotations[0]['heimdall:tdoa'];
      expect(t).toMatchObject({ receiver_status: 'good', receivers_used: ['DF0KL', 'F1JEK', 'HB9RYZ'], receivers_rejected: [] });
      expect(t.pairs).toHaveLength(3);
      expect(t.error_km).toBeLessThan(20);
    }
    const collections = fs.readdirSync(path.join(tmp.dir, 'sigmf')).filter((f) => f.endsWith('.sigmf-collection'));
    for (const c of collections) expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, 'sigmf', c), 'utf8')).collection['heimdall:tdoa'].lat).toBeCloseTo(50, 0);
    if (haveSigmf) {
      const files = [...archives, ...collections].map((f) => path.join(tmp.dir, 'sigmf', f));
      const v = spawnSync('python3', [path.join(repoRoot, 'test/oracles/sigmf_validate.py'), ...files], { encoding: 'utf8' });
      expect(v.status, v.stderr).toBe(0);
      const results = (JSON.parse(v.stdout) as { results: Record<string, string> }).results;
      for (const f of files) expect(results[f], f).toBe('ok');
    }
    const metas = fs.readdirSync(path.join(tmp.dir, 'npy'), { recursive: true }).map(String).filter((f) => f.endsWith('_meta.json'));
    expect(metas).toHaveLength(2);
    for (const m of metas) {
      const meta = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'npy', m), 'utf8'));
      expect(meta.tdoa.error_km).toBeLessThan(20);
      expect(meta.label).toMatchObject({ lat: 50.0152, lon: 9.0112 });
    }

    // Through the station API (the UI's transport): one fix per acquisition, newest first, whole.
    const ts = await startTestStation({ dataDir });
    try {
      const client = ts.connect();
      const list = await client.listLocates({ sessionId });
      expect(list).toHaveLength(2);
      expect(list[0]!.id.endsWith(againId)).toBe(true);
      expect(list.map((l) => l.segmentId)).toEqual([null, segResult.segmentId]);
      expect(list[0]).toMatchObject({ receiversUsed: 3 });
      expect(list[0]!.sourceDistanceKm!).toBeLessThan(15);
      const stored = await client.getLocate({ id: list[0]!.id });
      expect(stored.grid.stepDeg).toBe(0.02);
      expect(stored.contours.find((c) => c.confidence === 0.95)!.lines.length).toBeGreaterThan(0);
      expect(stored.hyperbolas).toHaveLength(3);
      expect(stored.pairs.every((p) => p.rmsUs < 30)).toBe(true);
      expect(await client.listLocates({})).toHaveLength(2);
      await expect(client.getLocate({ id: segResult.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).rejects.toThrow(/No stored locate result/);
    } finally {
      await ts.close();
    }
  }, 240_000);

  it('leaves out an OpenWebRX recording and a receiver rejected in review, saying why, and refuses below three', async () => {
    const dir = path.join(tmp.dir, 'owrx-station');
    const owrx = new SigmfRecordingWriter({
      dir: path.join(tmp.dir, 'owrx'),
      baseName: 'owrx-torino',
      datatype: 'ri16_le',
      sampleRate: 12000,
      freqHz: 77_500,
      description: 'OWRX Torino',
      hw: 'OpenWebRX',
      geolocation: { lat: 45.07, lon: 7.69, alt: null },
      heimdall: { receiver_kind: 'openwebrx', receiver_name: 'OWRX Torino' },
    });
    owrx.beginSegment(BigInt(Date.UTC(2017, 10, 27, 10, 41, 57)) * 1_000_000n, 'start');
    owrx.append(new Int16Array(12000 * 20).map((_, i) => Math.round(8000 * Math.sin(i / 3))));
    owrx.finish();
    const at = (...args: string[]) => runCli([...args, '--data-dir', dir]);
    const imported = JSON.parse(expectOk(await at('import', set.dir!, path.join(tmp.dir, 'owrx'), '--json'), 'import').stdout) as { acquisitions: { sessionId: string; captures: number }[] };
    expect(imported.acquisitions).toHaveLength(1);
    expect(imported.acquisitions[0]!.captures).toBe(4);
    const short = imported.acquisitions[0]!.sessionId.slice(-8);

    expectOk(await at('session', 'review', short, 'all', '--reject', '--receiver', 'HB9RYZ'), 'session review --reject');
    const refused = await at('locate', '--session', short);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Cannot locate: 2 of 3 receivers are usable by their recordings, and a TDoA fix needs at least 3 GPS-stamped KiwiSDR IQ recordings of the same moment.');
    expect(refused.stderr).toContain('OWRX Torino: OpenWebRX sends no IQ and no GPS time: it cannot take part in a TDoA fix');
    expect(refused.stderr).toContain('Left out before locating: HB9RYZ: its recording of every chosen segment was rejected in review.');

    expectOk(await at('session', 'review', short, 'all', '--pending', '--receiver', 'HB9RYZ'), 'session review --pending');
    const located = expectOk(await at('locate', '--session', short), 'locate --session');
    expect(located.stdout).toMatch(/^receivers used \(3\):$/m);
    expect(located.stdout).toMatch(/^receivers left out \(1\):\n {2}OWRX Torino: OpenWebRX sends no IQ and no GPS time/m);
  }, 180_000);
});
