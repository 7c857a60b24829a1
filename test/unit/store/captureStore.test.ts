import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { createCaptureStore, fastMeasurement } from '../../../main/store/captureStore';
import { measurementInputSchema } from '../../../shared/domain/capture';
import { openDatabase, type OpenedDatabase } from '../../../main/store/database';
import { diskError } from '../../../main/samples/durableFile';
import { hashFile } from '../../../main/samples/sampleWriter';
import { StationError } from '../../../shared/errors';
import { tempDir } from '../../helpers/tempDir';
import { prng, syntheticIq, testReceivers, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function open(opts: { free?: number } = {}) {
  const t = tempDir();
  const opened = openDatabase(t.dir, silentLogger);
  cleanups.push(() => {
    opened.close();
    t.cleanup();
  });
  const store = createCaptureStore({ db: opened.db, dataDir: t.dir, log: silentLogger, diskMarginBytes: () => 1000, freeBytes: opts.free === undefined ? undefined : () => opts.free! });
  return { dir: t.dir, opened, store };
}
const count = (o: OpenedDatabase, table: string) => (o.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const start = { receiver: testReceivers[0]!, freqHz: 145_500_000, mode: 'iq' as const, sampleRate: 12_000, datatype: 'ci16_le' };

describe('capture store (samples + rows + outbox)', () => {
  it('appends chunks, fsyncs segments, finalizes into one commit of capture, segments, measurements and outbox rows', async () => {
    const { dir, opened, store } = open();
    const w = store.beginCapture({ ...start, expectedBytes: 4000 });
    const a = syntheticIq(prng(1), 500);
    const b = syntheticIq(prng(2), 500);
    w.append(a);
    w.closeSegment();
    // Before finalize: nothing visible, only a partial file.
    expect(count(opened, 'captures')).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'samples', '.partial'))).toEqual([`${w.id}.sigmf-data.part`]);
    w.append(b);
    w.addMeasurements([{ timestamp: '2026-11-22T10:00:00.000Z', snrDb: 12.5 }]);
    const id = w.finalize({
      firstSampleUtc: '2026-11-22T10:00:00.000Z',
      segments: [{ sampleStart: 0, sampleCount: 1000, utc: '2026-11-22T10:00:00.000Z' }],
      measurements: [{ timestamp: '2026-11-22T10:00:00.500Z', snrDb: 13 }],
    });
    expect(id).toBe(w.id);
    const row = opened.db.prepare('SELECT * FROM captures WHERE id = ?').get(id) as { file_path: string; sample_count: number; byte_size: number; sha256: string; sha512: string | null; md5: string | null };
    expect(row.sample_count).toBe(1000);
    expect(row.byte_size).toBe(4000);
    // Every hash the file needs later (SigMF, the upload) taken as it was written.
    const h = await hashFile(path.join(dir, row.file_path));
    expect({ sha256: h.sha256, sha512: h.sha512, md5: h.md5, size: h.size }).toEqual({ sha256: row.sha256, sha512: row.sha512, md5: row.md5, size: 4000 });
    expect(count(opened, 'measurements')).toBe(2);
    expect(count(opened, 'capture_segments')).toBe(1);
    expect(opened.db.prepare('SELECT kind, target, state FROM outbox ORDER BY target').all()).toEqual([
      { kind: 'capture_rows', target: 'pg', state: 'pending' },
      { kind: 'capture_object', target: 's3', state: 'pending' },
    ]);
    expect(fs.readdirSync(path.join(dir, 'samples', '.partial'))).toEqual([]);
  });

  it('rejects bad metadata before touching the disk, with the field named', () => {
    const { store } = open();
    expect(() => store.beginCapture({ ...start, datatype: 'complex' })).toThrow(/datatype/);
    const w = store.beginCapture(start);
    expect(() => w.finalize({ firstSampleUtc: 'yesterday' })).toThrow(StationError);
  });

  it('records measurements after finalize and queues the rows for sync again', () => {
    const { opened, store } = open();
    const id = writeSyntheticCapture(store, prng(3), { windows: 2 });
    opened.db.prepare("UPDATE outbox SET state = 'done' WHERE target = 'pg'").run();
    expect(store.recordMeasurements(id, [{ timestamp: '2026-11-22T10:00:01Z', snrDb: 3 }])).toBe(1);
    expect(opened.db.prepare("SELECT state FROM outbox WHERE target = 'pg'").get()).toEqual({ state: 'pending' });
    expect(() => store.recordMeasurements('00000000-0000-4000-8000-000000000000', [])).toThrow(/finalize it before/);
  });

  it('refuses to start a capture that cannot fit, saying what to do (disk_full)', () => {
    const { store } = open({ free: 5_000 });
    let err: unknown;
    try {
      store.beginCapture({ ...start, expectedBytes: 10_000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StationError);
    expect((err as StationError).code).toBe('disk_full');
    expect((err as StationError).message).toMatch(/Not enough disk space .* Free space .* or choose another data directory/);
  });

  it('turns ENOSPC into disk_full and a read-only directory into a clear error', () => {
    const full = diskError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/data/samples/x');
    expect(full).toBeInstanceOf(StationError);
    expect((full as StationError).code).toBe('disk_full');
    expect((diskError(Object.assign(new Error('ro'), { code: 'EROFS' }), '/data/x') as StationError).message).toMatch(/read-only/);
  });

  it('aborting leaves nothing; orphans of a crashed run (partials, uncommitted finals) are removed at start', () => {
    const { dir, opened, store } = open();
    const w = store.beginCapture(start);
    w.append(new Uint8Array(100));
    w.abort();
    expect(fs.readdirSync(path.join(dir, 'samples', '.partial'))).toEqual([]);
    const kept = writeSyntheticCapture(store, prng(4));
    fs.writeFileSync(path.join(dir, 'samples', '.partial', 'dead.sigmf-data.part'), 'x');
    const day = fs.readdirSync(path.join(dir, 'samples')).find((d) => d !== '.partial')!;
    fs.writeFileSync(path.join(dir, 'samples', day, 'uncommitted.sigmf-data'), 'x');
    const removed = store.recoverOrphans();
    expect(removed.sort()).toEqual([`samples/${day}/uncommitted.sigmf-data`, 'samples/.partial/dead.sigmf-data.part'].sort());
    const row = opened.db.prepare('SELECT file_path FROM captures WHERE id = ?').get(kept) as { file_path: string };
    expect(fs.existsSync(path.join(dir, row.file_path))).toBe(true);
  });

  it('retention deletes sample files synced more than N days ago and keeps the rows', () => {
    const { dir, opened, store } = open();
    const old = writeSyntheticCapture(store, prng(5));
    const recent = writeSyntheticCapture(store, prng(6));
    const unsynced = writeSyntheticCapture(store, prng(7));
    const day = 86_400_000;
    const now = Date.now();
    const setDone = opened.db.prepare("UPDATE outbox SET state = 'done', done_at = ? WHERE item_id = ? AND target = 's3'");
    setDone.run(new Date(now - 10 * day).toISOString(), old);
    setDone.run(new Date(now - 1 * day).toISOString(), recent);
    expect(store.applyRetention(7, now)).toEqual({ deleted: 1, freedBytes: 48_000 });
    const file = (id: string) => path.join(dir, (opened.db.prepare('SELECT file_path FROM captures WHERE id = ?').get(id) as { file_path: string }).file_path);
    expect(fs.existsSync(file(old))).toBe(false);
    expect(fs.existsSync(file(recent))).toBe(true);
    expect(fs.existsSync(file(unsynced))).toBe(true);
    expect(count(opened, 'captures')).toBe(3);
    expect((opened.db.prepare('SELECT samples_deleted_at FROM captures WHERE id = ?').get(old) as { samples_deleted_at: string | null }).samples_deleted_at).not.toBeNull();
  });
});

describe('measurement row validation fast path', () => {
  it('gives exactly what the zod schema gives for well-formed rows, and defers everything else to it', () => {
    const rand = prng(123);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 2000; i++) {
      const row: Record<string, unknown> = { timestamp: pick(['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.123456789Z', 'not a time', 5]) };
      for (const k of ['snrDb', 'signalPowerDb', 'noisePowerDb', 'freqOffsetHz', 'occupiedBwHz', 'smeterDbm']) {
        const v = pick([undefined, null, 1.5, -90, Number.NaN, Infinity, '3']);
        if (v !== undefined) row[k] = v;
      }
      for (const k of ['windowStartSample', 'windowSamples', 'freqHz']) {
        const v = pick([undefined, 0, 1024, -1, 2.5]);
        if (v !== undefined) row[k] = v;
      }
      const id = pick([undefined, '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'nope']);
      if (id !== undefined) row.id = id;
      const notes = pick([undefined, null, 'n', 7]);
      if (notes !== undefined) row.notes = notes;
      const fast = fastMeasurement(row as never);
      const slow = measurementInputSchema.safeParse(row);
      if (fast) expect(slow.success && slow.data).toEqual(fast);
      else if (slow.success) throw new Error(`fast path refused a valid row: ${JSON.stringify(row)}`);
    }
  });
});
