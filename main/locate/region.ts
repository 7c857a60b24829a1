/**
 * Where to search: the region asked for, or the receivers' bounding box widened on every side (a
 * transmitter is often outside the receivers' hull); the step the finest of 0.01 .. 5 deg that keeps
 * the grid under 200k cells, as the public KiwiSDR TDoA service chooses it.
 */
import { type LatLon } from './geodesy';
import { gridShape, type GridSpec } from './likelihoodGrid';

const STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];
export const MAX_AUTO_CELLS = 200_000;

export function autoGrid(receivers: readonly LatLon[], region: { lat0: number; lat1: number; lon0: number; lon1: number } | null, stepDeg?: number): GridSpec {
  let box = region;
  if (!box) {
    const lats = receivers.map((r) => r.lat);
    const lons = receivers.map((r) => r.lon);
    const lat0 = Math.min(...lats);
    const lat1 = Math.max(...lats);
    const lon0 = Math.min(...lons);
    const lon1 = Math.max(...lons);
    const padLat = Math.max(1, 0.5 * (lat1 - lat0));
    const padLon = Math.max(1, 0.5 * (lon1 - lon0));
    box = { lat0: Math.max(-89.9, lat0 - padLat), lat1: Math.min(89.9, lat1 + padLat), lon0: Math.max(-180, lon0 - padLon), lon1: Math.min(180, lon1 + padLon) };
  }
  const step = stepDeg ?? STEPS.find((s) => cells({ ...box, step: s }) <= MAX_AUTO_CELLS) ?? STEPS.at(-1)!;
  // Snap the corners to the step so grids of one region line up between runs.
  const snap = (v: number, f: (x: number) => number) => Math.round(f(v / step) * step * 1e9) / 1e9;
  return { lat0: snap(box.lat0, Math.floor), lat1: snap(box.lat1, Math.ceil), lon0: snap(box.lon0, Math.floor), lon1: snap(box.lon1, Math.ceil), step };
}

function cells(spec: GridSpec): number {
  const { rows, cols } = gridShape(spec);
  return rows * cols;
}
