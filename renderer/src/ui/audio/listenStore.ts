/**
 * Who is audible, shared by every page: one receiver at a time by default (a click on another
 * speaker moves the sound there), several when the operator asks for a mix (Shift+click, or the Mix
 * switch), a volume per receiver, and mute-all (M). A plain store read with useSyncExternalStore.
 */
import { useSyncExternalStore } from 'react';

export interface ListenView {
  audible: readonly string[];
  mix: boolean;
  muted: boolean;
  volumes: Readonly<Record<string, number>>;
}

export const DEFAULT_VOLUME = 0.8;

let view: ListenView = { audible: [], mix: false, muted: false, volumes: {} };
const listeners = new Set<() => void>();

function set(next: Partial<ListenView>): void {
  view = { ...view, ...next };
  for (const l of listeners) l();
}

export const listenStore = {
  get: (): ListenView => view,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => void listeners.delete(l);
  },
  /** The speaker on a card: solo (default), or in/out of the mix with `addToMix` or in mix mode. */
  toggle(id: string, addToMix = false): void {
    const on = view.audible.includes(id);
    if (view.mix || addToMix) set({ audible: on ? view.audible.filter((x) => x !== id) : [...view.audible, id] });
    else set({ audible: on && view.audible.length === 1 ? [] : [id] });
    if (!on && view.muted) set({ muted: false });
  },
  /** Makes exactly these audible (A/B in review). */
  only(ids: readonly string[]): void {
    set({ audible: [...ids] });
  },
  setMix(mix: boolean): void {
    // Leaving the mix keeps the first receiver, as solo.
    set({ mix, audible: mix ? view.audible : view.audible.slice(0, 1) });
  },
  toggleMute(): void {
    set({ muted: !view.muted });
  },
  setVolume(id: string, v: number): void {
    set({ volumes: { ...view.volumes, [id]: Math.max(0, Math.min(1, v)) } });
  },
  volume: (id: string): number => view.volumes[id] ?? DEFAULT_VOLUME,
  /** Stop listening to receivers no longer on screen. */
  retain(ids: readonly string[]): void {
    const keep = view.audible.filter((x) => ids.includes(x));
    if (keep.length !== view.audible.length) set({ audible: keep });
  },
};

export function useListenView(): ListenView {
  return useSyncExternalStore(listenStore.subscribe, listenStore.get);
}
