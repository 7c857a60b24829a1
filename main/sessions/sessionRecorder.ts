import fs from 'node:fs';
import path from 'node:path';
import { type CaptureMode } from '../../shared/domain/monitor';
import { startCapture, type CaptureRun, type WindowMeasurement } from '../capture/captureEngine';
import { segmentsFromMeta, storeRecording } from '../capture/storeRecording';
import { type CaptureReceiver, type ReceiverSummary, type WorkerMessage } from '../capture/workerProtocol';
import { type DspPool } from '../dsp/pool';
import { type Logger } from '../log';
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

/** Where a session's recording lives until it is stored (and where a crash leaves it for recovery). */
export function sessionRecordingDir(dataDir: string, sessionId: string): string {
  return path.join(dataDir, 'sessions', sessionId);
}

const receiverSnapshot = (r: CaptureReceiver) => ({ id: r.receiverId, name: r.name, url: r.url, lat: r.lat, lon: r.lon, alt: r.alt });

/**
 * One session's capture run: the engine records every receiver into the session's folder, the DSP
 * pool measures each window, and at the end each recording goes into the store with its
 * measurements, tagged with the session. The folder is removed once everything is stored.
 */
export function recordSession(deps: { store: CaptureStore; pool: DspPool; log: Logger; dataDir: string; identUser: string }, sessionId: string, plan: SessionPlan) {
  const dir = sessionRecordingDir(deps.dataDir, sessionId);
  fs.mkdirSync(dir, { recursive: true });
  const run: CaptureRun = startCapture(
    {
      receivers: plan.receivers,
      freqHz: plan.freqHz,
      mode: plan.mode,
      passband: plan.passband,
      identUser: deps.identUser,
      durationSec: plan.durationSec,
      outDir: dir,
      alignLeadMs: 3000,
      dsp: { pool: deps.pool, windowSec: SESSION_WINDOW_SEC },
    },
    deps.log,
  );
  const measurements: WindowMeasurement[] = [];
  run.events.on('measurement', (m) => measurements.push(m));
  const finished: Promise<RecordingOutcome> = run.done.then((summaries) => storeAll(summaries));

  function storeAll(summaries: ReceiverSummary[]): RecordingOutcome {
    const out: RecordingOutcome = { stored: [], failed: [] };
    for (const s of summaries) {
      const rx = plan.receivers.find((r) => r.receiverId === s.receiverId)!;
      try {
        const id = storeRecording(deps.store, s, measurements, { freqHz: plan.freqHz, mode: plan.mode, sessionId, receiver: receiverSnapshot(rx) });
        if (id) out.stored.push({ receiverId: s.receiverId, captureId: id });
        else out.failed.push({ receiverId: s.receiverId, name: s.name, message: s.message || 'no samples were received' });
      } catch (e) {
        out.failed.push({ receiverId: s.receiverId, name: s.name, message: (e as Error).message });
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
  }

  return {
    startAtMs: run.startAtMs,
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
 * After a crash mid-session: the workers kept each recording's .sigmf-meta valid up to its last
 * segment, so what they wrote is a usable (partial) recording. Stores each one (without
 * measurements: the DSP results died with the process) and removes the folder.
 */
export function recoverSessionRecordings(store: CaptureStore, dataDir: string, sessionId: string, plan: SessionPlan, log: Logger): RecordingOutcome {
  const dir = sessionRecordingDir(dataDir, sessionId);
  const out: RecordingOutcome = { stored: [], failed: [] };
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.sigmf-meta'))) {
    const metaFile = path.join(dir, f);
    const dataFile = metaFile.replace(/\.sigmf-meta$/, '.sigmf-data');
    try {
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { global: Record<string, unknown> };
      const g = meta.global;
      const rx = plan.receivers.find((r) => r.receiverId === g['heimdall:receiver_id']);
      if (!rx || !fs.existsSync(dataFile)) continue;
      const datatype = String(g['core:datatype']);
      const bps = datatype.startsWith('c') ? 4 : 2;
      const samples = Math.floor(fs.statSync(dataFile).size / bps);
      const segments = segmentsFromMeta(metaFile, samples);
      if (samples === 0 || segments.length === 0) continue;
      const w = store.beginCapture({ receiver: receiverSnapshot(rx), sessionId, freqHz: Math.round(plan.freqHz), mode: plan.mode, sampleRate: Number(g['core:sample_rate']), datatype, expectedBytes: samples * bps });
      try {
        const bytes = fs.readFileSync(dataFile);
        w.append(bytes.subarray(0, samples * bps));
        const id = w.finalize({
          firstSampleUtc: segments[0]!.utc,
          firstSampleGpsNs: segments[0]!.gpsUnixNs ?? null,
          status: 'partial',
          message: 'The station stopped during the recording; this is what was written before.',
          segments,
        });
        out.stored.push({ receiverId: rx.receiverId, captureId: id });
      } catch (e) {
        w.abort();
        throw e;
      }
    } catch (e) {
      log.warn(`could not recover ${metaFile}: ${(e as Error).message}`);
      out.failed.push({ receiverId: '', name: f, message: (e as Error).message });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}
