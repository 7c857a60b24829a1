import { useCallback, useSyncExternalStore } from 'react';
import { formatDialMHz, spanOf } from '../ui/frequencyView';
import { type LiveModel } from './liveModel';
import { HISTORY_ROWS, TIME_STEPS } from './liveView';
import './live.css';

export const dialText = (hz: number): string => `${formatDialMHz(hz)} MHz`;

function spanText(hz: number): string {
  return hz >= 1e6 ? `${(hz / 1e6).toFixed(hz >= 1e7 ? 1 : 3)} MHz` : hz >= 1e3 ? `${(hz / 1e3).toFixed(hz >= 1e5 ? 0 : 1)} kHz` : `${Math.round(hz)} Hz`;
}

function CursorReadout({ model }: { model: LiveModel }) {
  const view = model.view;
  useSyncExternalStore(view.subscribeCursor, view.getCursorVersion);
  const hz = view.cursorHz;
  return (
    <div className="readout" data-testid="cursor-readout">
      <span className="readout-label">Cursor</span>
      <span className="readout-value mono">{hz === null ? '—' : dialText(hz)}</span>
    </div>
  );
}

/**
 * The Live page's view controls: the dial (and a way back after a click-tune), the cursor readout,
 * frequency zoom, time zoom, pause and scroll-back. Every control has a key (see the help overlay).
 */
