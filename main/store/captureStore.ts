import fs from 'node:fs';
import path from 'node:path';
import {
  bytesPerSample,
  captureFinishSchema,
  captureStartSchema,
  measurementInputSchema,
  type CaptureFinish,
  type CaptureStart,
  type MeasurementInput,
} from '../../shared/domain/capture';
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { StationError, invalidInput } from '../../shared/errors';
import { type Logger } from '../base/log';
import { parseRfc3339Ns } from '../recordings/rfc3339';
import { buildTimeBase, type TimeBase } from '../recordings/timeBase';
import { assertRoomFor, freeBytes } from '../samples/diskGuard';
import { fsyncDir } from '../samples/durableFile';
import { AppendOnlySampleFile } from '../samples/sampleWriter';
import { createReservations } from './captureReservation';
import { createCapturesRepo, startColumns, type CaptureRow, type SegmentRow } from './capturesRepo';
import { type Db } from './database';
import { createMeasurementsRepo, type ComputedMeasurement, type MeasurementRow } from './measurementsRepo';
import { uuidv7 } from './ids';
import { createOutboxRepo } from './outboxRepo';

export const SAMPLES_DIR = 'samples';
const PARTIAL_DIR = '.partial';

export interface CaptureStoreOptions {
  db: Db;
  dataDir: string;
  log: Logger;
  /** Free space to keep beyond a capture's size (read on every beginCapture, so settings changes apply). */
  diskMarginBytes?: () => number;
  /** Injected in tests to simulate a nearly full disk. */
  freeBytes?: (dir: string) => number;
}

/** The capture engine's handle on one recording in progress. */
export interface CaptureWriter {
  readonly id: string;
  readonly bytesWritten: number;
  /** Appends raw samples (SigMF layout of the declared datatype). Throws StationError 'disk_full' when the disk fills. */
  append(bytes: Uint8Array): void;
  /** Segment boundary: flushes what was written so far to disk in the background (finalize makes it all durable). */
  closeSegment(): void;
  /** Buffers measurement rows to be committed with the capture in finalize. */
  addMeasurements(rows: readonly MeasurementInput[]): void;
  /** fsync, rename, sha256, then ONE transaction: capture + segments + measurements + outbox. Returns the capture id. */
  finalize(finish: CaptureFinish): string;
  /** Drops the partial file (nothing was acknowledged). */
  abort(): void;
}

type MeasurementParsed = ComputedMeasurement;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const optNum = (v: unknown): v is number | null | undefined => v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));
const optInt = (v: unknown, min: number): v is number | undefined => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min);

/** Same result as measurementInputSchema.parse for well-formed rows, or null to let zod decide. */
export function fastMeasurement(r: MeasurementInput): MeasurementParsed | null {
  if (typeof r !== 'object' || r === null) return null;
  if (typeof r.timestamp !== 'string' || Number.isNaN(Date.parse(r.timestamp))) return null;
  if (r.id !== undefined && (typeof r.id !== 'string' || !UUID_RE.test(r.id))) return null;
  if (!optInt(r.windowStartSample, 0) || !optInt(r.windowSamples, 0) || !optInt(r.freqHz, 1)) return null;
  if (!optNum(r.snrDb) || !optNum(r.signalPowerDb) || !optNum(r.noisePowerDb) || !optNum(r.freqOffsetHz) || !optNum(r.occupiedBwHz) || !optNum(r.smeterDbm)) return null;
  if (r.notes !== undefined && r.notes !== null && typeof r.notes !== 'string') return null;
  return {
    id: r.id,
    timestamp: r.timestamp,
    windowStartSample: r.windowStartSample ?? 0,
    windowSamples: r.windowSamples ?? 0,
    freqHz: r.freqHz,
    snrDb: r.snrDb ?? null,
    signalPowerDb: r.signalPowerDb ?? null,
    noisePowerDb: r.noisePowerDb ?? null,
    freqOffsetHz: r.freqOffsetHz ?? null,
    occupiedBwHz: r.occupiedBwHz ?? null,
    smeterDbm: r.smeterDbm ?? null,
    notes: r.notes ?? null,
  };
}

/**
 * The offline store's write side for samples and measurements. A capture becomes visible (and
 * acknowledged) only when its file is durable and its rows are committed together with its outbox
 * rows, so sync can never miss it and a crash can never leave a row pointing at a missing file.
 */
