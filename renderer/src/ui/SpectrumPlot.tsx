import { useEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axis, PEAK_COLOUR, SPECTRUM_COLOUR, throttled } from './plotTheme';
import { holdPeak } from './rowMath';
import './plot.css';

/** Redraws at most this often (live rows come ~23 times a second; nobody reads a spectrum that fast). */
const UPDATE_MS = 250;

/** One trace: levels (dB) at bin centres, in the source's x unit. The source owns the arrays. */
export interface SpectrumTrace {
  x: Float64Array<ArrayBuffer>;
  db: Float64Array<ArrayBuffer>;
  /** Changes when the bins mean other frequencies: peak hold starts afresh. */
  geometry: number;
  /** Changes whenever db holds new levels (peak hold takes each version in once). */
  version: number;
  /** The level axis. */
  dbLo: number;
  dbHi: number;
}

/**
 * What a SpectrumPlot draws and how it reacts. Give the plot one object per data source (memoise
 * it): a new object builds a new plot. x values are in the source's own unit (MHz on the Live
 * page, Hz from the session frequency in a segment).
 */
export interface SpectrumSource {
  /** The newest trace, or null while there is none (a still source with no samples). */
  read(): SpectrumTrace | null;
  /** Tick labels of the x axis; `incr` is the tick step. */
  xTicks(v: number, incr: number): string;
  /** The visible x window; default: the trace's extent. */
  window?(): readonly [number, number] | null;
  /** A dashed vertical line (the dial, a detected peak), drawn under the trace, with optional text. */
  marker?: { at(): number | null; colour: string; width: number; dash: number[]; text?(x: number): string };
  /** A shared cursor shown as a line over the plot (moving it redraws nothing). */
  cursor?: { at(): number | null; subscribe(fn: () => void): () => void };
  /** Calls fn when there may be something new to draw; a still source has no such thing. */
  subscribe?(fn: () => void): () => void;
  /** Mouse, wheel and touch on the plot area; returns the detach. */
  attachPointer?(el: HTMLElement): () => void;
}

/**
 * One spectrum (dB against frequency) on uPlot, used live (the newest row of a receiver, with
 * peak hold, dial, shared cursor, hover/wheel/drag/click) and still (a segment's Welch spectrum
 * with its detected peak).
 *
 * With `tools` it shows a tools row (title, peak hold, keys) above a host that carries
 * data-testid="spectrum-plot" and data-receiver-id. With `label` the canvas itself is the image:
 * role="img", that label, data-testid="spectrum" and data-drawn="1" once a trace is drawn.
 */
