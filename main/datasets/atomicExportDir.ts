import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { StationError } from '../../shared/errors';
import { bytesPerSample } from '../../shared/domain/capture';
import { fsyncDir } from '../samples/durableFile';
import { type ExportFormat, type ExportOptions, type ExportPlan, type ExportProgress, type ExportResult, type ExportSample } from './exportModel';
import { offThreadHash, type OffThreadHash } from './offThreadHash';
import { readRangeReusing } from './rangeReader';

/**
 * The plumbing every dataset writer shares:
 * - an export folder that appears whole or not at all (written as `<outDir>.partial-<random>`, every
 *   file and folder fsynced, then renamed; removed again on failure or cancel),
 * - progress in samples and bytes, with cancellation checked between chunks,
 * - streamed reads of a sample's byte range of its capture file (never a whole file in memory),
 * - the checks on a plan that every format needs (safe, unique names; files present and long enough).
 */

export type ExportFileRecord = ExportResult['files'][number];

export function cancelledError(what = 'The export'): StationError {
  return new StationError('cancelled', `${what} was cancelled; nothing was left at the destination.`);
}

/** Turns the disk's errors into ones the operator can act on. */
function exportDiskError(e: unknown, target: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StationError('disk_full', `The disk holding ${path.dirname(target)} filled up during the export, so it was stopped and its partial files removed. Free space or choose a folder on another disk, then export again.`);
  }
  if (code === 'EEXIST' || code === 'ENOTEMPTY') {
    return new StationError('conflict', `${target} appeared while the export was being written (another export to the same folder?). Choose a new folder name, then export again.`);
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new StationError('unavailable', `${target} cannot be written (${code}). Choose a folder you can write to, then export again.`);
  }
  return e;
}

/** Counts samples and bytes, reports them, and stops the export when its signal is aborted. */
export class ExportProgressReporter {
  private doneSamples = 0;
  private doneBytes = 0;
  private phase: ExportProgress['phase'] = 'writing';

  constructor(
    readonly format: ExportFormat,
    readonly totalSamples: number,
    readonly totalBytes: number,
    private readonly opts: ExportOptions = {},
  ) {}

  /** Throws StationError('cancelled') once the caller aborted. */
  check(): void {
    if (this.opts.signal?.aborted) throw cancelledError();
  }

  addBytes(n: number): void {
    this.doneBytes += n;
    this.emit();
  }

  sampleDone(n = 1): void {
    this.doneSamples += n;
    this.emit();
  }

  setPhase(phase: ExportProgress['phase']): void {
    this.phase = phase;
    if (phase === 'done') {
      this.doneSamples = this.totalSamples;
      this.doneBytes = this.totalBytes;
    }
    this.emit(phase !== 'done');
  }

  private emit(check = true): void {
    if (check) this.check();
    this.opts.onProgress?.({
      format: this.format,
      phase: this.phase,
      doneSamples: this.doneSamples,
      totalSamples: this.totalSamples,
      doneBytes: Math.min(this.doneBytes, this.totalBytes),
      totalBytes: this.totalBytes,
    });
    if (check) this.check();
  }
}

/**
 * Bytes written between early flushes: the disk writes them back while the next bytes are made,
 * instead of all at once in the fsync on close (a large file's fsync otherwise leaves the CPU idle
 * as long as the writing left the disk idle).
 */
const EARLY_FLUSH_BYTES = 8 << 20;

/**
 * A file written, fsynced on close, and (when the export will be uploaded) hashed with sha256 for the
 * export's file list in a worker thread while the next bytes are made. Writes are serialised.
 */
