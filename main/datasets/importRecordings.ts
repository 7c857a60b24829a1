/**
 * Import of recordings made elsewhere into the offline capture store: kiwirecorder IQ .wav files
 * (with their `kiwi` GPS chunks), SigMF recordings (.sigmf-meta + .sigmf-data), SigMF archives
 * (.sigmf, a tar) and folders of them. Each recording becomes one capture, committed through the
 * store like a live capture (durable file, rows and outbox in one transaction), so sync takes it on.
 *
 * - Samples are copied byte for byte (streamed, never all in memory for plain files); big-endian
 *   SigMF data is swapped to little-endian and stored as `..._le`.
 * - kiwirecorder: every GPS-stamped data chunk starts a capture segment with its exact GPS time
 *   (reason 'start', 'gps', or 'gap' when the stamp does not continue the previous chunk).
 *   The stamp holds only seconds-of-week: the GPS WEEK is taken from the time in kiwirecorder's file
 *   name (`YYYYMMDDTHHMMSSZ_<Hz>[_<station>]_<mode>.wav`, the host clock at the start of the
 *   recording), else from the file's modification time (right only if the file kept it within
 *   3.5 days of recording: a copied or downloaded file may not, and the report warns). Each later
 *   chunk takes its week from the one before, so long recordings cross week boundaries correctly.
 * - Frequency: the file's own (kiwirecorder name, SigMF core:frequency) wins; opts.freqHz is the
 *   fallback for files that do not say (a warning notes a disagreement); neither = a clear refusal.
 * - Receiver: opts.receiverUrl, else the file's (heimdall:receiver_url of our own SigMF) is matched
 *   by URL; else opts.receiverName (or a name the file gives) is matched by name. An unmatched URL
 *   creates a receiver (kind from the file); an unmatched name creates an INACTIVE receiver with a
 *   placeholder `http://imported.invalid/...` URL to be edited. No hint at all = a clear refusal.
 * - Our own SigMF (sync uploads, capture output) re-imports with its capture id (importing it twice
 *   into one store is refused as already imported), receiver, segments, GPS times and status.
 * - A bad file gets its own error and the others go on; a failure after the capture began aborts it
 *   (no partial sample file stays) and removes a receiver created for it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { bytesPerSample, captureStatuses, type CaptureSegment, type CaptureStatus } from '../../shared/domain/capture';
import { captureModes, type CaptureMode } from '../../shared/domain/monitor';
import { receiverInputSchema, receiverKinds, type Receiver, type ReceiverKind } from '../../shared/domain/receiver';
import { rfc3339FromUnixNs } from '../capture/sigmfRecordingWriter';
import { type Logger } from '../log';
import { gpsToUnixNs } from '../receivers/kiwisdr/gpsTime';
import { normalizeReceiverUrl, type ReceiverRegistry } from '../receivers/registry';
import { type CaptureStore, type CaptureWriter } from '../store/captureStore';
import { readSigmfArchive } from './sigmfArchive';

export interface ImportDeps {
  captures: CaptureStore;
  receivers: ReceiverRegistry;
  log: Logger;
}

export interface ImportOptions {
  /** Dial frequency (Hz) for files that do not say it themselves. */
  freqHz?: number;
  /** The receiver that made the recordings (matched by URL, created when absent). */
  receiverUrl?: string;
  /** Its name (matched by name when no URL is known; names a receiver created by URL). */
  receiverName?: string;
  sessionId?: string | null;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface ImportFileResult {
  /** The path as given (folder members: joined to the folder; archive members: `archive#member`). */
  file: string;
  ok: boolean;
  format?: 'kiwi-wav' | 'sigmf' | 'sigmf-archive';
  captureId?: string;
  receiverId?: string;
  receiverName?: string;
  receiverCreated?: boolean;
  samples?: number;
  sampleRate?: number;
  freqHz?: number;
  datatype?: string;
  firstSampleUtc?: string;
  /** At least one segment carries a GPS time. */
  gpsStamped?: boolean;
  segments?: number;
  status?: CaptureStatus;
  /** Things the operator should know about an imported file (guessed time, cut-off data...). */
  warnings?: string[];
  error?: string;
}

export interface ImportReport {
  files: ImportFileResult[];
  imported: number;
  failed: number;
}

/** Reads bytes of one recording's data: a file (by position) or an archive member in memory. */
interface ByteSource {
  readonly size: number;
  read(pos: number, len: number): Buffer;
  close(): void;
}

interface ReceiverHint {
  url?: string;
  name?: string;
  kind: ReceiverKind;
  lat: number | null;
  lon: number | null;
  alt: number | null;
}

