/**
 * Import of recordings made elsewhere (kiwirecorder IQ .wav files with their `kiwi` GPS chunks,
 * SigMF recordings and archives, folders of them) into the offline store, each as a capture with its
 * GPS stamps, committed like a live capture so sync takes it on. Files recorded at the same moment on
 * the same frequency become one acquisition: a session in review holding their captures, so they are
 * reviewed, located and exported like a recorded session.
 *
 * What a file does not say, the operator gives (a flag wins over the file for the receiver; the
 * file's own frequency wins over --freq, with a warning). The receiver is matched or created from the
 * station in a kiwirecorder name (position and address from `<station>.txt` or `gnss_pos/<station>.txt`
 * beside the file) or our SigMF's receiver fields. A bad file gets its own error and the others go on.
 */
import { type CaptureStatus, type MeasurementInput } from '../../shared/domain/capture';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type Receiver } from '../../shared/domain/receiver';
import { type DspPool } from '../dsp/pool';
import { type Logger } from '../base/log';
import { importOrigin, matchOrCreateReceiver } from '../receivers/matchOrCreate';
import { type ReceiverRegistry } from '../receivers/registry';
import { openRecordings } from '../recordings/openRecording';
import { readRecordingSamples, recordingTimeBase, type RecordingFile } from '../recordings/recordingFile';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { type TimeBase } from '../recordings/timeBase';
import { type CaptureStore } from '../store/captureStore';
import { commitRecording } from './commitRecording';
import { expandInputs } from './importInputs';

/** What import needs of the session service to file an acquisition. */
export interface AcquisitionSink {
  beginImport(input: { name: string; freqHz: number; mode: CaptureMode; receivers: Receiver[]; sourceId: string | null; notes: string | null }): string;
  finishImport(id: string, times: { startMs: number; endMs: number; commonStartMs: number; commonEndMs: number }): void;
  discardImport(id: string): void;
}

export interface ImportDeps {
  captures: CaptureStore;
  receivers: ReceiverRegistry;
  log: Logger;
  /** Files an acquisition as a session in review; without it, captures are imported alone. */
  sessions?: AcquisitionSink;
  /** Measures each imported IQ capture in 0.5 s windows (the review's SNR, level and offset). */
  pool?: () => DspPool;
}

export interface ImportOptions {
  /** Dial frequency (Hz) for files that do not say it themselves. */
  freqHz?: number;
  /** The receiver that made the recordings (matched by URL, created when absent). */
  receiverUrl?: string;
  /** Its name (matched by name when no URL is known; names a receiver created by URL). */
  receiverName?: string;
  /** The known transmitter the acquisitions heard (ground truth). */
  sourceId?: string | null;
  /** File recordings of the same moment as acquisitions (sessions in review); default true. */
  acquisitions?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface ImportFileResult {
  file: string;
  ok: boolean;
  format?: RecordingFile['format'];
  captureId?: string;
  receiverId?: string;
  receiverName?: string;
  receiverCreated?: boolean;
  /** Where the receiver's position came from (a kiwirecorder position file). */
  positionFile?: string;
  samples?: number;
  sampleRate?: number;
  freqHz?: number;
  datatype?: string;
  firstSampleUtc?: string;
  /** A fresh GPS fix times the samples. */
  gpsStamped?: boolean;
  gpsRateHz?: number;
  stampsRejected?: number;
  segments?: number;
  status?: CaptureStatus;
  sessionId?: string;
  warnings?: string[];
  error?: string;
}

export interface ImportedAcquisition {
  sessionId: string;
  name: string;
  freqHz: number;
  startUtc: string;
  captures: number;
  receivers: string[];
}

export interface ImportReport {
  files: ImportFileResult[];
  acquisitions: ImportedAcquisition[];
  imported: number;
  failed: number;
}

const WINDOW_SEC = 0.5;
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Opened {
  r: RecordingFile;
  tb: TimeBase;
  freqHz: number;
  startNs: bigint;
  endNs: bigint;
}

function understand(r: RecordingFile, opts: ImportOptions): Opened {
  const tb = recordingTimeBase(r);
  let freqHz = r.freqHz ?? undefined;
  if (freqHz && opts.freqHz && Math.round(opts.freqHz) !== freqHz) r.warnings.push(`the frequency ${Math.round(opts.freqHz)} Hz given was not used: the ${r.format === 'kiwi-wav' ? 'kiwirecorder file name' : 'metadata'} says ${freqHz} Hz`);
  freqHz ??= opts.freqHz !== undefined ? Math.round(opts.freqHz) : undefined;
  if (!freqHz || freqHz <= 0) {
    throw new Error(
      r.format === 'kiwi-wav'
        ? "its frequency is unknown: the file name is not kiwirecorder's (YYYYMMDDTHHMMSSZ_<Hz>_<station>_<mode>.wav); give the dial frequency in Hz (--freq <Hz>)"
        : 'its metadata has no core:frequency; give the dial frequency in Hz (--freq <Hz>)',
    );
  }
  for (const reason of tb.summary.reasons) if (r.stamps.length) r.warnings.push(`time: ${reason}`);
  if (r.kiwirecorder && tb.summary.source === 'gps') {
    const offS = Number(tb.gpsNsAt(0)! / 1_000_000n - BigInt(r.kiwirecorder.startMs)) / 1000;
    if (Math.abs(offS) > 60) r.warnings.push(`the GPS time of the first sample is ${offS.toFixed(0)} s from the time in the file name; check the receiver's GPS and the computer clock of the recording`);
  }
  return { r, tb, freqHz, startNs: tb.unixNsAt(0), endNs: tb.unixNsAt(r.totalSamples) };
}

/** Recordings of one moment: same dial frequency, time spans overlapping by half the shorter one. */
function groupAcquisitions(files: Opened[]): Opened[][] {
  const groups: Opened[][] = [];
  for (const f of [...files].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0))) {
    const g = groups.find((x) => {
      if (x[0]!.freqHz !== f.freqHz) return false;
      const start = x.reduce((m, y) => (y.startNs > m ? y.startNs : m), f.startNs);
      const end = x.reduce((m, y) => (y.endNs < m ? y.endNs : m), f.endNs);
      const shortest = [...x, f].reduce((m, y) => Math.min(m, Number(y.endNs - y.startNs)), Infinity);
      return Number(end - start) >= shortest / 2;
    });
    if (g) g.push(f);
    else groups.push([f]);
  }
  return groups;
}

