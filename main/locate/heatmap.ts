/**
 * What the map shows of a chi2 grid: a coarser grid (at most ~320 cells a side, each the best of the
 * cells it covers, so the fix never vanishes between pixels), as bytes that fall with log Delta chi2,
 * and each pair's delay residual on it (its zero line is the pair's hyperbola).
 */
import { type LocateHeatmap } from '../../shared/domain/locate';
import { type FieldGrid } from './contours';
import { EARTH_RADIUS_M, SPEED_OF_LIGHT, type LatLon } from './geodesy';
import { angleFromHaversine, type ChiSquareGrid, type GridPair } from './likelihoodGrid';

const DISPLAY_CELLS = 320;
const RAD = Math.PI / 180;
/** Bytes fall from 255 at the fix to 0 at Delta chi2 = 10^HEAT_DECADES. */
const HEAT_DECADES = 4;

export interface DisplayGrid {
  rows: number;
  cols: number;
  lat0: number;
  lon0: number;
  stepLat: number;
  stepLon: number;
  /** Minimum chi2 of the full-grid cells under each display cell. */
  chi2: Float32Array;
}

export function displayGrid(g: ChiSquareGrid): DisplayGrid {
  const f = Math.max(1, Math.ceil(Math.max(g.rows, g.cols) / DISPLAY_CELLS));
  const rows = Math.ceil(g.rows / f);
  const cols = Math.ceil(g.cols / f);
  const chi2 = new Float32Array(rows * cols).fill(Infinity);
  const colOf = new Int32Array(g.cols);
  for (let c = 0; c < g.cols; c++) colOf[c] = Math.floor(c / f);
  const src = g.chi2;
  for (let r = 0; r < g.rows; r++) {
    const dr = Math.floor(r / f) * cols;
    for (let c = 0, i = r * g.cols; c < g.cols; c++, i++) {
      const v = src[i]!;
      const d = dr + colOf[c]!;
      if (v < chi2[d]!) chi2[d] = v;
    }
  }
  // Display cell centres: the middle of the full cells each covers (the last row/column may cover fewer).
  const step = g.spec.step;
  return { rows, cols, lat0: g.spec.lat0 + ((f - 1) / 2) * step, lon0: g.spec.lon0 + ((f - 1) / 2) * step, stepLat: f * step, stepLon: f * step, chi2 };
}

export function heatmapOf(d: DisplayGrid, minChi2: number): LocateHeatmap {
  const bytes = new Uint8Array(d.rows * d.cols);
  for (let i = 0; i < bytes.length; i++) {
    const delta = Math.max(0, d.chi2[i]! - minChi2);
    bytes[i] = Math.round(255 * Math.max(0, 1 - Math.log10(1 + delta) / HEAT_DECADES));
  }
  return { lat0: d.lat0, lon0: d.lon0, stepLat: d.stepLat, stepLon: d.stepLon, rows: d.rows, cols: d.cols, likelihood: Buffer.from(bytes).toString('base64') };
}

/**
 * Predicted minus measured delay of one pair at each display cell centre, seconds. The haversine of
 * each receiver splits into per-row and per-column factors (as in the chi2 grid), so a cell costs no
 * trig call.
 */
export function pairField(d: DisplayGrid, receivers: readonly LatLon[], pair: GridPair): FieldGrid {
  const values = new Float64Array(d.rows * d.cols);
  const side = (rx: LatLon) => {
    const havLon = new Float64Array(d.cols);
    for (let c = 0; c < d.cols; c++) havLon[c] = Math.sin(((d.lon0 + c * d.stepLon - rx.lon) * RAD) / 2) ** 2;
    return { rx, havLon, cosLat: Math.cos(rx.lat * RAD) };
  };
  const a = side(receivers[pair.i]!);
  const b = side(receivers[pair.j]!);
  const secPerRad = EARTH_RADIUS_M / SPEED_OF_LIGHT;
  for (let r = 0; r < d.rows; r++) {
    const lat = d.lat0 + r * d.stepLat;
    const cLat = Math.cos(lat * RAD);
    const ha = Math.sin(((lat - a.rx.lat) * RAD) / 2) ** 2;
    const hb = Math.sin(((lat - b.rx.lat) * RAD) / 2) ** 2;
    const ka = cLat * a.cosLat;
    const kb = cLat * b.cosLat;
    for (let c = 0, i = r * d.cols; c < d.cols; c++, i++) {
      values[i] = (angleFromHaversine(ha + ka * a.havLon[c]!) - angleFromHaversine(hb + kb * b.havLon[c]!)) * secPerRad - pair.dtSec;
    }
  }
  return { rows: d.rows, cols: d.cols, values, at: (r, c) => [d.lat0 + r * d.stepLat, d.lon0 + c * d.stepLon] };
}
