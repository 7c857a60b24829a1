import { useCallback, useEffect, useRef, useState } from 'react';
import { type ListenSettings, type ReviewWaterfall as ReviewWaterfallData } from '../../../../shared/domain/audio';
import { useStation } from '../../station/StationContext';
import { colorMap, type ColorMapName } from '../waterfall/colormaps';
import { justDraggedPassband } from './passband';
import { PassbandLayer } from './PassbandLayer';
import { type PlayCursor } from './playCursor';

export const CURSOR_RGB = [255, 64, 200] as const;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * One receiver's recording around a segment as a waterfall, time running down from the top, with
 * the segment's edges, the play cursor (a magenta line at the moment being heard) and, for IQ, the
 * passband the recording is demodulated with (edges draggable). A click plays from that moment.
 */
export function ReviewWaterfall({
  sessionId,
  receiverId,
  name,
  startMs,
  endMs,
  segment,
  dialHz,
  listen,
  colors,
  cursor,
  onSeek,
  onListen,
}: {
  sessionId: string;
  receiverId: string;
  name: string;
  startMs: number;
  endMs: number;
  segment: { startMs: number; endMs: number };
  dialHz: number;
  listen: ListenSettings | null;
  colors: ColorMapName;
  cursor: PlayCursor;
  onSeek: (ms: number) => void;
  onListen: (l: ListenSettings, commit: boolean) => void;
}) {
  const station = useStation();
  const want = `${sessionId}:${receiverId}:${startMs}:${endMs}`;
  const [got, setGot] = useState<{ key: string; value: ReviewWaterfallData | { error: string } } | null>(null);
  const data = got?.key === want ? got.value : null;
  const image = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let live = true;
    const key = `${sessionId}:${receiverId}:${startMs}:${endMs}`;
    station.getReviewWaterfall({ sessionId, receiverId, startMs, endMs }).then(
      (w) => live && setGot({ key, value: w }),
      (e: Error) => live && setGot({ key, value: { error: e.message } }),
    );
    return () => {
      live = false;
    };
  }, [station, sessionId, receiverId, startMs, endMs]);

  const wf = data && !('error' in data) ? data : null;

  // The spectrogram itself: one canvas pixel per bin and row, stretched by CSS.
  useEffect(() => {
    const c = image.current;
    if (!c || !wf || wf.rows === 0) return;
    c.width = wf.bins;
    c.height = wf.rows;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(wf.bins, wf.rows);
    const px = new Uint32Array(img.data.buffer);
    const lut = colorMap(colors);
    const bytes = decodeBase64(wf.data);
    for (let i = 0; i < px.length; i++) px[i] = lut[bytes[i]!]!;
    ctx.putImageData(img, 0, 0);
    c.dataset.rows = String(wf.rows);
  }, [wf, colors]);

  const yOf = useCallback((ms: number, h: number) => (wf ? ((ms - wf.t0Ms) / (wf.rows * wf.rowMs)) * h : 0), [wf]);

  // Segment edges and the play cursor, redrawn as the cursor moves.
  useEffect(() => {
    const c = overlay.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !wf) return;
    const draw = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(c.clientWidth * dpr));
      const h = Math.max(1, Math.round(c.clientHeight * dpr));
      if (c.width !== w || c.height !== h) {
        c.width = w;
        c.height = h;
      }
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.7)';
      for (const ms of [segment.startMs, segment.endMs]) {
        const y = Math.round(yOf(ms, h));
        for (let x = 0; x < w; x += 8 * dpr) ctx.fillRect(x, y, 4 * dpr, Math.max(1, dpr));
      }
      const at = cursor.get();
      if (at !== null) {
        const y = Math.round(yOf(at, h));
        if (y >= 0 && y < h) {
          ctx.fillStyle = `rgb(${CURSOR_RGB.join(',')})`;
          ctx.fillRect(0, y - dpr, w, Math.max(2, Math.round(2 * dpr)));
        }
        c.dataset.cursorMs = String(Math.round(at));
      } else delete c.dataset.cursorMs;
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(c);
    const off = cursor.subscribe(draw);
    return () => {
      ro.disconnect();
      off();
    };
  }, [wf, cursor, segment.startMs, segment.endMs, yOf]);

  const range = useCallback(() => (wf && wf.axis === 'rf' ? { lo: wf.startHz - wf.binHz / 2, hi: wf.startHz + (wf.bins - 0.5) * wf.binHz } : null), [wf]);

  if (!data) return <div className="waterfall-placeholder review-wf-placeholder">Drawing {name}’s waterfall…</div>;
  if ('error' in data) return <div className="waterfall-placeholder review-wf-placeholder">No waterfall: {data.error}</div>;
  const khz = (hz: number) => `${hz >= 0 ? '+' : '−'}${Math.abs(hz / 1000).toFixed(1)} kHz`;
  return (
    <div className="review-wf" data-testid="review-waterfall" data-receiver-id={receiverId}>
      <div
        className="review-wf-stack"
        title="Click to play from here"
        onClick={(e) => {
          if (!wf || justDraggedPassband(e.currentTarget)) return;
          const r = e.currentTarget.getBoundingClientRect();
          onSeek(wf.t0Ms + ((e.clientY - r.top) / r.height) * wf.rows * wf.rowMs);
        }}
      >
        <canvas ref={image} className="review-wf-image" aria-label={`${name}: waterfall of the recording around the segment`} />
        {wf?.axis === 'rf' && <PassbandLayer range={range} dialHz={dialHz} listen={listen} editable onChange={onListen} />}
        <canvas ref={overlay} className="review-wf-overlay" aria-hidden="true" />
      </div>
      <div className="rec-axis mono review-wf-axis" aria-hidden="true">
        {wf?.axis === 'rf' ? (
          <>
            <span>{khz(wf.startHz - dialHz)}</span>
            <span>{name}</span>
            <span>{khz(wf.startHz + wf.bins * wf.binHz - dialHz)}</span>
          </>
        ) : (
          <>
            <span>0 Hz</span>
            <span>{name} · audio</span>
            <span>{wf ? `${((wf.bins * wf.binHz) / 1000).toFixed(1)} kHz` : ''}</span>
          </>
        )}
      </div>
    </div>
  );
}
