/**
 * The main thread's handle on the audio worker: started on first use, restarted if it dies (what
 * was playing stops with a clear error; the next block starts afresh), replies validated.
 */
import { type Worker } from 'node:worker_threads';
import { type Logger } from '../base/log';
import { spawnWorker } from '../base/spawnWorker';
import { audioResponseSchema, type AudioRequest, type AudioResponse } from './audioProtocol';

export type PcmMessage = Extract<AudioResponse, { t: 'pcm' }>;
export type WaterfallReply = Extract<AudioResponse, { t: 'waterfall'; ok: true }>;

export function createAudioWorkerClient(log: Logger) {
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  const pcmListeners = new Set<(m: PcmMessage) => void>();
  const errorListeners = new Set<(m: { jobId: number | null; receiverId: string | null; message: string }) => void>();
  const waiting = new Map<number, { resolve: (r: WaterfallReply) => void; reject: (e: Error) => void }>();

  const start = (): Worker => {
    if (closed) throw new Error('the audio worker is closed: the station is shutting down');
    if (worker) return worker;
    const w = spawnWorker(new URL('./audioWorker.ts', import.meta.url), 'audioWorker');
    worker = w;
    w.on('message', (raw: unknown) => {
      const m = audioResponseSchema.safeParse(raw);
      if (!m.success) {
        log.error(`the audio worker sent an unreadable message (${m.error.issues[0]?.message ?? 'unknown'})`);
        return;
      }
      const r = m.data;
      if (r.t === 'pcm') for (const l of pcmListeners) l(r);
      else if (r.t === 'error') for (const l of errorListeners) l(r);
      else {
        const p = waiting.get(r.id);
        waiting.delete(r.id);
        if (r.ok) p?.resolve(r);
        else p?.reject(new Error(r.error));
      }
    });
    w.on('error', (e) => log.error(`the audio worker crashed: ${e.message}`));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      for (const [, p] of waiting) p.reject(new Error(`the audio worker stopped (exit code ${code}); try again`));
      waiting.clear();
      if (!closed) for (const l of errorListeners) l({ jobId: null, receiverId: null, message: `the audio worker stopped (exit code ${code}); playback stopped, start it again` });
    });
    return w;
  };

  const send = (req: AudioRequest, transfer: ArrayBuffer[] = []) => start().postMessage(req, transfer);

  return {
    send,
    onPcm(l: (m: PcmMessage) => void): () => void {
      pcmListeners.add(l);
      return () => pcmListeners.delete(l);
    },
    onError(l: (m: { jobId: number | null; receiverId: string | null; message: string }) => void): () => void {
      errorListeners.add(l);
      return () => errorListeners.delete(l);
    },
    /** A spectrogram request; resolves with the worker's reply. */
    waterfall(req: Omit<Extract<AudioRequest, { t: 'waterfall' }>, 't' | 'id'>): Promise<WaterfallReply> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        try {
          send({ t: 'waterfall', id, ...req });
        } catch (e) {
          waiting.delete(id);
          reject(e as Error);
        }
      });
    },
    /** Starts the worker ahead of need (a live run began: someone may listen soon). */
    warm(): void {
      if (!closed) start();
    },
    nextJobId: () => nextId++,
    running: () => worker !== null,
    async close(): Promise<void> {
      closed = true;
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
export type AudioWorkerClient = ReturnType<typeof createAudioWorkerClient>;
