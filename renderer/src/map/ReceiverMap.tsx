import { useEffect, useRef, useState } from 'react';
import { type Receiver } from '../../../shared/domain/receiver';
import { type KnownSource } from '../../../shared/domain/sessions';
import { loadBaseMap, type BaseMap, type ProjectedLine } from './basemap';
import { fitView, toScreen, type MapView } from './mercator';

const KIND_COLOUR = { kiwisdr: '#ffd27a', openwebrx: '#3ec7ff' } as const;
const SOURCE_COLOUR = '#ff6b6b';

function drawLines(ctx: CanvasRenderingContext2D, lines: ProjectedLine[], view: MapView, w: number, h: number) {
  const left = view.cx - w / 2 / view.scale;
  const right = view.cx + w / 2 / view.scale;
  const bottom = view.cy - h / 2 / view.scale;
  const top = view.cy + h / 2 / view.scale;
  ctx.beginPath();
  for (const l of lines) {
    if (l.maxX < left || l.minX > right || l.maxY < bottom || l.minY > top) continue;
    for (let i = 0; i < l.xy.length; i += 2) {
      const x = w / 2 + (l.xy[i]! - view.cx) * view.scale;
      const y = h / 2 - (l.xy[i + 1]! - view.cy) * view.scale;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
  }
  ctx.stroke();
}

/** Receivers on an offline base map; drag to pan, wheel or +/- to zoom, F to fit. */
export function ReceiverMap({
  receivers,
  sources = [],
  selectedId,
  onSelect,
}: {
  receivers: Receiver[];
  /** Known transmitters, drawn as red diamonds (the ground truth of sessions). */
  sources?: KnownSource[];
  selectedId?: string | null;
  onSelect?: (id: string) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [base, setBase] = useState<BaseMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<MapView | null>(null);
  const located = receivers.filter((r) => r.lat !== null && r.lon !== null);
  const locatedKey = [...located.map((r) => `${r.id}:${r.lat}:${r.lon}`), ...sources.map((x) => `${x.id}:${x.lat}:${x.lon}`)].join('|');

  useEffect(() => {
    loadBaseMap().then(setBase, (e: Error) => setError(e.message));
  }, []);

  const fit = () => {
    const el = canvas.current;
    if (el) setView(fitView([...located.map((r): [number, number] => [r.lon!, r.lat!]), ...sources.map((x): [number, number] => [x.lon, x.lat])], el.width, el.height));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(fit, [locatedKey]);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !view) return;
    const { width: w, height: h } = el;
    ctx.fillStyle = '#0a1620';
    ctx.fillRect(0, 0, w, h);
    if (base) {
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#5d7a8f';
      drawLines(ctx, base.coast, view, w, h);
      ctx.strokeStyle = '#34495a';
      ctx.setLineDash([4, 3]);
      drawLines(ctx, base.borders, view, w, h);
      ctx.setLineDash([]);
    }
    ctx.font = '13px system-ui, sans-serif';
    // Labels that would overlap an earlier one are left out (the marker stays; the table names it).
    const placed: [number, number, number, number][] = located.map((r) => {
      const [x, y] = toScreen(view, w, h, r.lon!, r.lat!);
      return [x - 7, y - 7, x + 7, y + 7];
    });
    for (const src of sources) {
      const [x, y] = toScreen(view, w, h, src.lon, src.lat);
      ctx.beginPath();
      ctx.moveTo(x, y - 8);
      ctx.lineTo(x + 8, y);
      ctx.lineTo(x, y + 8);
      ctx.lineTo(x - 8, y);
      ctx.closePath();
      ctx.fillStyle = SOURCE_COLOUR;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#0b0f14';
      ctx.stroke();
      const tw = ctx.measureText(src.name).width;
      const box: [number, number, number, number] = [x + 11, y - 9, x + 13 + tw, y + 6];
      if (placed.some((p) => box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1])) continue;
      placed.push(box);
      ctx.fillStyle = '#ffc9c9';
      ctx.fillText(src.name, x + 11, y + 4);
    }
    const ordered = [...located].sort((a, b) => Number(b.id === selectedId) - Number(a.id === selectedId));
    for (const r of ordered) {
      const [x, y] = toScreen(view, w, h, r.lon!, r.lat!);
      const selected = r.id === selectedId;
      ctx.beginPath();
      ctx.arc(x, y, selected ? 8 : 6, 0, Math.PI * 2);
      ctx.fillStyle = r.active ? KIND_COLOUR[r.kind] : '#6b7785';
      ctx.fill();
      ctx.lineWidth = selected ? 3 : 1.5;
      ctx.strokeStyle = selected ? '#ffffff' : '#0b0f14';
      ctx.stroke();
      const tw = ctx.measureText(r.name).width;
      const box: [number, number, number, number] = [x + 10, y - 9, x + 12 + tw, y + 6];
      if (placed.some((p) => box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1])) continue;
      placed.push(box);
      ctx.fillStyle = '#e3eaf2';
      ctx.fillText(r.name, x + 10, y + 4);
    }
  }, [base, view, located, sources, selectedId]);

  const zoom = (factor: number) => setView((v) => (v ? { ...v, scale: Math.max(50, Math.min(5e6, v.scale * factor)) } : v));
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  return (
    <div className="map">
      <canvas
        ref={canvas}
        width={900}
        height={420}
        tabIndex={0}
        role="img"
        aria-label={`Map of ${located.length} receivers${sources.length ? ` and ${sources.length} known source${sources.length === 1 ? '' : 's'}` : ''}`}
        data-testid="receiver-map"
        onWheel={(e) => zoom(e.deltaY < 0 ? 1.25 : 0.8)}
        onKeyDown={(e) => {
          if (e.key === '+' || e.key === '=') zoom(1.25);
          else if (e.key === '-') zoom(0.8);
          else if (e.key === 'f' || e.key === 'F') fit();
          else return;
          e.preventDefault();
        }}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY, moved: false };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d || !view) return;
          const el = e.currentTarget;
          const k = el.width / el.clientWidth;
          const dx = (e.clientX - d.x) * k;
          const dy = (e.clientY - d.y) * k;
          if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
          d.x = e.clientX;
          d.y = e.clientY;
          setView({ ...view, cx: view.cx - dx / view.scale, cy: view.cy + dy / view.scale });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (!d || d.moved || !view || !onSelect) return;
          const el = e.currentTarget;
          const rect = el.getBoundingClientRect();
          const k = el.width / rect.width;
          const px = (e.clientX - rect.left) * k;
          const py = (e.clientY - rect.top) * k;
          let best: { id: string; d: number } | null = null;
          for (const r of located) {
            const [x, y] = toScreen(view, el.width, el.height, r.lon!, r.lat!);
            const dist = Math.hypot(x - px, y - py);
            if (dist < 14 && (!best || dist < best.d)) best = { id: r.id, d: dist };
          }
          if (best) onSelect(best.id);
        }}
      />
      <div className="map-controls">
        <button className="btn btn-small" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button className="btn btn-small" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button className="btn btn-small" onClick={fit} aria-label="Fit all receivers">
          Fit
        </button>
      </div>
      <p className="map-legend" aria-hidden="true">
        <span style={{ color: KIND_COLOUR.kiwisdr }}>●</span> KiwiSDR <span style={{ color: KIND_COLOUR.openwebrx }}>●</span> OpenWebRX <span style={{ color: '#6b7785' }}>●</span> inactive
        {sources.length > 0 && (
          <>
            {' '}
            <span style={{ color: SOURCE_COLOUR }}>◆</span> known source
          </>
        )}
      </p>
      {error && <p className="map-note">Base map unavailable: {error}. Receivers are still shown.</p>}
      {!error && located.length < receivers.length && <p className="map-note">{receivers.length - located.length} receiver(s) have no coordinates and are not on the map.</p>}
    </div>
  );
}
