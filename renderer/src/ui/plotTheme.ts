/** uPlot styling shared by the plots (ui/SpectrumPlot, live/LevelSeries): dark panel, light large type, quiet grid. */
import type uPlot from 'uplot';

export const PLOT_TEXT = '#e3eaf2';
export const PLOT_GRID = 'rgba(138, 155, 176, 0.18)';
export const SPECTRUM_COLOUR = '#3ec7ff';
export const PEAK_COLOUR = '#ffb020';
export const SMETER_COLOUR = '#3ec7ff';
export const SNR_COLOUR = '#7ee081';

export function axis(extra: uPlot.Axis, fontPx = 14): uPlot.Axis {
  return {
    stroke: PLOT_TEXT,
    font: `600 ${fontPx}px system-ui, sans-serif`,
    labelFont: `600 ${fontPx}px system-ui, sans-serif`,
    grid: { stroke: PLOT_GRID, width: 1 },
    ticks: { stroke: PLOT_GRID, width: 1, size: 5 },
    ...extra,
  };
}

/** Calls fn at most once per `minMs`, on an animation frame, however often it is requested. */
export function throttled(fn: () => void, minMs: number): { request: () => void; cancel: () => void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let raf = 0;
  const run = () => {
    raf = 0;
    last = performance.now();
    fn();
  };
  return {
    request() {
      if (timer || raf) return;
      const wait = last + minMs - performance.now();
      if (wait <= 0) raf = requestAnimationFrame(run);
      else
        timer = setTimeout(() => {
          timer = null;
          raf = requestAnimationFrame(run);
        }, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      if (raf) cancelAnimationFrame(raf);
      timer = null;
      raf = 0;
    },
  };
}
