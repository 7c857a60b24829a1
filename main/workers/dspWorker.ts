/**
 * The DSP worker thread (spawned by main/dsp/pool.ts): Welch PSD + metrics for dsp/, and the long jobs
 * of folders above dsp/ (a TDoA fix for locate/), routed by kind. It lives in workers/ because it is
 * the one place that composes them: dsp/ itself knows no job of a higher folder.
 */
import { parentPort } from 'node:worker_threads';
import { isStationError } from '../../shared/errors';
import { lowerThisThreadPriority } from '../base/threadPriority';
import { analyzeIqRequest } from '../dsp/analyzeIqRequest';
import { dspRequestSchema, type DspResponse } from '../dsp/dspProtocol';
import { locateJobSpecSchema, runLocateJob } from '../locate/locateJob';

const port = parentPort;
if (!port) throw new Error('dspWorker must run in a worker thread; start it through createDspPool()');

// DSP is background work: it yields to the main thread and to the capture workers.
lowerThisThreadPriority(10);

type JobHooks = { cancelled: () => boolean; progress: (phase: string, fraction: number) => void };
/** Each kind checks its own spec (it crossed a thread boundary) and runs. */
const jobs: Record<string, (spec: unknown, hooks: JobHooks) => Promise<unknown>> = {
  locate: (raw, hooks) => {
    const spec = locateJobSpecSchema.safeParse(raw);
    if (!spec.success) throw new Error(`malformed locate job (${spec.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); this is a bug in the caller`);
    return runLocateJob(spec.data, hooks);
  },
};

port.on('message', (raw: unknown) => {
  const req = dspRequestSchema.safeParse(raw);
  if (!req.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    port.postMessage({ id, ok: false, error: `malformed DSP request (${req.error.issues[0]?.message ?? 'unknown'}); this is a bug in the caller` } satisfies DspResponse);
    return;
  }
  if (req.data.task === 'exitForTest') process.exit(70);
  if (req.data.task === 'job') {
    void runJob(req.data.id, req.data.kind, req.data.spec, new Int32Array(req.data.cancel));
    return;
  }
  const { res, transfer } = analyzeIqRequest(req.data);
  port.postMessage(res, transfer);
});

/** A long job: progress at most every 100 ms (and at each new phase), cancellable through the shared flag. */
async function runJob(id: number, kind: string, spec: unknown, cancel: Int32Array): Promise<void> {
  let last = 0;
  let lastPhase = '';
  try {
    const run = jobs[kind];
    if (!run) throw new Error(`the DSP worker has no job of kind '${kind}'; this is a bug in the caller`);
    const result = await run(spec, {
      cancelled: () => Atomics.load(cancel, 0) !== 0,
      progress: (phase, fraction) => {
        const now = Date.now();
        if (phase === lastPhase && now - last < 100) return;
        last = now;
        lastPhase = phase;
        port!.postMessage({ id, progress: { phase, fraction: Math.max(0, Math.min(1, fraction)) } });
      },
    });
    port!.postMessage({ id, ok: true, result });
  } catch (e) {
    port!.postMessage({ id, ok: false, error: (e as Error).message, ...(isStationError(e) ? { code: e.code } : {}) });
  }
}
