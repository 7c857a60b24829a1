import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { type Worker } from 'node:worker_threads';
import { type Logger } from '../base/log';
import { type DspPool } from '../dsp/pool';
import { type SpectrumMetrics } from '../dsp/metrics';
import { spawnWorker } from '../base/spawnWorker';
import { parseWorkerMessage, type CaptureReceiver, type CaptureWorkerJob, type ReceiverSummary, type WorkerCommand, type WorkerMessage } from './workerProtocol';

export interface CaptureSpec {
  receivers: CaptureReceiver[];
  freqHz: number;
  mode: string;
  /** Filter edges around the dial (Hz); absent/null: the mode's default. */
  passband?: { lowHz: number; highHz: number } | null;
  identUser: string;
  durationSec: number | null;
  outDir: string | null;
  wantSpectrum?: boolean;
  /** How long receivers get to connect before the common start (ms). */
  alignLeadMs?: number;
  displayRange?: { minDb: number; maxDb: number } | null;
  /** Per-window DSP metrics of recorded IQ, computed in this pool (never on the main thread). */
  dsp?: { pool: DspPool; windowSec?: number };
}

/** One measurement: the metrics of one analysis window of one receiver's recording. */
export interface WindowMeasurement {
  receiverId: string;
  startSample: number;
  unixNs: bigint;
  samples: number;
  sampleRate: number;
  metrics: SpectrumMetrics;
}

export interface CaptureRun {
  id: string;
  /** The common start of every recording (Unix ms): provisional until `started` resolves. */
  readonly startAtMs: number;
  /** Resolves with the common start once every worker runs. */
  started: Promise<number>;
  /** Live events: 'state', 'rows', 'smeter', 'progress', 'done' (WorkerMessage payloads). */
  events: EventEmitter<{ message: [WorkerMessage]; measurement: [WindowMeasurement] }>;
  /** One summary per receiver, in the order given. */
  done: Promise<ReceiverSummary[]>;
  stop(): Promise<ReceiverSummary[]>;
  /** Copies these receivers' blocks to 'audio' messages (for listeners); replaces the previous set. */
  tap(receiverIds: readonly string[]): void;
  /** Changes a receiver's own demodulator on the open connection (see ReceiverLink.setDemod). */
  setDemod(receiverId: string, mode: string, passband: { lowHz: number; highHz: number } | null): void;
}

/** Receivers per worker: links are I/O-bound, so a few workers carry many receivers. */
function workerCount(receivers: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(receivers, cores, Math.ceil(receivers / 4)));
}

/**
 * Runs capture jobs across worker threads. The main thread only routes messages: sockets,
 * parsing and file writes stay in the workers, and display rows arrive already batched.
 */