/** A recording checked and understood, ready to be copied into the store. */
interface Prepared {
  format: 'kiwi-wav' | 'sigmf' | 'sigmf-archive';
  datatype: string;
  /** Element size to byte-swap (big-endian source), 0 for none. */
  swap: 0 | 2 | 4 | 8;
  sampleRate: number;
  freqHz: number;
  mode: CaptureMode;
  captureId?: string;
  receiver: ReceiverHint;
  samples: number;
  segments: (CaptureSegment & { sampleCount: number; utc: string; gpsUnixNs: string | null })[];
  status: CaptureStatus;
  warnings: string[];
  source: ByteSource;
  /** Byte ranges of the source holding the samples, in order. */
  ranges: { pos: number; len: number }[];
  bytes: number;
  /** Checked over the source bytes before the capture is committed. */
  digest?: { algorithm: 'sha512' | 'sha256'; hex: string; field: string };
}

const COPY_BLOCK = 4 << 20;
const YIELD_EVERY = 16 << 20;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATATYPE_RE = /^(c|r)(f32|f64|i32|i16|u32|u16|i8|u8)(_le|_be)?$/;
const WHAT_TO_GIVE = 'give kiwirecorder .wav files, SigMF .sigmf-meta files (their .sigmf-data beside them), .sigmf archives, or a folder of them';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Imports each file (or folder of files); never throws for a bad file, reports it instead. */
export async function importRecordingFiles(deps: ImportDeps, files: string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const tasks = expandInputs(files);
  const report: ImportReport = { files: [], imported: 0, failed: 0 };
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    let results: ImportFileResult[];
    if ('error' in task) {
      results = [{ file: task.label, ok: false, error: task.error }];
    } else {
      try {
        results = await importTask(deps, task, opts);
      } catch (e) {
        results = [{ file: task.label, ok: false, error: errorText(e) }];
      }
    }
    for (const r of results) {
      report.files.push(r);
      if (r.ok) {
        report.imported++;
        deps.log.info(`imported ${r.file} as capture ${r.captureId} (${r.samples} samples at ${r.sampleRate} samples/s, ${r.freqHz} Hz, receiver ${r.receiverName})`);
      } else {
        report.failed++;
        deps.log.info(`could not import ${r.file}: ${r.error}`);
      }
    }
    opts.onProgress?.(i + 1, tasks.length, task.label);
    await pause();
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Inputs

type Kind = 'wav' | 'sigmf' | 'archive';
type Task = { label: string; kind: Kind; path: string } | { label: string; error: string };

function kindOf(file: string): Kind | 'data' | null {
  const f = file.toLowerCase();
  if (f.endsWith('.wav')) return 'wav';
  if (f.endsWith('.sigmf-meta')) return 'sigmf';
  if (f.endsWith('.sigmf-data')) return 'data';
  if (f.endsWith('.sigmf')) return 'archive';
  return null;
}

/** Files as given, folders walked (sorted, hidden entries skipped), each recording once. */
function expandInputs(files: string[]): Task[] {
  const tasks: Task[] = [];
  const seen = new Set<string>();
  const visit = (file: string, label: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      tasks.push({ label, error: `there is no such file or folder; ${WHAT_TO_GIVE}` });
      return;
    }
    const real = fs.realpathSync(file);
    if (st.isDirectory()) {
      if (seen.has(real)) return;
      seen.add(real);
      const before = tasks.length;
      const entries = fs.readdirSync(file).filter((n) => !n.startsWith('.')).sort();
      const names = new Set(entries);
      for (const name of entries) {
        const full = path.join(file, name);
        const kind = kindOf(name);
        const isDir = (() => {
          try {
            return fs.statSync(full).isDirectory();
          } catch {
            return false;
          }
        })();
        // A .sigmf-data is imported through its .sigmf-meta; alone, it reports the missing meta.
        if (isDir || (kind && kind !== 'data') || (kind === 'data' && !names.has(name.replace(/\.sigmf-data$/i, '.sigmf-meta')))) visit(full, path.join(label, name), false);
      }
      if (explicit && tasks.length === before) tasks.push({ label, error: `the folder holds no recordings to import; ${WHAT_TO_GIVE}` });
      return;
    }
    const kind = kindOf(file);
    if (!kind) {
      if (explicit) tasks.push({ label, error: `this is not a recording the station imports; ${WHAT_TO_GIVE}` });
      return;
    }
    const target = kind === 'data' ? file.replace(/\.sigmf-data$/i, '.sigmf-meta') : file;
    const key = kind === 'data' ? path.resolve(target) : real;
    if (seen.has(key)) return;
    seen.add(key);
    if (kind === 'data' && fs.existsSync(target)) seen.add(fs.realpathSync(target));
    tasks.push({ label: kind === 'data' ? label.replace(/\.sigmf-data$/i, '.sigmf-meta') : label, kind: kind === 'data' ? 'sigmf' : kind, path: target });
  };
  for (const f of files) visit(f, f, true);
  return tasks;
}

