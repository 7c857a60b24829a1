/**
 * One time base, everywhere: a KiwiSDR recording with 3 blocks lost mid-way (the stamps jump 128 ms
 * past the sample count) is imported, reviewed and exported, and synced to PostgreSQL. The measurement
 * window after the gap has the same GPS time in heimdall.measurements, in the manifest and in the SigMF
 * export, and it is the time of the samples (the gap included), computed here from the block count.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecordingFiles } from '../../../main/import/importRecordings';
import { unixNsToGps } from '../../../main/recordings/gpsTime';
import { KiwiWavWriter } from '../../../main/recordings/kiwi/kiwiWav';
import { readSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { silentLogger } from '../../../main/base/log';
import { createDspPool } from '../../../main/dsp/pool';
import { createStation, type Station } from '../../../main/station';
import { startTestPostgres, type TestPostgres } from '../../helpers/pg';
import { startTestS3, type TestS3 } from '../../helpers/s3';
import { resourcesDir } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';
import { syncSettingsFor } from '../sync/syncHarness';

const RATE = 12000;
const B = 512;
const LOST = 3; // blocks missing after block 40: 3 x 512 / 12000 = 128 ms
const T0_MS = Date.UTC(2026, 10, 22, 10, 41, 56);
const T0 = BigInt(T0_MS) * 1_000_000n;
/** Unix ns of file sample n: the lost blocks' time comes after block 40. */
const truth = (n: number) => T0 + BigInt(Math.round(((n + (n >= 41 * B ? LOST * B : 0)) / RATE) * 1e9));

let pgServer: TestPostgres;
let s3: TestS3;
let station: Station;
const tmp = tempDir('heimdall-time-');

beforeAll(async () => {
  [pgServer, s3] = await Promise.all([startTestPostgres(), startTestS3()]);
  station = createStation({ dataDir: path.join(tmp.dir, 'station'), resourcesDir, log: silentLogger });
});
afterAll(async () => {
  await station?.close();
  await Promise.all([pgServer?.dispose(), s3?.dispose()]);
  tmp.cleanup();
});

describe('one window after a gap, in PostgreSQL, the manifest and SigMF', () => {
  it('has the same GPS time in all three, and it is the time of its samples', async () => {
    // 120 blocks (~5 s) of a tone; fresh fixes every 24 blocks (every 12 before the gap would do too).
    const file = path.join(tmp.dir, '20261122T104156Z_7100000_GAP1_iq.wav');
    const w = new KiwiWavWriter(file, { rateHz: RATE, channels: 2 });
    for (let k = 0; k < 120; k++) {
      const iq = new Int16Array(2 * B).map((_, i) => Math.round(8000 * Math.cos((2 * Math.PI * 1000 * (k * B + (i >> 1))) / RATE + ((i & 1) * Math.PI) / 2)));
      w.writeBlock({ fixAgeSec: k % 24 === 12 ? 0 : 1, ...unixNsToGps(k === 0 ? truth(0) - 60_000_000_000n : truth(k * B)) }, iq);
    }
    w.close();
    fs.writeFileSync(path.join(tmp.dir, 'GAP1.txt'), "d.GAP1 = struct('coord', [45.1, 7.6], 'host', 'gap1.example.net', 'port', 8073);\n");

    const pool = createDspPool({ size: 1 });
    let sessionId: string;
    let captureId: string;
    try {
      const report = await importRecordingFiles({ captures: station.captures, receivers: station.receivers, log: silentLogger, sessions: station.sessions, pool: () => pool }, [file]);
      expect(report.imported, JSON.stringify(report.files)).toBe(1);
      sessionId = report.acquisitions[0]!.sessionId;
      captureId = report.files[0]!.captureId!;
    } finally {
      await pool.close();
    }
    const segs = station.captures.repos.captures.segments(captureId);
    expect(segs.map((s) => [s.sample_start, s.reason])).toEqual([
      [0, 'start'],
      [41 * B, 'gap'],
    ]);
    // The 0.5 s window starting at sample 30000 lies after the gap: at T0 + (30000 + 1536) / 12000 s, a whole millisecond.
    const windowStart = 30_000;
    const expected = truth(windowStart);
    const row = station.captures.repos.measurements.allFor(captureId).find((m) => m.window_start_sample === windowStart)!;
    expect(row).toBeDefined();

    // Review: one segment that starts exactly there, approved; a dataset of it, exported as manifest and SigMF.
    const startMs = Number(expected / 1_000_000n);
    let session = station.sessions.addSegment(sessionId, startMs, startMs + 500, 'tone');
    const seg = session.segments.find((g) => g.startMs === startMs)!;
    for (const other of session.segments) station.sessions.review({ sessionId, segmentId: other.id, decision: other.id === seg.id ? 'approved' : 'rejected' });
    session = station.sessions.decide(sessionId, 'approved');
    station.datasets.create({ name: 'gap-check', filters: { approval: 'approved', sessionIds: [sessionId] }, ratios: { train: 1, val: 0, test: 0 }, seed: 1 });
    const out = (f: string) => path.join(tmp.dir, `export-${f}`);
    for (const format of ['manifest', 'sigmf'] as const) {
      const job = await station.datasets.startExport({ dataset: 'gap-check', format, outDir: out(format), upload: false }).done;
      expect(job.state, job.message).toBe('done');
    }
    const manifest = fs
      .readFileSync(path.join(out('manifest'), 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { gps_unix_ns: string | null; file_sample_start?: number; sigmf_file: string });
    expect(manifest).toHaveLength(1);
    const archive = path.join(out('sigmf'), manifest[0]!.sigmf_file);
    const members = await readSigmfArchive(archive);
    const meta = JSON.parse([...members].find(([n]) => n.endsWith('.sigmf-meta'))![1].toString('utf8')) as { global: Record<string, unknown>; captures: Record<string, unknown>[] };
    expect(meta.global['heimdall:file_sample_start']).toBe(windowStart);

    // Sync the capture's rows to PostgreSQL.
    station.sync.settings.update(syncSettingsFor(pgServer, s3));
    const pass = await station.sync.drain(30_000);
    expect(pass.errors).toEqual([]);
    const r = await pgServer.query<{ gps_unix_ns: string }>('SELECT gps_unix_ns::text FROM heimdall.measurements WHERE id = $1', [row.id]);
    const pgNs = r.rows[0]!.gps_unix_ns;

    const within1ns = (v: string | null | undefined) => expect(Math.abs(Number(BigInt(v!) - expected))).toBeLessThanOrEqual(1);
    within1ns(pgNs);
    within1ns(manifest[0]!.gps_unix_ns);
    within1ns(meta.global['heimdall:gps_unix_ns'] as string);
    within1ns(meta.captures[0]!['heimdall:gps_unix_ns'] as string);
    expect(new Set([pgNs, manifest[0]!.gps_unix_ns, meta.global['heimdall:gps_unix_ns'], meta.captures[0]!['heimdall:gps_unix_ns']]).size).toBe(1);
    // The first sample's time alone would be 128 ms off: the gap is in all three.
    expect(Number(BigInt(pgNs) - (T0 + BigInt(Math.round((windowStart / RATE) * 1e9))))).toBeCloseTo(128e6, -3);
  });
});
