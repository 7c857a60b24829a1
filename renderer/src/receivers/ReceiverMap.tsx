import { useCallback, type ReactNode } from 'react';
import { type Receiver } from '../../../shared/domain/receiver';
import { type KnownSource } from '../../../shared/domain/sessions';
import { fmtDistance, type Units } from '../ui/locate/distance';
import { SOURCE_COLOUR } from '../ui/locate/locateColours';
import { drawContours, drawFix, drawHeat, drawHyperbolaLabels, drawHyperbolaLines, drawSource, drawSourceMarker, placedWithControls } from '../ui/locate/drawLocate';
import { LocateLegend } from '../ui/locate/LocateLegend';
import { fixFit, locateHover } from '../ui/locate/LocateMap';
import { type PreparedLocate } from '../ui/locate/prepareLocate';
import { MapCanvas } from '../ui/map/MapCanvas';
import { toScreen, type MapView } from '../ui/map/mercator';

const KIND_COLOUR = { kiwisdr: '#ffd27a', openwebrx: '#3ec7ff' } as const;
const W = 900;
const H = 420;

/**
 * Receivers on an offline base map; drag to pan, wheel or +/- to zoom, F to fit. With a located
 * result (overlay) its heatmap, contours and hyperbolas lie under the receivers, the fix on top.
 */
export function ReceiverMap({
  receivers,
  sources = [],
  selectedId,
  onSelect,
  overlay = null,
  units = 'metric',
}: {
  receivers: Receiver[];
  /** Known transmitters, drawn as red diamonds (the ground truth of sessions). */
  sources?: KnownSource[];
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  overlay?: PreparedLocate | null;
  units?: Units;
}) {
  const located = receivers.filter((r) => r.lat !== null && r.lon !== null);
  const locatedKey = [...located.map((r) => `${r.id}:${r.lat}:${r.lon}`), ...sources.map((x) => `${x.id}:${x.lat}:${x.lon}`), overlay?.result.id ?? ''].join('|');
  const points = [...located.map((r): [number, number] => [r.lon!, r.lat!]), ...sources.map((x): [number, number] => [x.lon, x.lat]), ...(overlay?.regionPoints ?? [])];
  const overlaySource = overlay?.result.source ?? null;
  const distance = overlaySource ? fmtDistance(overlaySource.distanceKm, units) : null;

  const layers = useCallback(
    (ctx: CanvasRenderingContext2D, view: MapView, w: number, h: number) => {
      const placed = placedWithControls(w);
      const located = receivers.filter((r) => r.lat !== null && r.lon !== null);
      if (overlay) {
        drawHeat(ctx, overlay, view, w, h);
        drawHyperbolaLines(ctx, overlay, view, w, h, null);
        drawContours(ctx, overlay, view, w, h);
      }
      ctx.font = '13px system-ui, sans-serif';
      // Labels that would overlap an earlier one are left out (the marker stays; the table names it).
      for (const r of located) {
        const [x, y] = toScreen(view, w, h, r.lon!, r.lat!);
        placed.push([x - 7, y - 7, x + 7, y + 7]);
      }
      for (const src of sources) {
        // The located result's own source is drawn with its distance below.
        if (overlaySource && src.name === overlaySource.name && Math.abs(src.lat - overlaySource.lat) < 1e-6 && Math.abs(src.lon - overlaySource.lon) < 1e-6) continue;
        const [x, y] = toScreen(view, w, h, src.lon, src.lat);
        drawSourceMarker(ctx, x, y);
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
        ctx.font = '13px system-ui, sans-serif';
        const tw = ctx.measureText(r.name).width;
        const box: [number, number, number, number] = [x + 10, y - 9, x + 12 + tw, y + 6];
        if (placed.some((p) => box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1])) continue;
        placed.push(box);
        ctx.fillStyle = '#e3eaf2';
        ctx.fillText(r.name, x + 10, y + 4);
      }
      if (overlay) {
        drawFix(ctx, overlay, view, w, h, placed);
        drawSource(ctx, overlay, view, w, h, distance, placed);
        drawHyperbolaLabels(ctx, overlay, view, w, h, null, placed);
      }
    },
    [receivers, sources, overlaySource, selectedId, overlay, distance],
  );

  const hover = (px: number, py: number, view: MapView): ReactNode | null => {
    for (const r of located) {
      const [x, y] = toScreen(view, W, H, r.lon!, r.lat!);
      if (Math.hypot(x - px, y - py) < 10) return <strong>{r.name}</strong>;
    }
    return overlay ? locateHover(overlay, units, px, py, view, W, H) : null;
  };

  return (
    <MapCanvas
      width={W}
      height={H}
      fit={{ points }}
      fitKey={locatedKey}
      layers={layers}
      testId="receiver-map"
      ariaLabel={`Map of ${located.length} receivers${sources.length ? ` and ${sources.length} known source${sources.length === 1 ? '' : 's'}` : ''}${overlay ? ', with a located result' : ''}`}
      fitLabel="Fit all receivers"
      hover={overlay ? hover : undefined}
      extraControls={
        overlay
          ? (fitTo) => (
              <button className="btn btn-small" onClick={() => fitTo(fixFit(overlay))} title="Zoom to the located fix">
                Zoom to fix
              </button>
            )
          : undefined
      }
      onKey={
        overlay
          ? (key, fitTo) => {
              if (key !== 'z' && key !== 'Z') return false;
              fitTo(fixFit(overlay));
              return true;
            }
          : undefined
      }
      onPick={
        onSelect
          ? (px, py, view) => {
              let best: { id: string; d: number } | null = null;
              for (const r of located) {
                const [x, y] = toScreen(view, W, H, r.lon!, r.lat!);
                const dist = Math.hypot(x - px, y - py);
                if (dist < 14 && (!best || dist < best.d)) best = { id: r.id, d: dist };
              }
              if (best) onSelect(best.id);
            }
          : undefined
      }
    >
      <p className="map-legend" aria-hidden="true">
        <span style={{ color: KIND_COLOUR.kiwisdr }}>●</span> KiwiSDR <span style={{ color: KIND_COLOUR.openwebrx }}>●</span> OpenWebRX <span style={{ color: '#6b7785' }}>●</span> inactive
        {sources.length > 0 && (
          <>
            {' '}
            <span style={{ color: SOURCE_COLOUR }}>◆</span> known source
          </>
        )}
      </p>
      {overlay && <LocateLegend prepared={overlay} pairs />}
      {located.length < receivers.length && <p className="map-note">{receivers.length - located.length} receiver(s) have no coordinates and are not on the map.</p>}
    </MapCanvas>
  );
}