async function importTask(deps: ImportDeps, task: { label: string; kind: Kind; path: string }, opts: ImportOptions): Promise<ImportFileResult[]> {
  if (task.kind === 'wav') {
    const p = prepareKiwiWav(task.path, opts);
    try {
      return [await commit(deps, p, opts, task.label)];
    } finally {
      p.source.close();
    }
  }
  if (task.kind === 'sigmf') {
    const dataFile = task.path.replace(/\.sigmf-meta$/i, '.sigmf-data');
    if (!fs.existsSync(task.path)) throw new Error(`the metadata file ${path.basename(task.path)} is missing beside ${path.basename(dataFile)}; a SigMF recording needs both`);
    const metaText = fs.readFileSync(task.path, 'utf8');
    if (!fs.existsSync(dataFile)) throw new Error(`the data file ${path.basename(dataFile)} is missing beside ${path.basename(task.path)}; a SigMF recording needs both`);
    const source = fileSource(dataFile);
    try {
      const p = prepareSigmf(metaText, source, fs.statSync(dataFile).mtimeMs, 'sigmf', opts);
      return [await commit(deps, p, opts, task.label)];
    } finally {
      source.close();
    }
  }
  let members: Map<string, Buffer>;
  try {
    members = await readSigmfArchive(task.path);
  } catch (e) {
    throw new Error(`this is not a readable SigMF archive (a tar holding <name>/<name>.sigmf-meta and .sigmf-data): ${errorText(e)}`);
  }
  const metas = [...members.keys()].filter((n) => n.toLowerCase().endsWith('.sigmf-meta')).sort();
  if (!metas.length) throw new Error(`the archive holds no .sigmf-meta (members: ${[...members.keys()].join(', ') || 'none'}); is it a SigMF archive?`);
  const mtimeMs = fs.statSync(task.path).mtimeMs;
  const results: ImportFileResult[] = [];
  for (const meta of metas) {
    const label = metas.length === 1 ? task.label : `${task.label}#${meta}`;
    try {
      const dataName = meta.replace(/\.sigmf-meta$/i, '.sigmf-data');
      const data = members.get(dataName);
      if (!data) throw new Error(`the archive has ${meta} but not its data ${dataName}`);
      const p = prepareSigmf(members.get(meta)!.toString('utf8'), bufferSource(data), mtimeMs, 'sigmf-archive', opts);
      results.push(await commit(deps, p, opts, label));
    } catch (e) {
      results.push({ file: label, ok: false, format: 'sigmf-archive', error: errorText(e) });
    }
  }
  return results;
}

function fileSource(file: string): ByteSource {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  return {
    size,
    read(pos, len) {
      const out = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const n = fs.readSync(fd, out, got, len - got, pos + got);
        if (n === 0) throw new Error(`${path.basename(file)} became shorter while it was being imported (at byte ${pos + got} of ${size}); is something still writing it?`);
        got += n;
      }
      return out;
    },
    close: () => fs.closeSync(fd),
  };
}

function bufferSource(b: Buffer): ByteSource {
  return { size: b.length, read: (pos, len) => b.subarray(pos, pos + len), close: () => undefined };
}

// ---------------------------------------------------------------------------------------------
// kiwirecorder WAV

interface KiwiStamp {
  solution: number;
  gpssec: number;
  gpsnsec: number;
}

const KIWI_MODES: Record<string, CaptureMode> = {
  iq: 'iq', usb: 'usb', usn: 'usb', lsb: 'lsb', lsn: 'lsb', am: 'am', amn: 'am', amw: 'am', sam: 'am', sal: 'am', sau: 'am', sas: 'am', qam: 'am', cw: 'cw', cwn: 'cw', nbfm: 'nfm', nnfm: 'nfm', nfm: 'nfm',
};

/** kiwirecorder's own file name: `20261122T104156Z_7100000_iq.wav`, `..._7100000_station_usb.wav`. */
export function parseKiwirecorderName(name: string): { startMs: number; freqHz: number; mode: CaptureMode | null } | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z_(\d+(?:\.\d+)?)(?:_(.+))?\.wav$/i.exec(name);
  if (!m) return null;
  const startMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const freqHz = Math.round(Number(m[7]));
  if (!Number.isFinite(startMs) || !(freqHz > 0)) return null;
  const modeToken = m[8]?.split('_').at(-1)?.toLowerCase();
  return { startMs, freqHz, mode: (modeToken && KIWI_MODES[modeToken]) || null };
}

function prepareKiwiWav(file: string, opts: ImportOptions): Prepared {
  const source = fileSource(file);
  try {
    return prepareKiwiWavFrom(file, source, opts);
  } catch (e) {
    source.close();
    throw e;
  }
}

