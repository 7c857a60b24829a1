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
import { bytesPerSample, captureStartSchema, type CaptureStart, type CaptureStatus, type MeasurementInput } from '../../shared/domain/capture';
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { invalidInput, StationError } from '../../shared/errors';
import { type Logger } from '../base/log';
import { captureSegments } from '../recordings/captureSegments';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { timeBaseOf } from '../recordings/sigmf/writer';
import { type TimeBase } from '../recordings/timeBase';
import { readJournal } from '../samples/captureJournal';
import { assertRoomFor, freeBytes } from '../samples/diskGuard';
import { fsyncDir, fsyncDirAsync } from '../samples/durableFile';
import { startColumns, type CaptureRow, type CapturesRepo } from './capturesRepo';
import { type Db } from './database';
import { uuidv7 } from './ids';
import { type ComputedMeasurement, type MeasurementRow, type MeasurementsRepo } from './measurementsRepo';
import { type OutboxRepo } from './outboxRepo';

export interface ReservedCapture {
  id: string;
  /** Where the worker appends the samples. */
  partFile: string;
  /** Where the worker keeps its journal (segments, stamps, durable marks). */
  journalFile: string;
  /** Commits measurement windows now, checked as any input (the capture's rows are queued for sync when it is committed). */
  addMeasurements(rows: readonly MeasurementInput[]): number;
  /** The same for windows this station computed (its DSP pool), checked where they entered the process: no check per row here. */
  addComputedMeasurements(rows: readonly ComputedMeasurement[]): number;
  /** The worker finished: rename, then one transaction acknowledges it. Measurement times follow its time base. */
  commit(done: ReservedDone): string;
  /** Nothing worth keeping was recorded: the row, its measurements and files go. */
  abort(): void;
}

/**
 * What a capture worker reported when its recording ended. Built by our own code from a worker
 * message that was checked on arrival, so it is not checked again here (types only).
 */
export interface ReservedDone {
  byteSize: number;
  sampleRate: number;
  datatype: string;
  sha256: string;
  sha512: string | null;
  md5: string | null;
  timeBase: TimeBase;
  firstSampleUtc: string;
  firstSampleGpsNs: string | null;
  status: CaptureStatus;
  message: string;
  segments: { sampleStart: number; sampleCount: number; utc: string; gpsUnixNs: string | null; reason: string }[];
  stamps: readonly GpsStamp[];
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
  computedRows: (captureId: string, freqHz: number, rows: readonly ComputedMeasurement[]) => MeasurementRow[];
  notify: (id: string) => void;
  forget: (id: string) => void;
}

const HASH_CHUNK = 4 << 20;
/** Captures acknowledged per transaction when many end at once: the event loop gets a turn between them. */
const COMMIT_CHUNK = 16;

interface Prepared {
  reserved: CaptureRow;
  row: CaptureRow;
  done: ReservedDone;
  from: string;
  final: string;
}

