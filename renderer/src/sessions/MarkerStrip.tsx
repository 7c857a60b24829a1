import { useEffect, useRef } from 'react';

/**
 * A thin column beside a waterfall that lights up on the rows recorded while the transmit marker
 * was held, so the operator sees their marks line up with the signal. Same row order as the
 * waterfall: newest at the top, `historyRows` rows.
 */
export function MarkerStrip({
  subscribe,
  isMarked,
  historyRows = 256,
}: {
  subscribe: (sink: (rows: Uint8Array, count: number, bins: number, times: number[]) => void) => () => void;
  isMarked: (t: number) => boolean;
  historyRows?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const marked = useRef(isMarked);
  useEffect(() => {
    marked.current = isMarked;
  }, [isMarked]);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const times: number[] = [];
    let dirty = true;
    const off = subscribe((_rows, count, _bins, t) => {
      for (let i = 0; i < count; i++) times.unshift(t[i] ?? Date.now());
      if (times.length > historyRows) times.length = historyRows;
      dirty = true;
    });
    let raf = 0;
    let lastPaint = 0;
    const frame = (now: number) => {
      // Repaint on new rows, and a few times a second so a press shows before the next row.
      if (dirty || now - lastPaint > 200) {
        ctx.clearRect(0, 0, el.width, el.height);
        ctx.fillStyle = '#ff4d4d';
        let marks = 0;
        for (let i = 0; i < times.length; i++) {
          if (marked.current(times[i]!)) {
            ctx.fillRect(0, i, el.width, 1);
            marks++;
          }
        }
        el.dataset.markedRows = String(marks);
        dirty = false;
        lastPaint = now;
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      off();
    };
  }, [subscribe, historyRows]);

  return <canvas ref={canvas} className="rec-strip" width={1} height={historyRows} aria-hidden="true" title="Red: transmit marker held" />;
}
