import { type StationEvent } from '../shared/api';

/** In-process fan-out of station events to every subscriber, whatever its transport. */
export function createEventBus() {
  const listeners = new Set<(e: StationEvent) => void>();
  return {
    publish(e: StationEvent) {
      for (const l of listeners) l(e);
    },
    subscribe(l: (e: StationEvent) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
