/**
 * A capture worker: runs the receiver links of its share of a job (sockets, frame parsing, file
 * writes all happen here, never on the main event loop) and reports states, display rows,
 * progress and one summary per receiver.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLink } from './links/index';
import { type LinkState, type ReceiverLink } from './links/receiverLink';
import { ReceiverRecorder } from './receiverRecorder';
import { WindowCutter } from './analysisWindows';
import { RowBatcher } from './rowQuantizer';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { SigmfRecordingWriter } from '../recordings/sigmf/writer';
import { type RecordingWriter } from './recordingWriter';
import { StoreRecordingWriter } from './storeRecordingWriter';
import { lowerThisThreadPriority } from '../base/threadPriority';
import { captureWorkerJobSchema, workerCommandSchema, type CaptureReceiver, type ReceiverSummary, type WorkerMessage } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('captureWorker must run in a worker thread');
// The main thread answers the UI and commits what the workers report: when both want a CPU it goes
// first (receivers' frames wait in their sockets meanwhile, nothing is lost).
lowerThisThreadPriority(5);
const job = captureWorkerJobSchema.parse(workerData);
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
// The frequent small messages (display rows, S-meter, progress) of all this worker's receivers go as
// one message per display frame: the main thread's cost is per message, not per receiver.
let outbox: WorkerMessage[] = [];
let outboxTransfer: ArrayBuffer[] = [];
const queue = (m: WorkerMessage, transfer?: ArrayBuffer[]) => {
  outbox.push(m);
  if (transfer) outboxTransfer.push(...transfer);
};
const flushQueue = () => {
  if (!outbox.length) return;
  port.postMessage({ t: 'batch', items: outbox } satisfies WorkerMessage, outboxTransfer);
  outbox = [];
  outboxTransfer = [];
};

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);

interface Running {
  rx: CaptureReceiver;
  link: ReceiverLink;
  recorder: ReceiverRecorder | null;
  rows: RowBatcher;
  state: LinkState;
  dataKind: 'iq' | 'audio' | null;
  finished: boolean;
  lastProgress: number;
  /** W/F rows the receiver sent since the common start, by its row numbers (those lost on the way included). */
  rowsOffered: number;
  lastRowSeq: number | null;
}

const running: Running[] = [];
/** Receivers someone listens to: their blocks are copied to the main thread (display data, like rows). */
let tapped = new Set<string>();
// Fixed by the engine's 'start' command once every worker runs (a slow start-up must not eat the lead).
let startAtMs: number | null = null;

function summary(r: Running, requested: ReceiverSummary['status']): ReceiverSummary {
  const out = r.recorder?.finish() ?? null;
  const p = r.recorder?.progress();
  const tb = out?.timeBase ?? null;
  const measuredRate = tb && tb.summary.rateSource !== 'nominal' ? tb.rateHz : null;
  let status = requested;
  // A recording whose GPS time stamps contradict its sample rate is never reported as good.
  const mislabelled = tb?.summary.reasons.find((x) => x.includes('mislabelled'));
  if (mislabelled && measuredRate !== null && p?.sampleRate != null) {
    status = 'failed';
    r.state = { phase: 'failed', code: 'wrong_rate', message: `The receiver announced ${p.sampleRate} samples/s but its GPS time stamps show ${measuredRate.toFixed(1)}: the recording is kept but marked unusable.` };
  }
  // The first sample's time from the time base (GPS-true when a fresh fix covers it), else as recorded.
  const gpsFirst = tb?.gpsNsAt(0) ?? null;
  const firstNs = gpsFirst ?? (out && out.samples > 0 ? tb!.unixNsAt(0) : (p?.firstSampleUnixNs ?? null));
  return {
    receiverId: r.rx.receiverId,
    name: r.rx.name,
    url: r.rx.url,
    status,
    code: r.state.code,
    message: r.state.message,
    dataKind: r.dataKind,
    samples: p?.samples ?? 0,
    targetSamples: p?.targetSamples ?? null,
    sampleRate: p?.sampleRate ?? null,
    measuredRate,
    firstSampleUtc: firstNs !== null ? rfc3339FromUnixNs(firstNs) : null,
    firstSampleUnixNs: firstNs !== null ? firstNs.toString() : null,
    firstSampleFromGps: gpsFirst !== null,
    framesLost: p?.framesLost ?? 0,
    segments: p?.segments ?? 0,
    segmentList: (out?.segments ?? []).map((g) => ({ sampleStart: g.sampleStart, reason: g.reason, unixNs: g.unixNs.toString() })),
    stamps: out?.stamps ?? [],
    timeBase: tb ? { rateHz: tb.rateHz, rateSource: tb.summary.rateSource, anchors: tb.summary.anchors, rejected: tb.summary.rejected, stale: tb.summary.stale, good: tb.summary.good, reasons: tb.summary.reasons } : null,
    dataFile: out?.dataFile ?? null,
    metaFile: out?.metaFile ?? null,
    sha512: out?.sha512 ?? null,
    sha256: out?.sha256 ?? null,
    md5: out?.md5 ?? null,
    bytes: out?.bytes ?? null,
    spectrumRowsOffered: r.rowsOffered,
  };
}