export function createReservations(ctx: Context) {
  const { db, repos, dataDir } = ctx;
  const { captures, measurements, outbox } = repos;

  const acknowledgeOne = (p: Prepared) => {
    const { row, done } = p;
    if (!captures.complete(row)) throw new StationError('conflict', `Capture ${row.id} is not a reservation any more (committed or removed already).`);
    done.segments.forEach((s, seq) =>
      captures.insertSegment({ capture_id: row.id, seq, sample_start: s.sampleStart, sample_count: s.sampleCount, utc: s.utc, gps_unix_ns: s.gpsUnixNs, reason: s.reason }),
    );
    captures.insertStamps(row.id, done.stamps);
    // Windows measured while recording were timed by the receiver's clock; the time base now says it.
    for (const m of measurements.allFor(row.id)) captures.setMeasurementTime(row.id, m.id, rfc3339FromUnixNs(done.timeBase.unixNsAt(m.window_start_sample)));
    outbox.enqueue('capture_object', 's3', row.id);
    outbox.enqueue('capture_rows', 'pg', row.id);
  };
  const acknowledge = db.transaction((ps: readonly Prepared[]) => ps.forEach(acknowledgeOne));
  /** One transaction per capture when a chunk failed as a whole: the others still commit. */
  const acknowledgeSingly = (ps: readonly Prepared[]): (Error | null)[] =>
    ps.map((p) => {
      try {
        acknowledge([p]);
        return null;
      } catch (e) {
        return e as Error;
      }
    });

  const addLive = db.transaction((ms: MeasurementRow[]) => {
    let n = 0;
    for (const m of ms) n += measurements.insert(m).changes;
    return n;
  });

  const paths = (id: string) => ({ partFile: path.join(ctx.partialRoot, `${id}.sigmf-data.part`), journalFile: path.join(ctx.partialRoot, `${id}.journal`) });

  function prepare(reserved: CaptureRow, done: ReservedDone, from: string): Prepared {
    const row: CaptureRow = {
      ...reserved,
      sample_rate: done.sampleRate,
      datatype: done.datatype,
      first_sample_utc: done.firstSampleUtc,
      first_sample_gps_ns: done.firstSampleGpsNs,
      sample_count: Math.floor(done.byteSize / bytesPerSample(done.datatype)),
      byte_size: done.byteSize,
      sha256: done.sha256,
      sha512: done.sha512,
      md5: done.md5,
      status: done.status,
      message: done.message,
      recording: 0,
    };
    return { reserved, row, done, from, final: path.join(dataDir, reserved.file_path) };
  }

  /** After the transaction: the journal is not needed (a leftover one is removed at the next start). */
  function settled(id: string): void {
    fs.rm(paths(id).journalFile, { force: true }, () => undefined);
    ctx.open.delete(id);
    ctx.forget(id);
    ctx.notify(id);
  }

  /** Renames the sample file to its final name and acknowledges the capture; removes the journal. */
  function commitRow(p: Prepared): string {
    if (p.from !== p.final) {
      fs.mkdirSync(path.dirname(p.final), { recursive: true });
      fs.renameSync(p.from, p.final);
      fsyncDir(path.dirname(p.final));
      fsyncDir(path.dirname(p.from));
    }
    try {
      acknowledge([p]);
    } catch (e) {
      // Not acknowledged: put the file back where adoption will find it.
      if (p.from !== p.final) fs.renameSync(p.final, p.from);
      throw e;
    }
    settled(p.reserved.id);
    return p.reserved.id;
  }

  function dropRow(id: string): void {
    captures.deleteReserved(id);
    const p = paths(id);
    fs.rmSync(p.partFile, { force: true });
    fs.rmSync(p.journalFile, { force: true });
    ctx.open.delete(id);
    ctx.forget(id);
  }

  /** A reservation's state, shared by its handle and commitMany (each is committed or aborted once). */
  const handles = new Map<string, { closed: boolean }>();

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
    const state = { closed: false };
    handles.set(id, state);
    const live = () => {
      if (state.closed) throw new StationError('conflict', `Capture ${id} is committed or aborted; its measurements are in.`);
    };
    return {
      id,
      ...p,
      addMeasurements(rows) {
        live();
        return addLive(ctx.measurementRows(id, start.freqHz, rows));
      },
      addComputedMeasurements(rows) {
        live();
        return addLive(ctx.computedRows(id, start.freqHz, rows));
      },
      commit(done) {
        if (state.closed) throw new StationError('conflict', `Capture ${id} is already committed or aborted.`);
        const size = fs.statSync(p.partFile).size;
        if (size !== done.byteSize) throw new StationError('conflict', `The sample file of capture ${id} holds ${size} bytes, not the ${done.byteSize} the recording reported; it was kept for adoption at the next start.`);
        const id2 = commitRow(prepare(captures.get(id)!, done, p.partFile));
        state.closed = true;
        handles.delete(id);
        return id2;
      },
      abort() {
        if (state.closed) return;
        state.closed = true;
        handles.delete(id);
        dropRow(id);
      },
    };
  }

  /**
   * Commits the recordings of many receivers that ended together (a session's end): the renames and
   * the fsync of each directory run in the thread pool (one fsync per directory, not two per capture),
   * then the captures are acknowledged in transactions of a few at a time, with the event loop free in
   * between. Per capture: its id, or the error that left it reserved (for adoption at the next start).
   */
  async function commitMany(items: readonly { id: string; done: ReservedDone }[]): Promise<(string | Error)[]> {
    const out: (string | Error)[] = new Array(items.length);
    const ready: { i: number; p: Prepared }[] = [];
    await Promise.all(
      items.map(async ({ id, done }, i) => {
        try {
          const state = handles.get(id);
          const reserved = captures.get(id);
          if (!state || state.closed || !reserved?.recording) throw new StationError('conflict', `Capture ${id} is already committed or aborted.`);
          state.closed = true;
          const { partFile } = paths(id);
          const size = (await fs.promises.stat(partFile)).size;
          if (size !== done.byteSize) throw new StationError('conflict', `The sample file of capture ${id} holds ${size} bytes, not the ${done.byteSize} the recording reported; it was kept for adoption at the next start.`);
          const p = prepare(reserved, done, partFile);
          await fs.promises.mkdir(path.dirname(p.final), { recursive: true });
          await fs.promises.rename(p.from, p.final);
          ready.push({ i, p });
        } catch (e) {
          out[i] = e as Error;
        }
      }),
    );
    // The renames are durable before any row says the files are there.
    const dirs = new Set(ready.flatMap(({ p }) => [path.dirname(p.final), path.dirname(p.from)]));
    try {
      await Promise.all([...dirs].map(fsyncDirAsync));
    } catch (e) {
      for (const { i, p } of ready) {
        fs.renameSync(p.final, p.from);
        out[i] = e as Error;
      }
      return out;
    }
    ready.sort((a, b) => a.i - b.i);
    for (let k = 0; k < ready.length; k += COMMIT_CHUNK) {
      const chunk = ready.slice(k, k + COMMIT_CHUNK);
      let errors: (Error | null)[];
      try {
        acknowledge(chunk.map((c) => c.p));
        errors = chunk.map(() => null);
      } catch {
        errors = acknowledgeSingly(chunk.map((c) => c.p));
      }
      chunk.forEach(({ i, p }, j) => {
        const e = errors[j];
        if (e) {
          // Not acknowledged: put the file back where adoption will find it.
          fs.renameSync(p.final, p.from);
          out[i] = e;
          return;
        }
        handles.delete(p.reserved.id);
        settled(p.reserved.id);
        out[i] = p.reserved.id;
      });
      await new Promise((r) => setImmediate(r));
    }
    return out;
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
        commitRow(
          prepare(
            row,
            {
              ...hashPrefix(file, bytes),
              byteSize: bytes,
              sampleRate: row.sample_rate,
              datatype: row.datatype,
              timeBase: tb,
              firstSampleUtc: segments[0]!.utc,
              firstSampleGpsNs: segments[0]!.gpsUnixNs ?? null,
              status: 'partial',
              message: `The station stopped during the recording; the ${(samples / row.sample_rate).toFixed(1)} s on disk before it are kept.`,
              segments: segments.map((s) => ({ ...s, gpsUnixNs: s.gpsUnixNs ?? null, reason: s.reason ?? 'start' })),
              stamps,
            },
            file,
          ),
        );
        adopted.push(row.id);
      } catch (e) {
        ctx.log.warn(`could not adopt the interrupted capture ${row.id}: ${(e as Error).message}; it stays reserved for the next start`);
      }
    }
    if (adopted.length || dropped.length) ctx.log.warn(`adopted ${adopted.length} capture(s) interrupted by the last run (kept up to their last durable mark); ${dropped.length} had nothing durable`);
    return { adopted, dropped };
  }

  return { reserve, commitMany, adopt, paths };
}
export type Reservations = ReturnType<typeof createReservations>;
