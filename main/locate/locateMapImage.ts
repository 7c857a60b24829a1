/**
 * A locate result as a map image (the CLI's --png): the searched region in an equirectangular view
 * scaled by cos(latitude) (true shape at these sizes), the likelihood heatmap, coastlines and borders
 * of the offline base map, each pair's hyperbola, the 68 % and 95 % contours, the receivers (used or
 * left out), the known source and the fix. Pixels only; the text output carries the names and figures.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { type LocateResult } from '../../shared/domain/locate';

export type Rgb = readonly [number, number, number];

/** What each mark is drawn in (the CLI says so next to the file name). */
export const MAP_COLOURS = {
  sea: [16, 24, 38],
  coast: [150, 160, 175],
  border: [72, 82, 98],
  contour68: [255, 255, 255],
  contour95: [190, 190, 190],
  receiverGood: [40, 220, 90],
  receiverBad: [255, 70, 70],
  source: [0, 230, 255],
  fix: [255, 0, 255],
  outline: [0, 0, 0],
} as const satisfies Record<string, Rgb>;
const HYPERBOLA_COLOURS: readonly Rgb[] = [
  [0, 170, 255],
  [255, 120, 200],
  [150, 255, 90],
  [255, 170, 0],
  [170, 130, 255],
  [255, 255, 90],
];
/** Heat from the edge of the likely region (0) to the most likely cell (1). */
const HEAT_STOPS: readonly [number, Rgb][] = [
  [0, [50, 10, 70]],
  [0.35, [130, 30, 110]],
  [0.65, [225, 85, 45]],
  [0.9, [250, 195, 60]],
  [1, [255, 250, 205]],
];

/** The longest side of the image, pixels. */
export const MAP_MAX_SIDE = 1000;

const basemapSchema = z.object({ coast: z.array(z.array(z.number())), borders: z.array(z.array(z.number())).default([]) });
export type Basemap = z.infer<typeof basemapSchema>;

/** resources/basemap/world-50m.json: flat [lon0, lat0, lon1, lat1, ...] lines (scripts/make-basemap.mjs). */
export function loadBasemap(file: string): Basemap {
  return basemapSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export interface MapFrame {
  width: number;
  height: number;
  /** Pixel (column, row; may lie outside the image) of a position. */
  project(lat: number, lon: number): [number, number];
}

/** The image spans the result's grid (cell centres at the edges), its longest side MAP_MAX_SIDE pixels. */
export function mapFrame(grid: LocateResult['grid']): MapFrame {
  const latSpan = Math.max(1e-6, grid.lat1 - grid.lat0);
  const lonSpan = Math.max(1e-6, grid.lon1 - grid.lon0);
  const w = lonSpan * Math.cos((((grid.lat0 + grid.lat1) / 2) * Math.PI) / 180);
  const width = w >= latSpan ? MAP_MAX_SIDE : Math.max(16, Math.round((MAP_MAX_SIDE * w) / latSpan));
  const height = w >= latSpan ? Math.max(16, Math.round((MAP_MAX_SIDE * latSpan) / w)) : MAP_MAX_SIDE;
  return {
    width,
    height,
    project: (lat, lon) => [((lon - grid.lon0) / lonSpan) * width, ((grid.lat1 - lat) / latSpan) * height],
  };
}

class Raster {
  readonly rgb: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: Rgb,
  ) {
    this.rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.rgb.set(bg, i * 3);
  }

  blend(x: number, y: number, c: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    for (let k = 0; k < 3; k++) this.rgb[i + k] = Math.round(this.rgb[i + k]! * (1 - alpha) + c[k]! * alpha);
  }

  disc(cx: number, cy: number, r: number, c: Rgb): void {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) this.blend(x, y, c);
    }
  }

  ring(cx: number, cy: number, r: number, thick: number, c: Rgb): void {
    for (let y = Math.floor(cy - r - thick); y <= Math.ceil(cy + r + thick); y++) {
      for (let x = Math.floor(cx - r - thick); x <= Math.ceil(cx + r + thick); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (d >= r - thick / 2 && d <= r + thick / 2) this.blend(x, y, c);
      }
    }
  }

  /** A straight line, clipped to the image first (coastlines far outside the view cost nothing). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thick = 1): void {
    const clipped = clip(x0, y0, x1, y1, -thick, -thick, this.width + thick, this.height + thick);
    if (!clipped) return;
    const [ax, ay, bx, by] = clipped;
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(bx - ax), Math.abs(by - ay))));
    for (let s = 0; s <= steps; s++) {
      const x = ax + ((bx - ax) * s) / steps;
      const y = ay + ((by - ay) * s) / steps;
      if (thick <= 1) this.blend(Math.floor(x), Math.floor(y), c);
      else this.disc(x, y, thick / 2, c);
    }
  }
}

/** Liang-Barsky: the part of a segment inside a rectangle, or null. */
function clip(x0: number, y0: number, x1: number, y1: number, xmin: number, ymin: number, xmax: number, ymax: number): [number, number, number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  for (const [p, q] of [
    [-dx, x0 - xmin],
    [dx, xmax - x0],
    [-dy, y0 - ymin],
    [dy, ymax - y0],
  ] as const) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return null;
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
}

