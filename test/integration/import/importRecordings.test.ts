/**
 * Import of recordings into the capture store: a kiwirecorder IQ WAV (written here the way
 * kiwirecorder writes it: fmt, then a `kiwi` GPS chunk before every data chunk, by the test's own
 * writer) round-trips with every GPS stamp as received and its time base; SigMF recordings and
 * archives (ours and foreign) keep frequency, times, stamps and receiver; files of one moment become
 * one acquisition; damaged files fail on their own with a clear error; the CLI reports and sets the exit code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecordingFiles, type ImportFileResult } from '../../../main/import/importRecordings';
import { parseKiwirecorderName } from '../../../main/recordings/kiwi/kiwirecorder';
import { writeSigmfArchive } from '../../../main/recordings/sigmf/archive';
import { SigmfRecordingWriter } from '../../../main/recordings/sigmf/writer';
import { silentLogger } from '../../../main/base/log';
import { createStation, type Station } from '../../../main/station';
import { captureSigmfMetaJson } from '../../../main/store/captureSigmf';
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
    // The fix age counts up and drops to 0 at a fresh fix (chunks 2 and 6), as real KiwiSDRs send it.
    chunks.push({ stamp: { solution: c === 2 || c === 6 ? 0 : 4, ...gpsStamp(t) }, iq });
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
const loose = { acquisitions: false } as const;
/** Every stamp as the file holds it, in the store's shape. */
const stampsOf = (chunks: Chunk[], at = (i: number) => i * FRAME) => chunks.map((c, i) => ({ sampleIndex: at(i), seq: null, fixAgeSec: c.stamp!.solution, gpssec: c.stamp!.gpssec, gpsnsec: c.stamp!.gpsnsec }));
const ok = (r: ImportFileResult | undefined): ImportFileResult => {
  expect(r?.error).toBeUndefined();
  expect(r?.ok).toBe(true);
  return r!;
};

