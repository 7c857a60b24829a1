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
 * asin(sqrt h) = sqrt(h) (1 + h R(h)); R here is a least-squares Chebyshev fit of degree 4 on
 * 0 <= h <= 1/8 (central angles up to 41 deg, 4600 km), made for this file. Largest error of the
 * angle 2.6e-10 rad: 1.7 mm on the ground, 6e-6 us of delay.
 */
const R0 = 0.166666669465582;
const R1 = 0.0749993355582841;
const R2 = 0.04467944603550051;
const R3 = 0.029622913416617377;
const R4 = 0.028831822589186526;
const POLY_MAX_H = 0.125;

/**
 * The central angle (rad) of a haversine h = sin^2(d/2), i.e. 2 asin(sqrt h): a short polynomial up
 * to 41 deg, acos(1 - 2h) beyond. Math.acos per cell was most of the grid's time.
 */
export function angleFromHaversine(h: number): number {
  if (h <= POLY_MAX_H) {
    const x = Math.sqrt(h);
    return 2 * x * (1 + h * (R0 + h * (R1 + h * (R2 + h * (R3 + h * R4)))));
  }
  return Math.acos(Math.max(-1, 1 - 2 * h));
}

/**
 * chi2 of every cell. The haversine sin^2(dlat/2) + cos(lat) cos(lat_r) sin^2(dlon/2) splits into a
 * per-row and a per-column factor for each receiver, so a cell costs one multiply-add, a square root
 * and a short polynomial per receiver (angleFromHaversine), and no library call.
 */
export function chiSquareGrid(receivers: readonly LatLon[], pairs: readonly GridPair[], spec: GridSpec, onRow?: (row: number, rows: number) => void): ChiSquareGrid {
  const { rows, cols } = gridShape(spec);
  const n = receivers.length;
  const havLon = receivers.map((r) => {
    const a = new Float64Array(cols);
    for (let c = 0; c < cols; c++) a[c] = Math.sin(((spec.lon0 + c * spec.step - r.lon) * RAD) / 2) ** 2;
    return a;
  });
  const cosR = receivers.map((r) => Math.cos(r.lat * RAD));
  const np = pairs.length;
  const pi = Int32Array.from(pairs, (p) => p.i);
  const pj = Int32Array.from(pairs, (p) => p.j);
  const dts = Float64Array.from(pairs, (p) => p.dtSec);
  const weights = Float64Array.from(pairs, (p) => 1 / (p.sigmaSec * p.sigmaSec));
  const delays = receivers.map(() => new Float64Array(cols));
  const acc = new Float64Array(cols);
  const chi2 = new Float32Array(rows * cols);
  const best = { index: 0, value: Infinity };
  for (let row = 0; row < rows; row++) {
    const latDeg = spec.lat0 + row * spec.step;
    const cLat = Math.cos(latDeg * RAD);
    for (let k = 0; k < n; k++) {
      const a = Math.sin(((latDeg - receivers[k]!.lat) * RAD) / 2) ** 2;
      rowDelays(delays[k]!, havLon[k]!, a, cLat * cosR[k]!);
    }
    acc.fill(0);
    for (let p = 0; p < np; p++) addPairChi2(acc, delays[pi[p]!]!, delays[pj[p]!]!, dts[p]!, weights[p]!);
    storeRow(chi2, row * cols, acc, best);
    onRow?.(row, rows);
  }
  return { spec, rows, cols, chi2, minIndex: best.index, minChi2: best.value };
}

/**
 * One row's delays (s) to one receiver: h = a + b hav(dlon) per column. The hot loops are small
 * functions of their own so V8 optimises them within the first grid (as part of one long function
 * they ran unoptimised for the first several fixes of a process).
 */
function rowDelays(out: Float64Array, havLon: Float64Array, a: number, b: number): void {
  const k = 2 * M_PER_RAD_OVER_C;
  let far = false;
  for (let c = 0; c < out.length; c++) {
    const h = a + b * havLon[c]!;
    if (h > POLY_MAX_H) far = true;
    const x = Math.sqrt(h);
    out[c] = k * x * (1 + h * (R0 + h * (R1 + h * (R2 + h * (R3 + h * R4)))));
  }
  // Cells beyond the polynomial's reach are redone apart, so the loop above holds no call.
  if (far) for (let c = 0; c < out.length; c++) out[c] = M_PER_RAD_OVER_C * angleFromHaversine(a + b * havLon[c]!);
}

/** acc += w (d_i - d_j - dt)^2 over a row. */
function addPairChi2(acc: Float64Array, di: Float64Array, dj: Float64Array, dt: number, w: number): void {
  for (let c = 0; c < acc.length; c++) {
    const e = di[c]! - dj[c]! - dt;
    acc[c] = acc[c]! + e * e * w;
  }
}

/** Stores a row's chi2 from `base` on and keeps the smallest (the first of equals). */
function storeRow(chi2: Float32Array, base: number, acc: Float64Array, best: { index: number; value: number }): void {
  for (let c = 0; c < acc.length; c++) {
    const s = acc[c]!;
    chi2[base + c] = s;
    if (s < best.value) {
      best.value = s;
      best.index = base + c;
    }
  }
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
