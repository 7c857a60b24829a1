import os from 'node:os';
import { type Worker } from 'node:worker_threads';
import { spawnWorker } from '../base/spawnWorker';
import { type z } from 'zod';
import { StationError, stationErrorCodes } from '../../shared/errors';
import { dspProgressSchema, dspResponseSchema, jobResponseSchema, type DspRequest } from './dspProtocol';
import { type SpectrumMetrics } from './metrics';

interface IqAnalysis {
  metrics: SpectrumMetrics;
  /** PSD in dB, fftshifted, starting at startHz (relative to the tuned frequency). */
  psdDb: Float32Array;
  startHz: number;
  binHz: number;
}

interface DspPoolOptions {
  /** Worker threads; default availableParallelism() - 1, at least 1. */
  size?: number;
  /** Jobs waiting for a worker, at most; default 8 per worker. */
  maxQueue?: number;
  /**
   * What a submit does when the queue is full: 'wait' (default) until there is room, which slows the
   * producer down; 'reject' at once with DspPoolFullError, for producers that would rather drop.
   */
  whenFull?: 'wait' | 'reject';
}

/** The queue was full and the pool was told to reject rather than wait. */
export class DspPoolFullError extends Error {
  constructor(maxQueue: number) {
    super(`the DSP pool queue is full (${maxQueue} jobs waiting); drop this block or submit again when a job completes`);
    this.name = 'DspPoolFullError';
  }
}

/** A request without its id (the pool numbers them); distributes over the request kinds. */
type JobRequest = DspRequest extends infer R ? (R extends DspRequest ? Omit<R, 'id'> : never) : never;