export function SpectrumPlot({
  source,
  unit,
  height,
  compact = false,
  background,
  emptyText,
  tools,
  label,
}: {
  source: SpectrumSource;
  /** Level unit: the y axis label and the trace's key. */
  unit: string;
  height: number;
  /** Small type and narrow axes, the unit written inside the plot (a card rather than a page). */
  compact?: boolean;
  /** Canvas fill behind the plot (default: transparent, the panel shows through). */
  background?: string;
  /** Written on the plot while the source has no trace. */
  emptyText?: string;
  tools?: { title?: ReactNode; receiverId: string; markerKey?: string };
  label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const controls = useRef<{ setPeak(on: boolean): void; resetPeak(): void } | null>(null);
  const [peakOn, setPeakOn] = useState(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let x: Float64Array<ArrayBuffer> = new Float64Array(0);
    let cur: Float64Array<ArrayBuffer> = new Float64Array(0);
    let peak = new Float64Array(0);
    let hasTrace = false;
    let geometry = NaN;
    let seenVersion = NaN;
    let peakShown = false;
    let restartPeak = true;
    let xLo = 0;
    let xHi = 1;
    let yLo = -140;
    let yHi = -40;
    const fontPx = compact ? 11 : 14;

    const drawUnder = (u: uPlot) => {
      const ctx = u.ctx;
      if (background) {
        ctx.save();
        ctx.fillStyle = background;
        ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
        ctx.restore();
      }
      const m = source.marker;
      const at = m?.at() ?? null;
      if (!m || at === null || at < xLo || at > xHi) return;
      const px = Math.round(u.valToPos(at, 'x', true));
      const r = uPlot.pxRatio;
      ctx.save();
      ctx.strokeStyle = m.colour;
      ctx.lineWidth = m.width * r;
      ctx.setLineDash(m.dash.map((d) => d * r));
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      if (m.text) {
        const right = px > u.bbox.left + u.bbox.width - 90 * r;
        ctx.fillStyle = m.colour;
        ctx.font = `${fontPx * r}px ui-monospace, monospace`;
        ctx.textBaseline = 'top';
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(m.text(at), px + (right ? -4 : 4) * r, u.bbox.top + 2 * r);
      }
      ctx.restore();
    };
    const drawOver = (u: uPlot) => {
      const ctx = u.ctx;
      if (compact && hasTrace) {
        // A small plot names its unit inside, top left, instead of an axis label.
        ctx.save();
        ctx.fillStyle = '#8a9bb0';
        ctx.font = `${fontPx * uPlot.pxRatio}px ui-monospace, monospace`;
        ctx.textBaseline = 'top';
        ctx.fillText(unit, u.bbox.left + 4 * uPlot.pxRatio, u.bbox.top + 2 * uPlot.pxRatio);
        ctx.restore();
      }
      if (hasTrace || !emptyText) return;
      ctx.save();
      ctx.fillStyle = '#8a9bb0';
      ctx.font = `${13 * uPlot.pxRatio}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';
      ctx.fillText(emptyText, u.bbox.left, u.bbox.top + u.bbox.height / 2);
      ctx.restore();
    };

    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        cursor: { show: false },
        legend: { show: false },
        scales: {
          x: { time: false, range: () => [xLo, xHi] },
          y: { range: () => [yLo, yHi] },
        },
        axes: compact
          ? [
              axis({ space: 55, size: 24, values: (_u, splits, _i, _space, incr) => splits.map((v) => source.xTicks(v, incr)) }, fontPx),
              axis({ size: 38, space: 24, values: (_u, splits) => splits.map((v) => v.toFixed(0)) }, fontPx),
            ]
          : [
              axis({ space: 110, size: 44, values: (_u, splits, _i, _space, incr) => splits.map((v) => source.xTicks(v, incr)) }),
              axis({ size: 64, space: 36, label: unit, labelSize: 22, values: (_u, splits) => splits.map((v) => v.toFixed(0)) }),
            ],
        series: [
          {},
          { label: 'Level', stroke: SPECTRUM_COLOUR, width: 1.5, fill: 'rgba(62, 199, 255, 0.10)', points: { show: false } },
          { label: 'Peak hold', stroke: PEAK_COLOUR, width: 1.5, dash: [6, 4], show: false, points: { show: false } },
        ],
        // Under the traces: the dial must not hide the signal tuned to.
        hooks: { drawClear: [drawUnder], draw: [drawOver] },
      },
      [x, cur, peak],
      el,
    );
    u.root.classList.add('dark-plot');
    const canvas = u.ctx.canvas;
    if (label !== undefined) {
      canvas.classList.add('spectrum');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', label);
      canvas.dataset.testid = 'spectrum';
      canvas.dataset.drawn = '0';
    }

    const update = () => {
      const t = source.read();
      if (t) {
        if (t.geometry !== geometry) {
          // New bins (first row, retune): the old peaks mean nothing any more.
          geometry = t.geometry;
          restartPeak = true;
          seenVersion = NaN;
        }
        x = t.x;
        cur = t.db;
        if (peak.length !== cur.length) peak = new Float64Array(cur.length);
        if (t.version !== seenVersion) {
          seenVersion = t.version;
          if (restartPeak || !peakShown) peak.set(cur);
          else holdPeak(peak, cur, cur.length);
          restartPeak = false;
        }
        yLo = t.dbLo;
        yHi = t.dbHi;
        hasTrace = x.length > 1;
      }
      const w = source.window?.() ?? null;
      if (w) [xLo, xHi] = w;
      else if (x.length > 1) [xLo, xHi] = [x[0]!, x[x.length - 1]!];
      u.setData([x, cur, peak]);
      el.dataset.updates = String(Number(el.dataset.updates ?? 0) + 1);
      if (label !== undefined) canvas.dataset.drawn = hasTrace ? '1' : '0';
      placeCursor();
    };
    const redraw = throttled(update, UPDATE_MS);
    const offSource = source.subscribe?.(redraw.request);

    const line = document.createElement('div');
    line.className = 'spectrum-cursor';
    u.over.appendChild(line);
    let cursorRaf = 0;
    const placeCursor = () => {
      cursorRaf = 0;
      const at = source.cursor?.at() ?? null;
      if (at === null || at < xLo || at > xHi) {
        line.style.display = 'none';
        return;
      }
      line.style.display = 'block';
      line.style.transform = `translateX(${Math.round(u.valToPos(at, 'x'))}px)`;
    };
    const offCursor = source.cursor?.subscribe(() => {
      if (!cursorRaf) cursorRaf = requestAnimationFrame(placeCursor);
    });
    const offPointer = source.attachPointer?.(u.over);
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    // A still source is drawn once now; a live one at its first news.
    if (!source.subscribe) update();

    controls.current = {
      setPeak(on) {
        peakShown = on;
        restartPeak = true;
        seenVersion = NaN;
        u.setSeries(2, { show: on });
        redraw.request();
      },
      resetPeak() {
        restartPeak = true;
        seenVersion = NaN;
        redraw.request();
      },
    };
    return () => {
      controls.current = null;
      redraw.cancel();
      if (cursorRaf) cancelAnimationFrame(cursorRaf);
      offSource?.();
      offCursor?.();
      offPointer?.();
      ro.disconnect();
      u.destroy();
    };
  }, [source, unit, height, compact, background, emptyText, label]);

  if (!tools) return <div ref={host} className="spectrum-still" />;
  return (
    <div className="spectrum">
      <div className="spectrum-tools">
        {tools.title}
        <button
          type="button"
          className={`btn btn-small${peakOn ? ' btn-on' : ''}`}
          aria-pressed={peakOn}
          onClick={() => {
            controls.current?.setPeak(!peakOn);
            setPeakOn(!peakOn);
          }}
        >
          Peak hold
        </button>
        <button type="button" className="btn btn-small" disabled={!peakOn} onClick={() => controls.current?.resetPeak()}>
          Reset peak
        </button>
        <span className="plot-key">
          <span className="swatch" style={{ background: SPECTRUM_COLOUR }} /> newest row ({unit})
        </span>
        {peakOn && (
          <span className="plot-key">
            <span className="swatch swatch-dashed" style={{ borderColor: PEAK_COLOUR }} /> peak hold
          </span>
        )}
        {source.marker && tools.markerKey && (
          <span className="plot-key">
            <span className="swatch swatch-dashed" style={{ borderColor: source.marker.colour }} /> {tools.markerKey}
          </span>
        )}
      </div>
      <div ref={host} className="spectrum-plot" data-testid="spectrum-plot" data-receiver-id={tools.receiverId} />
    </div>
  );
}