function prepareKiwiWavFrom(file: string, source: ByteSource, opts: ImportOptions): Prepared {
  const warnings: string[] = [];
  const size = source.size;
  if (size < 12) throw new Error(`the file is only ${size} bytes long: not a WAV file, or cut off`);
  const head = source.read(0, 12);
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error(`this is not a WAV file (no RIFF/WAVE header); ${WHAT_TO_GIVE}`);
  }
  let fmt: { channels: number; rate: number } | null = null;
  const chunks: { pos: number; len: number; stamp: KiwiStamp | null }[] = [];
  let pending: KiwiStamp | null = null;
  let cut = false;
  let off = 12;
  while (off + 8 <= size) {
    const h = source.read(off, 8);
    const id = h.toString('latin1', 0, 4);
    const declared = h.readUInt32LE(4);
    const avail = size - off - 8;
    const len = Math.min(declared, avail);
    if (declared > avail) cut = true;
    if (id === 'fmt ') {
      if (len < 16) throw new Error(`the fmt chunk is cut off (${len} of ${declared} bytes): the file is truncated or damaged`);
      const b = source.read(off + 8, 16);
      const format = b.readUInt16LE(0);
      const channels = b.readUInt16LE(2);
      const rate = b.readUInt32LE(4);
      const bits = b.readUInt16LE(14);
      if ((format !== 1 && format !== 0xfffe) || bits !== 16) throw new Error(`only 16-bit PCM WAV can be imported (this one is format ${format}, ${bits} bits); kiwirecorder writes 16-bit PCM`);
      if (channels !== 1 && channels !== 2) throw new Error(`the WAV has ${channels} channels; kiwirecorder writes 2 (IQ) or 1 (audio)`);
      if (rate === 0) throw new Error('the fmt chunk gives a sample rate of 0: the file is damaged');
      fmt = { channels, rate };
    } else if (id === 'kiwi') {
      if (len >= 10) {
        const b = source.read(off + 8, 10);
        pending = { solution: b[0]!, gpssec: b.readUInt32LE(2), gpsnsec: b.readUInt32LE(6) };
      } else {
        warnings.push(`a kiwi GPS chunk at byte ${off} is only ${len} bytes long (10 expected); it was ignored`);
      }
    } else if (id === 'data') {
      if (!fmt) throw new Error('a data chunk comes before any fmt chunk: the file is damaged (kiwirecorder writes fmt first)');
      const frame = 2 * fmt.channels;
      const whole = len - (len % frame);
      if (len % frame && !cut) warnings.push(`the data chunk at byte ${off} holds ${len} bytes, not whole ${frame}-byte samples; its last ${len % frame} byte(s) were left out`);
      if (whole > 0) chunks.push({ pos: off + 8, len: whole, stamp: pending });
      pending = null;
    }
    if (cut) break;
    off += 8 + declared + (declared % 2);
  }
  if (!cut && off < size && size - off < 8) cut = true;
  if (!fmt) throw new Error('there is no fmt chunk: the file is damaged or not a kiwirecorder WAV (its sample rate and channels are unknown)');
  if (!chunks.length) throw new Error('its data chunks hold no samples: the recording is empty');

  const frame = 2 * fmt.channels;
  const rate = fmt.rate;
  let total = 0;
  const entries = chunks.map((c) => {
    const e = { start: total, stamp: c.stamp };
    total += c.len / frame;
    return e;
  });
  if (cut) warnings.push(`the file ends inside a chunk (cut off, or still being recorded); the ${total} whole samples it holds were imported`);

  const named = parseKiwirecorderName(path.basename(file));
  const mtimeMs = fs.statSync(file).mtimeMs;
  const hintMs = named ? named.startMs : mtimeMs;

  const segments: Prepared['segments'] = [];
  let prevNs: bigint | null = null;
  let prevStart = 0;
  let noClock = 0;
  let invalid = 0;
  for (const e of entries) {
    const s = e.stamp;
    if (!s) continue;
    if (s.solution === 255) {
      noClock++;
      continue;
    }
    if (s.gpssec >= 604_800 || s.gpsnsec >= 1_000_000_000) {
      invalid++;
      continue;
    }
    const spanS = (e.start - prevStart) / rate;
    const refMs = prevNs === null ? hintMs : Number(prevNs / 1_000_000n) + spanS * 1000;
    const ns = gpsToUnixNs(s.gpssec, s.gpsnsec, refMs);
    let reason = segments.length === 0 && e.start === 0 ? 'start' : 'gps';
    if (prevNs !== null) {
      // Within 2 ms + 100 ppm (the WAV's integer rate) of where the samples since the last stamp lead.
      const expected = prevNs + BigInt(Math.round(spanS * 1e9));
      const diff = ns > expected ? ns - expected : expected - ns;
      if (diff > BigInt(Math.round(2e6 + spanS * 1e5))) reason = 'gap';
    }
    segments.push({ sampleStart: e.start, sampleCount: 0, utc: rfc3339FromUnixNs(ns), gpsUnixNs: ns.toString(), reason });
    prevNs = ns;
    prevStart = e.start;
  }
  if (noClock) warnings.push(`${noClock} data chunk(s) say the receiver had no GPS clock (last_gps_solution 255); their stamps were not used`);
  if (invalid) warnings.push(`${invalid} kiwi chunk(s) hold impossible GPS times (seconds of week >= 604800 or ns >= 1e9); they were ignored`);
  if (segments.length && !named) {
    warnings.push('the GPS week was taken from the file modification time (the name is not kiwirecorder\'s YYYYMMDDTHHMMSSZ_<Hz>_<mode>.wav): the times are a whole number of weeks off if the file was copied more than 3.5 days after recording');
  }
  if (segments.length && named) {
    const offS = Number(BigInt(segments[0]!.gpsUnixNs!) / 1_000_000n - BigInt(named.startMs)) / 1000 - segments[0]!.sampleStart / rate;
    if (Math.abs(offS) > 60) warnings.push(`the GPS time of the first sample is ${offS.toFixed(0)} s from the time in the file name; check the receiver's GPS and the computer clock of the recording`);
  }
  if (!segments.length || segments[0]!.sampleStart !== 0) {
    let ns0: bigint;
    if (segments.length) ns0 = BigInt(segments[0]!.gpsUnixNs!) - BigInt(Math.round((segments[0]!.sampleStart / rate) * 1e9));
    else if (named) ns0 = BigInt(named.startMs) * 1_000_000n;
    else ns0 = BigInt(Math.round(mtimeMs - (total / rate) * 1000)) * 1_000_000n;
    if (!segments.length) {
      warnings.push(
        named
          ? 'no GPS time stamps: the first-sample time is the time in the file name (host clock, whole seconds)'
          : 'no GPS time stamps and no kiwirecorder file name: the first-sample time is guessed from the file modification time',
      );
    }
    segments.unshift({ sampleStart: 0, sampleCount: 0, utc: rfc3339FromUnixNs(ns0), gpsUnixNs: null, reason: 'start' });
  }
  fillCounts(segments, total);

  let freqHz = named?.freqHz;
  if (freqHz && opts.freqHz && Math.round(opts.freqHz) !== freqHz) warnings.push(`the frequency ${Math.round(opts.freqHz)} Hz given was not used: the kiwirecorder file name says ${freqHz} Hz`);
  freqHz ??= opts.freqHz !== undefined ? Math.round(opts.freqHz) : undefined;
  if (!freqHz || freqHz <= 0) {
    throw new Error('its frequency is unknown: the file name is not kiwirecorder\'s (YYYYMMDDTHHMMSSZ_<Hz>_<mode>.wav); give the dial frequency in Hz (--freq <Hz>)');
  }
  let mode: CaptureMode;
  if (fmt.channels === 2) mode = 'iq';
  else if (named?.mode && named.mode !== 'iq') mode = named.mode;
  else {
    mode = 'usb';
    warnings.push('mono audio of unknown mode (not in the file name): recorded as usb');
  }
  return {
    format: 'kiwi-wav',
    datatype: fmt.channels === 2 ? 'ci16_le' : 'ri16_le',
    swap: 0,
    sampleRate: rate,
    freqHz,
    mode,
    receiver: { kind: 'kiwisdr', lat: null, lon: null, alt: null },
    samples: total,
    segments,
    status: cut ? 'partial' : 'complete',
    warnings,
    source,
    ranges: chunks.map((c) => ({ pos: c.pos, len: c.len })),
    bytes: total * frame,
  };
}