interface Job {
  req: JobRequest;
  /** Reads the worker's final reply (validated here: it crossed a thread boundary) and settles the job. */
  settle: (raw: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (phase: string, fraction: number) => void;
}

export interface DspJobHandle<R> {
  /** The job's result, or a StationError: 'invalid_input' for a refusal, 'cancelled'... as the job threw it. */
  result: Promise<R>;
  cancel(): void;
}

/** The whole buffer when the view spans it (transferred, zero-copy), else a copy of the view. */
function transferable(iq: Float32Array): ArrayBuffer {
  const whole = iq.byteOffset === 0 && iq.byteLength === iq.buffer.byteLength && iq.buffer instanceof ArrayBuffer;
  return whole ? (iq.buffer as ArrayBuffer) : (iq.slice().buffer as ArrayBuffer);
}

function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

/**
 * A small pool of DSP workers sized to the cores, so the main thread never runs an FFT. The queue is
 * bounded (backpressure instead of work piling up); a worker that dies is replaced and the job it
 * held fails with a clear error, the other jobs carry on.
 */
export function createDspPool(opts: DspPoolOptions = {}) {
  const size = opts.size ?? defaultPoolSize();
  const maxQueue = opts.maxQueue ?? size * 8;
  const whenFull = opts.whenFull ?? 'wait';
  const queue: Job[] = [];
  const waiting: (() => void)[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const live = new Set<Worker>();
  let nextId = 1;
  let restarts = 0;
  let closed = false;

  const dispatch = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job);
      w.postMessage({ id: nextId++, ...job.req }, job.req.task === 'analyzeIq' ? [job.req.iq] : []);
      waiting.shift()?.();
    }
  };

  /** Fails the job a dead worker held, once, whichever of 'error' and 'exit' comes first. */
  const failHeldJob = (w: Worker, why: string) => {
    const job = busy.get(w);
    busy.delete(w);
    job?.reject(new Error(`a DSP worker stopped (${why}); that job was dropped and the worker restarted; submit the block again if it matters`));
  };

  const start = () => {
    const w = spawnWorker(new URL('../workers/dspWorker.ts', import.meta.url), 'dspWorker');
    live.add(w);
    w.on('message', (raw: unknown) => {
      const progress = dspProgressSchema.safeParse(raw);
      if (progress.success) {
        busy.get(w)?.onProgress?.(progress.data.progress.phase, progress.data.progress.fraction);
        return;
      }
      const job = busy.get(w);
      busy.delete(w);
      if (live.has(w)) idle.push(w);
      job?.settle(raw);
      dispatch();
    });
    w.on('error', (e) => failHeldJob(w, `crashed: ${e.message}`));
    w.on('exit', (code) => {
      live.delete(w);
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      failHeldJob(w, `exited with code ${code}`);
      if (!closed) {
        restarts++;
        start();
        dispatch();
      }
    });
    idle.push(w);
  };
  for (let i = 0; i < size; i++) start();

  const enqueue = async (job: Job): Promise<void> => {
    if (closed) throw new Error('the DSP pool is closed; create a new one to analyse more samples');
    while (queue.length >= maxQueue) {
      if (whenFull === 'reject') throw new DspPoolFullError(maxQueue);
      await new Promise<void>((r) => waiting.push(r));
      if (closed) throw new Error('the DSP pool was closed while this job waited for room');
    }
    queue.push(job);
    dispatch();
  };

  const submit = (req: JobRequest): Promise<IqAnalysis[]> =>
    new Promise((resolve, reject) => {
      const settle = (raw: unknown) => {
        const res = dspResponseSchema.safeParse(raw);
        if (!res.success) reject(new Error(`the DSP worker sent an unreadable reply (${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); this is a bug, please report it`));
        else if (!res.data.ok) reject(new Error(`DSP failed: ${res.data.error}`));
        else {
          const { metrics, psdDb, bins, startHz, binHz } = res.data;
          if (psdDb.byteLength !== metrics.length * bins * 4) reject(new Error(`the DSP worker sent ${psdDb.byteLength} bytes of PSD for ${metrics.length} x ${bins} bins; this is a bug, please report it`));
          else resolve(metrics.map((m, f) => ({ metrics: m, psdDb: new Float32Array(psdDb, f * bins * 4, bins), startHz, binHz })));
        }
      };
      enqueue({ req, settle, reject }).catch(reject);
    });

  /**
   * A long job of a folder above dsp/ in a worker, routed by `kind` (main/workers/dspWorker.ts; the spec
   * is checked there); progress as it goes, cancellable queued or running. The result crossed a thread
   * boundary: `resultSchema` checks it here.
   */
  const job = <R>(kind: string, spec: unknown, resultSchema: z.ZodType<R>, onProgress?: (phase: string, fraction: number) => void): DspJobHandle<R> => {
    const cancel = new SharedArrayBuffer(4);
    let queued: Job | null = null;
    let rejectQueued: ((e: Error) => void) | null = null;
    const result = new Promise<R>((resolve, reject) => {
      rejectQueued = reject;
      const settle = (raw: unknown) => {
        const res = jobResponseSchema.safeParse(raw);
        if (!res.success) return reject(new Error(`the DSP worker sent an unreadable ${kind} reply; this is a bug, please report it`));
        const reply = res.data;
        if (!reply.ok) {
          const code = stationErrorCodes.find((c) => c === reply.code);
          return reject(code ? new StationError(code, reply.error) : new Error(`The ${kind} job failed: ${reply.error}`));
        }
        const parsed = resultSchema.safeParse(reply.result);
        if (!parsed.success) return reject(new Error(`the DSP worker sent a ${kind} result that does not fit its schema (${parsed.error.issues[0]?.message}); this is a bug, please report it`));
        resolve(parsed.data);
      };
      queued = { req: { task: 'job', kind, spec, cancel }, settle, reject, ...(onProgress ? { onProgress } : {}) };
      enqueue(queued).catch(reject);
    });
    return {
      result,
      cancel() {
        Atomics.store(new Int32Array(cancel), 0, 1);
        // Still queued: it never reaches a worker.
        const i = queued ? queue.indexOf(queued) : -1;
        if (i >= 0) {
          queue.splice(i, 1);
          rejectQueued?.(new StationError('cancelled', `The ${kind} job was cancelled before it started; nothing was stored.`));
        }
      },
    };
  };

  return {
    size,
    maxQueue,
    /**
     * Welch PSD (Hann, 50 %, nperseg default min(1024, n)) + metrics of interleaved complex float32
     * samples. The buffer is transferred to the worker when `iq` spans all of it (the caller must
     * not use it afterwards), copied otherwise.
     */
    async analyzeIq(iq: Float32Array, fs: number, nperseg?: number): Promise<IqAnalysis> {
      return (await submit({ task: 'analyzeIq', iq: transferable(iq), fs, ...(nperseg ? { nperseg } : {}) }))[0]!;
    },
    /**
     * The same per frame for a batch of frames of `frameSamples` complex samples each (frames of
     * several streams may share a batch): one message per batch instead of one per frame is what keeps
     * 64 streams cheap for the main thread. Results come back in frame order; their psdDb rows are
     * views of one transferred buffer.
     */
    analyzeFrames(iq: Float32Array, fs: number, frameSamples: number, nperseg?: number): Promise<IqAnalysis[]> {
      return submit({ task: 'analyzeIq', iq: transferable(iq), fs, frameSamples, ...(nperseg ? { nperseg } : {}) });
    },
    /** Makes one worker exit as a crash would, through the same path (for tests and fault drills). */
    async simulateCrash(): Promise<void> {
      await submit({ task: 'exitForTest' });
    },
    job,
    /** Jobs queued or running. */
    pending: () => queue.length + busy.size,
    /** Workers replaced after a crash since the pool started. */
    restarts: () => restarts,
    async close(): Promise<void> {
      closed = true;
      for (const j of queue.splice(0)) j.reject(new Error('the DSP pool was closed before this job ran'));
      for (const wake of waiting.splice(0)) wake();
      const all = [...live];
      for (const w of busy.keys()) failHeldJob(w, 'the pool was closed');
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
export type DspPool = ReturnType<typeof createDspPool>;