export function startCapture(spec: CaptureSpec, log: Logger): CaptureRun {
  const id = randomUUID();
  const leadMs = spec.alignLeadMs ?? 3000;
  // The common start: the lead after the workers are up, not after they were asked for (loading a
  // worker can take seconds on a busy machine, and must not eat the receivers' time to connect).
  let startAtMs = Date.now() + leadMs;
  const ready = new Set<Worker>();
  let confirm: (ms: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (confirm = resolve));
  const workers: Worker[] = [];
  /** A worker that exits before it is ready counts as ready: the others must not wait for it. */
  const markReady = (w: Worker) => {
    if (ready.has(w)) return;
    ready.add(w);
    if (ready.size !== workers.length) return;
    startAtMs = Math.max(startAtMs, Date.now() + leadMs / 2);
    for (const x of workers) x.postMessage({ t: 'start', startAtMs } satisfies WorkerCommand);
    confirm(startAtMs);
  };
  const events = new EventEmitter<{ message: [WorkerMessage]; measurement: [WindowMeasurement] }>();
  // Windows in the DSP pool: counted, not kept (an hour of 256 receivers is a million of them).
  let analysing = 0;
  const idle: (() => void)[] = [];
  const analysed = () => (analysing === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r)));
  const summaries = new Map<string, ReceiverSummary>();
  const n = workerCount(spec.receivers.length);
  const shares: CaptureReceiver[][] = Array.from({ length: n }, () => []);
  spec.receivers.forEach((r, i) => shares[i % n]!.push(r));

  const exits: Promise<void>[] = [];
  const owner = new Map<string, Worker>();
  for (const share of shares) {
    const job: CaptureWorkerJob = {
      runId: id,
      receivers: share,
      freqHz: spec.freqHz,
      mode: spec.mode,
      passband: spec.passband ?? null,
      identUser: spec.identUser,
      durationSec: spec.durationSec,
      startAtMs,
      outDir: spec.outDir,
      wantSpectrum: spec.wantSpectrum ?? true,
      analysisWindowSec: spec.dsp ? (spec.dsp.windowSec ?? 1) : null,
      displayRange: spec.displayRange ?? null,
    };
    const w = spawnWorker(new URL('./captureWorker.ts', import.meta.url), 'captureWorker', { workerData: job });
    workers.push(w);
    for (const r of share) owner.set(r.receiverId, w);
    const handle = (raw: unknown) => {
      const m = parseWorkerMessage(raw);
      if (!m.ok) {
        log.error(`capture worker sent an unreadable message (${m.error})`);
        return;
      }
      const msg = m.value;
      if (msg.t === 'batch') {
        for (const item of msg.items) handle(item);
        return;
      }
      if (msg.t === 'ready') {
        markReady(w);
        return;
      }
      if (msg.t === 'done') summaries.set(msg.summary.receiverId, msg.summary);
      if (msg.t === 'window' && spec.dsp) {
        // The main thread only hands the buffer on: the FFTs run in the DSP pool.
        analysing++;
        spec.dsp.pool
          .analyzeIq(new Float32Array(msg.iq), msg.sampleRate)
          .then(
            (a) => void events.emit('measurement', { receiverId: msg.receiverId, startSample: msg.startSample, unixNs: BigInt(msg.unixNs), samples: msg.iq.byteLength / 8, sampleRate: msg.sampleRate, metrics: a.metrics }),
            (e: Error) => log.warn(`analysis of ${msg.receiverId} at sample ${msg.startSample} failed: ${e.message}`),
          )
          .finally(() => {
            if (--analysing === 0) for (const r of idle.splice(0)) r();
          });
        return;
      }
      if (msg.t === 'fatal') log.error(msg.message);
      events.emit('message', msg);
    };
    w.on('message', handle);
    exits.push(
      new Promise((resolve) => {
        w.once('error', (e) => log.error(`capture worker crashed: ${e.message}`));
        w.once('exit', () => {
          markReady(w);
          resolve();
        });
      }),
    );
  }

  const collect = (): ReceiverSummary[] =>
    spec.receivers.map(
      (r) =>
        summaries.get(r.receiverId) ?? {
          receiverId: r.receiverId,
          name: r.name,
          url: r.url,
          status: 'failed',
          code: 'worker_failed',
          message: 'The capture worker for this receiver stopped unexpectedly; see the station log.',
          dataKind: null,
          samples: 0,
          targetSamples: null,
          sampleRate: null,
          measuredRate: null,
          firstSampleUtc: null,
          firstSampleUnixNs: null,
          firstSampleFromGps: false,
          framesLost: 0,
          segments: 0,
          segmentList: [],
          stamps: [],
          timeBase: null,
          dataFile: null,
          metaFile: null,
          sha512: null,
          sha256: null,
          md5: null,
          bytes: null,
          spectrumRowsOffered: 0,
        },
    );
  const done = Promise.all(exits)
    .then(analysed)
    .then(collect);
  return {
    id,
    get startAtMs() {
      return startAtMs;
    },
    started,
    events,
    done,
    tap(receiverIds) {
      for (const w of workers) w.postMessage({ t: 'tap', receiverIds: receiverIds.filter((id) => owner.get(id) === w) } satisfies WorkerCommand);
    },
    setDemod(receiverId, mode, passband) {
      owner.get(receiverId)?.postMessage({ t: 'demod', receiverId, mode, passband } satisfies WorkerCommand);
    },
    async stop() {
      for (const w of workers) w.postMessage({ t: 'stop' });
      const timer = setTimeout(() => workers.forEach((w) => void w.terminate()), 10_000);
      const result = await done;
      clearTimeout(timer);
      return result;
    },
  };
}