export class HashedFileWriter {
  private readonly hash: OffThreadHash | null;
  private bytes = 0;
  private unflushed = 0;
  /** The early flush in flight, if any (its error is kept for close()). */
  private flushing: Promise<unknown> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly absPath: string,
    readonly relPath: string,
    private readonly fh: fsp.FileHandle,
    private readonly onClose: (r: ExportFileRecord) => void,
    hashed: boolean,
  ) {
    this.hash = hashed ? offThreadHash('sha256') : null;
  }

  static async open(absPath: string, relPath: string, hashed: boolean, onClose: (r: ExportFileRecord) => void): Promise<HashedFileWriter> {
    try {
      return new HashedFileWriter(absPath, relPath, await fsp.open(absPath, 'wx', 0o644), onClose, hashed);
    } catch (e) {
      throw exportDiskError(e, absPath);
    }
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.relPath} is already closed`));
    const op = this.tail.then(async () => {
      let off = 0;
      while (off < chunk.byteLength) {
        try {
          off += (await this.fh.write(chunk, off, chunk.byteLength - off)).bytesWritten;
        } catch (e) {
          throw exportDiskError(e, this.absPath);
        }
      }
      await this.hash?.update(chunk);
      this.bytes += chunk.byteLength;
      this.unflushed += chunk.byteLength;
      if (this.unflushed >= EARLY_FLUSH_BYTES && !this.flushing) {
        this.unflushed = 0;
        this.flushing = this.fh.datasync().then(
          () => (this.flushing = null),
          (e: unknown) => e,
        );
      }
    });
    this.tail = op.catch(() => undefined);
    return op;
  }

  /** A Writable for stream pipelines (the tar packer); closing stays with the owner. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.write(chunk).then(() => cb(), cb);
      },
    });
  }

  /** fsync + close; records the file in the export's list. */
  async close(): Promise<ExportFileRecord> {
    await this.tail;
    this.closed = true;
    try {
      const early = await this.flushing;
      if (early instanceof Error) throw early;
      await this.fh.sync();
    } catch (e) {
      await this.fh.close().catch(() => undefined);
      throw exportDiskError(e, this.absPath);
    }
    await this.fh.close();
    const rec = { path: this.relPath, bytes: this.bytes, sha256: this.hash ? await this.hash.digest() : null };
    this.onClose(rec);
    return rec;
  }

  /** Closes without recording (the temp folder is about to be removed). */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.flushing; // never rejects: its error is its value
    await this.fh.close().catch(() => undefined);
    await this.hash?.digest().catch(() => undefined);
  }
}

/** The export folder under construction. Paths are relative, with '/' separators. */
export class ExportDir {
  readonly files: ExportFileRecord[] = [];
  private readonly dirs = new Set<string>();
  private readonly open = new Set<HashedFileWriter>();

  constructor(
    readonly tmpDir: string,
    private readonly fileHashes: boolean,
  ) {}

  private resolve(rel: string): string {
    const parts = rel.split('/');
    if (!rel || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
      throw new StationError('internal', `The export tried to write outside its folder (${rel}).`);
    }
    return path.join(this.tmpDir, ...parts);
  }

  async mkdir(rel: string): Promise<void> {
    const abs = this.resolve(rel);
    try {
      await fsp.mkdir(abs, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw exportDiskError(e, abs);
    }
    this.dirs.add(abs);
  }

  async createFile(rel: string): Promise<HashedFileWriter> {
    const abs = this.resolve(rel);
    const w = await HashedFileWriter.open(abs, rel, this.fileHashes, (r) => {
      this.files.push(r);
      this.open.delete(w);
    });
    this.open.add(w);
    return w;
  }

  async writeFile(rel: string, data: string | Uint8Array): Promise<ExportFileRecord> {
    const w = await this.createFile(rel);
    try {
      await w.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      return await w.close();
    } catch (e) {
      await w.discard();
      throw e;
    }
  }

  /** fsync every folder written, deepest first, then the root. */
  syncDirs(): void {
    for (const d of [...this.dirs].sort((a, b) => b.length - a.length)) fsyncDir(d);
    fsyncDir(this.tmpDir);
  }

  async discardOpen(): Promise<void> {
    await Promise.all([...this.open].map((w) => w.discard()));
    this.open.clear();
  }
}

function isNonEmptyDir(p: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (!st.isDirectory()) {
    throw new StationError('conflict', `${p} already exists and is a file, not a folder. Choose another export folder, or move that file away, then export again.`);
  }
  return fs.readdirSync(p).length > 0;
}

function refuseExisting(outDir: string): void {
  if (isNonEmptyDir(outDir)) {
    throw new StationError(
      'conflict',
      `The export folder ${outDir} already exists and is not empty, and an export never overwrites files. Choose a new folder name, or delete or move the old export first, then export again.`,
    );
  }
}

/**
 * Runs `write` into `<outDir>.partial-<random>` and renames that to outDir only when it succeeded:
 * on any error or cancel the partial folder is removed, so the destination holds a whole export or nothing.
 * An existing non-empty outDir is refused before anything is written. Returns the files written
 * (sorted by path) and the number of samples `write` reports.
 */
export async function runAtomicExport(
  format: ExportFormat,
  outDir: string,
  opts: ExportOptions | undefined,
  totals: { samples: number; bytes: number },
  write: (dir: ExportDir, progress: ExportProgressReporter) => Promise<number>,
): Promise<ExportResult> {
  const progress = new ExportProgressReporter(format, totals.samples, totals.bytes, opts);
  progress.check();
  const finalDir = path.resolve(outDir);
  refuseExisting(finalDir);
  const parent = path.dirname(finalDir);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw exportDiskError(e, finalDir);
  }
  const tmpDir = `${finalDir}.partial-${randomBytes(6).toString('hex')}`;
  try {
    fs.mkdirSync(tmpDir, { mode: 0o755 });
  } catch (e) {
    throw exportDiskError(e, tmpDir);
  }
  const dir = new ExportDir(tmpDir, opts?.fileHashes === true);
  try {
    progress.setPhase('writing');
    const samples = await write(dir, progress);
    progress.setPhase('committing');
    dir.syncDirs();
    progress.check();
    refuseExisting(finalDir); // someone may have made it meanwhile
    if (fs.existsSync(finalDir)) fs.rmdirSync(finalDir); // empty: rename cannot replace it everywhere
    fs.renameSync(tmpDir, finalDir);
    fsyncDir(parent);
    progress.setPhase('done');
    return { format, outDir: finalDir, files: [...dir.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), samples };
  } catch (e) {
    await dir.discardOpen().catch(() => undefined);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw exportDiskError(e, finalDir);
  }
}

// ---------------------------------------------------------------------------------------------
// Sample byte ranges

export interface SampleRange {
  file: string;
  start: number;
  length: number;
}

export function sampleByteRange(s: ExportSample): SampleRange {
  const bps = bytesPerSample(s.datatype);
  return { file: s.dataFile, start: s.fileSampleStart * bps, length: s.sampleCount * bps };
}

/** Key of a byte range in `ExportOptions.sha512Cache`. */
export function rangeKey(r: SampleRange): string {
  return `${r.file}\u0000${r.start}\u0000${r.length}`;
}

/** sha512 (hex) of a sample's bytes, from the cache when an earlier writer of the same job computed it. */
export async function sampleSha512(s: ExportSample, progress: ExportProgressReporter | null, opts: ExportOptions | undefined): Promise<string> {
  const r = sampleByteRange(s);
  const cached = opts?.sha512Cache?.get(rangeKey(r));
  if (cached) return cached;
  // On this thread: nothing else to overlap with here, so a hashing thread would only add the copies.
  const h = createHash('sha512');
  for await (const c of readRangeReusing(r, progress)) h.update(c);
  const hex = h.digest('hex');
  opts?.sha512Cache?.set(rangeKey(r), hex);
  return hex;
}

export function isSha512Cached(s: ExportSample, opts: ExportOptions | undefined): boolean {
  return opts?.sha512Cache?.has(rangeKey(sampleByteRange(s))) ?? false;
}

// ---------------------------------------------------------------------------------------------
// Plan checks shared by the writers

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const SIGMF_DATATYPE = /^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?$/;

/** The order every writer uses: by acquisition, then receiver name (the npy row order). */
export function compareSamples(a: ExportSample, b: ExportSample): number {
  const keys: [string, string][] = [
    [a.acquisitionId, b.acquisitionId],
    [a.receiver.name, b.receiver.name],
    [a.receiver.id, b.receiver.id],
    [a.sampleId, b.sampleId],
  ];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** Samples grouped by acquisition, both in the writers' order. */
export function groupByAcquisition(samples: readonly ExportSample[]): { acquisitionId: string; samples: ExportSample[] }[] {
  const groups = new Map<string, ExportSample[]>();
  for (const s of [...samples].sort(compareSamples)) {
    const g = groups.get(s.acquisitionId);
    if (g) g.push(s);
    else groups.set(s.acquisitionId, [s]);
  }
  return [...groups].map(([acquisitionId, list]) => ({ acquisitionId, samples: list }));
}

/**
 * Refuses a plan a writer cannot turn into a correct export: unsafe or duplicate names, bad numbers,
 * unknown datatypes, an acquisition spread over sessions or splits, and sample files that are missing
 * or shorter than the range asked for.
 */
export function checkPlan(plan: ExportPlan): void {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const acq = new Map<string, ExportSample>();
  plan.samples.forEach((s, i) => {
    const at = (f: string) => `samples.${i}.${f}`;
    if (!SAFE_NAME.test(s.sampleId)) issues.push({ path: at('sampleId'), message: `"${s.sampleId}" is not a safe file name (letters, digits, '.', '_', '-'; up to 200)` });
    else if (seen.has(s.sampleId)) issues.push({ path: at('sampleId'), message: `"${s.sampleId}" appears twice` });
    seen.add(s.sampleId);
    if (!SAFE_NAME.test(s.acquisitionId)) issues.push({ path: at('acquisitionId'), message: `"${s.acquisitionId}" is not a safe file name` });
    if (!SIGMF_DATATYPE.test(s.datatype) || (!/8$/.test(s.datatype) && !/_(le|be)$/.test(s.datatype))) {
      issues.push({ path: at('datatype'), message: `"${s.datatype}" is not a SigMF datatype this export can describe` });
    }
    if (!Number.isSafeInteger(s.fileSampleStart) || s.fileSampleStart < 0) issues.push({ path: at('fileSampleStart'), message: 'must be a whole number >= 0' });
    if (!Number.isSafeInteger(s.sampleCount) || s.sampleCount < 0) issues.push({ path: at('sampleCount'), message: 'must be a whole number >= 0' });
    if (!(Number.isFinite(s.sampleRate) && s.sampleRate > 0)) issues.push({ path: at('sampleRate'), message: 'must be > 0' });
    if (!Number.isFinite(s.freqHz)) issues.push({ path: at('freqHz'), message: 'must be a number' });
    const first = acq.get(s.acquisitionId);
    if (!first) acq.set(s.acquisitionId, s);
    else if (first.sessionId !== s.sessionId || first.split !== s.split) {
      issues.push({ path: at('split'), message: `acquisition ${s.acquisitionId} mixes sessions or splits (${first.sessionId}/${first.split} and ${s.sessionId}/${s.split}); one session must stay in one split` });
    }
  });
  if (issues.length) {
    throw new StationError('invalid_input', `The dataset plan cannot be exported (${issues.map((x) => `${x.path}: ${x.message}`).join('; ')}). Rebuild the dataset and try again.`, issues);
  }
  for (const s of plan.samples) {
    const r = sampleByteRange(s);
    let size: number;
    try {
      size = fs.statSync(s.dataFile).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StationError('not_found', `The samples of ${s.receiver.name} in session "${s.sessionName}" (${s.dataFile}) are gone, perhaps removed by the sample retention after sync. Leave that capture out of the dataset, then export again.`);
      }
      throw e;
    }
    if (size < r.start + r.length) {
      throw new StationError(
        'conflict',
        `${s.dataFile} (${s.receiver.name}, session "${s.sessionName}") holds ${Math.floor(size / Math.max(1, bytesPerSample(s.datatype)))} samples, but the export needs samples ${s.fileSampleStart} to ${s.fileSampleStart + s.sampleCount}: the file is truncated. Leave that capture out of the dataset, then export again.`,
      );
    }
  }
}

/** Little-endian host: typed arrays can be written as-is into little-endian files. */
export const hostIsLittleEndian = os.endianness() === 'LE';
