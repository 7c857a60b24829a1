import basemapUrl from '../../../../resources/basemap/world-50m.json?url';
import { drawLines, projectFlat, type ProjectedLine } from './drawLines';
import { type MapView } from './mercator';

export type { ProjectedLine } from './drawLines';

export interface BaseMap {
  coast: ProjectedLine[];
  borders: ProjectedLine[];
}

let loading: Promise<BaseMap> | null = null;

/** The offline coastline and borders layer shipped in resources/basemap/ (no network needed). */
export function loadBaseMap(): Promise<BaseMap> {
  loading ??= fetch(basemapUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`the base map could not be loaded (HTTP ${r.status})`);
      return r.json() as Promise<{ coast: number[][]; borders: number[][] }>;
    })
    .then((m) => ({ coast: m.coast.map(projectFlat), borders: m.borders.map(projectFlat) }));
  return loading;
}

export const MAP_BACKGROUND = '#0a1620';

/** Sea-coloured background, coastlines and dashed borders: the bottom layer of every map. */
export function drawBaseMap(ctx: CanvasRenderingContext2D, base: BaseMap | null, view: MapView, w: number, h: number): void {
  ctx.fillStyle = MAP_BACKGROUND;
  ctx.fillRect(0, 0, w, h);
  if (!base) return;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#5d7a8f';
  drawLines(ctx, base.coast, view, w, h);
  ctx.strokeStyle = '#34495a';
  ctx.setLineDash([4, 3]);
  drawLines(ctx, base.borders, view, w, h);
  ctx.setLineDash([]);
}
