/**
 * SigMF as other tools read it: every kind of SigMF the station writes is opened and validated by
 * sigmf-python (the SigMF project's library; test/oracles/sigmf_validate.py), warnings counted as
 * failures: a capture's output (finished, and as a crash leaves it), the meta sync uploads beside the
 * samples, and a dataset export's archives and collection. Skipped, saying so, where sigmf-python is
 * not installed (`pip install sigmf`; .ci/run tries).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture } from '../../../main/capture/captureEngine';
import { createDspPool } from '../../../main/dsp/pool';
import { importRecordingFiles } from '../../../main/import/importRecordings';
import { silentLogger } from '../../../main/base/log';
import { unixNsToGps } from '../../../main/recordings/gpsTime';
import { KiwiWavWriter } from '../../../main/recordings/kiwi/kiwiWav';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { sceneSchema } from '../../../main/sim/scene';
import { startSimulation, type Simulation } from '../../../main/sim/simulation';
import { createStation, type Station } from '../../../main/station';
import { captureSigmfMetaJson } from '../../../main/store/captureSigmf';
import { repoRoot, resourcesDir } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const probe = spawnSync('python3', ['-c', 'import sigmf, numpy'], { encoding: 'utf8' });
const haveSigmf = probe.status === 0;
if (!haveSigmf) console.log(`sigmfEcosystem.test: skipped, sigmf-python is not installed here (${(probe.stderr || 'no python3').trim().split('\n').at(-1)}); pip install sigmf to run it`);

const tmp = tempDir('heimdall-sigmf-');
let sim: Simulation;
let station: Station;
beforeAll(async () => {
  if (!haveSigmf) return;
  const scene = sceneSchema.parse({
    name: 'sigmf',
    transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 1, onSec: 1 } }],
    receivers: [{ id: 'a', name: 'Alpha', kind: 'kiwisdr', lat: 45.1, lon: 7.75, gps: { fixEverySec: 2 } }],
  });
  sim = await startSimulation(scene, {});
  station = createStation({ dataDir: path.join(tmp.dir, 'station'), resourcesDir, log: silentLogger });
});
afterAll(async () => {
  await station?.close();
  await sim?.close();
  tmp.cleanup();
});

function sigmfPython(files: string[]): { version: string; results: Record<string, string> } {
  const r = spawnSync('python3', [path.join(repoRoot, 'test/oracles/sigmf_validate.py'), ...files], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { version: string; results: Record<string, string> };
}

describe.skipIf(!haveSigmf)('sigmf-python reads every SigMF the station writes', () => {
  it('capture output, a crashed capture, sync metadata, dataset archives and collections', async () => {
    const files: string[] = [];
    // 1. A capture through the real engine (client in a worker, simulated KiwiSDR): meta + data.
    const capDir = path.join(tmp.dir, 'capture');
    const pool = createDspPool({ size: 1 });
    try {
      const rx = sim.receivers[0]!;
      const run = startCapture({ receivers: [{ receiverId: 'a', name: 'Alpha', kind: 'kiwisdr', url: rx.url, lat: 45.1, lon: 7.75, alt: 0 }], freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', durationSec: 3, outDir: capDir, alignLeadMs: 2000, dsp: { pool } }, silentLogger);
      const [summary] = await run.done;
      expect(summary!.status).toBe('complete');
      files.push(summary!.metaFile!);
    } finally {
      await pool.close();
    }
    // 2. What a crash leaves: the meta of an unfinished recording.
    const w = new SigmfRecordingWriter({ dir: path.join(tmp.dir, 'crash'), baseName: 'crashed', datatype: 'ci16_le', sampleRate: 12001.135, freqHz: 7_100_000, description: 'test', heimdall: { receiver_id: 'x' } });
    w.beginSegment(1_795_000_000_000_000_000n, 'start');
    w.append(new Int16Array(40_000).map((_, i) => i % 3000));
    w.beginSegment(1_795_000_002_000_000_000n, 'gap'); // the meta is rewritten here, after the data before it is durable
    w.append(new Int16Array(40_000));
    files.push(w.metaFile);

    // 3. A kiwirecorder set imported as an acquisition; 4. the meta sync uploads for one capture.
    const set = path.join(tmp.dir, 'set');
    fs.mkdirSync(set);
    const t0 = BigInt(Date.UTC(2026, 10, 22, 10, 41, 56)) * 1_000_000n;
    for (const [i, name] of ['AAA', 'BBB', 'CCC'].entries()) {
      const kw = new KiwiWavWriter(path.join(set, `20261122T104156Z_7100000_${name}_iq.wav`), { rateHz: 12000, channels: 2 });
      for (let k = 0; k < 60; k++) {
        const ns = t0 + BigInt(i * 1000) + BigInt(Math.round(((k * 512) / 12000) * 1e9));
        kw.writeBlock({ fixAgeSec: k % 20 === 10 ? 0 : 1, ...unixNsToGps(ns) }, new Int16Array(1024).map((_, j) => ((j * 997 + k * 31) % 20000) - 10000));
      }
      kw.close();
      fs.writeFileSync(path.join(set, `${name}.txt`), `d.${name} = struct('coord', [${45 + i * 0.1}, ${7 + i * 0.2}], 'host', '${name.toLowerCase()}.example.net', 'port', 8073);\n`);
    }
    const pool2 = createDspPool({ size: 1 });
    let sessionId: string;
    try {
      const report = await importRecordingFiles({ captures: station.captures, receivers: station.receivers, log: silentLogger, sessions: station.sessions, pool: () => pool2 }, [set]);
      expect(report.imported).toBe(3);
      sessionId = report.acquisitions[0]!.sessionId;
    } finally {
      await pool2.close();
    }
    const c = station.captures.repos.captures.bySession(sessionId)[0]!;
    const syncDir = path.join(tmp.dir, 'sync');
    fs.mkdirSync(syncDir);
    fs.writeFileSync(path.join(syncDir, 'upload.sigmf-meta'), captureSigmfMetaJson(c, station.captures.repos.captures.segments(c.id), station.captures.repos.captures.stamps(c.id), 'Station A'));
    fs.copyFileSync(station.captures.absolutePath(c.file_path), path.join(syncDir, 'upload.sigmf-data'));
    files.push(path.join(syncDir, 'upload.sigmf-meta'));

    // 5. A dataset export of the approved acquisition: one archive per receiver and a collection.
    let session = station.sessions.get(sessionId);
    const seg = session.segments.find((g) => g.origin === 'manual')!;
    station.sessions.review({ sessionId, segmentId: seg.id, decision: 'approved' });
    session = station.sessions.decide(sessionId, 'approved');
    station.datasets.create({ name: 'sigmf-check', filters: { approval: 'approved', sessionIds: [sessionId] }, ratios: { train: 1, val: 0, test: 0 }, seed: 1 });
    const out = path.join(tmp.dir, 'export');
    const job = await station.datasets.startExport({ dataset: 'sigmf-check', format: 'sigmf', outDir: out, upload: false }).done;
    expect(job.state, job.message).toBe('done');
    const exported = fs.readdirSync(out).filter((f) => f.endsWith('.sigmf') || f.endsWith('.sigmf-collection'));
    expect(exported.filter((f) => f.endsWith('.sigmf'))).toHaveLength(3);
    expect(exported.filter((f) => f.endsWith('.sigmf-collection'))).toHaveLength(1);
    files.push(...exported.map((f) => path.join(out, f)));

    const v = sigmfPython(files);
    console.log(`sigmf-python ${v.version} validated ${files.length} files`);
    for (const f of files) expect(v.results[f], f).toBe('ok');
  });
});
