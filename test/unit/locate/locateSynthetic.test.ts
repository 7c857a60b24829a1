/**
 * The whole locate pipeline on synthetic GPS-stamped recordings (test/helpers/tdoaSignals.ts): rates
 * that differ by tens of ppm, first samples at different fractional instants, stale first stamps.
 */
import { describe, expect, it } from 'vitest';
import { greatCircleM, predictedDtSec } from '../../../main/locate/geodesy';
import { locate } from '../../../main/locate/locate';
import { syntheticSignals } from '../../helpers/tdoaSignals';

const tx = { lat: 45.563, lon: 8.054 };
const receivers = [
  { name: 'Aosta', lat: 45.737, lon: 7.32, rateHz: 12001.135, startSec: 0.01234, seconds: 12 },
  { name: 'Asti', lat: 44.9, lon: 8.206, rateHz: 12001.2, startSec: 0.0871, seconds: 12.3 },
  { name: 'Varese', lat: 45.82, lon: 8.825, rateHz: 12000.9, startSec: 0.2503, seconds: 11.8 },
  { name: 'Cuneo', lat: 44.384, lon: 7.542, rateHz: 12001.31, startSec: 0.0442, seconds: 12 },
];

describe('locate on synthetic recordings', () => {
  it('puts the transmitter within 200 m and each pair within 1 us of the geometry', () => {
    const signals = syntheticSignals(tx, receivers);
    const phases = new Set<string>();
    const r = locate({ signals, source: { name: 'tx', ...tx } }, { progress: (p) => phases.add(p) });
    expect(r.receivers.every((x) => x.status === 'good')).toBe(true);
    expect(r.pairs).toHaveLength(6);
    for (const p of r.pairs) {
      const a = receivers.find((x) => x.name === p.a)!;
      const b = receivers.find((x) => x.name === p.b)!;
      expect(Math.abs(p.dtUs - predictedDtSec(tx, a, b) * 1e6)).toBeLessThan(1);
      expect(p.blocksUsed).toBeGreaterThanOrEqual(9);
    }
    expect(greatCircleM(r.position, tx)).toBeLessThan(200);
    expect(r.source!.distanceKm).toBeLessThan(0.2);
    expect([...phases]).toEqual(['reading samples', 'correlating', 'grid', 'done']);
    // The 68 % region surrounds the fix; each pair's hyperbola passes near the transmitter.
    expect(r.contours[0]!.lines.length).toBeGreaterThan(0);
    for (const h of r.hyperbolas) {
      const nearest = Math.min(...h.lines.flat().map(([lat, lon]) => greatCircleM({ lat, lon }, tx)));
      expect(nearest).toBeLessThan(2000);
    }
    expect(Buffer.from(r.heatmap.likelihood, 'base64')).toHaveLength(r.heatmap.rows * r.heatmap.cols);
  });

  it('leaves out a receiver with no position or a rate far off the others, and refuses below 3', () => {
    const signals = syntheticSignals(tx, receivers);
    signals[3]!.lat = null;
    const r = locate({ signals });
    const cuneo = r.receivers.find((x) => x.name === 'Cuneo')!;
    expect(cuneo).toMatchObject({ status: 'bad', reason: expect.stringMatching(/position is unknown/) });
    signals[2]!.kind = 'openwebrx';
    expect(() => locate({ signals })).toThrow(/2 of 4 receivers are usable.*at least 3.*Varese: OpenWebRX sends no IQ/);
    const fast = syntheticSignals(tx, receivers.map((x, i) => (i === 1 ? { ...x, rateHz: 12001.2 * (1 + 200e-6) } : x)));
    const judged = locate({ signals: fast }).receivers.find((x) => x.name === 'Asti')!;
    expect(judged).toMatchObject({ status: 'bad', reason: expect.stringMatching(/ppm off the others/) });
  });

  it('can be cancelled between blocks', () => {
    const signals = syntheticSignals(tx, receivers);
    let calls = 0;
    expect(() => locate({ signals }, { cancelled: () => ++calls > 3 })).toThrow(/cancelled/);
  });
});
