/**
 * Captures reserved before their first sample, for recordings written once by a capture worker:
 * the row exists while the worker appends to the reserved partial file (so measurements commit as
 * they arrive), and the worker's done message (bytes, hashes, segments, stamps) is committed by a
 * rename and one transaction. After a crash, adopt() takes each reserved file up to its last durable
 * mark (read from its journal, hashed in chunks, never whole in memory) as a partial capture.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesPerSample, captureFinishSchema, captureStartSchema, type CaptureFinish, type CaptureStart, type MeasurementInput } from '../../shared/domain/capture';
import { invalidInput, StationError } from '../../shared/errors';
import { type Logger } from '../log';
import { captureSegments } from '../recordings/captureSegments';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { timeBaseOf } from '../recordings/sigmf/writer';
import { type TimeBase } from '../recordings/timeBase';
import { readJournal } from '../samples/captureJournal';
import { assertRoomFor, freeBytes } from '../samples/diskGuard';
import { fsyncDir } from '../samples/durableFile';
import { startColumns, type CaptureRow, type CapturesRepo } from './capturesRepo';
import { type Db } from './database';
import { uuidv7 } from './ids';
import { type MeasurementRow, type MeasurementsRepo } from './measurementsRepo';
import { type OutboxRepo } from './outboxRepo';

export interface ReservedCapture {
  id: string;
  /** Where the worker appends the samples. */
  partFile: string;
  /** Where the worker keeps its journal (segments, stamps, durable marks). */
  journalFile: string;
  /** Commits measurement windows now (the capture's rows are queued for sync when it is committed). */
  addMeasurements(rows: readonly MeasurementInput[]): number;
  /** The worker finished: rename, then one transaction acknowledges it. Measurement times follow its time base. */
  commit(done: ReservedDone): string;
  /** Nothing worth keeping was recorded: the row, its measurements and files go. */
  abort(): void;
}

export interface ReservedDone extends CaptureFinish {
  byteSize: number;
  sampleRate: number;
  datatype: string;
  sha256: string;
  sha512: string | null;
  md5: string | null;
  timeBase: TimeBase;
}

interface Context {
  db: Db;
  dataDir: string;
  samplesRoot: string;
  partialRoot: string;
  log: Logger;
  repos: { captures: CapturesRepo; measurements: MeasurementsRepo; outbox: OutboxRepo };
  open: Set<string>;
  diskMarginBytes: () => number;
  freeBytes?: (dir: string) => number;
  measurementRows: (captureId: string, freqHz: number, rows: readonly MeasurementInput[]) => MeasurementRow[];
  notify: (id: string) => void;
  forget: (id: string) => void;
}

const HASH_CHUNK = 4 << 20;

