/**
 * Import of recordings into the capture store: a kiwirecorder IQ WAV (written here the way
 * kiwirecorder writes it: fmt, then a `kiwi` GPS chunk before every data chunk) round-trips with
 * its GPS times intact; SigMF recordings and archives (ours and foreign) keep frequency, times and
 * receiver; damaged files fail on their own with a clear error; the CLI reports and sets the exit code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigmfRecordingWriter } from '../../../main/capture/sigmfRecordingWriter';
import { importRecordingFiles, parseKiwirecorderName, type ImportFileResult } from '../../../main/datasets/importRecordings';
import { writeSigmfArchive } from '../../../main/datasets/sigmfArchive';
import { silentLogger } from '../../../main/log';
import { createStation, type Station } from '../../../main/station';
import { buildSigmfMeta } from '../../../main/sync/sigmfMeta';
import { repoRoot } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const RATE = 12000;
const FRAME = 512; // complex samples per kiwirecorder data chunk (one SND packet)
const KIWI_URL = 'http://kiwi-a.example.net:8073/';

const tmp = tempDir('heimdall-import-');
const files = path.join(tmp.dir, 'files');
let station: Station;

beforeAll(() => {
  fs.mkdirSync(files, { recursive: true });
  station = createStation({ dataDir: path.join(tmp.dir, 'station'), resourcesDir: path.resolve('resources'), log: silentLogger });
});
afterAll(async () => {
  await station?.close();
  tmp.cleanup();
});

/** Unix ns -> GPS seconds-of-week + ns, computed here independently of the code under test. */
function gpsStamp(unixNs: bigint): { gpssec: number; gpsnsec: number } {
  const gpsNs = unixNs - (315_964_800n - 18n) * 1_000_000_000n;
  const inWeek = gpsNs % (604_800n * 1_000_000_000n);
  return { gpssec: Number(inWeek / 1_000_000_000n), gpsnsec: Number(inWeek % 1_000_000_000n) };
}

interface Chunk {
  stamp?: { solution: number; gpssec: number; gpsnsec: number };
  iq: Int16Array;
}

/** A WAV as kiwirecorder writes it: RIFF/WAVE, fmt (2 ch int16), then [kiwi] + data per packet. */
function kiwiWav(chunks: Chunk[], o: { rate?: number; channels?: number; omitFmt?: boolean } = {}): Buffer {
  const rate = o.rate ?? RATE;
  const channels = o.channels ?? 2;
  const parts: Buffer[] = [];
  const chunk = (id: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    parts.push(h, body);
  };
  if (!o.omitFmt) {
    const fmt = Buffer.alloc(16);
    fmt.writeUInt16LE(1, 0);
    fmt.writeUInt16LE(channels, 2);
    fmt.writeUInt32LE(rate, 4);
    fmt.writeUInt32LE(rate * 2 * channels, 8);
    fmt.writeUInt16LE(2 * channels, 12);
    fmt.writeUInt16LE(16, 14);
    chunk('fmt ', fmt);
  }
  for (const c of chunks) {
    if (c.stamp) {
      const k = Buffer.alloc(10);
      k[0] = c.stamp.solution;
      k[1] = 0;
      k.writeUInt32LE(c.stamp.gpssec, 2);
      k.writeUInt32LE(c.stamp.gpsnsec, 6);
      chunk('kiwi', k);
    }
    const le = Buffer.alloc(c.iq.length * 2);
    c.iq.forEach((v, i) => le.writeInt16LE(v, 2 * i));
    chunk('data', le);
  }
  const body = Buffer.concat(parts);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length + 4, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, body]);
}

