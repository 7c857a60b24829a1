/**
 * Locating a session's transmitter in the station: builds the job from the session
 * (sessionLocateSpec.ts), runs it in the DSP pool, reports progress as `locate.progress` events,
 * stores the fix per acquisition (a newer one replaces the older) and lets a running job be cancelled.
 * Jobs live in memory: one interrupted by a shutdown stored nothing and is simply run again.
 */
import { type LocateJob, type LocateResult, type LocateSummary, type Region, type StoredLocate } from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { type DspJobHandle, type DspPool } from '../dsp/pool';
import { type Logger } from '../base/log';
import { type CaptureStore } from '../store/captureStore';
import { uuidv7 } from '../store/ids';
import { type LocateRepo } from '../store/locateRepo';
import { type SessionsRepo } from '../store/sessionsRepo';
import { locateInPool } from './locateJob';
import { sessionLocatePlan } from './sessionLocateSpec';

export interface LocateServiceDeps {
  sessions: SessionsRepo;
  captures: CaptureStore;
  repo: LocateRepo;
  pool: () => DspPool;
  log: Logger;
  /** The kind of a registered receiver, for captures of sessions planned before kinds were kept. */
  kindOf?: (receiverId: string) => 'kiwisdr' | 'openwebrx' | null;
  progress: (job: LocateJob) => void;
  /** A fix of this session was stored. */
  changed: (sessionId: string) => void;
}

export interface LocateSessionInput {
  sessionId: string;
  segmentId?: string | null;
  region?: Region;
  stepDeg?: number;
}

/** Share of the whole job each phase of the core takes (measured on the DCF77 set and the simulator). */
const PHASES: Record<string, [number, number]> = {
  'reading samples': [0, 0.1],
  correlating: [0.1, 0.7],
  grid: [0.7, 1],
  done: [1, 1],
};
/** How long cancelLocate waits for a job to stop before it answers with the job as it is. */
const CANCEL_WAIT_MS = 5000;
/** Finished jobs kept for cancelLocate and late listeners. */
const KEEP_FINISHED = 50;

interface Running {
  job: LocateJob;
  /** Same acquisition and parameters: a second request returns this job. */
  key: string;
  params: string;
  handle: DspJobHandle<LocateResult>;
  done: Promise<LocateJob>;
}

const km = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

function doneMessage(r: LocateResult, windows: string): string {
  const good = r.receivers.filter((x) => x.status === 'good').length;
  const at = `${Math.abs(r.position.lat).toFixed(4)} ${r.position.lat >= 0 ? 'N' : 'S'} ${Math.abs(r.position.lon).toFixed(4)} ${r.position.lon >= 0 ? 'E' : 'W'}`;
  return `Located at ${at} from ${good} receivers over ${windows}${r.source ? `, ${km(r.source.distanceKm)} km from ${r.source.name}` : ''}.`;
}

