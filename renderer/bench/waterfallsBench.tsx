/**
 * bench:ui page: N live waterfalls (the real WaterfallCanvas), each fed synthetic 1024-bin rows at
 * 23 rows/s the way the station delivers them (batches per display frame), with a drifting carrier
 * so every row differs. Publishes fps, rows drawn and rows dropped on window.__bench.
 */
import { createRoot } from 'react-dom/client';
import { WaterfallCanvas, type WaterfallFeed } from '../src/ui/waterfall/WaterfallCanvas';
import { countFrames } from './frameCounter';

const params = new URLSearchParams(location.search);
const count = Number(params.get('n') ?? 16);
const bins = Number(params.get('bins') ?? 1024);
const rate = Number(params.get('rate') ?? 23);
const ms = Number(params.get('ms') ?? 5000);

function syntheticFeed(seed: number): WaterfallFeed & { offered: () => number } {
  let offered = 0;
  let s = seed * 2654435761;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  const sinks = new Set<(rows: Uint8Array, count: number, bins: number) => void>();
  let t = 0;
  const start = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * rate) - t;
    if (due <= 0) return;
    const rows = new Uint8Array(due * bins);
    for (let r = 0; r < due; r++, t++) {
      const carrier = Math.floor(bins / 2 + (bins / 4) * Math.sin(t / 50 + seed));
      for (let i = 0; i < bins; i++) rows[r * bins + i] = 40 + Math.floor(rand() * 30) + (Math.abs(i - carrier) < 3 ? 150 : 0);
    }
    offered += due;
    for (const sink of sinks) sink(rows, due, bins);
  }, 1000 / 60);
  return {
    offered: () => offered,
    subscribe(sink) {
      sinks.add(sink);
      return () => {
        sinks.delete(sink);
        if (!sinks.size) clearInterval(timer);
      };
    },
  };
}

const feeds = Array.from({ length: count }, (_, i) => syntheticFeed(i + 1));
createRoot(document.getElementById('root')!).render(
  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 4 }}>
    {feeds.map((f, i) => (
      <WaterfallCanvas key={i} feed={f} bins={bins} label={`bench ${i}`} />
    ))}
  </div>,
);

// Let the grid mount and fill before measuring.
setTimeout(() => {
  void countFrames(ms).then((frames) => {
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>('canvas.waterfall')];
    const drawn = canvases.reduce((a, c) => a + Number(c.dataset.rowsDrawn ?? 0), 0);
    const dropped = canvases.reduce((a, c) => a + Number(c.dataset.rowsDropped ?? 0), 0);
    const offered = feeds.reduce((a, f) => a + f.offered(), 0);
    window.__bench = { ...frames, waterfalls: canvases.length, rowsOffered: offered, rowsDrawn: drawn, rowsDropped: dropped };
  });
}, 1000);
