import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { type StationError } from '../../../shared/errors';
import { exportManifest, MANIFEST_COLUMNS } from '../../../main/datasets/exportManifest';
import { type ExportPlan, type ExportProgress, type ExportResult, type ExportSample, type ExportSource, type Split } from '../../../main/datasets/exportModel';
import { exportNpy } from '../../../main/datasets/exportNpy';
import { exportSigmf } from '../../../main/datasets/exportSigmf';
import { readSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { stationSlug } from '../../../main/sync/objectKeys';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sigmf');
// strictTuples off: GeoJSON coordinates are a tuple whose third item (altitude) is optional.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false });
addFormats(ajv);
const validateMeta = ajv.compile(JSON.parse(fs.readFileSync(path.join(fixtures, 'sigmf-meta.schema.json'), 'utf8')) as object);
const validateCollection = ajv.compile(JSON.parse(fs.readFileSync(path.join(fixtures, 'sigmf-collection.schema.json'), 'utf8')) as object);

const sha512 = (b: Uint8Array | string) => createHash('sha512').update(b).digest('hex');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// ---------------------------------------------------------------------------------------------
// A plan over real sample files: 2 sessions x 2 acquisitions x (3 KiwiSDR IQ receivers + 1 OpenWebRX audio)

const FILE_SAMPLES = 10_000;
const RECEIVERS = [
  { id: 'rx-torino', name: 'Kiwi Torino', url: 'http://torino.example:8073', lat: 45.07, lon: 7.69, alt: 240, datatype: 'ci16_le' },
  { id: 'rx-aosta', name: 'Kiwi Aosta', url: 'http://aosta.example:8073', lat: 45.737, lon: 7.32, alt: null, datatype: 'ci16_le' },
  { id: 'rx-genova', name: 'Kiwi Genova', url: 'http://genova.example:8073', lat: 44.41, lon: 8.93, alt: 20, datatype: 'ci16_le' },
  { id: 'rx-milano', name: 'OWRX Milano', url: 'http://milano.example:8073', lat: 45.46, lon: 9.19, alt: 120, datatype: 'ri16_le' },
] as const;
const SESSIONS: { id: string; short: string; name: string; split: Split; source: ExportSource | null }[] = [
  {
    id: '0a1b2c3d-0000-4000-8000-000000000001',
    short: '0a1b2c3d',
    name: 'Morning run',
    split: 'train',
    source: { id: 'src-1', name: 'IZ1ABC portable', lat: 45.1, lon: 7.6, alt: 300, errorMarginM: 15, powerDbm: 37, kind: 'handheld' },
  },
  {
    id: '9f8e7d6c-0000-4000-8000-000000000002',
    short: '9f8e7d6c',
    name: 'Hill, "north" side',
    split: 'test',
    source: { id: 'src-2', name: 'Beacon, hill', lat: 44.9, lon: 8.2, alt: null, errorMarginM: 50, powerDbm: null, kind: null },
  },
];

/** Deterministic int16 noise, with the extremes in the first samples. */
function int16Noise(n: number, seed: number): Int16Array {
  const out = new Int16Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) % 65536) - 32768;
  }
  out.set([-32768, 32767, 0, 1, -1].slice(0, n));
  return out;
}