describe('kiwirecorder IQ WAV', () => {
  it('round-trips with every GPS stamp as received, times from the fresh fixes, the IQ bytes identical, and its receiver created', async () => {
    const { chunks, ns, iqBytes } = kiwiChunks(T0, 8, { lostAfter: 4 });
    const file = write('20261122T104156Z_7100000_iq.wav', kiwiWav(chunks));
    const progress: [number, number][] = [];
    const report = await importRecordingFiles(deps(), [file], { ...loose, receiverUrl: KIWI_URL, receiverName: 'Kiwi A', onProgress: (d, t) => progress.push([d, t]) });
    expect(report).toMatchObject({ imported: 1, failed: 0 });
    expect(progress).toEqual([[1, 1]]);
    const r = ok(report.files[0]);
    // One packet lost after chunk 4: the stamps jump a block, which starts a second segment.
    expect(r).toMatchObject({ format: 'kiwi-wav', sampleRate: RATE, freqHz: 7_100_000, samples: 8 * FRAME, gpsStamped: true, segments: 2, receiverCreated: true, status: 'complete' });
    expect(r.warnings).toBeUndefined();

    const row = station.captures.repos.captures.get(r.captureId!)!;
    expect(row).toMatchObject({ sample_rate: RATE, freq_hz: 7_100_000, sample_count: 8 * FRAME, datatype: 'ci16_le', mode: 'iq', receiver_url: KIWI_URL, receiver_name: 'Kiwi A', agc: null });
    // Extrapolated back from the first fresh fix (chunk 2), to the nanosecond the integer arithmetic allows.
    expect(Math.abs(Number(BigInt(row.first_sample_gps_ns!) - T0))).toBeLessThanOrEqual(1);
    expect(row.first_sample_utc).toMatch(/^2026-11-22T10:41:56\.12345678[89]Z$/);
    expect(station.captures.repos.captures.stamps(r.captureId!)).toEqual(stampsOf(chunks));

    const segs = station.captures.repos.captures.segments(r.captureId!);
    expect(segs.map((s) => [s.sample_start, s.sample_count, s.reason])).toEqual([
      [0, 5 * FRAME, 'start'],
      [5 * FRAME, 3 * FRAME, 'gap'],
    ]);
    segs.forEach((s, i) => expect(Math.abs(Number(BigInt(s.gps_unix_ns!) - ns[i * 5]!))).toBeLessThanOrEqual(1));
    // Every block's GPS time, from the time base the store rebuilds from the stamps.
    const tb = station.captures.timeBase(row);
    for (let i = 0; i < 8; i++) expect(Math.abs(Number(tb.gpsNsAt(i * FRAME)! - ns[i]!))).toBeLessThanOrEqual(1);

    expect(fs.readFileSync(station.captures.absolutePath(row.file_path)).equals(iqBytes)).toBe(true);
    const rx = station.receivers.list().find((x) => x.id === r.receiverId)!;
    expect(rx).toMatchObject({ url: KIWI_URL, name: 'Kiwi A', kind: 'kiwisdr', active: true });
  });

  it('matches the existing receiver by URL and crosses a GPS week boundary within one recording', async () => {
    // GPS week 2446 begins at Unix 315964800 + 2446*604800 - 18 s; start 0.1 s before it.
    const weekStartNs = (315_964_800n + 2446n * 604_800n - 18n) * 1_000_000_000n;
    const start = weekStartNs - 100_000_000n;
    const { chunks, ns } = kiwiChunks(start, 8, { seed: 7 });
    expect(chunks[0]!.stamp!.gpssec).toBe(604_799);
    expect(chunks[5]!.stamp!.gpssec).toBe(0);
    const stamp = new Date(Number(start / 1_000_000n)).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const file = write(`${stamp}Z_10000000_MyStation_iq.wav`, kiwiWav(chunks));
    expect(parseKiwirecorderName(path.basename(file))).toMatchObject({ freqHz: 10_000_000, mode: 'iq', station: 'MyStation' });
    const before = station.receivers.list().length;
    const r = ok((await importRecordingFiles(deps(), [file], { ...loose, receiverUrl: 'HTTP://KIWI-A.example.net:8073' })).files[0]);
    expect(r.receiverCreated).toBe(false);
    expect(station.receivers.list()).toHaveLength(before);
    const tb = station.captures.timeBase(station.captures.repos.captures.get(r.captureId!)!);
    for (let i = 0; i < 8; i++) expect(Math.abs(Number(tb.gpsNsAt(i * FRAME)! - ns[i]!))).toBeLessThanOrEqual(1);
  });

  it("takes the frequency from --freq and the GPS week from the file time when the name is not kiwirecorder's", async () => {
    const { chunks, ns } = kiwiChunks(T0, 8, { seed: 3 });
    const file = write('my-recording.wav', kiwiWav(chunks));
    const refused = await importRecordingFiles(deps(), [file], { ...loose, receiverUrl: KIWI_URL });
    expect(refused.files[0]).toMatchObject({ ok: false });
    expect(refused.files[0]!.error).toMatch(/frequency is unknown.*--freq <Hz>/);
    // Two days after the recording: still the right week.
    fs.utimesSync(file, new Date(NAME_TIME_MS + 2 * 86_400_000), new Date(NAME_TIME_MS + 2 * 86_400_000));
    const r = ok((await importRecordingFiles(deps(), [file], { ...loose, receiverUrl: KIWI_URL, freqHz: 3_330_000 })).files[0]);
    expect(r.freqHz).toBe(3_330_000);
    expect(r.warnings?.join()).toMatch(/GPS week was taken from the file modification time/);
    expect(Math.abs(Number(BigInt(station.captures.repos.captures.get(r.captureId!)!.first_sample_gps_ns!) - ns[0]!))).toBeLessThanOrEqual(1);
  });

  it('imports what a cut-off recording holds as partial; stamps without a GPS clock are kept but not used', async () => {
    const { chunks } = kiwiChunks(T0, 8, { seed: 5 });
    chunks[4]!.stamp!.solution = 255;
    const whole = kiwiWav(chunks);
    const file = write('20261122T104156Z_7100000_iq_cut.wav', whole.subarray(0, whole.length - 1000));
    const r = ok((await importRecordingFiles(deps(), [file], { ...loose, receiverUrl: KIWI_URL })).files[0]);
    expect(r.status).toBe('partial');
    expect(r.samples).toBe(7 * FRAME + Math.floor((FRAME * 4 - 1000) / 4));
    expect(r.warnings?.join(' ')).toMatch(/ends inside a chunk/);
    const stored = station.captures.repos.captures.stamps(r.captureId!);
    expect(stored).toHaveLength(8);
    expect(stored[4]!.fixAgeSec).toBe(255);
    const tb = station.captures.timeBase(station.captures.repos.captures.get(r.captureId!)!);
    expect(tb.summary).toMatchObject({ noFix: 1, anchors: 2, source: 'gps' });
  });
});

