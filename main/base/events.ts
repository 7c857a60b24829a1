import { type StationEvent } from '../../shared/api';

/** A set of listeners for one kind of message; `on` returns the unsubscribe. The one fan-out of main/. */
export function fanout<T>() {
  const listeners = new Set<(v: T) => void>();
  return {
    emit(v: T): void {
      for (const l of listeners) l(v);
    },
    on(l: (v: T) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** In-process fan-out of station events to every subscriber, whatever its transport. */
export function createEventBus() {
  const bus = fanout<StationEvent>();
  return { publish: bus.emit, subscribe: bus.on };
}
export type EventBus = ReturnType<typeof createEventBus>;