function buildPlan(root: string): ExportPlan {
  fs.mkdirSync(path.join(root, 'captures'), { recursive: true });
  const samples: ExportSample[] = [];
  SESSIONS.forEach((sess, si) => {
    RECEIVERS.forEach((rx, ri) => {
      const complex = rx.datatype.startsWith('c');
      const dataFile = path.join(root, 'captures', `${sess.short}_${rx.id}.sigmf-data`);
      const values = int16Noise(FILE_SAMPLES * (complex ? 2 : 1), 1000 * si + ri + 1);
      fs.writeFileSync(dataFile, Buffer.from(values.buffer));
      for (let seg = 0; seg < 2; seg++) {
        const acquisitionId = `${sess.short}-${seg}`;
        const fileSampleStart = seg === 0 ? 100 + ri * 7 : 5000 + ri * 11;
        const sampleCount = seg === 0 ? 3000 + ri * 50 : 2500 + ((ri * 13) % 40);
        samples.push({
          sampleId: `${acquisitionId}_${stationSlug(rx.name)}`,
          acquisitionId,
          sessionId: sess.id,
          sessionName: sess.name,
          segmentId: `seg-${si}-${seg}`,
          captureId: `cap-${si}-${ri}`,
          measurementIds: [`m-${si}-${seg}-${ri}-a`, `m-${si}-${seg}-${ri}-b`],
          receiver: { id: rx.id, name: rx.name, url: rx.url, lat: rx.lat, lon: rx.lon, alt: rx.alt },
          split: sess.split,
          approval: ri === 2 ? 'pending' : 'approved',
          label: 'FM voice',
          notes: ri === 0 ? 'strong, "clean" signal, no QRM' : null,
          source: sess.source,
          freqHz: 145_500_000,
          mode: complex ? 'iq' : 'nbfm',
          sampleRate: complex ? 12_000 : 11_025,
          datatype: rx.datatype,
          dataFile,
          fileSampleStart,
          sampleCount,
          startUtc: `2026-11-22T10:4${seg}:56.123456789Z`,
          gpsUnixNs: complex ? `179543${si}${seg}56123456789` : null,
          annotations: [
            { sampleStart: 1200, sampleCount: 400, label: 'detector', comment: null, generator: 'detector', freqLowerHz: 145_497_000, freqUpperHz: 145_503_000 },
            { sampleStart: 10, sampleCount: 2000, label: 'TX', comment: 'operator held the transmit marker', generator: 'operator', freqLowerHz: null, freqUpperHz: null },
          ],
          metrics: { snrDb: 21.5 - ri, signalPowerDb: -60.25, noisePowerDb: -81.75 + ri, freqOffsetHz: ri === 3 ? null : 12.5 },
        });
      }
    });
  });
  // The builder's order is not the writers' order: shuffle a little.
  samples.reverse();
  return {
    datasetId: 'ds-1',
    datasetName: 'Test dataset',
    description: 'two sessions',
    createdAt: '2026-11-23T08:00:00.000Z',
    seed: 42,
    ratios: { train: 0.7, val: 0.15, test: 0.15 },
    stationName: 'Station One',
    samples,
  };
}

const bps = (s: ExportSample) => (s.datatype.startsWith('c') ? 4 : 2);
function sourceBytes(s: ExportSample, count = s.sampleCount): Buffer {
  const all = fs.readFileSync(s.dataFile);
  return all.subarray(s.fileSampleStart * bps(s), (s.fileSampleStart + count) * bps(s));
}

/** `hashed`: the export was asked for file hashes (it will be uploaded); otherwise none are taken. */
function expectFilesMatch(result: ExportResult, hashed: boolean): void {
  expect(fs.existsSync(result.outDir)).toBe(true);
  const onDisk: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else onDisk.push(`${rel}${e.name}`);
    }
  };
  walk(result.outDir, '');
  expect(result.files.map((f) => f.path).sort()).toEqual(onDisk.sort());
  for (const f of result.files) {
    const b = fs.readFileSync(path.join(result.outDir, f.path));
    expect({ path: f.path, bytes: b.length, sha256: hashed ? sha256(b) : null }).toEqual(f);
  }
}

function expectNoPartial(parent: string): void {
  expect(fs.readdirSync(parent).filter((n) => n.includes('.partial-'))).toEqual([]);
}

