import { useCallback, useEffect, useMemo, useState } from 'react';
import { type LocateSummary, type StoredLocate } from '../../../../shared/domain/locate';
import { errorText } from '../format';
import { useStationEvents } from '../hooks';
import { useConnectionState, useStation } from '../../station/StationContext';
import { chooseOverlay, overlayChoice } from './overlayChoice';
import { prepareLocate } from './prepareLocate';

const RECENT = 30;

/** The recent located results and the one the Receivers map overlays (none until the operator picks one). */
export function useLocatedOverlay() {
  const station = useStation();
  const connection = useConnectionState();
  const [list, setList] = useState<LocateSummary[]>([]);
  const [sessionNames, setSessionNames] = useState<Map<string, string>>(new Map());
  const [chosen, setChosen] = useState<string | null>(overlayChoice);
  const [result, setResult] = useState<StoredLocate | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    station.listLocates({}).then((l) => setList(l.slice(0, RECENT)), () => undefined);
    station.listSessions().then((s) => setSessionNames(new Map(s.map((x) => [x.id, x.name]))), () => undefined);
  }, [station]);
  useEffect(() => {
    if (connection === 'open') reload();
  }, [connection, reload]);
  useStationEvents((ev) => {
    if (ev.type === 'sessions.changed') reload();
  });

  useEffect(() => {
    if (!chosen || connection !== 'open') return;
    let live = true;
    station.getLocate({ id: chosen }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setError(`The located result could not be loaded: ${errorText(e)}`);
        chooseOverlay(null);
        setChosen(null);
      },
    );
    return () => {
      live = false;
    };
  }, [station, chosen, connection]);

  const choose = useCallback((id: string | null) => {
    chooseOverlay(id);
    setChosen(id);
    setError(null);
  }, []);
  const shown = chosen && result?.id === chosen ? result : null;
  const prepared = useMemo(() => (shown ? prepareLocate(shown) : null), [shown]);
  return { list, sessionNames, chosen, choose, prepared, error };
}
