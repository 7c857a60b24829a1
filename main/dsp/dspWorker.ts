/** DSP worker: Welch PSD + metrics off the main thread; buffers come and go as transfers. */
import { parentPort } from 'node:worker_threads';
import { dspRequestSchema, type DspResponse } from './dspProtocol';
import { spectrumMetrics } from './metrics';
import { welchComplex } from './welch';

const port = parentPort;
if (!port) throw new Error('dspWorker must run in a worker thread');

port.on('message', (raw: unknown) => {
  const req = dspRequestSchema.safeParse(raw);
  if (!req.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    port.postMessage({ id, ok: false, error: `malformed DSP request (${req.error.issues[0]?.message ?? 'unknown'})` } satisfies DspResponse);
    return;
  }
  const { id, iq, fs, nperseg } = req.data;
  try {
    const psd = welchComplex(new Float32Array(iq), { fs, nperseg });
    const metrics = spectrumMetrics(psd);
    const psdDb = new Float32Array(psd.psd.length);
    for (let i = 0; i < psdDb.length; i++) psdDb[i] = 10 * Math.log10(Math.max(psd.psd[i]!, 1e-30));
    const res: DspResponse = { id, ok: true, metrics, psdDb: psdDb.buffer, startHz: psd.freqs[0]!, binHz: fs / psd.psd.length };
    port.postMessage(res, [psdDb.buffer]);
  } catch (e) {
    port.postMessage({ id, ok: false, error: (e as Error).message } satisfies DspResponse);
  }
});