export function createLocateService(d: LocateServiceDeps) {
  const jobs = new Map<string, Running>();

  const session = (id: string) => {
    const s = d.sessions.getSession(id);
    if (!s) throw new StationError('not_found', `No session with id ${id}. It may have been deleted; reload the list.`);
    return s;
  };
  const forget = () => {
    const finished = [...jobs.values()].filter((j) => j.job.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(j.job.id);
  };

  function start(input: LocateSessionInput): { job: LocateJob; done: Promise<LocateJob> } {
    const s = session(input.sessionId);
    const segmentId = input.segmentId ?? null;
    const key = `${s.id}/${segmentId ?? ''}`;
    const params = JSON.stringify({ region: input.region ?? null, stepDeg: input.stepDeg ?? null });
    const same = [...jobs.values()].find((j) => j.key === key && j.job.state === 'running');
    if (same) {
      // A double click returns the job already running; other parameters must wait for it.
      if (same.params === params) return { job: { ...same.job }, done: same.done };
      throw new StationError('conflict', `This ${segmentId ? 'segment' : 'session'} is being located already (job ${same.job.id}). Cancel that job, or wait for it, then locate again with the new region or step.`);
    }
    const plan = sessionLocatePlan({ sessions: d.sessions, captures: d.captures, ...(d.kindOf ? { kindOf: d.kindOf } : {}) }, s, input);
    const job: LocateJob = {
      id: uuidv7(),
      sessionId: s.id,
      segmentId,
      state: 'running',
      phase: 'queued',
      progress: 0,
      message: `Locating over ${plan.windows}.`,
      resultId: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    let reported = -1;
    const report = (force = false) => {
      // Every step the core reports, at 1 % granularity: a long recording has thousands of blocks.
      if (!force && Math.floor(job.progress * 100) === reported) return;
      reported = Math.floor(job.progress * 100);
      d.progress({ ...job });
    };
    const onProgress = (phase: string, fraction: number) => {
      const [a, b] = PHASES[phase] ?? [job.progress, job.progress];
      const changedPhase = phase !== job.phase;
      job.phase = phase;
      job.progress = Math.max(job.progress, a + (b - a) * Math.min(1, Math.max(0, fraction)));
      report(changedPhase);
    };
    const handle = locateInPool(d.pool(), plan.spec, onProgress);
    const finish = async (): Promise<LocateJob> => {
      try {
        const result = await handle.result;
        const stored = d.repo.save(s.id, segmentId, { ...result, receivers: [...result.receivers, ...plan.leftOut] });
        Object.assign(job, { state: 'done', phase: 'done', progress: 1, resultId: stored.id, message: doneMessage(stored, plan.windows) });
        d.changed(s.id);
      } catch (e) {
        const err = e as Error;
        const cancelled = e instanceof StationError && e.code === 'cancelled';
        job.state = cancelled ? 'cancelled' : 'failed';
        job.message = cancelled ? 'Cancelled; nothing was stored.' : d.sessions.getSession(s.id) ? err.message : 'The session was deleted while it was being located; nothing was stored.';
        if (!cancelled && plan.leftOut.length) job.message += ` Left out before locating: ${plan.leftOut.map((r) => `${r.name}: ${r.reason}`).join('; ')}.`;
        if (!cancelled && !(e instanceof StationError)) d.log.error(`locate job ${job.id} (session ${s.id}) failed: ${err.message}`);
      } finally {
        job.finishedAt = new Date().toISOString();
        report(true);
        forget();
      }
      return { ...job };
    };
    const entry: Running = { job, key, params, handle, done: Promise.resolve(job) };
    jobs.set(job.id, entry);
    report(true);
    entry.done = finish();
    return { job: { ...job }, done: entry.done };
  }

  return {
    /** Starts locating a session (or one of its segments) and returns its job at once; `done` resolves when it ends. */
    start,
    /**
     * Stops a running job and returns it once it has stopped (the worker checks between blocks and
     * grid rows, so within milliseconds): the reply is the job's final state, never a 'running' that
     * would arrive after the 'cancelled' event.
     */
    async cancel(id: string): Promise<LocateJob> {
      const j = jobs.get(id);
      if (!j) throw new StationError('not_found', `No locate job ${id}: it ended long ago or the station restarted. Nothing is running under that id.`);
      if (j.job.state === 'running') {
        j.handle.cancel();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([j.done, new Promise((r) => (timer = setTimeout(r, CANCEL_WAIT_MS)))]);
        clearTimeout(timer);
      }
      return { ...j.job };
    },
    list(sessionId?: string): LocateSummary[] {
      if (sessionId) session(sessionId);
      return d.repo.list(sessionId);
    },
    get(id: string): StoredLocate {
      const r = d.repo.get(id);
      if (!r) throw new StationError('not_found', `No stored locate result ${id}. A newer fix of the same acquisition replaces the older one; list them again.`);
      return r;
    },
    /** Running jobs are cancelled and awaited, so nothing touches the store after it closes. */
    async close(): Promise<void> {
      const running = [...jobs.values()].filter((j) => j.job.state === 'running');
      for (const j of running) j.handle.cancel();
      await Promise.all(running.map((j) => j.done));
    },
  };
}
export type LocateService = ReturnType<typeof createLocateService>;
