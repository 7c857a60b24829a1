import { useCallback, useEffect, useRef, useState } from 'react';
import { type LocateJob } from '../../../../shared/domain/locate';
import { errorText } from '../format';
import { useStationEvents } from '../hooks';
import { useStation } from '../../station/StationContext';

const cannot = (text: string) => (/^cannot locate/i.test(text) ? text : `Cannot locate: ${text}`);

/**
 * The session's locate job as the station reports it (locate.progress events, which may arrive
 * before the reply that started the job: a finished state never goes back to running).
 */
export function useLocateJob(sessionId: string, onDone: (job: LocateJob) => void) {
  const station = useStation();
  const [job, setJob] = useState<LocateJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = useRef(new Set<string>());
  const doneRef = useRef(onDone);
  useEffect(() => {
    doneRef.current = onDone;
  }, [onDone]);

  const merge = useCallback((next: LocateJob) => {
    if (next.sessionId !== sessionId) return;
    if (finished.current.has(next.id)) return;
    if (next.state !== 'running') {
      finished.current.add(next.id);
      if (next.state === 'done') doneRef.current(next);
    }
    setJob((cur) => (cur && cur.id !== next.id && cur.state === 'running' && next.state === 'running' ? cur : next));
  }, [sessionId]);

  useStationEvents((ev) => {
    if (ev.type === 'locate.progress') merge(ev.job);
  });

  const start = useCallback(
    async (segmentId: string | null) => {
      setError(null);
      setJob(null);
      try {
        merge(await station.locateSession({ sessionId, segmentId }));
      } catch (e) {
        setError(cannot(errorText(e)));
      }
    },
    [station, sessionId, merge],
  );

  const cancel = useCallback(async () => {
    if (!job || job.state !== 'running') return;
    try {
      merge(await station.cancelLocate({ id: job.id }));
    } catch (e) {
      setError(errorText(e));
    }
  }, [station, job, merge]);

  const failure = job?.state === 'failed' ? cannot(job.message || 'the job failed without a message') : error;
  return { job, failure, start, cancel, running: job?.state === 'running' };
}
