/**
 * Where review playback is, for whatever draws it (timeline, waterfall): the recording time of the
 * sound leaving the speaker now, from the player's reports, advanced smoothly between them. Drawn on
 * animation frames without re-rendering React.
 */
export interface PlayCursor {
  /** Unix ms of the recording being heard now, or null when nothing plays. */
  get(): number | null;
  subscribe(fn: () => void): () => void;
  /** From a player report: the head was at `headMs` of the recording at page time `atMs`. */
  report(headMs: number | null, atMs: number): void;
  clear(): void;
}

export function createPlayCursor(): PlayCursor {
  let anchor: { headMs: number; atMs: number } | null = null;
  const listeners = new Set<() => void>();
  let raf = 0;
  const loop = () => {
    raf = anchor ? requestAnimationFrame(loop) : 0;
    for (const l of listeners) l();
  };
  return {
    get: () => (anchor ? anchor.headMs + (Date.now() - anchor.atMs) : null),
    subscribe(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    report(headMs, atMs) {
      anchor = headMs === null ? null : { headMs, atMs };
      if (anchor && !raf) raf = requestAnimationFrame(loop);
      if (!anchor) for (const l of listeners) l();
    },
    clear() {
      anchor = null;
      for (const l of listeners) l();
    },
  };
}