/** Known IQ (a ramp mixed with a tone, different per chunk) and the GPS time of each chunk's first sample. */
function kiwiChunks(startNs: bigint, n: number, o: { seed?: number; lostAfter?: number } = {}) {
  const chunks: Chunk[] = [];
  const ns: bigint[] = [];
  let sample = 0;
  for (let c = 0; c < n; c++) {
    if (o.lostAfter !== undefined && c === o.lostAfter + 1) sample += FRAME; // one packet lost: the stamps jump
    const t = startNs + (BigInt(sample) * 1_000_000_000n) / BigInt(RATE);
    const iq = new Int16Array(2 * FRAME);
    for (let k = 0; k < FRAME; k++) {
      iq[2 * k] = Math.round(9000 * Math.cos((2 * Math.PI * 1500 * (sample + k)) / RATE)) + ((o.seed ?? 0) + c);
      iq[2 * k + 1] = Math.round(9000 * Math.sin((2 * Math.PI * 1500 * (sample + k)) / RATE)) - k;
    }
    chunks.push({ stamp: { solution: c === 0 ? 0 : 4, ...gpsStamp(t) }, iq });
    ns.push(t);
    sample += FRAME;
  }
  const iqBytes = Buffer.concat(chunks.map((c) => Buffer.from(c.iq.buffer, c.iq.byteOffset, c.iq.byteLength)));
  return { chunks, ns, iqBytes };
}

const NAME_TIME_MS = Date.UTC(2026, 10, 22, 10, 41, 56);
const T0 = BigInt(NAME_TIME_MS) * 1_000_000n + 123_456_789n;

function write(name: string, bytes: Buffer | string): string {
  const f = path.join(files, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, bytes);
  return f;
}

const deps = () => ({ captures: station.captures, receivers: station.receivers, log: silentLogger });
const ok = (r: ImportFileResult | undefined): ImportFileResult => {
  expect(r?.error).toBeUndefined();
  expect(r?.ok).toBe(true);
  return r!;
};

