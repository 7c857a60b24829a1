/**
 * Truth on real material: the three kiwirecorder recordings of DCF77 made at one moment in 2017 by
 * three public KiwiSDRs (../shared/data/kiwi-dcf77-2017/, read in place). Located as the station
 * locates any set: their own GPS time bases, their position files, the locate core.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { greatCircleM, predictedDtSec } from '../../../main/locate/geodesy';
import { locate, type LocateSignal } from '../../../main/locate/locate';
import { signalOfRecording } from '../../../main/locate/locateJob';
import { openRecordings } from '../../../main/recordings/openRecording';
import { type RecordingFile } from '../../../main/recordings/recordingFile';
import { realDataSet } from '../../helpers/realData';

const set = realDataSet('kiwi-dcf77-2017');
if (!set.dir) console.log(`dcf77Locate.test: skipped, ${set.why}`);
const DCF77 = { name: 'DCF77 Mainflingen', lat: 50.0152, lon: 9.0112 };
const STATIONS = ['DF0KL', 'F1JEK', 'HB9RYZ'];

async function signals(): Promise<LocateSignal[]> {
  const out: LocateSignal[] = [];
  for (const station of STATIONS) {
    const [r] = await openRecordings(path.join(set.dir!, `20171127T104156Z_77500_${station}_iq.wav`));
    out.push(signalOfRecording(r as RecordingFile));
  }
  return out;
}

describe.skipIf(!set.dir)('locating DCF77 from three real KiwiSDR recordings (2017-11-27 10:41:56 UTC)', () => {
  it('puts Mainflingen within 15 km and each pair within 50 us of its great-circle delay', async () => {
    const sig = await signals();
    const r = locate({ signals: sig, source: DCF77, freqHz: 77_500 });
    expect(r.receivers.map((x) => [x.name, x.status])).toEqual(STATIONS.map((s) => [s, 'good']));
    expect(r.pairs).toHaveLength(3);
    for (const p of r.pairs) {
      const a = sig.find((s) => s.name === p.a)!;
      const b = sig.find((s) => s.name === p.b)!;
      const truth = predictedDtSec(DCF77, { lat: a.lat!, lon: a.lon! }, { lat: b.lat!, lon: b.lon! }) * 1e6;
      console.log(`${p.a}-${p.b}: dt ${p.dtUs.toFixed(1)} us, great-circle ${truth.toFixed(1)} us, off ${(p.dtUs - truth).toFixed(1)} us, rms ${p.rmsUs.toFixed(1)} us, ${p.blocksUsed}/${p.blocksTotal} blocks`);
      expect(Math.abs(p.dtUs - truth)).toBeLessThan(50);
      expect(p.blocksUsed).toBeGreaterThanOrEqual(25);
    }
    const km = greatCircleM(r.position, DCF77) / 1000;
    console.log(`fix ${r.position.lat.toFixed(4)} N ${r.position.lon.toFixed(4)} E, ${km.toFixed(1)} km from Mainflingen, ${r.elapsedMs.toFixed(0)} ms`);
    expect(km).toBeLessThan(15);
    expect(r.source!.distanceKm).toBeCloseTo(km, 6);
    // The 95 % region is drawn and closed around the fix; the interval is the ~29 s the three share.
    expect(r.contours.find((c) => c.confidence === 0.95)!.lines.length).toBeGreaterThan(0);
    expect(r.interval.seconds).toBeGreaterThan(27);
    expect(r.interval.startUtc.startsWith('2017-11-27T10:41:5')).toBe(true);
  });
});
