/**
 * The audio worker: every piece of listening DSP runs here, never on the main thread. Live IQ
 * blocks are demodulated per receiver; review jobs read stored samples and play them in real time;
 * review waterfalls are computed from the same files. Buffers come and go as transfers.
 */
import { parentPort } from 'node:worker_threads';
import { readCaptureSamples } from '../sessions/captureSamples';
import { audioRequestSchema, type AudioRequest, type AudioResponse } from './audioProtocol';
import { LiveDemod } from './liveDemod';
import { isIqDatatype, ReviewJob } from './reviewPlayer';
import { spectrogram } from './reviewSpectrogram';

const port = parentPort;
if (!port) throw new Error('audioWorker must run in a worker thread; start it through createAudioService()');

const post = (m: AudioResponse, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const live = new Map<string, LiveDemod>();
const jobs = new Map<number, ReviewJob>();

function onLive(m: Extract<AudioRequest, { t: 'live' }>): void {
  let d = live.get(m.receiverId);
  if (!d || d.sampleRate !== m.sampleRate) {
    d = new LiveDemod(m.listen, m.sampleRate);
    live.set(m.receiverId, d);
  }
  const out = d.push(new Int16Array(m.iq), m.t0Ms, m.listen);
  if (out.pcm.length === 0) return;
  const pcm = out.pcm.buffer as ArrayBuffer;
  post({ t: 'pcm', receiverId: m.receiverId, jobId: null, sampleRate: m.sampleRate, pcm, t0Ms: out.t0Ms, arrivedMs: m.arrivedMs, listen: d.listen, end: false }, [pcm]);
}

function onReview(m: Extract<AudioRequest, { t: 'review' }>): void {
  jobs.get(m.jobId)?.stop();
  const job = new ReviewJob(
    m.startMs,
    m.ranges,
    m.leadMs,
    (c) => {
      const pcm = c.pcm.buffer as ArrayBuffer;
      post({ t: 'pcm', receiverId: c.receiverId, jobId: m.jobId, sampleRate: c.sampleRate, pcm, t0Ms: c.t0Ms, arrivedMs: null, listen: c.range.listen, end: c.end }, [pcm]);
      if (job.finished) jobs.delete(m.jobId);
    },
    (receiverId, message) => post({ t: 'error', jobId: m.jobId, receiverId, message }),
  );
  jobs.set(m.jobId, job);
  job.start();
}

function onWaterfall(m: Extract<AudioRequest, { t: 'waterfall' }>): void {
  const r = m.range;
  try {
    const iq = isIqDatatype(r.datatype);
    const samples = readCaptureSamples(r.file, r.datatype, r.startSample, Math.max(0, r.endSample - r.startSample));
    const sg = spectrogram(samples, iq, r.sampleRate, m.rows, m.bins);
    const data = sg.data.buffer as ArrayBuffer;
    post(
      {
        t: 'waterfall',
        id: m.id,
        ok: true,
        rows: sg.rows,
        bins: sg.bins,
        t0Ms: r.t0Ms,
        rowMs: sg.rows ? (sg.rowSamples / r.sampleRate) * 1000 : 1,
        startHz: iq ? m.freqHz + sg.startHz : 0,
        binHz: sg.binHz,
        minDb: sg.minDb,
        maxDb: sg.maxDb,
        data,
      },
      [data],
    );
  } catch (e) {
    post({ t: 'waterfall', id: m.id, ok: false, error: (e as Error).message });
  }
}

port.on('message', (raw: unknown) => {
  const req = audioRequestSchema.safeParse(raw);
  if (!req.success) {
    post({ t: 'error', jobId: null, receiverId: null, message: `malformed audio request (${req.error.issues[0]?.message ?? 'unknown'}); this is a bug in the caller` });
    return;
  }
  const m = req.data;
  switch (m.t) {
    case 'live':
      onLive(m);
      break;
    case 'forget':
      live.delete(m.receiverId);
      break;
    case 'review':
      onReview(m);
      break;
    case 'reviewStop':
      jobs.get(m.jobId)?.stop();
      jobs.delete(m.jobId);
      break;
    case 'waterfall':
      onWaterfall(m);
      break;
  }
});