describe('acquisitions', () => {
  it('files recorded at the same moment become one acquisition in review, each receiver from its station and position file', async () => {
    const dir = path.join(files, 'tdoa-set');
    const names = ['KA1AAA', 'KB2BBB', 'KC3-P'];
    const positions = [
      [45.1, 7.6],
      [44.4, 8.9],
      [45.5, 9.2],
    ] as const;
    names.forEach((n, i) => {
      write(`tdoa-set/20261122T104156Z_7100000_${n}_iq.wav`, kiwiWav(kiwiChunks(T0 + BigInt(i) * 1_000_000n, 40, { seed: 20 + i }).chunks));
      const sub = i === 2 ? 'gnss_pos/' : '';
      write(`tdoa-set/${sub}${n}.txt`, `d.${n} = struct('coord', [${positions[i]![0]},${positions[i]![1]}], 'host', 'host${i}.example.net', 'port', 8073);\n`);
    });
    const report = await importRecordingFiles({ ...deps(), sessions: station.sessions }, [dir]);
    expect(report).toMatchObject({ imported: 3, failed: 0 });
    expect(report.acquisitions).toHaveLength(1);
    const acq = report.acquisitions[0]!;
    expect(acq.captures).toBe(3);
    expect(acq.receivers.sort()).toEqual(['KA1AAA', 'KB2BBB', 'KC3/P']);
    for (const [i, n] of ['KA1AAA', 'KB2BBB', 'KC3/P'].entries()) {
      const rx = station.receivers.list().find((x) => x.name === n)!;
      expect(rx).toMatchObject({ lat: positions[i]![0], lon: positions[i]![1], url: `http://host${i}.example.net:8073/`, kind: 'kiwisdr' });
    }
    const session = station.sessions.get(acq.sessionId);
    expect(session.state).toBe('review');
    expect(session.captures).toHaveLength(3);
    // The interval every file covers is a segment to review.
    expect(session.segments.some((g) => g.origin === 'manual')).toBe(true);
    // A file with no station, no flags and no SigMF identity keeps its clear error.
    const anon = write('anon/20261122T104156Z_7100000_iq.wav', kiwiWav(kiwiChunks(T0, 4).chunks));
    const refused = await importRecordingFiles({ ...deps(), sessions: station.sessions }, [anon]);
    expect(refused.files[0]!.error).toMatch(/does not say which receiver recorded it/);
    expect(refused.acquisitions).toEqual([]);
  });
});

