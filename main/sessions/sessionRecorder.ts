import { type CaptureMode } from '../../shared/domain/monitor';
import { startCapture, type CaptureRun } from '../capture/captureEngine';
import { reserveRecordings } from './reservedRecordings';
import { type CaptureReceiver, type ReceiverSummary, type WorkerMessage } from '../capture/workerProtocol';
import { type DspPool } from '../dsp/pool';
import { type Logger } from '../base/log';
import { type CaptureStore } from '../store/captureStore';

export interface SessionPlan {
  freqHz: number;
  mode: CaptureMode;
  passband: { lowHz: number; highHz: number } | null;
  durationSec: number | null;
  receivers: CaptureReceiver[];
}

export interface RecordingOutcome {
  stored: { receiverId: string; captureId: string }[];
  failed: { receiverId: string; name: string; message: string }[];
}

/** Measurement windows of a session: short enough to place a key-up within half a second. */
export const SESSION_WINDOW_SEC = 0.5;

/**
 * One session's capture run: each receiver's capture is reserved in the store, the engine's workers
 * write the samples there once, the DSP pool measures each window and the windows commit as they
 * arrive; at the end each worker's done message commits its capture, tagged with the session. A crash
 * leaves the reservations for the store to adopt at the next start.
 */
export function recordSession(deps: { store: CaptureStore; pool: DspPool; log: Logger; identUser: string }, sessionId: string, plan: SessionPlan) {
  const rec = reserveRecordings(deps.store, plan.receivers, { freqHz: plan.freqHz, mode: plan.mode, sessionId, durationSec: plan.durationSec });
  let run: CaptureRun;
  try {
    run = startCapture(
      {
        receivers: rec.receivers,
        freqHz: plan.freqHz,
        mode: plan.mode,
        passband: plan.passband,
        identUser: deps.identUser,
        durationSec: plan.durationSec,
        outDir: null,
        alignLeadMs: 3000,
        dsp: { pool: deps.pool, windowSec: SESSION_WINDOW_SEC },
      },
      deps.log,
    );
  } catch (e) {
    rec.abortAll();
    throw e;
  }
  run.events.on('measurement', (m) => rec.measured(m));
  const finished: Promise<RecordingOutcome> = run.done.then((summaries) => commitAll(summaries));

  /** Every receiver's capture, committed together without holding the event loop (hundreds may end at once). */
  async function commitAll(summaries: ReceiverSummary[]): Promise<RecordingOutcome> {
    const out: RecordingOutcome = { stored: [], failed: [] };
    const results = await rec.commitAll(summaries);
    summaries.forEach((s, k) => {
      const r = results[k];
      if (typeof r === 'string') out.stored.push({ receiverId: s.receiverId, captureId: r });
      else out.failed.push({ receiverId: s.receiverId, name: s.name, message: r instanceof Error ? r.message : s.message || 'no samples were received' });
    });
    return out;
  }

  return {
    /** Provisional until `started` resolves with the common start. */
    get startAtMs() {
      return run.startAtMs;
    },
    started: run.started,
    /** The capture run itself (live listening taps it). */
    run,
    onMessage: (l: (m: WorkerMessage) => void) => run.events.on('message', l),
    /** Resolves when every recording is stored (after the duration, or after stop()). */
    finished,
    async stop(): Promise<RecordingOutcome> {
      await run.stop();
      return finished;
    },
  };
}
export type SessionRecording = ReturnType<typeof recordSession>;

/**
 * After a crash mid-session: the store adopted each interrupted capture (up to its last durable
 * mark) at start; these are the session's.
 */
export function adoptedRecordings(store: CaptureStore, sessionId: string): RecordingOutcome {
  return { stored: store.repos.captures.bySession(sessionId).map((c) => ({ receiverId: c.receiver_id, captureId: c.id })), failed: [] };
}