async function measure(deps: ImportDeps, captureId: string, o: Opened): Promise<void> {
  if (!deps.pool || !o.r.complex) return;
  const pool = deps.pool();
  const rate = o.tb.rateHz;
  const win = Math.round(rate * WINDOW_SEC);
  const rows: MeasurementInput[] = [];
  for (let start = 0; start + win <= o.r.totalSamples; start += win) {
    const a = await pool.analyzeIq(readRecordingSamples(o.r, start, win), rate);
    rows.push({
      timestamp: rfc3339FromUnixNs(o.tb.unixNsAt(start)),
      windowStartSample: start,
      windowSamples: win,
      freqHz: o.freqHz,
      snrDb: a.metrics.snrDb,
      signalPowerDb: a.metrics.signalPowerDb,
      noisePowerDb: a.metrics.noisePowerDb,
      freqOffsetHz: a.metrics.peakOffsetHz,
      occupiedBwHz: a.metrics.occupiedBandwidthHz,
    });
  }
  if (rows.length) deps.captures.recordMeasurements(captureId, rows);
}

const MHz = (hz: number) => `${(hz / 1e6).toFixed(hz % 1000 ? 6 : 3).replace(/\.?0+$/, '')} MHz`;

/** Imports each file (or folder of files); never throws for a bad file, reports it instead. */
export async function importRecordingFiles(deps: ImportDeps, files: string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const inputs = expandInputs(files);
  const report: ImportReport = { files: [], acquisitions: [], imported: 0, failed: 0 };
  const opened: Opened[] = [];
  // Results are reported in the order the files were given (a folder's in name order).
  const order = new Map<string, number>();
  const seen = (label: string) => {
    if (!order.has(label)) order.set(label, order.size);
  };
  const fail = (file: string, error: string, format?: RecordingFile['format']) => {
    seen(file);
    report.files.push({ file, ok: false, ...(format ? { format } : {}), error });
    report.failed++;
    deps.log.info(`could not import ${file}: ${error}`);
  };
  try {
    for (const input of inputs) {
      if ('error' in input) {
        fail(input.label, input.error);
        continue;
      }
      try {
        seen(input.label);
        for (const r of await openRecordings(input.path, input.label)) {
          seen(r.label);
          if ('error' in r) fail(r.label, r.error, 'sigmf-archive');
          else {
            try {
              opened.push(understand(r, opts));
            } catch (e) {
              r.source.close();
              fail(r.label, errorText(e), r.format);
            }
          }
        }
      } catch (e) {
        fail(input.label, errorText(e));
      }
    }
    const groups = opts.acquisitions === false || !deps.sessions ? opened.map((o) => [o]) : groupAcquisitions(opened);
    let done = 0;
    for (const group of groups) {
      // Receivers first: a group whose files name no receiver fails before a session is made for it.
      const resolved: { o: Opened; receiver: Receiver; created: boolean }[] = [];
      for (const o of group) {
        try {
          const hint = o.r.receiver;
          const who = { url: opts.receiverUrl?.trim() || hint.url, name: opts.receiverName?.trim() || hint.name, kind: hint.kind, lat: hint.lat, lon: hint.lon, alt: hint.alt, origin: importOrigin(o.r.label) };
          const m = matchOrCreateReceiver(deps.receivers, who, !!opts.receiverUrl);
          resolved.push({ o, ...m });
        } catch (e) {
          fail(o.r.label, errorText(e), o.r.format);
        }
      }
      const asAcquisition = deps.sessions && opts.acquisitions !== false && resolved.length > 0;
      const first = resolved[0]?.o;
      const sessionId = asAcquisition && first
        ? deps.sessions!.beginImport({
            name: `Import ${rfc3339FromUnixNs(first.startNs).slice(0, 19).replace('T', ' ')} UTC, ${MHz(first.freqHz)} (${resolved.length} recording${resolved.length === 1 ? '' : 's'})`,
            freqHz: first.freqHz,
            mode: first.r.mode ?? 'iq',
            receivers: resolved.map((x) => x.receiver),
            sourceId: opts.sourceId ?? null,
            notes: `Imported from ${resolved.map((x) => x.o.r.label).join(', ')}`,
          })
        : null;
      const committed: Opened[] = [];
      for (const { o, receiver, created } of resolved) {
        try {
          const c = await commitRecording(deps.captures, o.r, o.tb, { receiver, freqHz: o.freqHz, sessionId });
          await measure(deps, c.captureId, o).catch((e: Error) => o.r.warnings.push(`its measurement windows could not be computed (${e.message}); review shows no SNR for it`));
          committed.push(o);
          report.imported++;
          const res: ImportFileResult = {
            file: o.r.label,
            ok: true,
            format: o.r.format,
            captureId: c.captureId,
            receiverId: receiver.id,
            receiverName: receiver.name,
            receiverCreated: created,
            ...(o.r.receiver.positionFile ? { positionFile: o.r.receiver.positionFile } : {}),
            samples: o.r.totalSamples,
            sampleRate: deps.captures.repos.captures.get(c.captureId)!.sample_rate,
            freqHz: o.freqHz,
            datatype: o.r.datatype,
            firstSampleUtc: c.firstSampleUtc,
            gpsStamped: c.gpsStamped,
            ...(o.tb.summary.rateSource === 'gps-anchors' ? { gpsRateHz: o.tb.rateHz } : {}),
            stampsRejected: o.tb.summary.rejected,
            segments: c.segments,
            status: o.r.status,
            ...(sessionId ? { sessionId } : {}),
            ...(o.r.warnings.length ? { warnings: o.r.warnings } : {}),
          };
          report.files.push(res);
          deps.log.info(`imported ${o.r.label} as capture ${c.captureId} (${o.r.totalSamples} samples, ${o.freqHz} Hz, receiver ${receiver.name})`);
        } catch (e) {
          if (created) {
            try {
              deps.receivers.delete(receiver.id);
            } catch {
              // the receiver stays; the error below is what matters
            }
          }
          fail(o.r.label, errorText(e), o.r.format);
        }
        opts.onProgress?.(++done, opened.length, o.r.label);
        await pause();
      }
      if (sessionId) {
        if (!committed.length) {
          deps.sessions!.discardImport(sessionId);
          continue;
        }
        const ms = (ns: bigint) => Number(ns / 1_000_000n);
        const startNs = committed.reduce((m, o) => (o.startNs < m ? o.startNs : m), committed[0]!.startNs);
        const endNs = committed.reduce((m, o) => (o.endNs > m ? o.endNs : m), committed[0]!.endNs);
        const commonStart = committed.reduce((m, o) => (o.startNs > m ? o.startNs : m), committed[0]!.startNs);
        const commonEnd = committed.reduce((m, o) => (o.endNs < m ? o.endNs : m), committed[0]!.endNs);
        deps.sessions!.finishImport(sessionId, { startMs: ms(startNs), endMs: ms(endNs), commonStartMs: ms(commonStart), commonEndMs: Math.max(ms(commonStart) + 1, ms(commonEnd)) });
        report.acquisitions.push({
          sessionId,
          name: `${MHz(committed[0]!.freqHz)} at ${rfc3339FromUnixNs(startNs)}`,
          freqHz: committed[0]!.freqHz,
          startUtc: rfc3339FromUnixNs(startNs),
          captures: committed.length,
          receivers: resolved.filter((x) => committed.includes(x.o)).map((x) => x.receiver.name),
        });
      }
    }
  } finally {
    for (const o of opened) o.r.source.close();
  }
  report.files.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return report;
}
