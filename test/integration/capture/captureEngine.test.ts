/**
 * The capture path end to end: simulated KiwiSDRs -> real client in worker threads -> SigMF files,
 * with a failing receiver next to healthy ones.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startCapture, type WindowMeasurement } from '../../../main/capture/captureEngine';
import { createDspPool } from '../../../main/dsp/pool';
import { silentLogger } from '../../../main/base/log';
import { sceneSchema } from '../../../main/sim/scene';
import { tempDir } from '../../helpers/tempDir';
import { useSimulation } from '../../helpers/simulation';

const RATE = 12001.135;
const scene = sceneSchema.parse({
  name: 'capture',
  transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 1, onSec: 1, offsetSec: 0 } }], // always keyed: every 1 s window sees it
  receivers: [
    // A fresh GPS fix every 2 s, so a 2 s recording after a 3 s lead-in always sees one; real KiwiSDRs fix about every 5 s.
    { id: 'a', name: 'Alpha', kind: 'kiwisdr', lat: 45.1, lon: 7.75, gps: { fixEverySec: 2 } },
    { id: 'b', name: 'Bravo', kind: 'kiwisdr', lat: 44.4, lon: 8.95, clockOffsetNs: 0, gps: { fixEverySec: 2 } },
    { id: 'locked', name: 'Locked', kind: 'kiwisdr', lat: 45, lon: 7, faults: [{ kind: 'bad_password' }] },
    { id: 'limited', name: 'Limited', kind: 'kiwisdr', lat: 45, lon: 7, faults: [{ kind: 'ip_limit' }] },
  ],
});

const sim = useSimulation(scene, { kiwi: { sampleRate: RATE } });
const tmp = tempDir();
afterAll(async () => {
  tmp.cleanup();
});

describe('capture engine', () => {
  it('records every healthy receiver for exactly duration x rate samples from a common start, while the faulty ones fail on their own', async () => {
    const receivers = sim().receivers.map((r) => {
      const s = scene.receivers.find((x) => x.id === r.id)!;
      return { receiverId: r.id, name: s.name, kind: 'kiwisdr' as const, url: r.url, lat: s.lat, lon: s.lon, alt: s.altM };
    });
    const states: string[] = [];
    const pool = createDspPool({ size: 1 });
    const measurements: WindowMeasurement[] = [];
    const run = startCapture({ receivers, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', durationSec: 2, outDir: tmp.dir, alignLeadMs: 3000, dsp: { pool } }, silentLogger);
    run.events.on('measurement', (m) => measurements.push(m));
    run.events.on('message', (m) => {
      if (m.t === 'state') states.push(`${m.receiverId}:${m.state.code}`);
    });
    const summaries = await run.done;
    await pool.close();
    // One measurement per second of recording, computed in the DSP pool: the beacon is 500 Hz above the dial.
    for (const id of ['a', 'b']) {
      const mine = measurements.filter((m) => m.receiverId === id).sort((x, y) => x.startSample - y.startSample);
      expect(mine.map((m) => m.startSample)).toEqual([0, Math.round(RATE)]);
      expect(mine.every((m) => Math.abs(m.metrics.peakOffsetHz - 500) < 2)).toBe(true);
    }
    const by = new Map(summaries.map((s) => [s.receiverId, s]));

    for (const id of ['a', 'b']) {
      const s = by.get(id)!;
      expect(s).toMatchObject({ status: 'complete', dataKind: 'iq', samples: Math.round(2 * RATE), sampleRate: RATE, framesLost: 0, segments: 1, firstSampleFromGps: true });
      expect(fs.statSync(s.dataFile!).size).toBe(s.samples * 4);
      const meta = JSON.parse(fs.readFileSync(s.metaFile!, 'utf8'));
      expect(meta.global['core:sha512']).toBe(s.sha512);
      expect(meta.global['core:geolocation'].coordinates.slice(0, 2)).toEqual([scene.receivers.find((r) => r.id === id)!.lon, scene.receivers.find((r) => r.id === id)!.lat]);
      // Both recordings start at the common start instant, to within one sample.
      const startNs = BigInt(s.firstSampleUnixNs!);
      expect(Math.abs(Number(startNs - BigInt(run.startAtMs) * 1_000_000n))).toBeLessThanOrEqual(1e9 / RATE);
    }
    expect(by.get('locked')).toMatchObject({ status: 'failed', code: 'bad_password', samples: 0 });
    expect(by.get('locked')!.message).toMatch(/refused the password/);
    expect(by.get('limited')).toMatchObject({ status: 'failed', code: 'ip_limit' });
    expect(states).toContain('a:streaming');
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.sigmf-data'))).toHaveLength(2);
  });
});