function fillCounts(segments: Prepared['segments'], total: number): void {
  segments.forEach((s, i) => {
    s.sampleCount = (segments[i + 1]?.sampleStart ?? total) - s.sampleStart;
  });
}

// ---------------------------------------------------------------------------------------------
// SigMF

const sigmfMetaSchema = z.object({
  global: z.object({ 'core:datatype': z.string(), 'core:sample_rate': z.number().positive().optional() }).passthrough(),
  captures: z
    .array(z.object({ 'core:sample_start': z.number().int().nonnegative(), 'core:frequency': z.number().optional(), 'core:datetime': z.string().optional() }).passthrough())
    .default([]),
});

/** RFC 3339 -> Unix ns, keeping every fractional digit; null when it is not a time. */
export function parseRfc3339Ns(s: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]!.replace(/[t ]/, 'T')}${m[3]!.toUpperCase()}`);
  if (Number.isNaN(ms)) return null;
  const frac = BigInt((m[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + frac;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const isMode = (v: unknown): v is CaptureMode => typeof v === 'string' && (captureModes as readonly string[]).includes(v);
const isKind = (v: unknown): v is ReceiverKind => typeof v === 'string' && (receiverKinds as readonly string[]).includes(v);

/** What our own writers put in core:description: the receiver's name, and mode/kind where present. */
function fromHeimdallDescription(d: string | undefined): { name?: string; mode?: CaptureMode; kind?: ReceiverKind } {
  if (!d) return {};
  let m = /^(.+) at \d+(?:\.\d+)? Hz \((\w+)\)$/.exec(d);
  if (m) return { name: m[1], ...(isMode(m[2]) ? { mode: m[2] } : {}) };
  m = /^IQ from (.+) \((\w+)\)$/.exec(d);
  if (m) return { name: m[1], mode: 'iq', ...(isKind(m[2]) ? { kind: m[2] } : {}) };
  m = /^Demodulated (\w+) audio from (.+) \((\w+)\); not IQ$/.exec(d);
  if (m) return { name: m[2], ...(isMode(m[1]) ? { mode: m[1] } : {}), ...(isKind(m[3]) ? { kind: m[3] } : {}) };
  return {};
}

function prepareSigmf(metaText: string, source: ByteSource, mtimeMs: number, format: 'sigmf' | 'sigmf-archive', opts: ImportOptions): Prepared {
  const warnings: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(metaText);
  } catch (e) {
    throw new Error(`the .sigmf-meta is not JSON (${errorText(e)}); is it a SigMF metadata file?`);
  }
  const parsed = sigmfMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`the .sigmf-meta is not SigMF metadata (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  const g = parsed.data.global as Record<string, unknown> & { 'core:datatype': string; 'core:sample_rate'?: number };
  const dt = DATATYPE_RE.exec(g['core:datatype']);
  if (!dt) throw new Error(`its core:datatype ${g['core:datatype']} is not a SigMF datatype (such as ci16_le, cf32_le, ri16_le)`);
  const [, cr, type, endian] = dt as unknown as [string, string, string, string | undefined];
  const rate = g['core:sample_rate'];
  if (!rate) throw new Error('its metadata has no core:sample_rate; a capture needs the exact sample rate');
  const elem = Number(type.slice(1)) / 8;
  const datatype = elem > 1 ? `${cr}${type}_le` : g['core:datatype'];
  const swap = (elem > 1 && endian === '_be' ? elem : 0) as Prepared['swap'];
  const frameBytes = bytesPerSample(datatype);
  const total = Math.floor(source.size / frameBytes);
  if (total === 0) throw new Error(`the data holds no whole sample (${source.size} bytes of ${g['core:datatype']}): the recording is empty`);
  const tail = source.size - total * frameBytes;
  if (tail) warnings.push(`the data ends with ${tail} byte(s) that are not a whole sample (cut off?); they were left out`);

  // Segments: one per SigMF capture, times from heimdall:gps_unix_ns, else core:datetime, else carried on.
  const caps = [...parsed.data.captures].sort((a, b) => a['core:sample_start'] - b['core:sample_start']);
  const segments: Prepared['segments'] = [];
  let prev: { start: number; ns: bigint } | null = null;
  let beyond = 0;
  for (const c of caps) {
    const start = c['core:sample_start'];
    if (start >= total) {
      beyond++;
      continue;
    }
    const gpsRaw = c['heimdall:gps_unix_ns'];
    const gps = typeof gpsRaw === 'string' && /^\d+$/.test(gpsRaw) ? BigInt(gpsRaw) : null;
    let ns = gps;
    if (ns === null && c['core:datetime'] !== undefined) {
      ns = parseRfc3339Ns(c['core:datetime']);
      if (ns === null) throw new Error(`captures[${caps.indexOf(c)}].core:datetime "${c['core:datetime']}" is not an RFC 3339 time`);
    }
    if (ns === null && prev) ns = prev.ns + BigInt(Math.round(((start - prev.start) / rate) * 1e9));
    if (ns === null) continue; // no time yet: the first timed capture is extrapolated back below
    const reason = str(c['heimdall:reason']) ?? (segments.length === 0 && start === 0 ? 'start' : 'segment');
    const seg = { sampleStart: start, sampleCount: 0, utc: rfc3339FromUnixNs(ns), gpsUnixNs: gps === null ? null : gps.toString(), reason };
    // Two captures at one sample: the later one describes it.
    if (segments.at(-1)?.sampleStart === start) segments.pop();
    segments.push(seg);
    prev = { start, ns };
  }
  if (beyond) warnings.push(`${beyond} SigMF capture(s) start beyond the end of the data; they were left out`);
  if (!segments.length || segments[0]!.sampleStart !== 0) {
    let ns0: bigint;
    if (segments.length) {
      ns0 = parseRfc3339Ns(segments[0]!.utc)! - BigInt(Math.round((segments[0]!.sampleStart / rate) * 1e9));
    } else {
      ns0 = BigInt(Math.round(mtimeMs - (total / rate) * 1000)) * 1_000_000n;
      warnings.push('its metadata gives no core:datetime: the first-sample time is guessed from the file modification time');
    }
    segments.unshift({ sampleStart: 0, sampleCount: 0, utc: rfc3339FromUnixNs(ns0), gpsUnixNs: null, reason: 'start' });
  }
  fillCounts(segments, total);

  const freqs = [...new Set(caps.map((c) => c['core:frequency']).filter((f): f is number => typeof f === 'number' && f > 0))];
  let freqHz = freqs[0] !== undefined ? Math.round(freqs[0]) : undefined;
  if (freqs.length > 1) warnings.push(`the SigMF captures are at ${freqs.length} frequencies; the capture is filed under the first, ${freqHz} Hz`);
  if (freqHz && opts.freqHz && Math.round(opts.freqHz) !== freqHz) warnings.push(`the frequency ${Math.round(opts.freqHz)} Hz given was not used: the metadata says ${freqHz} Hz`);
  freqHz ??= opts.freqHz !== undefined ? Math.round(opts.freqHz) : undefined;
  if (!freqHz || freqHz <= 0) throw new Error('its metadata has no core:frequency; give the dial frequency in Hz (--freq <Hz>)');

  const ours = str(g['core:recorder']) === 'heimdall-station';
  const described = ours ? fromHeimdallDescription(str(g['core:description'])) : {};
  const complex = cr === 'c';
  let mode: CaptureMode;
  if (isMode(g['heimdall:mode'])) mode = g['heimdall:mode'];
  else if (described.mode) mode = described.mode;
  else if (complex) mode = 'iq';
  else {
    mode = 'usb';
    warnings.push('real (audio) samples of unknown mode: recorded as usb');
  }
  const hw = str(g['core:hw']) ?? '';
  const kind: ReceiverKind = isKind(g['heimdall:receiver_kind'])
    ? g['heimdall:receiver_kind']
    : (described.kind ?? (/kiwi/i.test(hw) ? 'kiwisdr' : /openwebrx/i.test(hw) ? 'openwebrx' : complex ? 'kiwisdr' : 'openwebrx'));
  const geo = g['core:geolocation'] as { coordinates?: unknown } | undefined;
  const coords = Array.isArray(geo?.coordinates) ? (geo.coordinates as unknown[]) : [];
  const num = (v: unknown, lim: number) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= lim ? v : null);
  const lon = num(coords[0], 180);
  const lat = num(coords[1], 90);
  const alt = lat !== null && lon !== null ? num(coords[2], 9000) : null;
  const url = str(g['heimdall:receiver_url']);
  const name = str(g['heimdall:receiver_name']) ?? described.name;

  let status: CaptureStatus = captureStatuses.includes(g['heimdall:status'] as CaptureStatus) ? (g['heimdall:status'] as CaptureStatus) : 'complete';
  if (g['heimdall:complete'] === false && status === 'complete') {
    status = 'partial';
    warnings.push('the recording was not finished (heimdall:complete is false)');
  }
  if (tail && status === 'complete') status = 'partial';

  const captureId = str(g['heimdall:capture_id']);
  let digest: Prepared['digest'];
  if (!tail) {
    const sha512 = str(g['core:sha512']);
    const sha256 = str(g['heimdall:sha256']);
    if (sha512 && /^[0-9a-f]{128}$/i.test(sha512)) digest = { algorithm: 'sha512', hex: sha512.toLowerCase(), field: 'core:sha512' };
    else if (sha256 && /^[0-9a-f]{64}$/i.test(sha256)) digest = { algorithm: 'sha256', hex: sha256.toLowerCase(), field: 'heimdall:sha256' };
  }
  return {
    format,
    datatype,
    swap,
    sampleRate: rate,
    freqHz,
    mode,
    ...(captureId && UUID_RE.test(captureId) ? { captureId: captureId.toLowerCase() } : {}),
    receiver: { ...(url ? { url } : {}), ...(name ? { name } : {}), kind, lat: lat !== null && lon !== null ? lat : null, lon: lat !== null && lon !== null ? lon : null, alt },
    samples: total,
    segments,
    status,
    warnings,
    source,
    ranges: [{ pos: 0, len: total * frameBytes }],
    bytes: total * frameBytes,
    ...(digest ? { digest } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Receiver and commit

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'receiver'
  );
}

