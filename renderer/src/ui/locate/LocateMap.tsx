import { useCallback } from 'react';
import { MapCanvas, type MapFit } from '../map/MapCanvas';
import { toScreen, type MapView } from '../map/mercator';
import { fmtDistance, fmtLatLon, type Units } from './distance';
import { drawContours, drawFix, drawHeat, drawHyperbolaLabels, drawHyperbolaLines, drawJudgedReceivers, drawSource, placedWithControls } from './drawLocate';
import { LocateLegend } from './LocateLegend';
import { type PreparedLocate } from './prepareLocate';

const MAP_W = 900;
const MAP_H = 520;

/** Fit on the fix: its outer contour and the source, at least ~2 km across (so a near source stands apart). */
export const fixFit = (p: PreparedLocate): MapFit => ({ points: p.fixPoints, minSpan: 0.0003 });

/** What the pointer is over on a locate map: a receiver (with why it was left out), the fix, the source. */
export function locateHover(p: PreparedLocate, units: Units, px: number, py: number, view: MapView, w: number, h: number) {
  const near = (lon: number, lat: number) => {
    const [x, y] = toScreen(view, w, h, lon, lat);
    return Math.hypot(x - px, y - py) < 12;
  };
  const r = p.receivers.find((x) => x.lat !== null && x.lon !== null && near(x.lon, x.lat));
  if (r) {
    return (
      <>
        <strong>{r.name}</strong> · {r.status === 'good' ? 'used' : 'left out'}
        {r.reason && <div>{r.reason}</div>}
      </>
    );
  }
  const { position, source } = p.result;
  if (near(position.lon, position.lat)) return <>Fix {fmtLatLon(position.lat, position.lon)}</>;
  if (source && near(source.lon, source.lat)) {
    return (
      <>
        <strong>{source.name}</strong> (known source) · {fmtDistance(source.distanceKm, units)} from the fix
      </>
    );
  }
  return null;
}

/** A located result on the offline map: heatmap, hyperbolas, contours, receivers, the source, the fix. */
export function LocateMap({ prepared, units, highlight }: { prepared: PreparedLocate; units: Units; highlight: string | null }) {
  const { result } = prepared;
  const distance = result.source ? fmtDistance(result.source.distanceKm, units) : null;
  const layers = useCallback(
    (ctx: CanvasRenderingContext2D, view: MapView, w: number, h: number) => {
      const placed = placedWithControls(w);
      drawHeat(ctx, prepared, view, w, h);
      drawHyperbolaLines(ctx, prepared, view, w, h, highlight);
      drawContours(ctx, prepared, view, w, h);
      drawJudgedReceivers(ctx, prepared, view, w, h, placed);
      // The source over the fix: when they nearly coincide, a diamond inside the fix's ring.
      drawFix(ctx, prepared, view, w, h, placed);
      drawSource(ctx, prepared, view, w, h, distance, placed);
      drawHyperbolaLabels(ctx, prepared, view, w, h, highlight, placed);
    },
    [prepared, distance, highlight],
  );
  const good = prepared.receivers.filter((r) => r.status === 'good').length;
  return (
    <MapCanvas
      width={MAP_W}
      height={MAP_H}
      fit={{ points: prepared.regionPoints }}
      fitKey={result.id}
      layers={layers}
      testId="locate-map"
      ariaLabel={`Located at ${fmtLatLon(result.position.lat, result.position.lon)} from ${good} receivers${result.source ? `, ${distance} from ${result.source.name}` : ''}`}
      fitLabel="Fit the receivers and the fix"
      hover={(px, py, view) => locateHover(prepared, units, px, py, view, MAP_W, MAP_H)}
      onKey={(key, fitTo) => {
        if (key !== 'z' && key !== 'Z') return false;
        fitTo(fixFit(prepared));
        return true;
      }}
      extraControls={(fitTo) => (
        <button className="btn btn-small" onClick={() => fitTo(fixFit(prepared))} title="Zoom to the fix and its confidence region (Z)">
          Zoom to fix
        </button>
      )}
    >
      <LocateLegend prepared={prepared} judged />
    </MapCanvas>
  );
}
