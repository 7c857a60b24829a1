/**
 * A locate job in the DSP worker pool, as the station runs it: the worker opens the recordings itself,
 * reports progress, can be cancelled, and its refusals come back as typed errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDspPool } from '../../../main/dsp/pool';
import { locateInPool } from '../../../main/locate/locateJob';
import { realDataSet } from '../../helpers/realData';

const set = realDataSet('kiwi-dcf77-2017');
if (!set.dir) console.log(`locatePool.test: skipped, ${set.why}`);
const pool = createDspPool({ size: 1 });
afterAll(() => pool.close());
const files = () => fs.readdirSync(set.dir!).filter((f) => f.endsWith('.wav')).map((f) => ({ from: 'file' as const, path: path.join(set.dir!, f) }));

describe.skipIf(!set.dir)('locate jobs in the DSP pool', () => {
  it('locates the real DCF77 set off the main thread with progress through every phase', async () => {
    const seen: string[] = [];
    let lastFraction = -1;
    const job = locateInPool(pool, { signals: files(), source: { name: 'DCF77', lat: 50.0152, lon: 9.0112 }, freqHz: 77_500 }, (phase, fraction) => {
      if (seen.at(-1) !== phase) seen.push(phase);
      lastFraction = fraction;
    });
    const r = await job.result;
    expect(r.source!.distanceKm).toBeLessThan(15);
    expect(r.receivers.filter((x) => x.status === 'good')).toHaveLength(3);
    expect(seen).toEqual(expect.arrayContaining(['reading samples', 'correlating', 'grid']));
    expect(lastFraction).toBeGreaterThan(0);
  });

  it('stops a running job when cancelled, and the pool goes on', async () => {
    const job = locateInPool(pool, { signals: files(), region: { lat0: 30, lat1: 70, lon0: -30, lon1: 50 }, stepDeg: 0.02 }, (phase) => {
      if (phase === 'correlating') job.cancel();
    });
    await expect(job.result).rejects.toMatchObject({ code: 'cancelled' });
    const again = await locateInPool(pool, { signals: files() }).result;
    expect(again.pairs).toHaveLength(3);
  });

  it('refuses with the reason when fewer than 3 recordings can take part', async () => {
    const two = files().slice(0, 2);
    await expect(locateInPool(pool, { signals: two }).result).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/2 of 2 receivers are usable.*at least 3/) });
    await expect(locateInPool(pool, { signals: [{ from: 'file', path: path.join(set.dir!, 'nope.wav') }] }).result).rejects.toThrow(/does not exist/);
  });
});
