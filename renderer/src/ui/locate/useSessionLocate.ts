import { useCallback, useEffect, useState } from 'react';
import { type LocateJob, type LocateSummary, type StoredLocate } from '../../../../shared/domain/locate';
import { errorText } from '../format';
import { useStationEvents } from '../hooks';
import { useStation } from '../../station/StationContext';
import { useLocateJob } from './useLocateJob';

/** Everything the review knows about locating one session: the job, earlier results, the one open. */
export function useSessionLocate(sessionId: string) {
  const station = useStation();
  const [results, setResults] = useState<LocateSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [openResult, setOpenResult] = useState<StoredLocate | null>(null);

  const reload = useCallback(() => {
    station.listLocates({ sessionId }).then(
      (list) => {
        setResults(list);
        setListError(null);
      },
      (e: unknown) => setListError(`Could not list the results: ${errorText(e)}`),
    );
  }, [station, sessionId]);
  useEffect(reload, [reload]);
  useStationEvents((ev) => {
    if (ev.type === 'sessions.changed' && ev.sessionId === sessionId) reload();
  });

  const open = useCallback(
    async (id: string) => {
      setOpening(id);
      try {
        setOpenResult(await station.getLocate({ id }));
        setListError(null);
      } catch (e) {
        setListError(`Could not open the result: ${errorText(e)}`);
      } finally {
        setOpening(null);
      }
    },
    [station],
  );
  const onDone = useCallback(
    (job: LocateJob) => {
      reload();
      if (job.resultId) void open(job.resultId);
    },
    [reload, open],
  );
  const job = useLocateJob(sessionId, onDone);
  const close = useCallback(() => setOpenResult(null), []);
  return { ...job, results, listError, opening, openResult, open, close };
}

export type SessionLocate = ReturnType<typeof useSessionLocate>;
