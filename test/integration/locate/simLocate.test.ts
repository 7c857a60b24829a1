/**
 * TDoA end to end on the simulator: the demo scene's five KiwiSDRs hear the 40 m beacon near Biella
 * (keyed Morse with a DCF77-like phase spread); 12 s are recorded from all five at once through the
 * real capture engine (worker threads, DSP pool, SigMF files), the files are opened as any recording
 * would be (their own GPS time bases), and the locate core must put the beacon where the scene has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture } from '../../../main/capture/captureEngine';
import { createDspPool } from '../../../main/dsp/pool';
import { greatCircleM, predictedDtSec } from '../../../main/locate/geodesy';
import { locate, type LocateSignal } from '../../../main/locate/locate';
import { silentLogger } from '../../../main/base/log';
import { openRecordings } from '../../../main/recordings/openRecording';
import { readRecordingSamples, recordingTimeBase, type RecordingFile } from '../../../main/recordings/recordingFile';
import { DEMO_HF_TX_HZ } from '../../../main/sim/demoScene';
import { propagation } from '../../../main/sim/scene';
import { type Simulation } from '../../../main/sim/simulation';
import { demoBeacon, demoKiwiScene, startDemoKiwis } from '../../fixtures/sessions/demoKiwiWorld';
import { tempDir } from '../../helpers/tempDir';

const scene = demoKiwiScene();
const beacon = demoBeacon(scene);
const SECONDS = 12;

let sim: Simulation;
const tmp = tempDir();
const opened: RecordingFile[] = [];
beforeAll(async () => {
  sim = await startDemoKiwis(scene);
});
afterAll(async () => {
  for (const r of opened) r.source.close();
  await sim.close();
  tmp.cleanup();
});

/** The beacon's key-ups (GPS time, Unix ns) overlapping [fromNs, toNs): the stretches with a signal to correlate. */
function keyUps(fromNs: bigint, toNs: bigint): { startNs: bigint; endNs: bigint }[] {
  const { periodSec, onSec, offsetSec } = beacon.schedule;
  const period = BigInt(periodSec * 1e9);
  const out: { startNs: bigint; endNs: bigint }[] = [];
  const offset = BigInt(Math.round(offsetSec * 1e9));
  for (let t = ((fromNs - offset) / period) * period + offset - period; t < toNs; t += period) {
    const end = t + BigInt(Math.round(onSec * 1e9));
    if (end > fromNs) out.push({ startNs: t, endNs: end });
  }
  return out;
}

describe('locating the demo beacon from its five simulated KiwiSDRs', () => {
  it(`records ${SECONDS} s of IQ from all five at once and locates the beacon within 2 km, each pair's delay within 3 us of the geometry`, async () => {
    expect(sim.receivers.filter((r) => r.kind === 'kiwisdr')).toHaveLength(5);
    const receivers = sim.receivers.map((r) => {
      const s = scene.receivers.find((x) => x.id === r.id)!;
      return { receiverId: r.id, name: s.name, kind: 'kiwisdr' as const, url: r.url, lat: s.lat, lon: s.lon, alt: s.altM };
    });
    const pool = createDspPool({ size: 1 });
    let summaries;
    try {
      const run = startCapture({ receivers, freqHz: DEMO_HF_TX_HZ, mode: 'iq', identUser: 'heimdall-station TEST', durationSec: SECONDS, outDir: tmp.dir, alignLeadMs: 3000, dsp: { pool } }, silentLogger);
      summaries = await run.done;
    } finally {
      await pool.close();
    }
    for (const s of summaries) expect(s, s.name).toMatchObject({ status: 'complete', dataKind: 'iq', framesLost: 0, firstSampleFromGps: true });

    // Each recording as a file on disk, with the time base its own GPS stamps give.
    const signals: LocateSignal[] = [];
    for (const s of summaries) {
      const [rec] = await openRecordings(s.metaFile!);
      if (!rec || 'error' in rec) throw new Error(`${s.metaFile}: ${rec ? rec.error : 'nothing opened'}`);
      opened.push(rec);
      const timeBase = recordingTimeBase(rec);
      // A fresh fix every 2 s: every recording measures its own rate between at least two anchors.
      expect(timeBase.summary, s.name).toMatchObject({ source: 'gps', good: true, rateSource: 'gps-anchors' });
      expect(timeBase.summary.anchors, s.name).toBeGreaterThanOrEqual(2);
      const x = scene.receivers.find((r) => r.id === s.receiverId)!;
      signals.push({
        name: x.name,
        receiverId: x.id,
        captureId: null,
        file: s.metaFile!,
        kind: 'kiwisdr',
        complex: rec.complex,
        lat: rec.receiver.lat,
        lon: rec.receiver.lon,
        totalSamples: rec.totalSamples,
        timeBase,
        read: (start, count) => readRecordingSamples(rec, start, count),
      });
    }

    const first = signals.map((s) => s.timeBase.gpsNsAt(0)!).reduce((a, b) => (a > b ? a : b));
    const last = signals.map((s) => s.timeBase.gpsNsAt(s.totalSamples - 1)!).reduce((a, b) => (a < b ? a : b));
    const windows = keyUps(first, last);
    const result = locate({ signals, windows, source: { name: beacon.name, lat: beacon.lat, lon: beacon.lon }, freqHz: DEMO_HF_TX_HZ });

    const errorKm = greatCircleM(result.position, beacon) / 1000;
    const byName = new Map(scene.receivers.map((r) => [r.name, r]));
    // The simulator's own truth: 3-D WGS-84 paths at c, plus each receiver's GPS clock error.
    const heardUs = (name: string) => {
      const r = byName.get(name)!;
      return propagation(r, beacon).delaySec * 1e6 + r.clockOffsetNs / 1e3;
    };
    const pairs = result.pairs.map((p) => {
      const geometricUs = predictedDtSec(beacon, byName.get(p.a)!, byName.get(p.b)!) * 1e6;
      const trueUs = heardUs(p.a) - heardUs(p.b);
      return { pair: `${p.a} - ${p.b}`, dtUs: p.dtUs, geometricUs, errorUs: p.dtUs - geometricUs, truthErrorUs: p.dtUs - trueUs, rmsUs: p.rmsUs, blocks: `${p.blocksUsed}/${p.blocksTotal}` };
    });
    console.info(`sim locate: fix ${result.position.lat.toFixed(5)}, ${result.position.lon.toFixed(5)}; ${errorKm.toFixed(3)} km from the beacon; ${result.interval.seconds} s of key-ups`);
    for (const p of pairs) {
      console.info(`  ${p.pair}: dt ${p.dtUs.toFixed(2)} us, great circle ${p.geometricUs.toFixed(2)} us (off ${p.errorUs.toFixed(2)}), scene truth off ${p.truthErrorUs.toFixed(2)} us; rms ${p.rmsUs.toFixed(2)} us over blocks ${p.blocks}`);
    }

    expect(result.receivers.map((r) => r.status)).toEqual(['good', 'good', 'good', 'good', 'good']);
    expect(pairs).toHaveLength(10);
    // The great-circle model differs from the scene's ellipsoid by up to ~1 us on these baselines.
    for (const p of pairs) expect(Math.abs(p.errorUs), p.pair).toBeLessThan(3);
    for (const p of pairs) expect(Math.abs(p.truthErrorUs), p.pair).toBeLessThan(1);
    expect(errorKm).toBeLessThan(2);
    expect(result.source?.distanceKm).toBeCloseTo(errorKm, 6);
  }, 120_000);
});
