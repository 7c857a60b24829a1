import os from 'node:os';
import { type Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawnWorker';
import { dspResponseSchema, type DspRequest } from './dspProtocol';
import { type SpectrumMetrics } from './metrics';

export interface IqAnalysis {
  metrics: SpectrumMetrics;
  /** PSD in dB, fftshifted, starting at startHz (relative to the tuned frequency). */
  psdDb: Float32Array;
  startHz: number;
  binHz: number;
}

interface Job {
  req: Omit<DspRequest, 'id'>;
  resolve: (r: IqAnalysis) => void;
  reject: (e: Error) => void;
}

/**
 * A small pool of DSP workers sized to the cores. The queue is bounded: `analyzeIq` waits for room
 * (backpressure) instead of letting work pile up; a worker that dies is replaced and its job fails
 * with a clear error.
 */
export function createDspPool(opts: { size?: number; maxQueue?: number } = {}) {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const size = opts.size ?? Math.max(1, cores - 1);
  const maxQueue = opts.maxQueue ?? size * 8;
  const queue: Job[] = [];
  const waiting: (() => void)[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, { id: number; job: Job }>();
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      const id = nextId++;
      busy.set(w, { id, job });
      w.postMessage({ id, ...job.req }, [job.req.iq]);
      waiting.shift()?.();
    }
  };

  const start = () => {
    const w = spawnWorker(new URL('./dspWorker.ts', import.meta.url), 'dspWorker');
    w.on('message', (raw: unknown) => {
      const current = busy.get(w);
      busy.delete(w);
      idle.push(w);
      const res = dspResponseSchema.safeParse(raw);
      if (current) {
        if (!res.success) current.job.reject(new Error(`the DSP worker sent an unreadable reply (${res.error.issues[0]?.message ?? 'unknown'})`));
        else if (!res.data.ok) current.job.reject(new Error(`DSP failed: ${res.data.error}`));
        else current.job.resolve({ metrics: res.data.metrics, psdDb: new Float32Array(res.data.psdDb), startHz: res.data.startHz, binHz: res.data.binHz });
      }
      dispatch();
    });
    w.on('error', (e) => {
      const current = busy.get(w);
      busy.delete(w);
      current?.job.reject(new Error(`a DSP worker crashed (${e.message}); the job was dropped, the worker restarted`));
    });
    w.on('exit', () => {
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      busy.delete(w);
      if (!closed) {
        start();
        dispatch();
      }
    });
    idle.push(w);
  };
  for (let i = 0; i < size; i++) start();

  return {
    size,
    /** Welch PSD (nperseg default 1024) + metrics of interleaved complex float32 samples; the buffer is transferred. */
    async analyzeIq(iq: Float32Array, fs: number, nperseg?: number): Promise<IqAnalysis> {
      if (closed) throw new Error('the DSP pool is closed');
      while (queue.length >= maxQueue) await new Promise<void>((r) => waiting.push(r));
      const buf = iq.byteOffset === 0 && iq.byteLength === iq.buffer.byteLength ? (iq.buffer as ArrayBuffer) : iq.slice().buffer;
      return new Promise((resolve, reject) => {
        queue.push({ req: { task: 'analyzeIq', iq: buf, fs, ...(nperseg ? { nperseg } : {}) }, resolve, reject });
        dispatch();
      });
    },
    pending: () => queue.length + busy.size,
    async close(): Promise<void> {
      closed = true;
      for (const j of queue.splice(0)) j.reject(new Error('the DSP pool was closed'));
      const all = [...idle, ...busy.keys()];
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
export type DspPool = ReturnType<typeof createDspPool>;
