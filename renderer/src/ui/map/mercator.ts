/** Web Mercator in radians: x = lon, y = ln(tan(pi/4 + lat/2)); the view maps it to pixels. */
export interface MapView {
  /** Centre in projected radians. */
  cx: number;
  cy: number;
  /** Pixels per projected radian. */
  scale: number;
}

const RAD = Math.PI / 180;
const MAX_LAT = 85;

export function project(lon: number, lat: number): [number, number] {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * RAD;
  return [lon * RAD, Math.log(Math.tan(Math.PI / 4 + l / 2))];
}

export function unproject(x: number, y: number): [number, number] {
  return [x / RAD, (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD];
}

export function toScreen(view: MapView, width: number, height: number, lon: number, lat: number): [number, number] {
  const [x, y] = project(lon, lat);
  return [width / 2 + (x - view.cx) * view.scale, height / 2 - (y - view.cy) * view.scale];
}

/**
 * A view that shows every point ([lon, lat]) with a margin; a sensible regional view when there are
 * none or one. minSpan (projected radians; 0.02 is 1.15° of longitude) keeps a lone point from filling the map.
 */
export function fitView(points: [number, number][], width: number, height: number, minSpan = 0.02): MapView {
  if (points.length === 0) {
    const [cx, cy] = project(10, 47);
    return { cx, cy, scale: Math.min(width, height) / 0.5 };
  }
  const proj = points.map(([lon, lat]) => project(lon, lat));
  const xs = proj.map((p) => p[0]);
  const ys = proj.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, (maxY - minY) * (width / height), minSpan);
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: (width * 0.6) / span };
}
