/**
 * Review listening: a session's stored samples played back (one receiver, or several in step for
 * A/B), and the waterfall of a receiver's recording around a segment. The main thread only finds the
 * files and the sample ranges (through the store and each capture's clock); reading, demodulating
 * and spectra happen in the audio worker.
 */
import { type StreamEvent } from '../../shared/api';
import { listenFromCaptureMode, type AudioChunk, type ListenSettings, type ReviewWaterfall } from '../../shared/domain/audio';
import { StationError } from '../../shared/errors';
import { captureClock } from '../sessions/sampleClock';
import { type CaptureStore } from '../store/captureStore';
import { type StoredRange } from './audioProtocol';
import { type AudioWorkerClient } from './audioWorkerClient';
import { pcmBody } from './pcmBody';
import { isIqDatatype } from './reviewPlayer';

/** Audio sent ahead of the clock: enough for the player's jitter buffer, little enough to pause promptly. */
const REVIEW_LEAD_MS = 250;
/** Longest stretch one review waterfall covers. */
const MAX_WATERFALL_MS = 120_000;

export interface ReviewDeps {
  store: CaptureStore;
  worker: AudioWorkerClient;
  /** The session's planned passband (what its receivers demodulated with), or null. */
  sessionPassband: (sessionId: string) => { lowHz: number; highHz: number } | null;
}

export function createReviewAudio(deps: ReviewDeps) {
  function range(sessionId: string, receiverId: string, startMs: number, endMs: number, listen: ListenSettings | undefined): StoredRange {
    const passband = deps.sessionPassband(sessionId);
    const c = deps.store.repos.captures.bySession(sessionId).find((x) => x.receiver_id === receiverId);
    if (!c) throw new StationError('not_found', 'This receiver recorded nothing in this session, so there is nothing to play.');
    if (c.samples_deleted_at) throw new StationError('unavailable', `The samples of ${c.receiver_name}'s recording were removed by the retention setting after upload; they cannot be played.`);
    if (!/^(c|r)i16_le$/.test(c.datatype)) throw new StationError('unavailable', `${c.receiver_name}'s recording is ${c.datatype}; only ci16_le (IQ) and ri16_le (audio) recordings can be played.`);
    const clock = captureClock(c, deps.store.timeBase(c));
    const startSample = clock.sampleAt(startMs);
    const endSample = clock.sampleAt(endMs);
    if (endSample - startSample < c.sample_rate * 0.05) throw new StationError('not_found', `${c.receiver_name} has no samples between those times (it was not recording then).`);
    const iq = isIqDatatype(c.datatype);
    return {
      receiverId,
      file: deps.store.absolutePath(c.file_path),
      datatype: c.datatype,
      sampleRate: c.sample_rate,
      startSample,
      endSample,
      t0Ms: clock.unixNsOf(startSample) / 1e6,
      listen: iq ? (listen ?? listenFromCaptureMode('iq', null)) : listenFromCaptureMode(c.mode, passband),
    };
  }

  return {
    stream(
      p: { sessionId: string; receiverIds: string[]; startMs: number; endMs: number; listen: Record<string, ListenSettings> },
      emit: (e: StreamEvent<'reviewAudio'>) => void,
      signal: AbortSignal,
    ): void {
      const ranges = p.receiverIds.map((id) => range(p.sessionId, id, p.startMs, p.endMs, p.listen[id]));
      const jobId = deps.worker.nextJobId();
      const seq = new Map<string, number>();
      const offPcm = deps.worker.onPcm((m) => {
        if (m.jobId !== jobId) return;
        const r = ranges.find((x) => x.receiverId === m.receiverId)!;
        const pcm = new Int16Array(m.pcm);
        const n = seq.get(m.receiverId) ?? 0;
        seq.set(m.receiverId, n + 1);
        const header: AudioChunk = { receiverId: m.receiverId, sampleRate: m.sampleRate, samples: pcm.length, seq: n, t0Ms: m.t0Ms, arrivedMs: null, source: isIqDatatype(r.datatype) ? 'iq' : 'receiver', listen: m.listen, dropped: 0, end: m.end };
        emit({ header, body: pcmBody(pcm) });
      });
      const offError = deps.worker.onError((e) => {
        if (e.jobId === jobId || e.jobId === null) {
          for (const r of ranges) if (e.receiverId === null || e.receiverId === r.receiverId) emit({ header: { receiverId: r.receiverId, sampleRate: r.sampleRate, samples: 0, seq: seq.get(r.receiverId) ?? 0, t0Ms: p.endMs, arrivedMs: null, source: isIqDatatype(r.datatype) ? 'iq' : 'receiver', listen: r.listen, dropped: 0, end: true } });
        }
      });
      deps.worker.send({ t: 'review', jobId, startMs: p.startMs, ranges, leadMs: REVIEW_LEAD_MS });
      signal.addEventListener(
        'abort',
        () => {
          offPcm();
          offError();
          if (deps.worker.running()) deps.worker.send({ t: 'reviewStop', jobId });
        },
        { once: true },
      );
    },

    async waterfall(p: { sessionId: string; receiverId: string; startMs: number; endMs: number; listen?: ListenSettings }): Promise<ReviewWaterfall> {
      if (p.endMs - p.startMs > MAX_WATERFALL_MS) throw new StationError('invalid_input', `A review waterfall covers at most ${MAX_WATERFALL_MS / 1000} s; choose a shorter stretch.`);
      const r = range(p.sessionId, p.receiverId, p.startMs, p.endMs, p.listen);
      const c = deps.store.repos.captures.bySession(p.sessionId).find((x) => x.receiver_id === p.receiverId)!;
      const seconds = (r.endSample - r.startSample) / r.sampleRate;
      const rows = Math.max(8, Math.min(600, Math.round(seconds * 25)));
      const w = await deps.worker.waterfall({ range: r, rows, bins: 256, freqHz: c.freq_hz });
      const iq = isIqDatatype(r.datatype);
      return {
        receiverId: p.receiverId,
        t0Ms: w.t0Ms,
        rowMs: w.rowMs,
        rows: w.rows,
        bins: w.bins,
        startHz: w.startHz,
        binHz: w.binHz,
        axis: iq ? 'rf' : 'audio',
        minDb: w.minDb,
        maxDb: w.maxDb,
        data: Buffer.from(w.data).toString('base64'),
        source: iq ? 'iq' : 'receiver',
        listen: r.listen,
      };
    },
  };
}
export type ReviewAudio = ReturnType<typeof createReviewAudio>;