async function finish(r: Running, status: ReceiverSummary['status']): Promise<void> {
  if (r.finished) return;
  r.finished = true;
  await r.link.stop().catch(() => undefined);
  queueRows(r);
  flushQueue();
  post({ t: 'done', summary: summary(r, status) });
  if (running.every((x) => x.finished)) {
    clearInterval(flush);
    setImmediate(() => process.exit(0));
  }
}

function openWriter(rx: CaptureReceiver, rate: number, kind: 'iq' | 'audio'): RecordingWriter {
  const datatype = kind === 'iq' ? 'ci16_le' : 'ri16_le';
  if (rx.reservation) return new StoreRecordingWriter({ partFile: rx.reservation.partFile, journalFile: rx.reservation.journalFile, datatype, sampleRate: rate });
  return new SigmfRecordingWriter({
    dir: job.outDir!,
    baseName: `${safeName(rx.name)}_${rx.receiverId.slice(0, 8)}`,
    datatype: kind === 'iq' ? 'ci16_le' : 'ri16_le',
    sampleRate: rate,
    freqHz: job.freqHz,
    description: kind === 'iq' ? `IQ from ${rx.name} (${rx.kind})` : `Demodulated ${job.mode} audio from ${rx.name} (${rx.kind}); not IQ`,
    hw: rx.kind === 'kiwisdr' ? 'KiwiSDR' : 'OpenWebRX',
    geolocation: rx.lat !== null && rx.lon !== null ? { lat: rx.lat, lon: rx.lon, alt: rx.alt } : null,
    heimdall: { receiver_id: rx.receiverId, receiver_name: rx.name, receiver_url: rx.url, receiver_kind: rx.kind, data_kind: kind, mode: job.mode, agc: rx.kind === 'kiwisdr' ? false : null, run_id: job.runId },
  });
}

