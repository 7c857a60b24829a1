import { useEffect, useRef } from 'react';
import { type ColorMapName } from './colormaps';
import { RingWaterfall } from './ringWaterfall';

export interface WaterfallFeed {
  /** Registers a sink for rows; returns an unsubscribe function. */
  subscribe(sink: (rows: Uint8Array, count: number, bins: number) => void): () => void;
}

/** One live waterfall: rows go into a ring as they come; the canvas is repainted once per frame. */
export function WaterfallCanvas({ feed, bins, historyRows = 256, colors = 'viridis', label }: { feed: WaterfallFeed; bins: number; historyRows?: number; colors?: ColorMapName; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const ring = useRef<RingWaterfall | null>(null);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d', { alpha: false });
    if (!el || !ctx) return;
    const wf = new RingWaterfall(bins, historyRows, colors);
    ring.current = wf;
    let dirty = true;
    const off = feed.subscribe((rows, count) => {
      wf.push(rows, count);
      dirty = true;
    });
    let raf = 0;
    const frame = () => {
      if (dirty) {
        wf.paint(ctx, el.width, el.height);
        dirty = false;
        el.dataset.rowsDrawn = String(wf.drawn);
        el.dataset.rowsDropped = String(wf.dropped);
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      off();
    };
  }, [feed, bins, historyRows, colors]);

  return <canvas ref={canvas} className="waterfall" width={bins} height={historyRows} role="img" aria-label={`Waterfall of ${label}`} />;
}
