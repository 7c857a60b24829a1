import { useEffect, useRef } from 'react';
import { type StationEvent } from '../../../shared/api';
import { useStation } from '../station/StationContext';

/** Calls `handler` for every stationEvents event; the latest handler is used without resubscribing. */
export function useStationEvents(handler: (ev: StationEvent) => void): void {
  const station = useStation();
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => station.subscribe('stationEvents', {}, (ev) => ref.current(ev.header)), [station]);
}

/** Re-renders every `ms` while `active` (running clocks). */
export function useTicker(active: boolean, ms: number, tick: () => void): void {
  const ref = useRef(tick);
  useEffect(() => {
    ref.current = tick;
  }, [tick]);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => ref.current(), ms);
    return () => clearInterval(t);
  }, [active, ms]);
}
