/**
 * `locate --session <id> [--segment k]`: the station locates a stored session (or imported set)
 * through its API, as the Locate panel does, and stores the fix with it.
 */
import { type StationClient } from '../../shared/client';
import { type LocateJob, type StoredLocate } from '../../shared/domain/locate';
import { type Session, type SessionSegment } from '../../shared/domain/sessions';
import { StationError } from '../../shared/errors';
import { type LocateCommandOptions } from './locate';
import { withLocalStation } from './localClient';
import { shortId } from './pick';
import { pickSegment, pickSession } from './sessionFormat';

/** A segment by its number in `session show` (from 1), or by its id. */
function segmentArg(s: Session, want: string): SessionSegment {
  if (/^\d{1,3}$/.test(want.trim())) {
    const k = Number(want);
    const g = s.segments[k - 1];
    if (!g) {
      throw new StationError(
        'not_found',
        s.segments.length
          ? `Session ${shortId(s.id)} has ${s.segments.length} segment${s.segments.length === 1 ? '' : 's'}: --segment takes 1 to ${s.segments.length} (in the order \`heimdall-station session show ${shortId(s.id)}\` lists them) or a segment id.`
          : `Session ${shortId(s.id)} has no segments; leave --segment out to locate on the whole recording.`,
      );
    }
    return g;
  }
  return pickSegment(s, want);
}

/** Starts the job and waits for its end, cancelling it on Ctrl-C; fails with the job's own message. */
function runJob(client: StationClient, input: Parameters<StationClient['locateSession']>[0], progress: (phase: string, fraction: number) => void): Promise<{ started: LocateJob; ended: LocateJob }> {
  return new Promise((resolve, reject) => {
    let started: LocateJob | null = null;
    // Events may come before the call returns the job's id: kept until it is known.
    const early = new Map<string, LocateJob>();
    let id: string | null = null;
    const onSigint = () => {
      if (id) void client.cancelLocate({ id });
    };
    const end = (j: LocateJob) => {
      off();
      process.off('SIGINT', onSigint);
      resolve({ started: started ?? j, ended: j });
    };
    const seen = (j: LocateJob) => {
      if (j.id !== id) {
        if (!id) early.set(j.id, j);
        return;
      }
      if (j.state === 'running') progress(j.phase, j.progress);
      else end(j);
    };
    const off = client.subscribe('stationEvents', {}, (ev) => {
      if (ev.header.type === 'locate.progress') seen(ev.header.job);
    });
    process.once('SIGINT', onSigint);
    client.locateSession(input).then(
      (job) => {
        id = job.id;
        started = job;
        seen(early.get(job.id) ?? job);
      },
      (e: unknown) => {
        off();
        process.off('SIGINT', onSigint);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export async function locateStoredSession(o: LocateCommandOptions, progress: (phase: string, fraction: number) => void): Promise<{ result: StoredLocate; stored: string }> {
  return withLocalStation(o.dataDir, 'read', async ({ client }) => {
    const s = await client.getSession({ id: pickSession(await client.listSessions(), o.session!).id });
    const segment = o.segment ? segmentArg(s, o.segment) : null;
    const { started, ended: job } = await runJob(client, { sessionId: s.id, segmentId: segment?.id ?? null, ...(o.region ? { region: o.region } : {}), ...(o.step !== undefined ? { stepDeg: o.step } : {}) }, progress);
    if (job.state === 'cancelled') throw new StationError('cancelled', 'Cancelled; nothing was stored.');
    if (job.state !== 'done' || !job.resultId) throw new StationError('invalid_input', job.message);
    const result = await client.getLocate({ id: job.resultId });
    const what = segment ? `segment ${shortId(segment.id)} of session "${s.name}"` : `session "${s.name}"`;
    const over = started.message.replace(/^Locating over /, '').replace(/\.$/, '');
    return { result, stored: `stored as ${shortId(result.id)} with ${what}, located over ${over} (a newer fix of it replaces this one)` };
  });
}