describe('kiwirecorder IQ WAV', () => {
  it('round-trips with every chunk\'s GPS time intact, the IQ bytes identical, and its receiver created', async () => {
    const { chunks, ns, iqBytes } = kiwiChunks(T0, 8, { lostAfter: 4 });
    const file = write('20261122T104156Z_7100000_iq.wav', kiwiWav(chunks));
    const progress: [number, number][] = [];
    const report = await importRecordingFiles(deps(), [file], { receiverUrl: KIWI_URL, receiverName: 'Kiwi A', onProgress: (d, t) => progress.push([d, t]) });
    expect(report).toMatchObject({ imported: 1, failed: 0 });
    expect(progress).toEqual([[1, 1]]);
    const r = ok(report.files[0]);
    expect(r).toMatchObject({ format: 'kiwi-wav', sampleRate: RATE, freqHz: 7_100_000, samples: 8 * FRAME, gpsStamped: true, segments: 8, receiverCreated: true, status: 'complete' });
    expect(r.warnings).toBeUndefined();

    const row = station.captures.repos.captures.get(r.captureId!)!;
    expect(row).toMatchObject({ sample_rate: RATE, freq_hz: 7_100_000, sample_count: 8 * FRAME, datatype: 'ci16_le', mode: 'iq', receiver_url: KIWI_URL, receiver_name: 'Kiwi A' });
    expect(row.first_sample_gps_ns).toBe(T0.toString());
    expect(row.first_sample_utc).toBe('2026-11-22T10:41:56.123456789Z');

    const segs = station.captures.repos.captures.segments(r.captureId!);
    expect(segs.map((s) => s.gps_unix_ns)).toEqual(ns.map(String));
    expect(segs.map((s) => s.sample_start)).toEqual(ns.map((_, i) => i * FRAME));
    expect(segs.map((s) => s.sample_count)).toEqual(ns.map(() => FRAME));
    expect(segs.map((s) => s.reason)).toEqual(['start', 'gps', 'gps', 'gps', 'gps', 'gap', 'gps', 'gps']);
    expect(segs[3]!.utc).toBe(new Date(Number(ns[3]! / 1_000_000n)).toISOString().slice(0, 20) + (ns[3]! % 1_000_000_000n).toString().padStart(9, '0') + 'Z');

    expect(fs.readFileSync(station.captures.absolutePath(row.file_path)).equals(iqBytes)).toBe(true);
    const rx = station.receivers.list().find((x) => x.id === r.receiverId)!;
    expect(rx).toMatchObject({ url: KIWI_URL, name: 'Kiwi A', kind: 'kiwisdr', active: true });
  });

  it('matches the existing receiver by URL and crosses a GPS week boundary within one recording', async () => {
    // GPS week 2446 begins at Unix 315964800 + 2446*604800 - 18 s; start 0.1 s before it.
    const weekStartNs = (315_964_800n + 2446n * 604_800n - 18n) * 1_000_000_000n;
    const start = weekStartNs - 100_000_000n;
    const { chunks, ns } = kiwiChunks(start, 6, { seed: 7 });
    expect(chunks[0]!.stamp!.gpssec).toBe(604_799);
    expect(chunks[5]!.stamp!.gpssec).toBe(0);
    const stamp = new Date(Number(start / 1_000_000n)).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const file = write(`${stamp}Z_10000000_MyStation_iq.wav`, kiwiWav(chunks));
    expect(parseKiwirecorderName(path.basename(file))).toMatchObject({ freqHz: 10_000_000, mode: 'iq' });
    const before = station.receivers.list().length;
    const r = ok((await importRecordingFiles(deps(), [file], { receiverUrl: 'HTTP://KIWI-A.example.net:8073' })).files[0]);
    expect(r.receiverCreated).toBe(false);
    expect(station.receivers.list()).toHaveLength(before);
    expect(station.captures.repos.captures.segments(r.captureId!).map((s) => s.gps_unix_ns)).toEqual(ns.map(String));
  });

  it('takes the frequency from --freq and the GPS week from the file time when the name is not kiwirecorder\'s', async () => {
    const { chunks, ns } = kiwiChunks(T0, 3, { seed: 3 });
    const file = write('my-recording.wav', kiwiWav(chunks));
    const refused = await importRecordingFiles(deps(), [file], { receiverUrl: KIWI_URL });
    expect(refused.files[0]).toMatchObject({ ok: false });
    expect(refused.files[0]!.error).toMatch(/frequency is unknown.*--freq <Hz>/);
    // Two days after the recording: still the right week.
    fs.utimesSync(file, new Date(NAME_TIME_MS + 2 * 86_400_000), new Date(NAME_TIME_MS + 2 * 86_400_000));
    const r = ok((await importRecordingFiles(deps(), [file], { receiverUrl: KIWI_URL, freqHz: 3_330_000 })).files[0]);
    expect(r.freqHz).toBe(3_330_000);
    expect(r.warnings?.join()).toMatch(/GPS week was taken from the file modification time/);
    expect(station.captures.repos.captures.segments(r.captureId!).map((s) => s.gps_unix_ns)).toEqual(ns.map(String));
  });

  it('imports what a cut-off recording holds as partial, and stamps without a GPS clock are not GPS times', async () => {
    const { chunks } = kiwiChunks(T0, 4, { seed: 5 });
    chunks[2]!.stamp!.solution = 255;
    const whole = kiwiWav(chunks);
    const file = write('20261122T104156Z_7100000_iq_cut.wav', whole.subarray(0, whole.length - 1000));
    const r = ok((await importRecordingFiles(deps(), [file], { receiverUrl: KIWI_URL })).files[0]);
    expect(r.status).toBe('partial');
    expect(r.samples).toBe(3 * FRAME + Math.floor((FRAME * 4 - 1000) / 4));
    expect(r.warnings?.join(' ')).toMatch(/ends inside a chunk.*no GPS clock/);
    const segs = station.captures.repos.captures.segments(r.captureId!);
    expect(segs.map((s) => s.sample_start)).toEqual([0, FRAME, 3 * FRAME]);
  });
});

