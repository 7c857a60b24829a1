import basemapUrl from '../../../resources/basemap/world-50m.json?url';
import { project } from './mercator';

/** A base-map polyline already projected, with its bounding box for culling. */
export interface ProjectedLine {
  xy: Float64Array;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}
export interface BaseMap {
  coast: ProjectedLine[];
  borders: ProjectedLine[];
}

function projectLines(lines: number[][]): ProjectedLine[] {
  return lines.map((flat) => {
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
  });
}

let loading: Promise<BaseMap> | null = null;

/** The offline coastline and borders layer shipped in resources/basemap/ (no network needed). */
export function loadBaseMap(): Promise<BaseMap> {
  loading ??= fetch(basemapUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`the base map could not be loaded (HTTP ${r.status})`);
      return r.json() as Promise<{ coast: number[][]; borders: number[][] }>;
    })
    .then((m) => ({ coast: projectLines(m.coast), borders: projectLines(m.borders) }));
  return loading;
}