/** A receiver whose link cannot even be created fails on its own; the others go on. */
function linkFor(rx: CaptureReceiver): ReceiverLink {
  try {
    return createLink(rx.kind, {
      receiverId: rx.receiverId,
      url: rx.url,
      password: rx.password,
      freqHz: job.freqHz,
      mode: job.mode,
      passband: job.passband,
      identUser: job.identUser,
      wantSpectrum: job.wantSpectrum,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      start: (ev) => setImmediate(() => ev.state({ phase: 'failed', code: 'unsupported', message })),
      stop: async () => undefined,
    };
  }
}

for (const rx of job.receivers) {
  const r: Running = {
    rx,
    link: linkFor(rx),
    recorder: null,
    rows: new RowBatcher(job.displayRange),
    state: { phase: 'connecting', code: 'connecting', message: `Connecting to ${rx.url}` },
    dataKind: null,
    finished: false,
    lastProgress: 0,
    rowsOffered: 0,
    lastRowSeq: null,
  };
  if (job.outDir || rx.reservation) {
    const windowSec = job.analysisWindowSec;
    const cutter = windowSec
      ? new WindowCutter(windowSec, (w) => post({ t: 'window', receiverId: rx.receiverId, startSample: w.startSample, unixNs: w.unixNs.toString(), sampleRate: w.sampleRate, iq: w.iq.buffer as ArrayBuffer }, [w.iq.buffer as ArrayBuffer]))
      : null;
    r.recorder = new ReceiverRecorder({
      startAtNs: null,
      durationSec: job.durationSec,
      openWriter: (rate, kind) => openWriter(rx, rate, kind),
      onWritten: (samples, first, ns, kind, rate) => {
        if (kind === 'iq') cutter?.push(samples, first, ns, rate);
      },
    });
  }
  running.push(r);
  r.link.start({
    state: (s) => {
      const wasStreaming = r.state.phase === 'streaming';
      r.state = s;
      post({ t: 'state', receiverId: rx.receiverId, state: s });
      if (wasStreaming && s.phase !== 'streaming') r.recorder?.markDiscontinuity('reconnect');
      if (s.phase === 'failed' || s.phase === 'stopped') void finish(r, (r.recorder?.progress().samples ?? 0) > 0 ? 'partial' : 'failed');
    },
    samples: (b) => {
      if (r.finished) return;
      r.dataKind = b.kind;
      if (tapped.has(rx.receiverId)) {
        const copy = b.samples.slice();
        const firstSampleUnixMs = b.firstSampleUnixNs !== null ? Number(b.firstSampleUnixNs / 1000n) / 1000 : null;
        post({ t: 'audio', receiverId: rx.receiverId, kind: b.kind, sampleRate: b.sampleRate, samples: copy.buffer as ArrayBuffer, firstSampleUnixMs, hostTimeMs: b.hostTimeMs, seq: b.seq }, [copy.buffer as ArrayBuffer]);
      }
      if (r.recorder?.accept(b)) {
        r.state = { phase: 'stopped', code: 'complete', message: 'Recording complete.' };
        void finish(r, 'complete');
      }
    },
    spectrum: (row) => {
      if (startAtMs !== null && row.timeMs >= startAtMs) {
        // A jump in the row numbers is rows the receiver sent that never arrived; a step back is a new stream.
        const step = row.seq !== undefined && r.lastRowSeq !== null && row.seq > r.lastRowSeq ? row.seq - r.lastRowSeq : 1;
        r.rowsOffered += step;
        r.lastRowSeq = row.seq ?? null;
      }
      r.rows.push(row.db, row.startHz, row.spanHz, row.timeMs);
    },
    smeter: (dbm, timeMs) => queue({ t: 'smeter', receiverId: rx.receiverId, dbm, timeMs }),
  });
}

function queueRows(r: Running): void {
  const batch = r.rows.take();
  if (batch) queue({ t: 'rows', receiverId: r.rx.receiverId, ...batch }, [batch.data]);
}

// One batch of display rows per receiver per ~display frame, and progress twice a second. Without
// rows to show, four flushes a second carry the S-meter and progress: every wakeup costs CPU.
// eslint-disable-next-line prefer-const
let flush: NodeJS.Timeout;
flush = setInterval(() => {
  const now = Date.now();
  for (const r of running) {
    queueRows(r);
    r.recorder?.tick();
    if (r.recorder && now - r.lastProgress > 500) {
      r.lastProgress = now;
      const p = r.recorder.progress();
      queue({ t: 'progress', receiverId: r.rx.receiverId, samples: p.samples, framesLost: p.framesLost });
    }
  }
  flushQueue();
}, job.wantSpectrum ? 33 : 250);

// A receiver that never delivers its duration is ended after a grace period, keeping what it sent.
function armDeadline(start: number): void {
  if (job.durationSec === null) return;
  const deadline = start + job.durationSec * 1000 + 20_000 - Date.now();
  setTimeout(() => {
    for (const r of running) {
      if (r.finished) continue;
      r.state = { phase: 'stopped', code: 'timeout', message: `${r.rx.name} did not deliver the full duration in time; what arrived is kept.` };
      void finish(r, (r.recorder?.progress().samples ?? 0) > 0 ? 'partial' : 'failed');
    }
  }, Math.max(0, deadline)).unref();
}

post({ t: 'ready' });

port.on('message', (raw: unknown) => {
  const cmd = workerCommandSchema.safeParse(raw);
  if (!cmd.success) return;
  if (cmd.data.t === 'start') {
    if (startAtMs !== null) return;
    startAtMs = cmd.data.startAtMs;
    const ns = BigInt(Math.round(startAtMs)) * 1_000_000n;
    for (const r of running) r.recorder?.setStart(ns);
    armDeadline(startAtMs);
    return;
  }
  if (cmd.data.t === 'tap') {
    tapped = new Set(cmd.data.receiverIds);
    return;
  }
  if (cmd.data.t === 'demod') {
    const { receiverId, mode, passband } = cmd.data;
    try {
      running.find((r) => r.rx.receiverId === receiverId)?.link.setDemod?.(mode, passband);
    } catch (e) {
      post({ t: 'fatal', message: `could not change the demodulator of ${receiverId}: ${(e as Error).message}` });
    }
    return;
  }
  void Promise.all(running.map((r) => finish(r, 'stopped'))).then(() => {
    clearInterval(flush);
    process.exit(0);
  });
});

process.on('uncaughtException', (e) => post({ t: 'fatal', message: `capture worker failed: ${e.message}` }));
