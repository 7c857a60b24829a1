import { describe, expect, it } from 'vitest';
import { isolines } from '../../../main/locate/contours';
import { greatCircleM, predictedDtSec } from '../../../main/locate/geodesy';
import { cleanLags } from '../../../main/locate/lagStatistics';
import { cellCentre, chiSquareGrid, gridShape, refineMinimum } from '../../../main/locate/likelihoodGrid';
import { autoGrid } from '../../../main/locate/region';

describe('lag cleaning', () => {
  it('drops blocks far from the median and beyond 3 sigma, and keeps the rest', () => {
    const good = Array.from({ length: 30 }, (_, i) => 300e-6 + ((i % 5) - 2) * 2e-6);
    const lags = [...good, 5e-3, NaN, -2e-3, 330e-6];
    const e = cleanLags(lags)!;
    expect(e.total).toBe(34);
    expect(e.kept).toBe(30);
    expect(e.keptIndex).not.toContain(30);
    expect(e.keptIndex).not.toContain(33); // 30 us off a 2.9 us spread: beyond 3 sigma
    expect(e.mean * 1e6).toBeCloseTo(300, 6);
    expect(e.sd * 1e6).toBeCloseTo(2.88, 1);
  });
  it('returns nothing when no block had a peak', () => {
    expect(cleanLags([NaN, NaN])).toBeNull();
  });
});

describe('chi2 grid', () => {
  const rx = [
    { lat: 45.0, lon: 7.0 },
    { lat: 46.2, lon: 8.9 },
    { lat: 44.3, lon: 9.4 },
    { lat: 45.6, lon: 10.1 },
  ];
  const tx = { lat: 45.41, lon: 8.53 };
  const pairs = [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 3],
  ].map(([i, j]) => ({ i: i!, j: j!, dtSec: predictedDtSec(tx, rx[i!]!, rx[j!]!), sigmaSec: 10e-6 }));

  it('has its minimum at the transmitter, and the refinement lands within metres', () => {
    const spec = autoGrid(rx, null);
    const g = chiSquareGrid(rx, pairs, spec);
    const best = cellCentre(g, g.minIndex);
    expect(greatCircleM(best, tx)).toBeLessThan(spec.step * 111_000);
    const fine = refineMinimum(rx, pairs, best, spec.step);
    expect(greatCircleM(fine.at, tx)).toBeLessThan(5);
    expect(fine.chi2).toBeLessThan(1e-3);
  });

  it('picks the finest step that keeps the automatic grid under 200k cells, around the receivers', () => {
    const spec = autoGrid(rx, null);
    // The box widened by half its extent (at least 1 deg) each side: 4.9 x 6.2 deg, 305k cells at 0.01.
    expect(spec.step).toBe(0.02);
    const { rows, cols } = gridShape(spec);
    expect(rows * cols).toBeLessThanOrEqual(200_000);
    expect(spec.lat0).toBeLessThan(44.3);
    expect(spec.lon1).toBeGreaterThan(10.1);
    const europe = autoGrid([], { lat0: 35, lat1: 72, lon0: -25, lon1: 45 });
    expect(europe.step).toBe(0.2); // 0.1 would be 371 x 701 = 260k cells
    expect(autoGrid([], { lat0: 35, lat1: 72, lon0: -25, lon1: 45 }, 0.05).step).toBe(0.05);
  });
});

describe('isolines', () => {
  it('draws a closed circle around a minimum at the level asked for', () => {
    const rows = 81;
    const cols = 81;
    const values = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = Math.hypot(r - 40, c - 40);
    const lines = isolines({ rows, cols, values, at: (r, c) => [r, c] }, 20);
    expect(lines).toHaveLength(1);
    const ring = lines[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    for (const [r, c] of ring) expect(Math.abs(Math.hypot(r - 40, c - 40) - 20)).toBeLessThan(0.1);
  });
  it('draws an open line across the grid where a plane crosses the level', () => {
    const values = new Float64Array(30 * 40);
    for (let r = 0; r < 30; r++) for (let c = 0; c < 40; c++) values[r * 40 + c] = c - r - 5.5;
    const lines = isolines({ rows: 30, cols: 40, values, at: (r, c) => [r, c] }, 0);
    expect(lines).toHaveLength(1);
    for (const [r, c] of lines[0]!) expect(c - r).toBeCloseTo(5.5, 9);
  });
});
