import { memo, useCallback, useEffect, useRef } from 'react';
import { type ListenSettings } from '../../../shared/domain/audio';
import { PassbandLayer } from '../ui/audio/PassbandLayer';
import { type ColorMapName } from '../ui/waterfall/colormaps';
import { WaterfallCanvas } from '../ui/waterfall/WaterfallCanvas';
import { FrequencyAxis } from './FrequencyAxis';
import { attachFrequencyPointer, handleFrequencyKey } from './frequencyPointer';
import { formatMHz, pointerResolutionHz } from '../ui/frequencyView';
import { type LiveModel } from './liveModel';
import { HISTORY_ROWS } from './liveView';
import { drawMarkers } from './overlay';
import './live.css';

/**
 * One receiver's waterfall on the Live page: the waterfall, the dial and cursor markers over it,
 * the frequency axis under it, and the passband of its demodulator (edges draggable when it can
 * change). Hover, wheel, drag, click and keys act on the shared view; a click (or Enter) tunes.
 * Memoised: the page re-renders on S-meter events, this need not.
 */
export const WaterfallPanel = memo(function WaterfallPanel({
  model,
  receiverId,
  bins,
  colors,
  label,
  onTune,
  dialHz = null,
  listen = null,
  listenEditable = false,
  onListen,
}: {
  model: LiveModel;
  receiverId: string;
  bins: number;
  colors: ColorMapName;
  label: string;
  onTune: (hz: number) => void;
  dialHz?: number | null;
  listen?: ListenSettings | null;
  listenEditable?: boolean;
  onListen?: (receiverId: string, l: ListenSettings, commit: boolean) => void;
}) {
  const view = model.view;
  const range = useCallback(() => view.rangeOf(receiverId), [view, receiverId]);
  const changeListen = useCallback((l: ListenSettings, commit: boolean) => onListen?.(receiverId, l, commit), [onListen, receiverId]);
  const stack = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = stack.current;
    if (!el) return;
    return attachFrequencyPointer(el, { view, receiverId, onTune });
  }, [view, receiverId, onTune]);

  // Markers: redrawn on the next frame after the cursor, dial, zoom or size changed.
  useEffect(() => {
    const host = stack.current;
    const canvas = overlay.current;
    const ctx = canvas?.getContext('2d');
    if (!host || !canvas || !ctx) return;
    let raf = 0;
    const draw = () => {
      raf = 0;
      const range = view.rangeOf(receiverId);
      const cssW = host.clientWidth;
      const dpr = window.devicePixelRatio || 1;
      const res = range ? pointerResolutionHz(range, cssW) : 1;
      drawMarkers(ctx, canvas.width, canvas.height, dpr, range, view.dialHz, view.cursorHz, res, view.paused);
      // The slider's value for screen readers follows the cursor (set here: no re-render per move).
      if (view.cursorHz !== null) {
        host.setAttribute('aria-valuenow', String(Math.round(view.cursorHz)));
        host.setAttribute('aria-valuetext', `Cursor ${formatMHz(view.cursorHz, res)} MHz`);
      } else if (view.dialHz !== null) {
        host.setAttribute('aria-valuenow', String(Math.round(view.dialHz)));
        host.setAttribute('aria-valuetext', `Dial ${formatMHz(view.dialHz, 100)} MHz`);
      }
      if (range) {
        host.setAttribute('aria-valuemin', String(Math.round(range.lo)));
        host.setAttribute('aria-valuemax', String(Math.round(range.hi)));
      }
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    const ro = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(host.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(host.clientHeight * dpr));
      draw();
    });
    ro.observe(host);
    const offLayout = view.subscribeLayout(schedule);
    const offCursor = view.subscribeCursor(schedule);
    return () => {
      ro.disconnect();
      offLayout();
      offCursor();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [view, receiverId]);

  return (
    <div className="wf-panel">
      <div
        ref={stack}
        className="wf-stack"
        tabIndex={0}
        role="slider"
        aria-label={`${label}: tuning cursor. Arrows move it, Enter tunes, + and − zoom.`}
        aria-keyshortcuts="ArrowLeft ArrowRight Enter Home"
        data-receiver-id={receiverId}
        onKeyDown={(e) => {
          if (handleFrequencyKey(e.nativeEvent, view, receiverId, onTune)) e.preventDefault();
        }}
        onFocus={() => {
          if (view.cursorHz === null) {
            const range = view.rangeOf(receiverId);
            if (range) view.setCursor(view.dialHz !== null && view.dialHz >= range.lo && view.dialHz <= range.hi ? view.dialHz : (range.lo + range.hi) / 2);
          }
        }}
        onBlur={() => view.setCursor(null)}
      >
        <WaterfallCanvas feed={model.feed(receiverId)} bins={bins} colors={colors} label={label} view={view} historyRows={HISTORY_ROWS} />
        <PassbandLayer range={range} subscribe={view.subscribeLayout} dialHz={dialHz} listen={listen} editable={listenEditable && !!onListen} onChange={changeListen} />
        <canvas ref={overlay} className="wf-overlay" aria-hidden="true" />
      </div>
      <FrequencyAxis view={view} receiverId={receiverId} />
    </div>
  );
});
