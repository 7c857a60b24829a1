import { project } from './mercator';
import { type MapView } from './mercator';

/** A polyline already projected to Web Mercator radians, with its bounding box for culling. */
export interface ProjectedLine {
  xy: Float64Array;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Projects [lon, lat] pairs given flat (lon0, lat0, lon1, lat1, ...) once, so a frame only scales them. */
export function projectFlat(flat: ArrayLike<number>): ProjectedLine {
  const xy = new Float64Array(flat.length);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < flat.length; i += 2) {
    const [x, y] = project(flat[i]!, flat[i + 1]!);
    xy[i] = x;
    xy[i + 1] = y;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return { xy, minX, maxX, minY, maxY };
}

/** Projects a polyline of [lat, lon] points (the order the locate results use). */
export function projectLatLon(points: ReadonlyArray<readonly [number, number]>): ProjectedLine {
  const flat = new Float64Array(points.length * 2);
  points.forEach(([lat, lon], i) => {
    flat[2 * i] = lon;
    flat[2 * i + 1] = lat;
  });
  return projectFlat(flat);
}

/** Adds the lines that touch the view to the current path (the caller strokes it). */
export function traceLines(ctx: CanvasRenderingContext2D, lines: readonly ProjectedLine[], view: MapView, w: number, h: number): void {
  const left = view.cx - w / 2 / view.scale;
  const right = view.cx + w / 2 / view.scale;
  const bottom = view.cy - h / 2 / view.scale;
  const top = view.cy + h / 2 / view.scale;
  for (const l of lines) {
    if (l.maxX < left || l.minX > right || l.maxY < bottom || l.minY > top) continue;
    for (let i = 0; i < l.xy.length; i += 2) {
      const x = w / 2 + (l.xy[i]! - view.cx) * view.scale;
      const y = h / 2 - (l.xy[i + 1]! - view.cy) * view.scale;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
  }
}

export function drawLines(ctx: CanvasRenderingContext2D, lines: readonly ProjectedLine[], view: MapView, w: number, h: number): void {
  ctx.beginPath();
  traceLines(ctx, lines, view, w, h);
  ctx.stroke();
}