export function createReservations(ctx: Context) {
  const { db, repos, dataDir } = ctx;
  const { captures, measurements, outbox } = repos;

  const acknowledge = db.transaction((row: CaptureRow, finish: ReturnType<typeof captureFinishSchema.parse>, retime: { id: string; timestamp: string }[]) => {
    if (!captures.complete(row)) throw new StationError('conflict', `Capture ${row.id} is not a reservation any more (committed or removed already).`);
    finish.segments.forEach((s, seq) =>
      captures.insertSegment({ capture_id: row.id, seq, sample_start: s.sampleStart, sample_count: s.sampleCount, utc: s.utc, gps_unix_ns: s.gpsUnixNs, reason: s.reason }),
    );
    captures.insertStamps(row.id, finish.stamps);
    for (const m of ctx.measurementRows(row.id, row.freq_hz, finish.measurements)) measurements.insert(m);
    for (const r of retime) captures.setMeasurementTime(row.id, r.id, r.timestamp);
    outbox.enqueue('capture_object', 's3', row.id);
    outbox.enqueue('capture_rows', 'pg', row.id);
  });

  const addLive = db.transaction((ms: MeasurementRow[]) => {
    let n = 0;
    for (const m of ms) n += measurements.insert(m).changes;
    return n;
  });

  const paths = (id: string) => ({ partFile: path.join(ctx.partialRoot, `${id}.sigmf-data.part`), journalFile: path.join(ctx.partialRoot, `${id}.journal`) });

  /** Renames the sample file to its final name and acknowledges the capture; removes the journal. */
  function commitRow(reserved: CaptureRow, done: ReservedDone, from: string): string {
    const f = captureFinishSchema.safeParse(done);
    if (!f.success) throw invalidInput('The capture to commit', f.error);
    const finish = f.data;
    const final = path.join(dataDir, reserved.file_path);
    if (from !== final) {
      fs.mkdirSync(path.dirname(final), { recursive: true });
      fs.renameSync(from, final);
      fsyncDir(path.dirname(final));
      fsyncDir(path.dirname(from));
    }
    const samples = Math.floor(done.byteSize / bytesPerSample(done.datatype));
    const row: CaptureRow = {
      ...reserved,
      sample_rate: done.sampleRate,
      datatype: done.datatype,
      first_sample_utc: finish.firstSampleUtc,
      first_sample_gps_ns: finish.firstSampleGpsNs,
      sample_count: samples,
      byte_size: done.byteSize,
      sha256: done.sha256,
      sha512: done.sha512,
      md5: done.md5,
      status: finish.status,
      message: finish.message,
      recording: 0,
    };
    // Windows measured while recording were timed by the receiver's clock; the time base now says it.
    const retime = measurements.allFor(reserved.id).map((m) => ({ id: m.id, timestamp: rfc3339FromUnixNs(done.timeBase.unixNsAt(m.window_start_sample)) }));
    try {
      acknowledge(row, finish, retime);
    } catch (e) {
      // Not acknowledged: put the file back where adoption will find it.
      if (from !== final) fs.renameSync(final, from);
      throw e;
    }
    fs.rmSync(paths(reserved.id).journalFile, { force: true });
    ctx.open.delete(reserved.id);
    ctx.forget(reserved.id);
    ctx.notify(reserved.id);
    return reserved.id;
  }

  function dropRow(id: string): void {
    captures.deleteReserved(id);
    const p = paths(id);
    fs.rmSync(p.partFile, { force: true });
    fs.rmSync(p.journalFile, { force: true });
    ctx.open.delete(id);
    ctx.forget(id);
  }

  function reserve(startInput: CaptureStart): ReservedCapture {
    const parsed = captureStartSchema.safeParse(startInput);
    if (!parsed.success) throw invalidInput('The capture to reserve', parsed.error);
    const start = parsed.data;
    const id = start.id ?? uuidv7();
    if (ctx.open.has(id) || captures.get(id)) throw new StationError('conflict', `A capture with id ${id} already exists. Start a new capture with a new id.`);
    fs.mkdirSync(ctx.partialRoot, { recursive: true });
    assertRoomFor(ctx.samplesRoot, start.expectedBytes, ctx.diskMarginBytes(), ctx.freeBytes ?? freeBytes);
    const now = new Date().toISOString();
    const rel = path.posix.join('samples', now.slice(0, 10), `${id}.sigmf-data`);
    const row: CaptureRow = {
      ...startColumns(id, start),
      first_sample_utc: now,
      first_sample_gps_ns: null,
      sample_count: 0,
      byte_size: 0,
      file_path: rel,
      sha256: '',
      md5: null,
      status: 'partial',
      message: 'Recording.',
      samples_deleted_at: null,
      created_at: now,
      recording: 1,
      sha512: null,
    };
    captures.insert(row);
    ctx.open.add(id);
    const p = paths(id);
    let closed = false;
    return {
      id,
      ...p,
      addMeasurements(rows) {
        if (closed) throw new StationError('conflict', `Capture ${id} is committed or aborted; its measurements are in.`);
        return addLive(ctx.measurementRows(id, start.freqHz, rows));
      },
      commit(done) {
        if (closed) throw new StationError('conflict', `Capture ${id} is already committed or aborted.`);
        const size = fs.statSync(p.partFile).size;
        if (size !== done.byteSize) throw new StationError('conflict', `The sample file of capture ${id} holds ${size} bytes, not the ${done.byteSize} the recording reported; it was kept for adoption at the next start.`);
        const id2 = commitRow(captures.get(id)!, done, p.partFile);
        closed = true;
        return id2;
      },
      abort() {
        if (closed) return;
        closed = true;
        dropRow(id);
      },
    };
  }

  /** Chunked hashes of the first `bytes` of a file (adoption: the durable part only). */
  function hashPrefix(file: string, bytes: number) {
    const h = { sha256: createHash('sha256'), sha512: createHash('sha512'), md5: createHash('md5') };
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(HASH_CHUNK);
      for (let pos = 0; pos < bytes; ) {
        const n = fs.readSync(fd, buf, 0, Math.min(HASH_CHUNK, bytes - pos), pos);
        if (n === 0) break;
        const piece = buf.subarray(0, n);
        h.sha256.update(piece);
        h.sha512.update(piece);
        h.md5.update(piece);
        pos += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    return { sha256: h.sha256.digest('hex'), sha512: h.sha512.digest('hex'), md5: h.md5.digest('hex') };
  }

  /** After a crash, before anything records: each reserved capture becomes a partial one, up to its last durable mark. */
  function adopt(): { adopted: string[]; dropped: string[] } {
    const adopted: string[] = [];
    const dropped: string[] = [];
    for (const row of captures.reserved()) {
      if (ctx.open.has(row.id)) continue;
      const p = paths(row.id);
      const final = path.join(dataDir, row.file_path);
      // A crash between the rename and the commit leaves the file under its final name.
      const file = fs.existsSync(p.partFile) ? p.partFile : fs.existsSync(final) ? final : null;
      try {
        const j = readJournal(p.journalFile);
        const bps = bytesPerSample(row.datatype);
        const onDisk = file ? fs.statSync(file).size : 0;
        const bytes = Math.floor(Math.min(j.durableBytes, onDisk) / bps) * bps;
        if (!file || bytes === 0 || !j.segments.length) {
          dropRow(row.id);
          dropped.push(row.id);
          continue;
        }
        if (onDisk > bytes) {
          fs.truncateSync(file, bytes);
          const fd = fs.openSync(file, 'r+');
          fs.fsyncSync(fd);
          fs.closeSync(fd);
        }
        const samples = bytes / bps;
        const written = j.segments.filter((g) => g.sampleStart < samples);
        const stamps = j.stamps.filter((s) => s.sampleIndex < samples);
        const tb = timeBaseOf(written, stamps, samples, row.sample_rate);
        const segments = captureSegments(tb, written, samples);
        // Windows past the durable samples measured what is no longer there.
        measurements.deleteBeyond(row.id, samples);
        commitRow(row, {
          ...hashPrefix(file, bytes),
          byteSize: bytes,
          sampleRate: row.sample_rate,
          datatype: row.datatype,
          timeBase: tb,
          firstSampleUtc: segments[0]!.utc,
          firstSampleGpsNs: segments[0]!.gpsUnixNs ?? null,
          status: 'partial',
          message: `The station stopped during the recording; the ${(samples / row.sample_rate).toFixed(1)} s on disk before it are kept.`,
          segments,
          stamps,
        }, file);
        adopted.push(row.id);
      } catch (e) {
        ctx.log.warn(`could not adopt the interrupted capture ${row.id}: ${(e as Error).message}; it stays reserved for the next start`);
      }
    }
    if (adopted.length || dropped.length) ctx.log.warn(`adopted ${adopted.length} capture(s) interrupted by the last run (kept up to their last durable mark); ${dropped.length} had nothing durable`);
    return { adopted, dropped };
  }

  return { reserve, adopt, paths };
}
export type Reservations = ReturnType<typeof createReservations>;
