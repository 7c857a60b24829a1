import { useEffect, useRef, useState } from 'react';
import { type ListenSettings } from '../../../../shared/domain/audio';
import { attachPassbandDrag, drawPassband, type HzRange } from './passband';

/**
 * The passband over a waterfall: a transparent canvas on top of it (drawn at device resolution)
 * and edge dragging on the element around it. `range` says which frequencies the waterfall shows
 * now; `subscribe` (optional) reports when that changes (zoom, pan).
 */
export function PassbandLayer({
  range,
  subscribe,
  dialHz,
  listen,
  editable,
  onChange,
}: {
  range: () => HzRange | null;
  subscribe?: (redraw: () => void) => () => void;
  dialHz: number | null;
  listen: ListenSettings | null;
  editable: boolean;
  onChange: (l: ListenSettings, commit: boolean) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [draft, setDraft] = useState<ListenSettings | null>(null);
  const shown = draft ?? listen;
  const latest = useRef({ range, dialHz, shown, editable, onChange });
  useEffect(() => {
    latest.current = { range, dialHz, shown, editable, onChange };
  });

  useEffect(() => {
    const c = canvas.current;
    const host = c?.parentElement;
    const ctx = c?.getContext('2d');
    if (!c || !host || !ctx) return;
    let raf = 0;
    const draw = () => {
      raf = 0;
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(host.clientWidth * dpr));
      const h = Math.max(1, Math.round(host.clientHeight * dpr));
      if (c.width !== w || c.height !== h) {
        c.width = w;
        c.height = h;
      }
      ctx.clearRect(0, 0, w, h);
      const l = latest.current;
      drawPassband(ctx, w, h, dpr, l.range(), l.dialHz, l.shown, l.editable);
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    draw();
    const ro = new ResizeObserver(schedule);
    ro.observe(host);
    const off = subscribe?.(schedule);
    const detach = attachPassbandDrag(host, {
      range: () => latest.current.range(),
      dialHz: () => latest.current.dialHz,
      listen: () => latest.current.shown,
      editable: () => latest.current.editable,
      onChange: (l, commit) => {
        setDraft(commit ? null : l);
        latest.current.onChange(l, commit);
      },
    });
    return () => {
      ro.disconnect();
      off?.();
      detach();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [subscribe]);

  // Redraw when what is shown changes.
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    drawPassband(ctx, c.width, c.height, window.devicePixelRatio || 1, range(), dialHz, shown, editable);
  }, [range, dialHz, shown, editable]);

  return <canvas ref={canvas} className="passband-layer" aria-hidden="true" data-testid="passband" data-low-hz={shown?.lowHz} data-high-hz={shown?.highHz} data-mode={shown?.mode} />;
}