describe('SigMF', () => {
  it('imports a recording made by the capture engine with its receiver, frequency, times and GPS', async () => {
    const w = new SigmfRecordingWriter({
      dir: files,
      baseName: 'engine',
      datatype: 'ci16_le',
      sampleRate: 12001.135,
      freqHz: 5_000_000,
      description: 'IQ from Kiwi B (kiwisdr)',
      hw: 'KiwiSDR',
      geolocation: [7.6, 45.1, 300],
      heimdall: { receiver_id: 'x', receiver_url: 'http://kiwi-b.example.net:8073/', receiver_kind: 'kiwisdr', data_kind: 'iq', mode: 'iq', run_id: 'r' },
    });
    const iq = new Int16Array(4000).map((_, i) => (i * 37) % 30000);
    w.beginSegment(T0, 'start', true);
    w.append(iq.subarray(0, 2000));
    w.beginSegment(T0 + 500_000_000n, 'gap', true);
    w.append(iq.subarray(2000));
    const done = w.finish();
    const r = ok((await importRecordingFiles(deps(), [done.dataFile])).files[0]);
    expect(r).toMatchObject({ format: 'sigmf', freqHz: 5_000_000, sampleRate: 12001.135, samples: 2000, gpsStamped: true, receiverCreated: true, receiverName: 'Kiwi B' });
    const row = station.captures.repos.captures.get(r.captureId!)!;
    expect(row).toMatchObject({ receiver_url: 'http://kiwi-b.example.net:8073/', receiver_lat: 45.1, receiver_lon: 7.6, receiver_alt: 300, first_sample_gps_ns: T0.toString() });
    expect(station.captures.repos.captures.segments(r.captureId!).map((s) => [s.sample_start, s.gps_unix_ns, s.reason])).toEqual([
      [0, T0.toString(), 'start'],
      [1000, (T0 + 500_000_000n).toString(), 'gap'],
    ]);
    expect(fs.readFileSync(station.captures.absolutePath(row.file_path)).equals(fs.readFileSync(done.dataFile))).toBe(true);
  });

  it('imports a foreign big-endian recording as ci16_le with its datetime, under a receiver named on the command line', async () => {
    const be = Buffer.alloc(4 * 300);
    for (let i = 0; i < 600; i++) be.writeInt16BE(i * 50 - 15000, 2 * i);
    write('foreign.sigmf-data', be);
    const meta = {
      global: { 'core:datatype': 'ci16_be', 'core:sample_rate': 48000, 'core:version': '1.2.0', 'core:hw': 'HackRF One', 'core:geolocation': { type: 'Point', coordinates: [8.1, 44.9] } },
      captures: [{ 'core:sample_start': 0, 'core:frequency': 145_500_000, 'core:datetime': '2026-11-22T10:00:00.5Z' }],
      annotations: [],
    };
    const metaFile = write('foreign.sigmf-meta', JSON.stringify(meta));
    const r = ok((await importRecordingFiles(deps(), [metaFile], { receiverName: 'Hill top' })).files[0]);
    expect(r).toMatchObject({ freqHz: 145_500_000, sampleRate: 48000, samples: 300, datatype: 'ci16_le', gpsStamped: false, firstSampleUtc: '2026-11-22T10:00:00.500000000Z', receiverCreated: true });
    const row = station.captures.repos.captures.get(r.captureId!)!;
    const stored = fs.readFileSync(station.captures.absolutePath(row.file_path));
    for (let i = 0; i < 600; i++) expect(stored.readInt16LE(2 * i)).toBe(i * 50 - 15000);
    const rx = station.receivers.list().find((x) => x.id === r.receiverId)!;
    expect(rx).toMatchObject({ name: 'Hill top', active: false, lat: 44.9, lon: 8.1 });
    expect(rx.url).toMatch(/^http:\/\/imported\.invalid\//);
    // Matched by name the second time.
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, captures: [{ ...meta.captures[0], 'core:datetime': '2026-11-22T11:00:00Z' }] }));
    expect(ok((await importRecordingFiles(deps(), [metaFile], { receiverName: 'hill TOP' })).files[0]).receiverId).toBe(rx.id);
  });

  it('re-imports our own sync export (.sigmf archive) into another station with its id, receiver and GPS segments', async () => {
    const src = station.captures.repos.captures.recent(100).find((c) => c.freq_hz === 7_100_000 && c.status === 'complete')!;
    const segs = station.captures.repos.captures.segments(src.id);
    const meta = buildSigmfMeta(src, segs, 'Station A');
    const archive = path.join(files, 'export.sigmf');
    await writeSigmfArchive(archive, src.id, JSON.stringify(meta), station.captures.absolutePath(src.file_path));

    const other = createStation({ dataDir: path.join(tmp.dir, 'station-b'), resourcesDir: path.resolve('resources'), log: silentLogger });
    try {
      const d = { captures: other.captures, receivers: other.receivers, log: silentLogger };
      const r = ok((await importRecordingFiles(d, [archive])).files[0]);
      expect(r).toMatchObject({ format: 'sigmf-archive', captureId: src.id, receiverCreated: true, receiverName: 'Kiwi A', freqHz: 7_100_000, samples: src.sample_count });
      const row = other.captures.repos.captures.get(src.id)!;
      expect(row).toMatchObject({ receiver_url: KIWI_URL, sha256: src.sha256, first_sample_gps_ns: src.first_sample_gps_ns, first_sample_utc: src.first_sample_utc, mode: 'iq', datatype: 'ci16_le' });
      expect(other.captures.repos.captures.segments(src.id).map((s) => [s.sample_start, s.gps_unix_ns, s.reason])).toEqual(segs.map((s) => [s.sample_start, s.gps_unix_ns, s.reason]));
      expect(other.receivers.list()).toMatchObject([{ url: KIWI_URL, name: 'Kiwi A', kind: 'kiwisdr' }]);

      const again = (await importRecordingFiles(d, [archive])).files[0]!;
      expect(again).toMatchObject({ ok: false });
      expect(again.error).toMatch(/already imported: this recording is capture/);

      // Data that does not match its hash is refused, and the receiver made for it does not stay.
      const tampered = { ...meta, global: { ...(meta.global as object), 'heimdall:capture_id': '0190aaaa-0000-7000-8000-000000000001', 'heimdall:receiver_url': 'http://other.example.org/', 'heimdall:sha256': 'ab'.repeat(32) } };
      const bad = path.join(files, 'tampered.sigmf');
      await writeSigmfArchive(bad, 'tampered', JSON.stringify(tampered), station.captures.absolutePath(src.file_path));
      const failed = (await importRecordingFiles(d, [bad])).files[0]!;
      expect(failed.error).toMatch(/does not match its heimdall:sha256/);
      expect(other.receivers.list()).toHaveLength(1);
      expect(other.captures.repos.captures.count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('damaged files and folders', () => {
  it('gives each bad file a clear error and still imports the others; nothing half-imported stays', async () => {
    const good = kiwiChunks(T0, 3, { seed: 9 });
    const whole = kiwiWav(good.chunks);
    const dir = path.join(files, 'mixed');
    const paths = {
      truncated: write('mixed/20261122T104156Z_7100000_iq_truncated.wav', whole.subarray(0, 30)),
      noFmt: write('mixed/20261122T104156Z_7100000_iq_nofmt.wav', kiwiWav(good.chunks, { omitFmt: true })),
      notWav: write('mixed/20261122T104156Z_7100000_iq_text.wav', 'hello, not a wav at all'),
      good: write('mixed/20261122T104156Z_7100000_iq_good.wav', whole),
      noData: write('mixed/lonely.sigmf-meta', JSON.stringify({ global: { 'core:datatype': 'ci16_le', 'core:sample_rate': 1000 }, captures: [] })),
      badMeta: write('mixed/bad.sigmf-meta', '{ "global": '),
      badArchive: write('mixed/broken.sigmf', 'not a tar'),
    };
    write('mixed/bad.sigmf-data', Buffer.alloc(8));
    write('mixed/notes.txt', 'ignored');
    const before = station.captures.repos.captures.count();
    const receiversBefore = station.receivers.list().length;
    const report = await importRecordingFiles(deps(), [dir, path.join(files, 'missing.wav'), path.join(dir, 'notes.txt')], { receiverUrl: 'http://new-kiwi.example.net:8073/' });
    const by = (f: string) => report.files.find((r) => r.file === f)!;
    expect(by(paths.truncated).error).toMatch(/fmt chunk is cut off .*truncated/);
    expect(by(paths.noFmt).error).toMatch(/data chunk comes before any fmt chunk/);
    expect(by(paths.notWav).error).toMatch(/not a WAV file/);
    expect(by(paths.noData).error).toMatch(/data file lonely\.sigmf-data is missing/);
    expect(by(paths.badMeta).error).toMatch(/not JSON/);
    expect(by(paths.badArchive).error).toMatch(/not a readable SigMF archive/);
    expect(by(path.join(files, 'missing.wav')).error).toMatch(/no such file/);
    expect(by(path.join(dir, 'notes.txt')).error).toMatch(/not a recording the station imports/);
    ok(by(paths.good));
    expect(report).toMatchObject({ imported: 1, failed: 8 });
    expect(station.captures.repos.captures.count()).toBe(before + 1);
    expect(station.receivers.list()).toHaveLength(receiversBefore + 1);
    // Every sample file belongs to a committed capture; no partial files.
    const samples = path.join(station.dataDir, 'samples');
    const onDisk = fs.readdirSync(samples, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(onDisk.map((e) => e.name).sort()).toEqual(station.captures.repos.captures.recent(1000).map((c) => path.basename(c.file_path)).sort());
  });

  it('a folder holding nothing to import is an error', async () => {
    fs.mkdirSync(path.join(files, 'empty'), { recursive: true });
    const r = await importRecordingFiles(deps(), [path.join(files, 'empty')]);
    expect(r.files[0]!.error).toMatch(/holds no recordings/);
  });
});

describe('heimdall-station import (CLI)', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/heimdall-station.mjs', 'import', ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('prints one line per file and a summary; exit 0 when all imported, 1 when one failed', () => {
    const dataDir = path.join(tmp.dir, 'cli-station');
    const a = kiwiChunks(T0, 4, { seed: 11 });
    const wav = write('cli/20261122T104156Z_7100000_iq.wav', kiwiWav(a.chunks));
    const json = cli([wav, '--data-dir', dataDir, '--receiver-url', KIWI_URL, '--json']);
    // A fresh --data-dir: import stores something, so it creates the station, and says so (issue 16).
    expect(json.stderr).toBe(`heimdall-station: started a new station in ${dataDir}\n`);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { imported: number; failed: number; files: ImportFileResult[] };
    expect(report).toMatchObject({ imported: 1, failed: 0, files: [{ ok: true, freqHz: 7_100_000, sampleRate: RATE, samples: 4 * FRAME, gpsStamped: true, segments: 4 }] });

    const b = kiwiChunks(T0 + 60_000_000_000n, 2, { seed: 12 });
    const wav2 = write('cli/20261122T104256Z_7100000_iq.wav', kiwiWav(b.chunks));
    const bad = write('cli/20261122T104356Z_7100000_iq.wav', kiwiWav(b.chunks, { omitFmt: true }));
    const text = cli([wav2, bad, '--data-dir', dataDir, '--receiver-url', KIWI_URL]);
    expect(text.status).toBe(1);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^imported .*20261122T104256Z_7100000_iq\.wav: capture [0-9a-f-]{36}, 7\.100000 MHz, 12000 samples\/s, 1024 samples \(0\.09 s\), first sample 2026-11-22T10:42:56\.123456789Z \(GPS, 2 segments\), receiver "kiwi-a\.example\.net:8073"$/);
    expect(lines[1]).toMatch(/^FAILED +.*20261122T104356Z_7100000_iq\.wav: a data chunk comes before any fmt chunk/);
    expect(lines.at(-1)).toBe(`imported 1 of 2 recordings into ${dataDir}; 1 failed`);

    const usage = cli([wav2, '--data-dir', dataDir, '--freq', 'abc']);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/--freq is the dial frequency in Hz/);
  });
});
