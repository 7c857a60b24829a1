import { useEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { attachFrequencyPointer } from '../live/frequencyPointer';
import { formatMHz } from './frequencyView';
import { type LiveModel } from '../live/liveModel';
import { DIAL_COLOUR } from '../live/overlay';
import { axis, PEAK_COLOUR, SPECTRUM_COLOUR, throttled } from './plotTheme';
import { holdPeak, rowToDb } from './rowMath';
import '../live/live.css';

const HEIGHT = 240;
/** Redraws at most this often (rows come ~23 times a second; nobody reads a spectrum that fast). */
const UPDATE_MS = 250;

/**
 * The newest row of one receiver as a spectrum in dB (bytes mapped back onto the batch's
 * minDb..maxDb), with optional peak hold, over the same frequency window as the waterfalls.
 * Hover, wheel, drag and click act like on a waterfall. Give it key={receiverId}: peak hold
 * starts afresh for another receiver.
 */
export function SpectrumPlot({
  model,
  receiverId,
  unit,
  onTune,
  title,
}: {
  model: LiveModel;
  receiverId: string;
  unit: string;
  onTune: (hz: number) => void;
  /** Heading and receiver picker, shown left of the plot's own controls. */
  title?: ReactNode;
}) {
  const host = useRef<HTMLDivElement>(null);
  const controls = useRef<{ setPeak(on: boolean): void; resetPeak(): void } | null>(null);
  const [peakOn, setPeakOn] = useState(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const view = model.view;
    let bins = 0;
    let startHz = NaN;
    let spanHz = NaN;
    let x = new Float64Array(0);
    let cur = new Float64Array(0);
    let peak = new Float64Array(0);
    let seenBatches = -1;
    let peakShown = false;
    let restartPeak = true;
    let xLo = 0;
    let xHi = 1;
    let yLo = -140;
    let yHi = -40;

    const drawDial = (u: uPlot) => {
      const dial = view.dialHz;
      if (dial === null || dial / 1e6 < xLo || dial / 1e6 > xHi) return;
      const px = Math.round(u.valToPos(dial / 1e6, 'x', true));
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = DIAL_COLOUR;
      ctx.lineWidth = 2 * uPlot.pxRatio;
      ctx.setLineDash([6 * uPlot.pxRatio, 5 * uPlot.pxRatio]);
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    };

    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        cursor: { show: false },
        legend: { show: false },
        scales: {
          x: { time: false, range: () => [xLo, xHi] },
          y: { range: () => [yLo, yHi] },
        },
        axes: [
          axis({ space: 110, size: 44, values: (_u, splits, _i, _space, incr) => splits.map((v) => formatMHz(v * 1e6, incr * 1e6)) }),
          axis({ size: 64, space: 36, label: unit, labelSize: 22, values: (_u, splits) => splits.map((v) => v.toFixed(0)) }),
        ],
        series: [
          {},
          { label: 'Level', stroke: SPECTRUM_COLOUR, width: 1.5, fill: 'rgba(62, 199, 255, 0.10)', points: { show: false } },
          { label: 'Peak hold', stroke: PEAK_COLOUR, width: 1.5, dash: [6, 4], show: false, points: { show: false } },
        ],
        // Under the traces: the dial must not hide the signal tuned to.
        hooks: { drawClear: [drawDial] },
      },
      [x, cur, peak],
      el,
    );
    u.root.classList.add('dark-plot');

    const update = () => {
      const slot = model.slot(receiverId);
      if (slot.rows) {
        if (slot.bins !== bins || slot.startHz !== startHz || slot.spanHz !== spanHz) {
          // New geometry (first row, retune): new axes, and the old peaks mean nothing any more.
          if (slot.bins !== bins) {
            x = new Float64Array(slot.bins);
            cur = new Float64Array(slot.bins);
            peak = new Float64Array(slot.bins);
          }
          bins = slot.bins;
          startHz = slot.startHz;
          spanHz = slot.spanHz;
          const binHz = spanHz / bins;
          for (let i = 0; i < bins; i++) x[i] = (startHz + (i + 0.5) * binHz) / 1e6;
          restartPeak = true;
          seenBatches = -1;
        }
        if (slot.batches !== seenBatches) {
          seenBatches = slot.batches;
          rowToDb(slot.rows, slot.offset, bins, slot.minDb, slot.maxDb, cur);
          if (restartPeak || !peakShown) peak.set(cur);
          else holdPeak(peak, cur, bins);
          restartPeak = false;
        }
        yLo = Math.floor(slot.minDb / 10) * 10;
        yHi = Math.ceil(slot.maxDb / 10) * 10;
      }
      const range = view.rangeOf(receiverId);
      if (range) {
        xLo = range.lo / 1e6;
        xHi = range.hi / 1e6;
      }
      u.setData([x, cur, peak]);
      el.dataset.updates = String(Number(el.dataset.updates ?? 0) + 1);
      placeCursor();
    };
    const redraw = throttled(update, UPDATE_MS);
    const timer = setInterval(redraw.request, UPDATE_MS);
    const offLayout = view.subscribeLayout(redraw.request);

    // The shared cursor as a line over the plot (moving it redraws nothing in uPlot).
    const line = document.createElement('div');
    line.className = 'spectrum-cursor';
    u.over.appendChild(line);
    let cursorRaf = 0;
    const placeCursor = () => {
      cursorRaf = 0;
      const hz = view.cursorHz;
      if (hz === null || hz / 1e6 < xLo || hz / 1e6 > xHi) {
        line.style.display = 'none';
        return;
      }
      line.style.display = 'block';
      line.style.transform = `translateX(${Math.round(u.valToPos(hz / 1e6, 'x'))}px)`;
    };
    const offCursor = view.subscribeCursor(() => {
      if (!cursorRaf) cursorRaf = requestAnimationFrame(placeCursor);
    });
    const offPointer = attachFrequencyPointer(u.over, { view, receiverId, onTune });
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: HEIGHT });
    });
    ro.observe(el);

    controls.current = {
      setPeak(on) {
        peakShown = on;
        restartPeak = true;
        seenBatches = -1;
        u.setSeries(2, { show: on });
        redraw.request();
      },
      resetPeak() {
        restartPeak = true;
        seenBatches = -1;
        redraw.request();
      },
    };
    return () => {
      controls.current = null;
      clearInterval(timer);
      redraw.cancel();
      if (cursorRaf) cancelAnimationFrame(cursorRaf);
      offLayout();
      offCursor();
      offPointer();
      ro.disconnect();
      u.destroy();
    };
  }, [model, receiverId, unit, onTune]);

  return (
    <div className="spectrum">
      <div className="spectrum-tools">
        {title}
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
        <span className="plot-key">
          <span className="swatch swatch-dashed" style={{ borderColor: DIAL_COLOUR }} /> dial
        </span>
      </div>
      <div ref={host} className="spectrum-plot" data-testid="spectrum-plot" data-receiver-id={receiverId} />
    </div>
  );
}