function resolveReceiver(deps: ImportDeps, hint: ReceiverHint, opts: ImportOptions, label: string): { receiver: Receiver; created: boolean } {
  const givenUrl = opts.receiverUrl?.trim() || undefined;
  const url = givenUrl ?? hint.url;
  const name = opts.receiverName?.trim() || hint.name;
  const all = deps.receivers.list();
  const notes = `Created by importing ${path.basename(label)} on ${new Date().toISOString().slice(0, 10)}.`;
  if (url) {
    let normalized: string;
    try {
      normalized = normalizeReceiverUrl(url);
      if (!/^https?:$/.test(new URL(normalized).protocol)) throw new Error('not http');
    } catch {
      throw new Error(`"${url}" is not a receiver web address${givenUrl ? '' : ' (from the file)'}; give one such as http://host:8073/ (--receiver-url)`);
    }
    const found = all.find((r) => r.url === normalized);
    if (found) return { receiver: found, created: false };
    const input = receiverInputSchema.parse({ name: (name ?? new URL(normalized).host).slice(0, 255), kind: hint.kind, url: normalized, lat: hint.lat, lon: hint.lon, alt: hint.alt, notes });
    return { receiver: deps.receivers.create(input), created: true };
  }
  if (name) {
    const found = all.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (found) return { receiver: found, created: false };
    // Its web address is unknown: a placeholder in the reserved .invalid domain, inactive so nothing probes it.
    let placeholder = `http://imported.invalid/${slug(name)}/`;
    for (let i = 2; deps.receivers.hasUrl(placeholder); i++) placeholder = `http://imported.invalid/${slug(name)}-${i}/`;
    const input = receiverInputSchema.parse({
      name: name.slice(0, 255),
      kind: hint.kind,
      url: placeholder,
      lat: hint.lat,
      lon: hint.lon,
      alt: hint.alt,
      active: false,
      notes: `${notes} Its web address is not known: edit the URL.`,
    });
    return { receiver: deps.receivers.create(input), created: true };
  }
  throw new Error('the file does not say which receiver recorded it; give its web address (--receiver-url http://host:8073/) and/or its name (--receiver-name)');
}