export function LiveToolbar({
  model,
  dialHz,
  retuningTo,
  previousHz,
  onBack,
}: {
  model: LiveModel;
  dialHz: number | null;
  retuningTo: number | null;
  previousHz: number | null;
  onBack: () => void;
}) {
  const view = model.view;
  useSyncExternalStore(view.subscribeLayout, view.getLayoutVersion);
  // Seconds of rows on screen, from the measured row rate (re-renders only when it changes).
  const subscribeTick = useCallback((fn: () => void) => model.onTick(fn), [model]);
  const seconds = useSyncExternalStore(subscribeTick, () => {
    const rate = view.refId !== null ? model.slot(view.refId).rowRate : 0;
    return rate > 0 ? Math.round(view.visibleRows / rate) : 0;
  });
  const range = view.rangeOf(view.refId);
  const timeIndex = TIME_STEPS.indexOf(view.visibleRows as (typeof TIME_STEPS)[number]);

  return (
    <div className="panel live-toolbar" role="toolbar" aria-label="Waterfall view">
      <div className="readout readout-dial" data-testid="dial-readout">
        <span className="readout-label">{retuningTo !== null ? 'Retuning to' : 'Dial'}</span>
        <span className="readout-value mono">{retuningTo !== null ? dialText(retuningTo) : dialHz !== null ? dialText(dialHz) : '—'}</span>
        {previousHz !== null && retuningTo === null && (
          <button type="button" className="btn btn-small" onClick={onBack}>
            ↶ Back to {dialText(previousHz)}
          </button>
        )}
      </div>
      <CursorReadout model={model} />
      <div className="tool-group" role="group" aria-label="Frequency zoom">
        <span className="tool-label">Frequency</span>
        <button type="button" className="btn btn-icon" aria-label="Zoom out in frequency" aria-keyshortcuts="-" title="Zoom out (−)" onClick={() => view.zoom(1 / 2)} disabled={!view.zoomed}>
          −
        </button>
        <button type="button" className="btn btn-icon" aria-label="Zoom in in frequency" aria-keyshortcuts="+" title="Zoom in (+)" onClick={() => view.zoom(2)} disabled={!range}>
          +
        </button>
        <button type="button" className="btn btn-small" aria-keyshortcuts="0" title="Reset zoom (0)" onClick={() => view.resetZoom()} disabled={!view.zoomed}>
          Reset zoom
        </button>
        <span className="tool-value mono" data-testid="span-readout">
          {range ? `${view.zoomed ? 'Span' : 'Full span'} ${spanText(spanOf(range))}` : ''}
        </span>
      </div>
      <div className="tool-group" role="group" aria-label="Time">
        <span className="tool-label">Time</span>
        <button type="button" className="btn btn-icon" aria-label="Show more time (shorter rows)" aria-keyshortcuts="[" title="More time, shorter rows ([)" onClick={() => view.timeZoom(-1)} disabled={timeIndex === TIME_STEPS.length - 1}>
          −
        </button>
        <button type="button" className="btn btn-icon" aria-label="Show less time (taller rows)" aria-keyshortcuts="]" title="Less time, taller rows (])" onClick={() => view.timeZoom(1)} disabled={timeIndex === 0}>
          +
        </button>
        <span className="tool-value mono" data-testid="time-readout">
          {seconds > 0 ? `${seconds} s shown` : `${view.visibleRows} rows`}
        </span>
      </div>
      <LevelControls model={model} />
      <div className="tool-group" role="group" aria-label="History">
        <span className="tool-label">History</span>
        <button type="button" className={`btn btn-small${view.paused ? ' btn-on' : ''}`} aria-pressed={view.paused} aria-keyshortcuts="P" onClick={() => view.setPaused(!view.paused)}>
          {view.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="btn btn-small" aria-keyshortcuts="PageUp" title="Older rows (Page Up)" onClick={() => view.scrollBy(view.visibleRows / 4)} disabled={view.paused && view.scrollBack >= HISTORY_ROWS - view.visibleRows}>
          ▲ Older
        </button>
        <button type="button" className="btn btn-small" aria-keyshortcuts="PageDown" title="Newer rows (Page Down)" onClick={() => view.scrollBy(-view.visibleRows / 4)} disabled={!view.paused || view.scrollBack === 0}>
          ▼ Newer
        </button>
      </div>
      <p className="live-hint">
        Hover a waterfall for the cursor · <b>wheel</b> or <kbd>+</kbd>/<kbd>−</kbd> zoom · <b>drag</b> pans · <b>click</b> or <kbd>Enter</kbd> tunes · <kbd>←</kbd>/<kbd>→</kbd> move the cursor
        on a focused waterfall · <kbd>P</kbd> pause · <kbd>?</kbd> all keys
      </p>
    </div>
  );
}

/** Colour range of the waterfalls: auto (as the rows come) or a manual floor and top in dB. */
function LevelControls({ model }: { model: LiveModel }) {
  const view = model.view;
  const levels = view.levels;
  const manual = levels !== null;
  const startManual = () => {
    // Start from what the reference receiver shows now, so switching to manual changes nothing at first.
    const s = view.refId !== null ? model.slot(view.refId) : null;
    const lo = s && s.maxDb > s.minDb ? Math.round(s.minDb) : -140;
    const hi = s && s.maxDb > s.minDb ? Math.round(s.maxDb) : -60;
    view.setLevels({ lo, hi });
  };
  return (
    <div className="tool-group" role="group" aria-label="Levels">
      <span className="tool-label">Levels</span>
      <button type="button" className={`btn btn-small${manual ? '' : ' btn-on'}`} aria-pressed={!manual} onClick={() => (manual ? view.setLevels(null) : startManual())} title="Auto: each waterfall follows its own noise floor">
        {manual ? 'Manual' : 'Auto'}
      </button>
      {levels && (
        <>
          <label className="level-field">
            <span>Floor</span>
            <input type="number" step={5} value={levels.lo} aria-label="Level floor (dB)" title="Raise it to hide noise (arrow keys: 5 dB steps)" onChange={(e) => view.setLevels({ ...levels, lo: Number(e.target.value) })} />
          </label>
          <label className="level-field">
            <span>Top</span>
            <input type="number" step={5} value={levels.hi} aria-label="Level top (dB)" onChange={(e) => view.setLevels({ ...levels, hi: Number(e.target.value) })} />
          </label>
          <span className="tool-note mono">dB</span>
        </>
      )}
    </div>
  );
}
