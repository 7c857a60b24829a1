/**
 * The likelihood of every point of a lat/lon grid given the pairs' measured delays: per pair
 * chi2 = (dt_predicted - dt_measured)^2 / sigma^2 with ground-wave great-circle delays, summed over
 * pairs. The grid minimum, refined off the grid, is the fix; Delta chi2 from it gives confidence regions.
 *
 * Where the public KiwiSDR TDoA maps sqrt(sum chi2) / N, we keep the plain sum with each pair's
 * standard error plus a model error: then Delta chi2 of 2.30 / 5.99 are the 68 % / 95 % regions
 * of a 2-parameter fit, and contours mean what they say.
 */
import { EARTH_RADIUS_M, greatCircleM, SPEED_OF_LIGHT, type LatLon } from './geodesy';

export interface GridPair {
  i: number;
  j: number;
  /** Measured arrival at i minus arrival at j, seconds. */
  dtSec: number;
  sigmaSec: number;
}

export interface GridSpec {
  lat0: number;
  lat1: number;
  lon0: number;
  lon1: number;
  step: number;
}

export interface ChiSquareGrid {
  spec: GridSpec;
  rows: number;
  cols: number;
  /** rows x cols, row 0 = lat0 (south); cell centre (lat0 + r step, lon0 + c step). */
  chi2: Float32Array;
  minIndex: number;
  minChi2: number;
}

const RAD = Math.PI / 180;
const M_PER_RAD_OVER_C = EARTH_RADIUS_M / SPEED_OF_LIGHT;

export function gridShape(spec: GridSpec): { rows: number; cols: number } {
  return { rows: Math.floor((spec.lat1 - spec.lat0) / spec.step + 1e-9) + 1, cols: Math.floor((spec.lon1 - spec.lon0) / spec.step + 1e-9) + 1 };
}

/**
 * chi2 of every cell. cos(d) = sin(lat) sin(lat_r) + cos(lat) cos(lat_r) cos(lon - lon_r) splits
 * into a per-row and a per-column factor for each receiver, so a cell costs one multiply-add and one
 * acos per receiver.
 */
export function chiSquareGrid(receivers: readonly LatLon[], pairs: readonly GridPair[], spec: GridSpec, onRow?: (row: number, rows: number) => void): ChiSquareGrid {
  const { rows, cols } = gridShape(spec);
  const n = receivers.length;
  const cosDLon = receivers.map((r) => {
    const a = new Float64Array(cols);
    for (let c = 0; c < cols; c++) a[c] = Math.cos((spec.lon0 + c * spec.step - r.lon) * RAD);
    return a;
  });
  const sinR = receivers.map((r) => Math.sin(r.lat * RAD));
  const cosR = receivers.map((r) => Math.cos(r.lat * RAD));
  const weights = pairs.map((p) => 1 / (p.sigmaSec * p.sigmaSec));
  const delays = receivers.map(() => new Float64Array(cols));
  const chi2 = new Float32Array(rows * cols);
  let minIndex = 0;
  let minChi2 = Infinity;
  for (let row = 0; row < rows; row++) {
    const lat = (spec.lat0 + row * spec.step) * RAD;
    const sLat = Math.sin(lat);
    const cLat = Math.cos(lat);
    for (let k = 0; k < n; k++) {
      const a = sLat * sinR[k]!;
      const b = cLat * cosR[k]!;
      const cd = cosDLon[k]!;
      const out = delays[k]!;
      for (let c = 0; c < cols; c++) {
        const x = a + b * cd[c]!;
        out[c] = Math.acos(x > 1 ? 1 : x < -1 ? -1 : x) * M_PER_RAD_OVER_C;
      }
    }
    const base = row * cols;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let p = 0; p < pairs.length; p++) {
        const pr = pairs[p]!;
        const e = delays[pr.i]![c]! - delays[pr.j]![c]! - pr.dtSec;
        s += e * e * weights[p]!;
      }
      chi2[base + c] = s;
      if (s < minChi2) {
        minChi2 = s;
        minIndex = base + c;
      }
    }
    onRow?.(row, rows);
  }
  return { spec, rows, cols, chi2, minIndex, minChi2 };
}

/** chi2 at one point, with the exact (haversine) distance. */
export function chiSquareAt(receivers: readonly LatLon[], pairs: readonly GridPair[], at: LatLon): number {
  const d = receivers.map((r) => greatCircleM(at, r) / SPEED_OF_LIGHT);
  let s = 0;
  for (const p of pairs) {
    const e = d[p.i]! - d[p.j]! - p.dtSec;
    s += (e * e) / (p.sigmaSec * p.sigmaSec);
  }
  return s;
}

export function cellCentre(g: ChiSquareGrid, index: number): LatLon {
  const row = Math.floor(index / g.cols);
  const col = index % g.cols;
  return { lat: g.spec.lat0 + row * g.spec.step, lon: g.spec.lon0 + col * g.spec.step };
}

/** The minimum off the grid: a pattern search from the best cell, the step halving down to ~1 m. */
export function refineMinimum(receivers: readonly LatLon[], pairs: readonly GridPair[], start: LatLon, step: number): { at: LatLon; chi2: number } {
  let at = start;
  let best = chiSquareAt(receivers, pairs, at);
  let h = step;
  while (h > 1e-5) {
    let moved = false;
    for (const [dLat, dLon] of [
      [h, 0],
      [-h, 0],
      [0, h],
      [0, -h],
      [h, h],
      [h, -h],
      [-h, h],
      [-h, -h],
    ] as const) {
      const p = { lat: at.lat + dLat, lon: at.lon + dLon };
      const v = chiSquareAt(receivers, pairs, p);
      if (v < best) {
        best = v;
        at = p;
        moved = true;
      }
    }
    if (!moved) h /= 2;
  }
  return { at, chi2: best };
}
