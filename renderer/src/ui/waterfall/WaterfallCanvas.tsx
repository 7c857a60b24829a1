import { useEffect, useRef } from 'react';
import { type ColorMapName } from './colormaps';
import { RingWaterfall, type RingView } from './ringWaterfall';

/** Frequencies and dB range of a batch of rows (the waterfall stream's header has these fields). */
export interface RowMeta {
  startHz: number;
  spanHz: number;
  minDb: number;
  maxDb: number;
}

export interface WaterfallFeed {
  /** Registers a sink for rows; returns an unsubscribe function. */
  subscribe(sink: (rows: Uint8Array, count: number, bins: number, meta?: RowMeta) => void): () => void;
}

/** A view shared by many waterfalls; `layoutVersion` changes whenever any field does. */
export interface WaterfallViewSource extends RingView {
  readonly layoutVersion: number;
}

/** Rows on the screen canvas at time zoom 1 (the canvas is scaled by CSS). */
export const DISPLAY_ROWS = 256;

/**
 * One live waterfall: rows go into a ring as they come; the canvas is repainted at most once per
 * frame, when rows came or the shared view (frequency zoom, time zoom, pause) changed.
 */
export function WaterfallCanvas({
  feed,
  bins,
  historyRows = DISPLAY_ROWS,
  colors = 'viridis',
  label,
  view,
}: {
  feed: WaterfallFeed;
  bins: number;
  /** Rows kept for scroll-back and time zoom-out. */
  historyRows?: number;
  colors?: ColorMapName;
  label: string;
  view?: WaterfallViewSource;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d', { alpha: false });
    if (!el || !ctx) return;
    const wf = new RingWaterfall(bins, historyRows, colors);
    let dirty = true;
    let seenVersion = -1;
    let shownStart = NaN;
    let shownSpan = NaN;
    let shownRows = -1;
    let shownOffset = -1;
    const off = feed.subscribe((rows, count, _bins, meta) => {
      if (meta) wf.push(rows, count, meta.startHz, meta.spanHz, meta.minDb, meta.maxDb);
      else wf.push(rows, count);
      dirty = true;
    });
    let raf = 0;
    const frame = () => {
      if (view && view.layoutVersion !== seenVersion) {
        seenVersion = view.layoutVersion;
        dirty = true;
      }
      if (dirty) {
        // The canvas is scaled by CSS: the device pixels it really covers decide the peak-keeping width.
        wf.paint(ctx, el.width, el.height, view, el.clientWidth * (window.devicePixelRatio || 1));
        dirty = false;
        el.dataset.rowsDrawn = String(wf.drawn);
        el.dataset.rowsDropped = String(wf.dropped);
        // Geometry for tests and tools; written only when it changes.
        if (wf.newestStartHz !== shownStart || wf.newestSpanHz !== shownSpan) {
          shownStart = wf.newestStartHz;
          shownSpan = wf.newestSpanHz;
          el.dataset.startHz = String(shownStart);
          el.dataset.spanHz = String(shownSpan);
        }
        const rows = view ? Math.min(view.visibleRows, historyRows) : DISPLAY_ROWS;
        if (rows !== shownRows) el.dataset.visibleRows = String((shownRows = rows));
        if (wf.shownOffset !== shownOffset) el.dataset.rowsBack = String((shownOffset = wf.shownOffset));
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      off();
    };
  }, [feed, bins, historyRows, colors, view]);

  return <canvas ref={canvas} className="waterfall" width={bins} height={DISPLAY_ROWS} role="img" aria-label={`Waterfall of ${label}`} />;
}