function heatColour(v: number): Rgb {
  for (let i = 1; i < HEAT_STOPS.length; i++) {
    const [b, cb] = HEAT_STOPS[i]!;
    if (v <= b) {
      const [a, ca] = HEAT_STOPS[i - 1]!;
      const t = (v - a) / (b - a);
      const mix = (k: 0 | 1 | 2) => Math.round(ca[k] + (cb[k] - ca[k]) * t);
      return [mix(0), mix(1), mix(2)];
    }
  }
  return HEAT_STOPS.at(-1)![1];
}

export interface LocateMapImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export function drawLocateMap(r: LocateResult, basemap: Basemap | null): LocateMapImage {
  const frame = mapFrame(r.grid);
  const img = new Raster(frame.width, frame.height, MAP_COLOURS.sea);
  const lonSpan = r.grid.lon1 - r.grid.lon0;
  const latSpan = r.grid.lat1 - r.grid.lat0;

  // Heatmap: each pixel takes the display cell nearest to it.
  const h = r.heatmap;
  const heat = Buffer.from(h.likelihood, 'base64');
  for (let y = 0; y < frame.height; y++) {
    const lat = r.grid.lat1 - ((y + 0.5) / frame.height) * latSpan;
    const row = Math.round((lat - h.lat0) / h.stepLat);
    if (row < 0 || row >= h.rows) continue;
    for (let x = 0; x < frame.width; x++) {
      const lon = r.grid.lon0 + ((x + 0.5) / frame.width) * lonSpan;
      const col = Math.round((lon - h.lon0) / h.stepLon);
      if (col < 0 || col >= h.cols) continue;
      const v = heat[row * h.cols + col]! / 255;
      if (v > 0) img.blend(x, y, heatColour(v), 0.3 + 0.6 * v);
    }
  }

  const polyline = (pts: readonly (readonly [number, number])[], c: Rgb, thick: number) => {
    for (let i = 1; i < pts.length; i++) {
      const [ax, ay] = frame.project(pts[i - 1]![0], pts[i - 1]![1]);
      const [bx, by] = frame.project(pts[i]![0], pts[i]![1]);
      img.line(ax, ay, bx, by, c, thick);
    }
  };
  // Base map lines are flat [lon, lat, lon, lat, ...]; a step across the antimeridian is not a line.
  const flat = (line: readonly number[], c: Rgb) => {
    for (let i = 2; i + 1 < line.length; i += 2) {
      if (Math.abs(line[i]! - line[i - 2]!) > 180) continue;
      const [ax, ay] = frame.project(line[i - 1]!, line[i - 2]!);
      const [bx, by] = frame.project(line[i + 1]!, line[i]!);
      img.line(ax, ay, bx, by, c);
    }
  };
  if (basemap) {
    for (const l of basemap.borders) flat(l, MAP_COLOURS.border);
    for (const l of basemap.coast) flat(l, MAP_COLOURS.coast);
  }
  r.hyperbolas.forEach((hb, i) => hb.lines.forEach((l) => polyline(l, HYPERBOLA_COLOURS[i % HYPERBOLA_COLOURS.length]!, 1)));
  for (const c of [...r.contours].sort((a, b) => b.confidence - a.confidence)) {
    const colour = c.confidence <= 0.7 ? MAP_COLOURS.contour68 : MAP_COLOURS.contour95;
    for (const l of c.lines) polyline(l, colour, 2);
  }
  for (const rx of r.receivers) {
    if (rx.lat === null || rx.lon === null) continue;
    const [x, y] = frame.project(rx.lat, rx.lon);
    if (rx.status === 'good') {
      img.disc(x, y, 7, MAP_COLOURS.outline);
      img.disc(x, y, 5.5, MAP_COLOURS.receiverGood);
    } else img.ring(x, y, 6, 2.5, MAP_COLOURS.receiverBad);
  }
  if (r.source) {
    const [x, y] = frame.project(r.source.lat, r.source.lon);
    img.ring(x, y, 12, 3, MAP_COLOURS.source);
  }
  const [fx, fy] = frame.project(r.position.lat, r.position.lon);
  img.disc(fx, fy, 6.5, MAP_COLOURS.outline);
  img.disc(fx, fy, 5, MAP_COLOURS.fix);
  return { width: frame.width, height: frame.height, rgb: img.rgb };
}