export function createCaptureStore(opts: CaptureStoreOptions) {
  const { db, dataDir, log } = opts;
  const captures = createCapturesRepo(db);
  const measurements = createMeasurementsRepo(db);
  const outbox = createOutboxRepo(db);
  const samplesRoot = path.join(dataDir, SAMPLES_DIR);
  const partialRoot = path.join(samplesRoot, PARTIAL_DIR);
  const listeners = new Set<(captureId: string) => void>();
  const open = new Set<string>();

  const toMeasurementRow = (captureId: string, freqHz: number, m: MeasurementParsed, now: string): MeasurementRow => ({
    id: m.id ?? uuidv7(),
    capture_id: captureId,
    timestamp: m.timestamp,
    window_start_sample: m.windowStartSample,
    window_samples: m.windowSamples,
    freq_hz: m.freqHz ?? freqHz,
    snr_db: m.snrDb,
    signal_power_db: m.signalPowerDb,
    noise_power_db: m.noisePowerDb,
    freq_offset_hz: m.freqOffsetHz,
    occupied_bw_hz: m.occupiedBwHz,
    smeter_dbm: m.smeterDbm,
    notes: m.notes,
    created_at: now,
  });

  const parseMeasurements = (rows: readonly MeasurementInput[]): MeasurementParsed[] =>
    rows.map((r) => {
      // The common, well-formed row takes a hand-written check (zod per row costs ~40 % of the
      // insert rate); anything unusual goes through the schema, which stays the contract and
      // produces the error.
      const fast = fastMeasurement(r);
      if (fast) return fast;
      const p = measurementInputSchema.safeParse(r);
      if (!p.success) throw invalidInput('A measurement row', p.error);
      return p.data;
    });

  const notify = (id: string) => {
    for (const l of listeners) {
      try {
        l(id);
      } catch (e) {
        log.warn(`a capture listener failed: ${(e as Error).message}`);
      }
    }
  };

  /** The one transaction that acknowledges a capture. */
  const commit = db.transaction((row: CaptureRow, finish: ReturnType<typeof captureFinishSchema.parse>, ms: MeasurementRow[]) => {
    captures.insert(row);
    finish.segments.forEach((s, seq) =>
      captures.insertSegment({ capture_id: row.id, seq, sample_start: s.sampleStart, sample_count: s.sampleCount, utc: s.utc, gps_unix_ns: s.gpsUnixNs, reason: s.reason }),
    );
    captures.insertStamps(row.id, finish.stamps);
    for (const m of ms) measurements.insert(m);
    outbox.enqueue('capture_object', 's3', row.id);
    outbox.enqueue('capture_rows', 'pg', row.id);
  });

  const addRows = db.transaction((ms: MeasurementRow[], captureId: string) => {
    let n = 0;
    for (const m of ms) n += measurements.insert(m).changes;
    if (n > 0) outbox.requeue('capture_rows', 'pg', captureId);
    return n;
  });

  function beginCapture(startInput: CaptureStart): CaptureWriter {
    const parsed = captureStartSchema.safeParse(startInput);
    if (!parsed.success) throw invalidInput('The capture to start', parsed.error);
    const start = parsed.data;
    const id = start.id ?? uuidv7();
    if (open.has(id) || captures.get(id)) throw new StationError('conflict', `A capture with id ${id} already exists. Start a new capture with a new id.`);
    fs.mkdirSync(partialRoot, { recursive: true });
    assertRoomFor(samplesRoot, start.expectedBytes, opts.diskMarginBytes?.() ?? 512 * 1024 * 1024, opts.freeBytes ?? freeBytes);
    const day = new Date().toISOString().slice(0, 10);
    const rel = path.join(SAMPLES_DIR, day, `${id}.sigmf-data`);
    // Every hash a sample file needs later (SigMF's sha512, the upload's MD5 and sha256) is taken as the bytes pass, once.
    const file = new AppendOnlySampleFile(path.join(partialRoot, `${id}.sigmf-data.part`), path.join(dataDir, rel), { allHashes: true });
    open.add(id);
    const pending: MeasurementParsed[] = [];
    let done = false;
    const fail = (e: unknown): never => {
      // A full disk ends the capture cleanly: nothing half-written stays behind.
      file.abort();
      open.delete(id);
      done = true;
      throw e;
    };
    return {
      id,
      get bytesWritten() {
        return file.byteSize;
      },
      append(bytes) {
        if (done) throw new Error(`capture ${id} is already finalized or aborted`);
        try {
          file.append(bytes);
        } catch (e) {
          fail(e);
        }
      },
      closeSegment() {
        try {
          file.syncInBackground();
        } catch (e) {
          fail(e);
        }
      },
      addMeasurements(rows) {
        pending.push(...parseMeasurements(rows));
      },
      finalize(finishInput) {
        if (done) throw new Error(`capture ${id} is already finalized or aborted`);
        const f = captureFinishSchema.safeParse(finishInput);
        if (!f.success) fail(invalidInput('The capture to finalize', f.error));
        const finish = f.data!;
        let durable;
        try {
          durable = file.finish();
        } catch (e) {
          return fail(e);
        }
        done = true;
        open.delete(id);
        const now = new Date().toISOString();
        const row: CaptureRow = {
          ...startColumns(id, start),
          first_sample_utc: finish.firstSampleUtc,
          first_sample_gps_ns: finish.firstSampleGpsNs,
          sample_count: Math.floor(durable.byteSize / bytesPerSample(start.datatype)),
          byte_size: durable.byteSize,
          file_path: rel.split(path.sep).join('/'),
          sha256: durable.sha256,
          md5: durable.md5,
          status: finish.status,
          message: finish.message,
          samples_deleted_at: null,
          created_at: now,
          recording: 0,
          sha512: durable.sha512,
        };
        const ms = [...pending, ...parseMeasurements(finish.measurements)].map((m) => toMeasurementRow(id, start.freqHz, m, now));
        try {
          commit(row, finish, ms);
        } catch (e) {
          // Not acknowledged: the file must not outlive the failed commit as an orphan.
          fs.rmSync(durable.file, { force: true });
          throw e;
        }
        notify(id);
        return id;
      },
      abort() {
        if (done) return;
        done = true;
        open.delete(id);
        file.abort();
      },
    };
  }

  // Committed captures never change, so their time bases are kept (a few hundred bytes each).
  const timeBases = new Map<string, TimeBase>();
  const timeBaseOf = (c: CaptureRow, segments: readonly SegmentRow[] = captures.segments(c.id)): TimeBase => {
    const hit = timeBases.get(c.id);
    if (hit) return hit;
    const tb = capturedTimeBase(c, segments, captures.stamps(c.id));
    if (c.recording) return tb;
    if (timeBases.size > 2000) timeBases.delete(timeBases.keys().next().value!);
    timeBases.set(c.id, tb);
    return tb;
  };

  const reservations = createReservations({
    db,
    dataDir,
    samplesRoot,
    partialRoot,
    log,
    repos: { captures, measurements, outbox },
    open,
    diskMarginBytes: () => opts.diskMarginBytes?.() ?? 512 * 1024 * 1024,
    freeBytes: opts.freeBytes,
    measurementRows: (captureId, freqHz, rows) => {
      const now = new Date().toISOString();
      return parseMeasurements(rows).map((m) => toMeasurementRow(captureId, freqHz, m, now));
    },
    computedRows: (captureId, freqHz, rows) => {
      const now = new Date().toISOString();
      return rows.map((m) => toMeasurementRow(captureId, freqHz, m, now));
    },
    notify,
    forget: (id) => timeBases.delete(id),
  });

  return {
    beginCapture,
    /** A capture written once by a capture worker: reserved now, committed from the worker's done message. */
    reserveCapture: reservations.reserve,
    /** Commits many reserved captures that ended together (a session's end), without blocking the event loop on the disk. */
    commitReserved: reservations.commitMany,
    /** After a crash, before recording: interrupted reserved captures become partial ones (up to their last durable mark). */
    adoptReserved: reservations.adopt,
    /** What GPS time sample n of a stored capture is, and which samples can be trusted. */
    timeBase: timeBaseOf,
    /** One-shot form for short captures already in memory (imports, tests, benches). */
    writeCapture(start: CaptureStart, bytes: Uint8Array, finish: CaptureFinish): string {
      const w = beginCapture({ ...start, expectedBytes: start.expectedBytes ?? bytes.byteLength });
      w.append(bytes);
      return w.finalize(finish);
    },
    /** Measurements computed after finalize; the capture's rows are queued for sync again. Returns rows added. */
    recordMeasurements(captureId: string, rows: readonly MeasurementInput[]): number {
      const c = captures.get(captureId);
      if (!c) throw new StationError('not_found', `No capture with id ${captureId}: finalize it before recording its measurements.`);
      const now = new Date().toISOString();
      const n = addRows(parseMeasurements(rows).map((m) => toMeasurementRow(captureId, c.freq_hz, m, now)), captureId);
      if (n > 0) notify(captureId);
      return n;
    },
    /**
     * The same for rows this station computed itself (its DSP pool, checked where they entered the
     * process): taken as they are, without a check per row.
     */
    recordComputedMeasurements(captureId: string, rows: readonly ComputedMeasurement[]): number {
      const c = captures.get(captureId);
      if (!c) throw new StationError('not_found', `No capture with id ${captureId}: finalize it before recording its measurements.`);
      const now = new Date().toISOString();
      const n = addRows(rows.map((m) => toMeasurementRow(captureId, c.freq_hz, m, now)), captureId);
      if (n > 0) notify(captureId);
      return n;
    },
    /** Absolute path of a capture's sample file. */
    absolutePath: (rel: string) => path.join(dataDir, rel),
    /** Called after every acknowledged capture (sync wakes up on it). */
    onCommitted(listener: (captureId: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /**
     * At start, before any capture: partial files of a crashed run and final files whose commit never
     * happened were never acknowledged; remove them so they do not fill the disk.
     */
    recoverOrphans(): string[] {
      const removed: string[] = [];
      if (!fs.existsSync(samplesRoot)) return removed;
      const known = new Set(captures.allFilePaths());
      // A reserved capture's files are adopted (adoptReserved), never removed here.
      const reserved = new Set(captures.reserved().map((c) => c.id));
      for (const entry of fs.readdirSync(samplesRoot, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const dir = path.join(samplesRoot, entry.name);
        for (const f of fs.readdirSync(dir)) {
          const rel = `${SAMPLES_DIR}/${entry.name}/${f}`;
          const isPartial = entry.name === PARTIAL_DIR;
          const owner = f.replace(/\.(sigmf-data\.part|journal)$/, '');
          if (isPartial && (open.has(owner) || reserved.has(owner))) continue;
          if (isPartial || (f.endsWith('.sigmf-data') && !known.has(rel)) || f.includes('.tmp-')) {
            fs.rmSync(path.join(dir, f), { force: true });
            removed.push(rel);
          }
        }
        if (removed.length) fsyncDir(dir);
      }
      if (removed.length) log.warn(`removed ${removed.length} sample file(s) of captures that were never committed (interrupted run)`);
      return removed;
    },
    /** Deletes local sample files uploaded more than `days` ago; the rows stay. */
    applyRetention(days: number, nowMs = Date.now()): { deleted: number; freedBytes: number } {
      const cutoff = new Date(nowMs - days * 86_400_000).toISOString();
      let deleted = 0;
      let freedBytes = 0;
      for (const c of captures.syncedBefore(cutoff)) {
        fs.rmSync(path.join(dataDir, c.file_path), { force: true });
        captures.markSamplesDeleted(c.id, new Date(nowMs).toISOString());
        deleted++;
        freedBytes += c.byte_size;
      }
      return { deleted, freedBytes };
    },
    repos: { captures, measurements, outbox },
  };
}
export type CaptureStore = ReturnType<typeof createCaptureStore>;

/** A stored capture's time base: its stamps, its reconnects, and its segments' times for what GPS does not cover. */
export function capturedTimeBase(c: Pick<CaptureRow, 'sample_rate' | 'sample_count' | 'first_sample_utc'>, segments: readonly Pick<SegmentRow, 'sample_start' | 'utc' | 'reason'>[], stamps: readonly GpsStamp[]): TimeBase {
  const hostTimes = (segments.length ? segments : [{ sample_start: 0, utc: c.first_sample_utc, reason: 'start' }]).flatMap((s) => {
    const ns = parseRfc3339Ns(s.utc) ?? (Number.isNaN(Date.parse(s.utc)) ? null : BigInt(Date.parse(s.utc)) * 1_000_000n);
    return ns === null ? [] : [{ sampleStart: s.sample_start, unixNs: ns }];
  });
  return buildTimeBase({
    stamps,
    totalSamples: c.sample_count,
    nominalRateHz: c.sample_rate,
    weekHintUnixMs: Date.parse(c.first_sample_utc),
    restarts: segments.filter((s) => s.reason === 'reconnect').map((s) => s.sample_start),
    hostTimes,
  });
}
