import { useEffect, useRef, useState, type ReactNode } from 'react';
import { drawBaseMap, loadBaseMap, type BaseMap } from './basemap';
import { fitView, type MapView } from './mercator';

/** What a map draws over the base map, in canvas pixels for the given view. */
export type MapLayers = (ctx: CanvasRenderingContext2D, view: MapView, w: number, h: number) => void;

export interface MapFit {
  /** [lon, lat] points to show. */
  points: [number, number][];
  /** Smallest span, projected radians (see fitView). */
  minSpan?: number;
}

/**
 * A pannable, zoomable map canvas on the offline base map: drag to pan, wheel or +/- to zoom, F to
 * fit. The layers are drawn on every view change, so they must be cheap (pre-projected lines, images
 * made once).
 */
export function MapCanvas({
  width = 900,
  height = 420,
  fit,
  fitKey,
  layers,
  ariaLabel,
  testId,
  fitLabel,
  extraControls,
  onPick,
  hover,
  onKey,
  children,
}: {
  width?: number;
  height?: number;
  fit: MapFit;
  /** The view is fitted again whenever this changes. */
  fitKey: string;
  layers: MapLayers;
  ariaLabel: string;
  testId: string;
  fitLabel: string;
  /** Buttons beside +, − and Fit; they get a function that fits the view to other points. */
  extraControls?: (fitTo: (f: MapFit) => void) => ReactNode;
  /** A click that did not drag, in canvas pixels. */
  onPick?: (px: number, py: number, view: MapView) => void;
  /** What to say about the point under the pointer (a tooltip), or null. */
  hover?: (px: number, py: number, view: MapView) => ReactNode | null;
  /** Keys for the focused canvas beyond +, − and F; true when handled. */
  onKey?: (key: string, fitTo: (f: MapFit) => void) => boolean;
  /** Legend and notes under the map. */
  children?: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [base, setBase] = useState<BaseMap | null>(null);
  const [baseError, setBaseError] = useState<string | null>(null);
  const [view, setView] = useState<MapView | null>(null);
  const [tip, setTip] = useState<{ x: number; y: number; content: ReactNode } | null>(null);

  useEffect(() => {
    loadBaseMap().then(setBase, (e: Error) => setBaseError(e.message));
  }, []);

  const fitTo = (f: MapFit) => setView(fitView(f.points, width, height, f.minSpan));
  const fitRef = useRef(fit);
  useEffect(() => {
    fitRef.current = fit;
  });
  useEffect(() => {
    setView(fitView(fitRef.current.points, width, height, fitRef.current.minSpan));
  }, [fitKey, width, height]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !view) return;
    drawBaseMap(ctx, base, view, width, height);
    layers(ctx, view, width, height);
  }, [base, view, layers, width, height]);

  const zoom = (factor: number) => setView((v) => (v ? { ...v, scale: Math.max(50, Math.min(5e6, v.scale * factor)) } : v));
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const toCanvas = (el: HTMLCanvasElement, clientX: number, clientY: number) => {
    const rect = el.getBoundingClientRect();
    const k = el.width / rect.width;
    return { px: (clientX - rect.left) * k, py: (clientY - rect.top) * k, cssX: clientX - rect.left, cssY: clientY - rect.top };
  };

  return (
    <div className="map">
      <canvas
        ref={canvas}
        width={width}
        height={height}
        style={{ aspectRatio: `${width} / ${height}` }}
        tabIndex={0}
        role="img"
        aria-label={ariaLabel}
        data-testid={testId}
        // The view in projected radians, so an e2e can say where a place lands on the canvas.
        data-view={view ? `${view.cx} ${view.cy} ${view.scale}` : undefined}
        onWheel={(e) => zoom(e.deltaY < 0 ? 1.25 : 0.8)}
        onKeyDown={(e) => {
          if (e.ctrlKey || e.metaKey || e.altKey) return;
          if (e.key === '+' || e.key === '=') zoom(1.25);
          else if (e.key === '-') zoom(0.8);
          else if (e.key === 'f' || e.key === 'F') fitTo(fit);
          else if (!onKey?.(e.key, fitTo)) return;
          e.preventDefault();
          e.stopPropagation();
        }}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY, moved: false };
          e.currentTarget.setPointerCapture(e.pointerId);
          setTip(null);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!view) return;
          const el = e.currentTarget;
          if (!d) {
            if (!hover) return;
            const p = toCanvas(el, e.clientX, e.clientY);
            const content = hover(p.px, p.py, view);
            setTip(content ? { x: p.cssX, y: p.cssY, content } : null);
            return;
          }
          const k = el.width / el.clientWidth;
          const dx = (e.clientX - d.x) * k;
          const dy = (e.clientY - d.y) * k;
          if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
          d.x = e.clientX;
          d.y = e.clientY;
          setView({ ...view, cx: view.cx - dx / view.scale, cy: view.cy + dy / view.scale });
        }}
        onPointerLeave={() => setTip(null)}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (!d || d.moved || !view || !onPick) return;
          const p = toCanvas(e.currentTarget, e.clientX, e.clientY);
          onPick(p.px, p.py, view);
        }}
      />
      {tip && (
        <div className="map-tip" style={{ left: tip.x + 14, top: tip.y + 10 }} role="tooltip">
          {tip.content}
        </div>
      )}
      <div className="map-controls">
        {extraControls?.(fitTo)}
        <button className="btn btn-small" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button className="btn btn-small" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button className="btn btn-small" onClick={() => fitTo(fit)} aria-label={fitLabel} title={`${fitLabel} (F)`}>
          Fit
        </button>
      </div>
      {children}
      {baseError && <p className="map-note">Base map unavailable: {baseError}. The rest is still shown.</p>}
    </div>
  );
}