describe('SigMF', () => {
  it('imports a recording made by the capture engine with its receiver, frequency, stamps and GPS times', async () => {
    const rate = 12001.135;
    const w = new SigmfRecordingWriter({
      dir: files,
      baseName: 'engine',
      datatype: 'ci16_le',
      sampleRate: rate,
      freqHz: 5_000_000,
      description: 'IQ from Kiwi B (kiwisdr)',
      hw: 'KiwiSDR',
      geolocation: { lat: 45.1, lon: 7.6, alt: 300 },
      heimdall: { receiver_id: 'x', receiver_name: 'Kiwi B', receiver_url: 'http://kiwi-b.example.net:8073/', receiver_kind: 'kiwisdr', data_kind: 'iq', mode: 'iq', run_id: 'r' },
    });
    const iq = new Int16Array(4000).map((_, i) => (i * 37) % 30000);
    // Blocks of 500 samples with seq 0, 1, then 14, 15 (12 lost); fresh fixes at the second and fourth.
    const at = (seq: number) => T0 + BigInt(Math.round(((seq * 500) / rate) * 1e9));
    const stamp = (i: number, seq: number, age: number) => ({ sampleIndex: i * 500, seq, fixAgeSec: age, ...gpsStamp(at(seq)) });
    w.beginSegment(T0, 'start');
    w.addStamp(stamp(0, 0, 3));
    w.addStamp(stamp(1, 1, 0));
    w.append(iq.subarray(0, 2000));
    w.beginSegment(at(14), 'gap');
    w.addStamp(stamp(2, 14, 1));
    w.addStamp(stamp(3, 15, 0));
    w.append(iq.subarray(2000));
    const done = w.finish();
    const r = ok((await importRecordingFiles(deps(), [done.dataFile], loose)).files[0]);
    expect(r).toMatchObject({ format: 'sigmf', freqHz: 5_000_000, samples: 2000, gpsStamped: true, receiverCreated: true, receiverName: 'Kiwi B' });
    const row = station.captures.repos.captures.get(r.captureId!)!;
    expect(row).toMatchObject({ receiver_url: 'http://kiwi-b.example.net:8073/', receiver_lat: 45.1, receiver_lon: 7.6, receiver_alt: 300 });
    expect(station.captures.repos.captures.stamps(r.captureId!)).toEqual(done.stamps);
    const segs = station.captures.repos.captures.segments(r.captureId!);
    expect(segs.map((s) => [s.sample_start, s.reason])).toEqual([
      [0, 'start'],
      [1000, 'gap'],
    ]);
    expect(Math.abs(Number(BigInt(segs[0]!.gps_unix_ns!) - T0))).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(BigInt(segs[1]!.gps_unix_ns!) - at(14)))).toBeLessThanOrEqual(1);
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
    const r = ok((await importRecordingFiles(deps(), [metaFile], { ...loose, receiverName: 'Hill top' })).files[0]);
    expect(r).toMatchObject({ freqHz: 145_500_000, sampleRate: 48000, samples: 300, datatype: 'ci16_le', gpsStamped: false, firstSampleUtc: '2026-11-22T10:00:00.500000000Z', receiverCreated: true });
    const row = station.captures.repos.captures.get(r.captureId!)!;
    const stored = fs.readFileSync(station.captures.absolutePath(row.file_path));
    for (let i = 0; i < 600; i++) expect(stored.readInt16LE(2 * i)).toBe(i * 50 - 15000);
    const rx = station.receivers.list().find((x) => x.id === r.receiverId)!;
    expect(rx).toMatchObject({ name: 'Hill top', active: false, lat: 44.9, lon: 8.1 });
    expect(rx.url).toMatch(/^http:\/\/imported\.invalid\//);
    // Matched by name the second time.
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, captures: [{ ...meta.captures[0], 'core:datetime': '2026-11-22T11:00:00Z' }] }));
    expect(ok((await importRecordingFiles(deps(), [metaFile], { ...loose, receiverName: 'hill TOP' })).files[0]).receiverId).toBe(rx.id);
  });

  it('re-imports our own sync export (.sigmf archive) into another station with its id, receiver and GPS segments', async () => {
    const src = station.captures.repos.captures.recent(100).find((c) => c.freq_hz === 7_100_000 && c.status === 'complete' && c.receiver_url === KIWI_URL)!;
    const segs = station.captures.repos.captures.segments(src.id);
    const stamps = station.captures.repos.captures.stamps(src.id);
    expect(stamps.length).toBeGreaterThan(0);
    const metaJson = captureSigmfMetaJson(src, segs, stamps, 'Station A');
    const meta = JSON.parse(metaJson) as { global: Record<string, unknown> };
    const archive = path.join(files, 'export.sigmf');
    await writeSigmfArchive(archive, src.id, metaJson, station.captures.absolutePath(src.file_path));

    const other = createStation({ dataDir: path.join(tmp.dir, 'station-b'), resourcesDir: path.resolve('resources'), log: silentLogger });
    try {
      const d = { captures: other.captures, receivers: other.receivers, log: silentLogger };
      const r = ok((await importRecordingFiles(d, [archive], loose)).files[0]);
      expect(r).toMatchObject({ format: 'sigmf-archive', captureId: src.id, receiverCreated: true, receiverName: 'Kiwi A', freqHz: 7_100_000, samples: src.sample_count });
      const row = other.captures.repos.captures.get(src.id)!;
      expect(row).toMatchObject({ receiver_url: KIWI_URL, sha256: src.sha256, first_sample_gps_ns: src.first_sample_gps_ns, first_sample_utc: src.first_sample_utc, mode: 'iq', datatype: 'ci16_le' });
      expect(other.captures.repos.captures.segments(src.id).map((s) => [s.sample_start, s.gps_unix_ns, s.reason])).toEqual(segs.map((s) => [s.sample_start, s.gps_unix_ns, s.reason]));
      expect(other.captures.repos.captures.stamps(src.id)).toEqual(stamps);
      expect(other.receivers.list()).toMatchObject([{ url: KIWI_URL, name: 'Kiwi A', kind: 'kiwisdr' }]);

      const again = (await importRecordingFiles(d, [archive], loose)).files[0]!;
      expect(again).toMatchObject({ ok: false });
      expect(again.error).toMatch(/already imported: this recording is capture/);

      // Data that does not match its hash is refused, and the receiver made for it does not stay.
      const tampered = { ...meta, global: { ...meta.global, 'heimdall:capture_id': '0190aaaa-0000-7000-8000-000000000001', 'heimdall:receiver_url': 'http://other.example.org/', 'heimdall:sha256': 'ab'.repeat(32) } };
      const bad = path.join(files, 'tampered.sigmf');
      await writeSigmfArchive(bad, 'tampered', JSON.stringify(tampered), station.captures.absolutePath(src.file_path));
      const failed = (await importRecordingFiles(d, [bad], loose)).files[0]!;
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
    const report = await importRecordingFiles(deps(), [dir, path.join(files, 'missing.wav'), path.join(dir, 'notes.txt')], { ...loose, receiverUrl: 'http://new-kiwi.example.net:8073/' });
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
    const r = await importRecordingFiles(deps(), [path.join(files, 'empty')], loose);
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
    expect(report).toMatchObject({ imported: 1, failed: 0, files: [{ ok: true, freqHz: 7_100_000, sampleRate: RATE, samples: 4 * FRAME, gpsStamped: true, segments: 1 }], acquisitions: [{ captures: 1 }] });

    const b = kiwiChunks(T0 + 60_000_000_000n, 8, { seed: 12 });
    const wav2 = write('cli/20261122T104256Z_7100000_iq.wav', kiwiWav(b.chunks));
    const bad = write('cli/20261122T104356Z_7100000_iq.wav', kiwiWav(b.chunks, { omitFmt: true }));
    const text = cli([wav2, bad, '--data-dir', dataDir, '--receiver-url', KIWI_URL]);
    expect(text.status).toBe(1);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^imported .*20261122T104256Z_7100000_iq\.wav: capture [0-9a-f-]{36}, 7\.100000 MHz, 4096 samples \(0\.34 s\), first sample 2026-11-22T10:42:56\.123456789Z \(GPS, 12000\.000 samples\/s measured, 1 segment\), receiver "kiwi-a\.example\.net:8073"$/);
    expect(lines[1]).toMatch(/^FAILED +.*20261122T104356Z_7100000_iq\.wav: a data chunk comes before any fmt chunk/);
    expect(lines.at(-1)).toBe(`imported 1 of 2 recordings into ${dataDir}; 1 failed`);

    const usage = cli([wav2, '--data-dir', dataDir, '--freq', 'abc']);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/--freq is the dial frequency in Hz/);
  });

  it('--source names the known transmitter as every command does (a unique part of its name), and says so when none matches', () => {
    const dataDir = path.join(tmp.dir, 'cli-source-station');
    const station = (...args: string[]) => spawnSync(process.execPath, ['bin/heimdall-station.mjs', ...args, '--data-dir', dataDir], { cwd: repoRoot, encoding: 'utf8' });
    expect(station('source', 'add', '--name', 'DCF77 Mainflingen', '--lat', '50.0152', '--lon', '9.0112').status).toBe(0);
    const c = kiwiChunks(T0 + 120_000_000_000n, 4, { seed: 13 });
    const wav = write('cli-source/20261122T104456Z_7100000_iq.wav', kiwiWav(c.chunks));
    const missing = cli([wav, '--data-dir', dataDir, '--receiver-url', KIWI_URL, '--source', 'Allouis']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No known source "Allouis"/);
    const done = cli([wav, '--data-dir', dataDir, '--receiver-url', KIWI_URL, '--source', 'mainfl', '--json']);
    expect(done.status, done.stderr).toBe(0);
    const report = JSON.parse(done.stdout) as { acquisitions: { sessionId: string }[] };
    const shown = station('session', 'show', report.acquisitions[0]!.sessionId, '--json');
    expect(shown.status, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as { sourceName: string | null }).sourceName).toBe('DCF77 Mainflingen');
  });
});