/** Minimal RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

function expectNamespacesDeclared(meta: { global: Record<string, unknown>; captures: Record<string, unknown>[]; annotations: Record<string, unknown>[] }): void {
  const declared = new Set(['core', ...((meta.global['core:extensions'] as { name: string }[] | undefined) ?? []).map((e) => e.name)]);
  const keys = [meta.global, ...meta.captures, ...meta.annotations].flatMap((o) => Object.keys(o));
  for (const k of keys) expect(declared.has(k.split(':')[0]!), k).toBe(true);
}

function progressLog() {
  const events: ExportProgress[] = [];
  return { events, onProgress: (p: ExportProgress) => events.push(p) };
}

function expectProgressComplete(events: ExportProgress[], samples: number): void {
  expect(events.length).toBeGreaterThan(2);
  const last = events.at(-1)!;
  expect(last.phase).toBe('done');
  expect(last.doneSamples).toBe(last.totalSamples);
  expect(last.totalSamples).toBe(samples);
  expect(last.doneBytes).toBe(last.totalBytes);
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.doneBytes).toBeGreaterThanOrEqual(events[i - 1]!.doneBytes);
    expect(events[i]!.doneSamples).toBeGreaterThanOrEqual(events[i - 1]!.doneSamples);
  }
  // The last byte count before 'committing' already reached the total: nothing was left unread.
  expect(events.find((e) => e.phase === 'committing')!.doneBytes).toBe(last.totalBytes);
}

// ---------------------------------------------------------------------------------------------

describe('SigMF export', () => {
  it('writes one valid .sigmf archive per sample holding the exact source bytes, and a collection per acquisition', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const out = path.join(root, 'exports', 'sigmf');
    const log = progressLog();
    const result = await exportSigmf(plan, out, { onProgress: log.onProgress, fileHashes: true });
    expect(result).toMatchObject({ format: 'sigmf', outDir: out, samples: 16 });
    expectFilesMatch(result, true);
    expectNoPartial(path.dirname(out));
    expectProgressComplete(log.events, 16);
    // One pass over every byte: the samples are hashed as they go into the archive.
    expect(log.events.at(-1)!.totalBytes).toBe(plan.samples.reduce((n, s) => n + s.sampleCount * bps(s), 0));

    const metaHashes = new Map<string, string>();
    for (const s of plan.samples) {
      const archive = path.join(out, `${s.sampleId}.sigmf`);
      const members = await readSigmfArchive(archive);
      expect([...members.keys()].sort()).toEqual([`${s.sampleId}/${s.sampleId}.sigmf-data`, `${s.sampleId}/${s.sampleId}.sigmf-meta`]);
      const metaBytes = members.get(`${s.sampleId}/${s.sampleId}.sigmf-meta`)!;
      const data = members.get(`${s.sampleId}/${s.sampleId}.sigmf-data`)!;
      metaHashes.set(s.sampleId, sha512(metaBytes));
      const meta = JSON.parse(metaBytes.toString('utf8')) as { global: Record<string, unknown>; captures: Record<string, unknown>[]; annotations: Record<string, unknown>[] };
      expect(validateMeta(meta), JSON.stringify(validateMeta.errors)).toBe(true);
      expectNamespacesDeclared(meta);

      expect(data.equals(sourceBytes(s))).toBe(true);
      expect(meta.global['core:sha512']).toBe(sha512(data));
      expect(meta.global).toMatchObject({
        'core:datatype': s.datatype,
        'core:version': '1.2.0',
        'core:sample_rate': s.sampleRate,
        'core:recorder': 'heimdall-station',
        'core:collection': s.acquisitionId,
        'core:extensions': [
          { name: 'heimdall', version: '1.2.0', optional: true },
          { name: 'capture_details', version: '1.0.0', optional: true },
        ],
        'heimdall:receiver_id': s.receiver.id,
        'heimdall:receiver_name': s.receiver.name,
        'heimdall:receiver_url': s.receiver.url,
        'heimdall:session_id': s.sessionId,
        'heimdall:session_name': s.sessionName,
        'heimdall:segment_id': s.segmentId,
        'heimdall:capture_id': s.captureId,
        'heimdall:approval': s.approval,
        'heimdall:label': s.label,
        'heimdall:split': s.split,
        'heimdall:gps_unix_ns': s.gpsUnixNs,
        'heimdall:transmitter': { lat: s.source!.lat, lon: s.source!.lon, alt: s.source!.alt, error_margin_m: s.source!.errorMarginM },
        'heimdall:metrics': { snr_db: s.metrics.snrDb, signal_power_db: s.metrics.signalPowerDb, noise_power_db: s.metrics.noisePowerDb, freq_offset_hz: s.metrics.freqOffsetHz },
      });
      expect(typeof meta.global['core:description']).toBe('string');
      const rx = s.receiver;
      expect(meta.global['core:geolocation']).toEqual({ type: 'Point', coordinates: rx.alt === null ? [rx.lon, rx.lat] : [rx.lon, rx.lat, rx.alt] });
      // These samples carry no GPS stamps: one capture, timed by the start time alone.
      expect(meta.captures).toEqual([{ 'core:sample_start': 0, 'core:frequency': s.freqHz, 'core:datetime': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/), 'heimdall:time_source': 'host', 'heimdall:reason': 'start' }]);
      expect(Date.parse(meta.captures[0]!['core:datetime'] as string)).toBe(Date.parse(s.startUtc));
      const starts = meta.annotations.map((a) => a['core:sample_start'] as number);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(meta.annotations).toHaveLength(2);
      expect(meta.annotations[0]).toMatchObject({ 'core:sample_start': 10, 'core:sample_count': 2000, 'core:label': 'TX', 'core:comment': 'operator held the transmit marker' });
      // The receiver's SNR in SigMF's capture_details terms.
      expect(meta.annotations[0]!['capture_details:SNRdB']).toBeCloseTo(s.metrics.snrDb!, 2);
      expect(meta.annotations[0]).not.toHaveProperty('core:freq_lower_edge');
      expect(meta.annotations[1]).toMatchObject({ 'core:sample_start': 1200, 'core:sample_count': 400, 'core:freq_lower_edge': 145_497_000, 'core:freq_upper_edge': 145_503_000 });
      for (const a of meta.annotations) expect(typeof a['core:generator']).toBe('string');
    }

    const acquisitions = [...new Set(plan.samples.map((s) => s.acquisitionId))];
    expect(acquisitions).toHaveLength(4);
    for (const acq of acquisitions) {
      const doc = JSON.parse(fs.readFileSync(path.join(out, `${acq}.sigmf-collection`), 'utf8')) as { collection: Record<string, unknown> };
      expect(validateCollection(doc), JSON.stringify(validateCollection.errors)).toBe(true);
      const c = doc.collection;
      expect(c['core:version']).toBe('1.2.0');
      expect(typeof c['core:description']).toBe('string');
      expect(c['core:extensions']).toEqual([{ name: 'heimdall', version: '1.2.0', optional: true }]);
      const mine = plan.samples.filter((s) => s.acquisitionId === acq).sort((a, b) => (a.receiver.name < b.receiver.name ? -1 : 1));
      expect(c['core:streams']).toEqual(mine.map((s) => ({ name: s.sampleId, hash: metaHashes.get(s.sampleId) })));
      for (const k of Object.keys(c)) expect(['core', 'heimdall']).toContain(k.split(':')[0]);
    }

    if (python) {
      const first = plan.samples[0]!;
      const r = spawnSync('python3', ['-c', 'import tarfile,sys\nt=tarfile.open(sys.argv[1])\nprint(t.pax_headers is not None)\nfor m in t: print(m.name, oct(m.mode), m.isdir())', path.join(out, `${first.sampleId}.sigmf`)], { encoding: 'utf8' });
      // The data before the meta: the archive is written in one pass, the meta holding the data's sha512.
      expect(r.stdout.trim().split('\n').slice(1)).toEqual([`${first.sampleId} 0o755 True`, `${first.sampleId}/${first.sampleId}.sigmf-data 0o644 False`, `${first.sampleId}/${first.sampleId}.sigmf-meta 0o644 False`]);
    }
  });

  it('writes byte-identical archives for the same plan (fixed mtime, fixed order)', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const a = await exportSigmf(plan, path.join(root, 'a'));
    const b = await exportSigmf(plan, path.join(root, 'b'));
    expect(a.files).toEqual(b.files);
  });
});

describe('NumPy export (Heimdall training layout)', () => {
  it('writes (R, N) complex64 IQ of the complex receivers ordered by name, float64 [lat, lon] labels and metadata, per split', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const out = path.join(root, 'npy');
    const log = progressLog();
    const result = await exportNpy(plan, out, { onProgress: log.onProgress, fileHashes: true });
    expect(result.samples).toBe(12);
    expectFilesMatch(result, true);
    expectNoPartial(root);
    expectProgressComplete(log.events, 16);
    expect(fs.readdirSync(out).sort()).toEqual(['dataset.json', 'test', 'train', 'val']);
    expect(fs.readdirSync(path.join(out, 'val'))).toEqual([]);

    const pySpec: { iq: string; label: string; rows: { file: string; offset: number; n: number }[]; lat: number; lon: number }[] = [];
    for (const sess of SESSIONS) {
      for (const seg of [0, 1]) {
        const acq = `${sess.short}-${seg}`;
        const base = path.join(out, sess.split, acq);
        const rows = plan.samples.filter((s) => s.acquisitionId === acq && s.datatype === 'ci16_le').sort((a, b) => (a.receiver.name < b.receiver.name ? -1 : 1));
        expect(rows.map((s) => s.receiver.name)).toEqual(['Kiwi Aosta', 'Kiwi Genova', 'Kiwi Torino']);
        const n = Math.min(...rows.map((s) => s.sampleCount));

        // The .npy bytes, read here without numpy: header, then each row = source int16 / 32768.
        const iq = fs.readFileSync(`${base}_iq.npy`);
        const headerLen = 10 + iq.readUInt16LE(8);
        expect(iq.subarray(10, headerLen).toString('latin1')).toContain(`'descr': '<c8', 'fortran_order': False, 'shape': (3, ${n}), }`);
        expect(iq.length).toBe(headerLen + 3 * n * 8);
        const values = new Float32Array(iq.buffer.slice(iq.byteOffset + headerLen, iq.byteOffset + iq.length));
        rows.forEach((s, r) => {
          const b = sourceBytes(s, n);
          const src = new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
          const row = values.subarray(r * 2 * n, (r + 1) * 2 * n);
          for (let i = 0; i < src.length; i += 97) expect(row[i]).toBe(src[i]! / 32768);
          expect(Array.from(row.subarray(0, 5))).toEqual(Array.from(src.subarray(0, 5)).map((v) => v / 32768));
          expect(row.every((v, i) => v === src[i]! / 32768)).toBe(true);
        });
        const label = fs.readFileSync(`${base}_label.npy`);
        const labelStart = 10 + label.readUInt16LE(8);
        expect(label.subarray(10, labelStart).toString('latin1')).toContain(`'descr': '<f8', 'fortran_order': False, 'shape': (2,), }`);
        expect(Array.from(new Float64Array(label.buffer.slice(label.byteOffset + labelStart, label.byteOffset + label.length)))).toEqual([sess.source!.lat, sess.source!.lon]);

        const meta = JSON.parse(fs.readFileSync(`${base}_meta.json`, 'utf8')) as Record<string, unknown>;
        expect(meta).toMatchObject({
          acquisition_id: acq,
          session_id: sess.id,
          session_name: sess.name,
          split: sess.split,
          sample_rate: 12_000,
          freq_hz: 145_500_000,
          shape: [3, n],
          sample_ids: rows.map((s) => s.sampleId),
          start_utc: rows[0]!.startUtc,
          gps_unix_ns: rows[0]!.gpsUnixNs,
          label: { lat: sess.source!.lat, lon: sess.source!.lon },
        });
        expect(meta.receivers).toEqual(rows.map((s, i) => expect.objectContaining({ row: i, id: s.receiver.id, name: s.receiver.name, lat: s.receiver.lat, lon: s.receiver.lon, alt: s.receiver.alt })));
        expect(meta.skipped).toEqual([expect.objectContaining({ receiver_name: 'OWRX Milano', datatype: 'ri16_le', reason: expect.stringContaining('real-valued') as string })]);
        pySpec.push({ iq: `${base}_iq.npy`, label: `${base}_label.npy`, rows: rows.map((s) => ({ file: s.dataFile, offset: s.fileSampleStart * 4, n })), lat: sess.source!.lat, lon: sess.source!.lon });
      }
    }
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'dataset.json'), 'utf8')) as { acquisitions: unknown[]; skipped_samples: unknown[]; skipped_acquisitions: unknown[] };
    expect(summary.acquisitions).toHaveLength(4);
    expect(summary.skipped_samples).toHaveLength(4);
    expect(summary.skipped_acquisitions).toEqual([]);

    if (python) {
      const script = [
        'import json, sys, numpy as np',
        'out = []',
        'for a in json.loads(sys.argv[1]):',
        '    x = np.load(a["iq"]); y = np.load(a["label"])',
        '    same = all(np.array_equal(x[r], (np.fromfile(row["file"], dtype="<i2", count=2*row["n"], offset=row["offset"]).astype(np.float32) / np.float32(32768)).view(np.complex64)) for r, row in enumerate(a["rows"]))',
        '    out.append([str(x.dtype), list(x.shape), str(y.dtype), list(y.shape), y.tolist() == [a["lat"], a["lon"]], bool(same)])',
        'print(json.dumps(out))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script, JSON.stringify(pySpec)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout) as unknown[][];
      expect(got).toEqual(pySpec.map((a) => ['complex64', [3, a.rows[0]!.n], 'float64', [2], true, true]));
    }
  });

  it('leaves out an acquisition without a transmitter position and says why', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const noSource = `${SESSIONS[1]!.short}-1`;
    plan.samples = plan.samples.map((s) => (s.acquisitionId === noSource ? { ...s, source: null } : s));
    const out = path.join(root, 'npy');
    const log = progressLog();
    const result = await exportNpy(plan, out, { onProgress: log.onProgress });
    expect(result.samples).toBe(9);
    expectProgressComplete(log.events, 16);
    expect(fs.existsSync(path.join(out, 'test', `${noSource}_iq.npy`))).toBe(false);
    expect(fs.existsSync(path.join(out, 'test', `${noSource}_label.npy`))).toBe(false);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'dataset.json'), 'utf8')) as { skipped_acquisitions: { acquisition_id: string; reason: string }[] };
    expect(summary.skipped_acquisitions).toEqual([expect.objectContaining({ acquisition_id: noSource, reason: expect.stringContaining('no transmitter position') as string })]);
  });
});

describe('Manifest export', () => {
  it('writes manifest.csv (RFC 4180) and manifest.jsonl with one row per sample and the data checksums', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const out = path.join(root, 'manifest');
    const log = progressLog();
    const result = await exportManifest(plan, out, { onProgress: log.onProgress });
    expect(result.samples).toBe(16);
    expectFilesMatch(result, false);
    expect(result.files.map((f) => f.path)).toEqual(['manifest.csv', 'manifest.jsonl']);
    expectProgressComplete(log.events, 16);

    const csvText = fs.readFileSync(path.join(out, 'manifest.csv'), 'utf8');
    const [header, ...rows] = parseCsv(csvText);
    expect(header).toEqual([...MANIFEST_COLUMNS]);
    for (const c of ['sample_id', 'acquisition_id', 'session_id', 'session_name', 'split', 'receiver_id', 'receiver_name', 'receiver_lat', 'receiver_lon', 'receiver_alt', 'freq_hz', 'sample_rate', 'datatype', 'start_utc', 'gps_unix_ns', 'sample_count', 'duration_s', 'snr_db', 'signal_power_db', 'noise_power_db', 'freq_offset_hz', 'label', 'approval', 'source_lat', 'source_lon', 'sigmf_file', 'sha512']) {
      expect(header).toContain(c);
    }
    expect(rows).toHaveLength(plan.samples.length);
    const jsonl = fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').split('\n');
    expect(jsonl.at(-1)).toBe('');
    const objects = jsonl.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(plan.samples.length);

    const col = (name: string) => header!.indexOf(name);
    for (const s of plan.samples) {
      const row = rows.find((r) => r[col('sample_id')] === s.sampleId)!;
      const obj = objects.find((o) => o.sample_id === s.sampleId)!;
      const digest = sha512(sourceBytes(s));
      expect(row[col('sha512')]).toBe(digest);
      expect(obj.sha512).toBe(digest);
      expect(row[col('session_name')]).toBe(s.sessionName);
      expect(row[col('sigmf_file')]).toBe(`${s.sampleId}.sigmf`);
      expect(row[col('receiver_alt')]).toBe(s.receiver.alt === null ? '' : String(s.receiver.alt));
      expect(row[col('gps_unix_ns')]).toBe(s.gpsUnixNs ?? '');
      expect(obj).toMatchObject({
        acquisition_id: s.acquisitionId,
        session_id: s.sessionId,
        session_name: s.sessionName,
        split: s.split,
        receiver_id: s.receiver.id,
        receiver_name: s.receiver.name,
        receiver_lat: s.receiver.lat,
        receiver_lon: s.receiver.lon,
        receiver_alt: s.receiver.alt,
        freq_hz: s.freqHz,
        sample_rate: s.sampleRate,
        datatype: s.datatype,
        start_utc: s.startUtc,
        gps_unix_ns: s.gpsUnixNs,
        sample_count: s.sampleCount,
        duration_s: s.sampleCount / s.sampleRate,
        snr_db: s.metrics.snrDb,
        freq_offset_hz: s.metrics.freqOffsetHz,
        label: s.label,
        approval: s.approval,
        source_lat: s.source!.lat,
        source_lon: s.source!.lon,
        sigmf_file: `${s.sampleId}.sigmf`,
      });
    }
    // Quoting: the session name with a comma and quotes is quoted, quotes doubled.
    expect(csvText).toContain('"Hill, ""north"" side"');
    expect(csvText.split('\r\n')).toHaveLength(plan.samples.length + 2);
  });

  it('shares checksums with the SigMF export of the same job, so the bytes are hashed once', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const cache = new Map<string, string>();
    await exportManifest(plan, path.join(root, 'm'), { sha512Cache: cache });
    expect(cache.size).toBe(plan.samples.length);
    const log = progressLog();
    await exportSigmf(plan, path.join(root, 's'), { sha512Cache: cache, onProgress: log.onProgress });
    expect(log.events.at(-1)!.totalBytes).toBe(plan.samples.reduce((n, s) => n + s.sampleCount * bps(s), 0));
    const rows = fs.readFileSync(path.join(root, 'm', 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sample_id: string; sha512: string });
    for (const r of rows) {
      const members = await readSigmfArchive(path.join(root, 's', `${r.sample_id}.sigmf`));
      const meta = JSON.parse(members.get(`${r.sample_id}/${r.sample_id}.sigmf-meta`)!.toString('utf8')) as { global: Record<string, unknown> };
      expect(meta.global['core:sha512']).toBe(r.sha512);
    }
  });
});

describe('Export folder: whole or nothing', () => {
  const writers = { sigmf: exportSigmf, npy: exportNpy, manifest: exportManifest } as const;

  for (const [format, write] of Object.entries(writers)) {
    it(`${format}: cancelling midway leaves neither the folder nor a .partial- folder`, async () => {
      const root = dir();
      const plan = buildPlan(root);
      const parent = path.join(root, 'exports');
      const out = path.join(parent, 'ds');
      const ac = new AbortController();
      const seen: ExportProgress[] = [];
      const err = await write(plan, out, {
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.doneSamples >= p.totalSamples / 2) {
            // Midway: a partial folder with files exists right now.
            expect(fs.readdirSync(parent).filter((n) => n.startsWith('ds.partial-'))).toHaveLength(1);
            ac.abort();
          }
        },
      }).catch((e: unknown) => e);
      expect((err as StationError).code).toBe('cancelled');
      expect(seen.at(-1)!.doneSamples).toBeLessThan(plan.samples.length);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(parent)).toEqual([]);
    });
  }

  it('refuses an existing non-empty folder and touches nothing in it; accepts an empty one', async () => {
    const root = dir();
    const plan = buildPlan(root);
    const out = path.join(root, 'old-export');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    for (const write of Object.values(writers)) {
      const err = (await write(plan, out).catch((e: unknown) => e)) as StationError;
      expect(err.code).toBe('conflict');
      expect(err.message).toContain(`${out} already exists and is not empty`);
      expect(err.message).toMatch(/Choose a new folder name, or delete or move the old export first/);
      expect(fs.readdirSync(out)).toEqual(['keep.txt']);
      expectNoPartial(root);
    }
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const r = await exportManifest(plan, empty);
    expect(r.files.map((f) => f.path)).toEqual(['manifest.csv', 'manifest.jsonl']);
  });

  it('reports a missing sample file before writing anything', async () => {
    const root = dir();
    const plan = buildPlan(root);
    fs.rmSync(plan.samples[3]!.dataFile);
    const err = (await exportSigmf(plan, path.join(root, 'x')).catch((e: unknown) => e)) as StationError;
    expect(err.code).toBe('not_found');
    expect(err.message).toContain(plan.samples[3]!.receiver.name);
    expect(fs.readdirSync(root).sort()).toEqual(['captures']);
  });

  it('refuses unsafe or duplicate sample ids', async () => {
    const root = dir();
    const plan = buildPlan(root);
    plan.samples[1] = { ...plan.samples[1]!, sampleId: '../escape' };
    plan.samples[2] = { ...plan.samples[2]!, sampleId: plan.samples[0]!.sampleId };
    const err = (await exportManifest(plan, path.join(root, 'x')).catch((e: unknown) => e)) as StationError;
    expect(err.code).toBe('invalid_input');
    expect(err.issues!.map((i) => i.path)).toEqual(['samples.1.sampleId', 'samples.2.sampleId']);
  });
});
