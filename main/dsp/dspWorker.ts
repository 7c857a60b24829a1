/** DSP worker: Welch PSD + metrics off the main thread; buffers come and go as transfers. */
import { parentPort } from 'node:worker_threads';
import { dspRequestSchema, type DspResponse } from './dspProtocol';
import { spectrumMetrics, type SpectrumMetrics } from './metrics';
import { welchComplex } from './welch';
import { locateJobSpecSchema, runLocateJob } from '../locate/locateJob';
import { isStationError } from '../../shared/errors';
import { lowerThisThreadPriority } from '../workers/threadPriority';

const port = parentPort;
if (!port) throw new Error('dspWorker must run in a worker thread; start it through createDspPool()');

// DSP is background work: it yields to the main thread and to the capture workers.
lowerThisThreadPriority(10);

port.on('message', (raw: unknown) => {
  const req = dspRequestSchema.safeParse(raw);
  if (!req.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    port.postMessage({ id, ok: false, error: `malformed DSP request (${req.error.issues[0]?.message ?? 'unknown'}); this is a bug in the caller` } satisfies DspResponse);
    return;
  }
  if (req.data.task === 'exitForTest') process.exit(70);
  if (req.data.task === 'locate') {
    void runLocate(req.data.id, req.data.spec, new Int32Array(req.data.cancel));
    return;
  }
  const { id, iq, fs, nperseg, frameSamples } = req.data;
  try {
    if (iq.byteLength % 8 !== 0) throw new Error(`IQ block of ${iq.byteLength} bytes is not whole complex float32 samples (8 bytes each)`);
    const all = new Float32Array(iq);
    const total = all.length / 2;
    if (total < 2) throw new Error(`the IQ block holds ${total} samples; send at least 2 complex samples`);
    const per = frameSamples ?? total;
    if (total < per || total % per !== 0) throw new Error(`IQ block of ${total} samples is not a whole number of ${per}-sample frames`);
    const frames = total / per;
    const metrics: SpectrumMetrics[] = [];
    let psdDb: Float32Array | null = null;
    let bins = 0;
    let startHz = 0;
    for (let f = 0; f < frames; f++) {
      // No mean removal: with the dial on a carrier (the usual way to record a beacon in IQ) the
      // carrier IS the mean, and scipy's default detrend would erase it from every segment.
      const psd = welchComplex(all.subarray(2 * f * per, 2 * (f + 1) * per), { fs, nperseg, detrend: 'none' });
      metrics.push(spectrumMetrics(psd));
      bins = psd.psd.length;
      startHz = psd.freqs[0]!;
      psdDb ??= new Float32Array(frames * bins);
      const row = f * bins;
      for (let i = 0; i < bins; i++) psdDb[row + i] = 10 * Math.log10(Math.max(psd.psd[i]!, 1e-30));
    }
    const out = psdDb!.buffer as ArrayBuffer;
    const res: DspResponse = { id, ok: true, metrics, psdDb: out, bins, startHz, binHz: fs / bins };
    port.postMessage(res, [out]);
  } catch (e) {
    port.postMessage({ id, ok: false, error: (e as Error).message } satisfies DspResponse);
  }
});

/** A TDoA fix: progress at most every 100 ms (and at each new phase), cancellable through the shared flag. */
async function runLocate(id: number, rawSpec: unknown, cancel: Int32Array): Promise<void> {
  const spec = locateJobSpecSchema.safeParse(rawSpec);
  if (!spec.success) {
    port!.postMessage({ id, ok: false, error: `malformed locate job (${spec.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); this is a bug in the caller` });
    return;
  }
  let last = 0;
  let lastPhase = '';
  try {
    const result = await runLocateJob(spec.data, {
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
