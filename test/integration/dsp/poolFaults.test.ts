/** The pool under trouble: a crashing worker, a full queue, batches of frames, transferred buffers. */
import { afterEach, describe, expect, it } from 'vitest';
import { spectrumMetrics } from '../../../main/dsp/metrics';
import { createDspPool, DspPoolFullError, type DspPool } from '../../../main/dsp/pool';
import { welchComplex } from '../../../main/dsp/welch';

const pools: DspPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
const pool = (...args: Parameters<typeof createDspPool>) => {
  const p = createDspPool(...args);
  pools.push(p);
  return p;
};

function tone(n: number, hz: number, fs = 12000): Float32Array {
  const x = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    x[2 * k] = 0.1 * Math.cos((2 * Math.PI * hz * k) / fs) + 1e-4 * Math.sin(k * 12.9898);
    x[2 * k + 1] = 0.1 * Math.sin((2 * Math.PI * hz * k) / fs) + 1e-4 * Math.cos(k * 78.233);
  }
  return x;
}

describe('DSP pool faults', () => {
  it('rejects the job of a worker that dies with a clear error, restarts it and carries on', async () => {
    const p = pool({ size: 1 });
    await expect(p.simulateCrash()).rejects.toThrow(/a DSP worker stopped \(exited with code 70\); that job was dropped and the worker restarted/);
    expect(p.restarts()).toBe(1);
    const r = await p.analyzeIq(tone(4096, 1500), 12000);
    expect(Math.abs(r.metrics.peakOffsetHz - 1500)).toBeLessThan(1);
  });

  it('jobs queued behind a crash still complete', async () => {
    const p = pool({ size: 1, maxQueue: 8 });
    const crash = p.simulateCrash();
    const after = [p.analyzeIq(tone(2048, 500), 12000), p.analyzeIq(tone(2048, -900), 12000)];
    await expect(crash).rejects.toThrow(/worker stopped/);
    const [a, b] = await Promise.all(after);
    expect(Math.abs(a!.metrics.peakOffsetHz - 500)).toBeLessThan(1);
    expect(Math.abs(b!.metrics.peakOffsetHz + 900)).toBeLessThan(1);
  });

  it("with whenFull 'reject', refuses work beyond the queue bound instead of waiting", async () => {
    const p = pool({ size: 1, maxQueue: 2, whenFull: 'reject' });
    const jobs = Array.from({ length: 6 }, () => p.analyzeIq(tone(65536, 100), 12000).then(() => 'done', (e: unknown) => e));
    const results = await Promise.all(jobs);
    const refused = results.filter((r) => r instanceof DspPoolFullError);
    // One running + two queued fit; the rest are refused with a message that says what to do.
    expect(refused.length).toBe(3);
    expect(String((refused[0] as Error).message)).toMatch(/queue is full \(2 jobs waiting\); drop this block or submit again/);
    expect(results.filter((r) => r === 'done').length).toBe(3);
  });

  it('analyses a batch of frames from several streams in one message, each frame on its own', async () => {
    const p = pool({ size: 1 });
    const hz = [-2800, -1200, 200, 450, 2500, 2950];
    const batch = new Float32Array(2 * 512 * hz.length);
    hz.forEach((f, i) => batch.set(tone(512, f), 2 * 512 * i));
    const direct = hz.map((_, i) => spectrumMetrics(welchComplex(batch.subarray(2 * 512 * i, 2 * 512 * (i + 1)), { fs: 12000, detrend: 'none' })));
    const results = await p.analyzeFrames(batch, 12000, 512);
    expect(batch.byteLength).toBe(0); // transferred, not copied
    expect(results).toHaveLength(hz.length);
    results.forEach((r, i) => {
      expect(r.metrics).toEqual(direct[i]);
      expect(r.psdDb.length).toBe(512);
      expect(Math.abs(r.metrics.peakOffsetHz - hz[i]!), `frame ${i}`).toBeLessThan(2);
    });
  });

  it('says what is wrong with a batch that is not whole frames, and is not harmed by it', async () => {
    const p = pool({ size: 1 });
    await expect(p.analyzeFrames(new Float32Array(2 * 1000), 12000, 512)).rejects.toThrow(/not a whole number of 512-sample frames/);
    await expect(p.analyzeIq(new Float32Array(0), 12000)).rejects.toThrow(/DSP failed/);
    expect((await p.analyzeIq(tone(1024, 300), 12000)).psdDb.length).toBe(1024);
    expect(p.restarts()).toBe(0);
  });

  it('rejects queued work when closed, and refuses new work after', async () => {
    const p = createDspPool({ size: 1, maxQueue: 8 });
    const jobs = Array.from({ length: 4 }, () => p.analyzeIq(tone(65536, 100), 12000).then(() => 'done', (e: Error) => e.message));
    await p.close();
    const results = await Promise.all(jobs);
    expect(results.some((r) => /closed/.test(r))).toBe(true);
    await expect(p.analyzeIq(tone(1024, 0), 12000)).rejects.toThrow(/the DSP pool is closed; create a new one/);
  });
});
