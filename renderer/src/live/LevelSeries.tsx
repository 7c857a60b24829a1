import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { LEVEL_WINDOW_S, type LiveModel } from './liveModel';
import { axis, SMETER_COLOUR, SNR_COLOUR } from '../ui/plotTheme';
import '../ui/plot.css';
import './live.css';

const HEIGHT = 120;

const last = (a: readonly (number | null)[]): number | null => {
  for (let i = a.length - 1; i >= Math.max(0, a.length - 4); i--) if (a[i] !== null && a[i] !== undefined) return a[i]!;
  return null;
};

/**
 * The last two minutes of one receiver: S-meter (receiverStates) and SNR (strongest minus median
 * bin of its newest waterfall row), sampled twice a second; redrawn on each sample, no faster.
 */
export const LevelSeries = memo(function LevelSeries({ model, receiverId, unit }: { model: LiveModel; receiverId: string; unit: string }) {
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xs: number[] = [];
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        cursor: { show: false },
        legend: { show: false },
        scales: {
          x: { time: false, range: () => [-LEVEL_WINDOW_S, 0] },
          lvl: { range: (_u, min, max) => (min === null || max === null || !Number.isFinite(min) ? [-130, -30] : [Math.floor((min - 3) / 10) * 10, Math.ceil((max + 3) / 10) * 10]) },
          snr: { range: (_u, _min, max) => [0, max === null || !Number.isFinite(max) ? 40 : Math.max(30, Math.ceil((max + 3) / 10) * 10)] },
        },
        axes: [
          axis({ space: 70, size: 30, values: (_u, splits) => splits.map((v) => (v === 0 ? 'now' : `${v} s`)) }, 12),
          axis({ scale: 'lvl', size: 44, space: 28, stroke: SMETER_COLOUR, values: (_u, splits) => splits.map((v) => v.toFixed(0)) }, 12),
          axis({ scale: 'snr', side: 1, size: 36, space: 28, stroke: SNR_COLOUR, grid: { show: false }, values: (_u, splits) => splits.map((v) => v.toFixed(0)) }, 12),
        ],
        // SNR as a shaded area under the S-meter line: when both rise together, both stay visible.
        series: [
          {},
          { label: 'SNR (dB)', scale: 'snr', stroke: SNR_COLOUR, width: 1.5, fill: 'rgba(126, 224, 129, 0.22)', points: { show: false } },
          { label: `S-meter (${unit})`, scale: 'lvl', stroke: SMETER_COLOUR, width: 2.5, points: { show: false } },
        ],
      },
      [xs, [], []],
      el,
    );
    u.root.classList.add('dark-plot');
    const off = model.onTick(() => {
      const slot = model.slot(receiverId);
      const now = Date.now();
      xs.length = slot.times.length;
      for (let i = 0; i < xs.length; i++) xs[i] = (slot.times[i]! - now) / 1000;
      u.setData([xs, slot.snr, slot.smeter]);
      const snr = last(slot.snr);
      if (readout.current) readout.current.textContent = `SNR ${snr === null ? '—' : `${snr.toFixed(0)} dB`}`;
      el.dataset.samples = String(xs.length);
    });
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: HEIGHT });
    });
    ro.observe(el);
    return () => {
      off();
      ro.disconnect();
      u.destroy();
    };
  }, [model, receiverId, unit]);

  return (
    <div className="levels">
      <div className="levels-key">
        <span className="plot-key">
          <span className="swatch" style={{ background: SMETER_COLOUR }} /> S-meter
        </span>
        <span className="plot-key">
          <span className="swatch swatch-area" style={{ background: SNR_COLOUR }} /> SNR
        </span>
        <span ref={readout} className="levels-now mono" aria-live="off" />
      </div>
      <div ref={host} className="levels-plot" data-testid="level-series" data-receiver-id={receiverId} />
    </div>
  );
});
