import { afterAll, describe, expect, it } from 'vitest';
import { spectrumMetrics } from '../../../main/dsp/metrics';
import { createDspPool } from '../../../main/dsp/pool';
import { welchComplex } from '../../../main/dsp/welch';
import { gaussian, mulberry32 } from '../../../main/sim/prng';

const pool = createDspPool({ size: 2, maxQueue: 4 });
afterAll(() => pool.close());

function block(seed: number, hz: number): Float32Array {
  const g = gaussian(mulberry32(seed));
  const x = new Float32Array(2 * 12000);
  for (let k = 0; k < 12000; k++) {
    x[2 * k] = 0.1 * Math.cos((2 * Math.PI * hz * k) / 12000) + 0.001 * g();
    x[2 * k + 1] = 0.1 * Math.sin((2 * Math.PI * hz * k) / 12000) + 0.001 * g();
  }
  return x;
}

describe('DSP worker pool', () => {
  it('returns the same metrics as computing in place, off the main thread', async () => {
    const x = block(1, 987.6);
    const direct = spectrumMetrics(welchComplex(x, { fs: 12000, detrend: 'none' }));
    const viaPool = await pool.analyzeIq(x.slice(), 12000);
    expect(viaPool.metrics.peakOffsetHz).toBeCloseTo(direct.peakOffsetHz, 6);
    expect(viaPool.metrics.snrDb).toBeCloseTo(direct.snrDb, 6);
    expect(viaPool.psdDb.length).toBe(1024);
  });

  it('applies backpressure: never more than the queue bound waiting, and every job completes', async () => {
    let maxPending = 0;
    const jobs = Array.from({ length: 40 }, async (_, i) => {
      const r = pool.analyzeIq(block(i + 2, 100 * i - 1950), 12000);
      maxPending = Math.max(maxPending, pool.pending());
      return r;
    });
    const results = await Promise.all(jobs);
    expect(maxPending).toBeLessThanOrEqual(4 + 2);
    results.forEach((r, i) => expect(Math.abs(r.metrics.peakOffsetHz - (100 * i - 1950)), `job ${i}: ${r.metrics.peakOffsetHz}`).toBeLessThan(1));
  });
});