/** Gathers pieces into large appends; swaps byte order in whole elements when asked. */
function batchedAppend(writer: CaptureWriter, swap: Prepared['swap']) {
  const buf = Buffer.allocUnsafe(1 << 20); // a multiple of every element size
  let fill = 0;
  const flush = () => {
    const whole = swap ? fill - (fill % swap) : fill;
    if (!whole) return;
    const out = buf.subarray(0, whole);
    if (swap === 2) out.swap16();
    else if (swap === 4) out.swap32();
    else if (swap === 8) out.swap64();
    writer.append(out);
    buf.copy(buf, 0, whole, fill);
    fill -= whole;
  };
  return {
    push(piece: Buffer) {
      let p = piece;
      while (p.length) {
        const n = Math.min(p.length, buf.length - fill);
        p.copy(buf, fill, 0, n);
        fill += n;
        p = p.subarray(n);
        if (fill === buf.length) flush();
      }
    },
    end: flush,
  };
}

async function commit(deps: ImportDeps, p: Prepared, opts: ImportOptions, label: string): Promise<ImportFileResult> {
  if (p.captureId && deps.captures.repos.captures.get(p.captureId)) {
    throw new Error(`already imported: this recording is capture ${p.captureId} in the store`);
  }
  const { receiver, created } = resolveReceiver(deps, p.receiver, opts, label);
  let writer: CaptureWriter | null = null;
  try {
    writer = deps.captures.beginCapture({
      ...(p.captureId ? { id: p.captureId } : {}),
      receiver: {
        id: receiver.id,
        name: receiver.name,
        url: receiver.url,
        lat: p.receiver.lat ?? receiver.lat,
        lon: p.receiver.lon ?? receiver.lon,
        alt: p.receiver.lat !== null ? p.receiver.alt : receiver.alt,
      },
      sessionId: opts.sessionId ?? null,
      freqHz: p.freqHz,
      mode: p.mode,
      sampleRate: p.sampleRate,
      datatype: p.datatype,
      expectedBytes: p.bytes,
    });
    const hash = p.digest ? createHash(p.digest.algorithm) : null;
    const out = batchedAppend(writer, p.swap);
    let window: Buffer = Buffer.alloc(0);
    let windowPos = 0;
    let sinceYield = 0;
    for (const r of p.ranges) {
      let pos = r.pos;
      const end = r.pos + r.len;
      while (pos < end) {
        if (pos < windowPos || pos >= windowPos + window.length) {
          window = p.source.read(pos, Math.min(COPY_BLOCK, p.source.size - pos));
          windowPos = pos;
        }
        const n = Math.min(end - pos, windowPos + window.length - pos);
        const piece = window.subarray(pos - windowPos, pos - windowPos + n);
        hash?.update(piece);
        out.push(piece);
        pos += n;
        sinceYield += n;
        if (sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await pause(); // a large file must not stall the station's event loop
        }
      }
    }
    out.end();
    if (hash && p.digest) {
      const got = hash.digest('hex');
      if (got !== p.digest.hex) throw new Error(`the data does not match its ${p.digest.field} (${p.digest.hex.slice(0, 12)}..., the data hashes to ${got.slice(0, 12)}...): it is damaged or was changed`);
    }
    const first = p.segments[0]!;
    const captureId = writer.finalize({
      firstSampleUtc: first.utc,
      firstSampleGpsNs: first.gpsUnixNs,
      status: p.status,
      message: p.warnings.join(' '),
      segments: p.segments,
    });
    return {
      file: label,
      ok: true,
      format: p.format,
      captureId,
      receiverId: receiver.id,
      receiverName: receiver.name,
      receiverCreated: created,
      samples: p.samples,
      sampleRate: p.sampleRate,
      freqHz: p.freqHz,
      datatype: p.datatype,
      firstSampleUtc: first.utc,
      gpsStamped: p.segments.some((s) => s.gpsUnixNs !== null),
      segments: p.segments.length,
      status: p.status,
      ...(p.warnings.length ? { warnings: p.warnings } : {}),
    };
  } catch (e) {
    writer?.abort();
    if (created) {
      try {
        deps.receivers.delete(receiver.id);
      } catch {
        // the receiver stays; the error below is what matters
      }
    }
    throw e;
  }
}
