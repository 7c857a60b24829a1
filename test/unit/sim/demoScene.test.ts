import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { greatCircleM } from '../../../main/locate/geodesy';
import { buildTimeBase } from '../../../main/recordings/timeBase';
import { simGpsClock } from '../../../main/sim/kiwisdr/gpsClock';
import { demoScene, DEMO_HF_SPREAD, DEMO_HF_TX_HZ, DEMO_VHF_CENTER_HZ, DEMO_VHF_SAMPLE_RATE_HZ, DEMO_VHF_TX_HZ } from '../../../main/sim/demoScene';
import { isKeyed, propagation, sceneSchema } from '../../../main/sim/scene';
import { tdoaCoverage } from '../../../main/sim/tdoaCoverage';

const receiverSetFile = path.resolve(__dirname, '../../../resources/receivers/heimdall-nw-italy.json');

describe('demo scene', () => {
  const scene = demoScene();

  it('is a valid scene with unique ids', () => {
    expect(sceneSchema.safeParse(scene).success).toBe(true);
    const ids = [...scene.receivers.map((r) => r.id), ...scene.transmitters.map((t) => t.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('places the OpenWebRX receivers exactly where the shipped NW Italy receiver set says', () => {
    const set = JSON.parse(fs.readFileSync(receiverSetFile, 'utf8')) as { receivers: Array<{ name: string; kind: string; lat: number; lon: number; alt: number }> };
    const owrx = scene.receivers.filter((r) => r.kind === 'openwebrx');
    expect(owrx.length).toBe(7);
    expect(owrx.map((r) => [r.name, r.lat, r.lon, r.altM])).toEqual(set.receivers.filter((r) => r.kind === 'openwebrx').map((r) => [r.name, r.lat, r.lon, r.alt]));
    for (const r of owrx) {
      expect(r.centerFreqHz).toBe(DEMO_VHF_CENTER_HZ);
      expect(r.sampleRateHz).toBe(DEMO_VHF_SAMPLE_RATE_HZ);
    }
  });

  it('has five KiwiSDRs and gives each kind a transmitter it can hear', () => {
    const kiwis = scene.receivers.filter((r) => r.kind === 'kiwisdr');
    expect(kiwis.length).toBe(5);
    const vhf = scene.transmitters.find((t) => t.freqHz === DEMO_VHF_TX_HZ)!;
    const hf = scene.transmitters.find((t) => t.freqHz === DEMO_HF_TX_HZ)!;
    expect(vhf.modulation).toBe('nfm');
    expect(Math.abs(vhf.freqHz - DEMO_VHF_CENTER_HZ)).toBeLessThan(DEMO_VHF_SAMPLE_RATE_HZ / 2);
    expect(hf.freqHz).toBeLessThan(30_000_000);
    // Keyed 4 s in every 10 s.
    let keyed = 0;
    for (let i = 0; i < 1000; i++) if (isKeyed(vhf, 1_767_225_600 + i / 100 + 0.005)) keyed++;
    expect(keyed).toBe(400);
    // Every receiver hears its transmitter well above its noise in a 3 kHz channel, below -50 dBm.
    for (const r of scene.receivers) {
      const p = propagation(r, r.kind === 'kiwisdr' ? hf : vhf);
      expect(p.rxPowerDbm).toBeGreaterThan(r.noiseFloorDbmHz + 10 * Math.log10(3000) + 20);
      expect(p.rxPowerDbm).toBeLessThan(-50);
    }
  });

  it('puts the KiwiSDRs at clearly different distances from the HF transmitter', () => {
    const hf = scene.transmitters.find((t) => t.freqHz === DEMO_HF_TX_HZ)!;
    const delaysUs = scene.receivers.filter((r) => r.kind === 'kiwisdr').map((r) => propagation(r, hf).delaySec * 1e6).sort((a, b) => a - b);
    // Tens of microseconds between neighbours, so the arrival order alone tells them apart.
    for (let i = 1; i < delaysUs.length; i++) expect(delaysUs[i]! - delaysUs[i - 1]!).toBeGreaterThan(20);
  });

  it('surrounds the HF beacon with its KiwiSDRs, on baselines of tens to about 200 km, for a well-conditioned TDoA fix', () => {
    const hf = scene.transmitters.find((t) => t.freqHz === DEMO_HF_TX_HZ)!;
    const kiwis = scene.receivers.filter((r) => r.kind === 'kiwisdr');
    // Bearings from the beacon (local east/north): no empty sector of half the horizon or more.
    const bearings = kiwis.map((r) => (Math.atan2((r.lon - hf.lon) * Math.cos((hf.lat * Math.PI) / 180), r.lat - hf.lat) * 180) / Math.PI).sort((a, b) => a - b);
    const gaps = bearings.map((b, i) => (i ? b - bearings[i - 1]! : b + 360 - bearings.at(-1)!));
    expect(Math.max(...gaps)).toBeLessThan(150);
    const baselinesKm = kiwis.flatMap((a, i) => kiwis.slice(i + 1).map((b) => greatCircleM(a, b) / 1000));
    expect(baselinesKm).toHaveLength(10);
    expect(Math.min(...baselinesKm)).toBeGreaterThan(40);
    expect(Math.max(...baselinesKm)).toBeLessThan(210);
  });

  it('modulates the HF beacon so it can be located, and fixes the KiwiSDRs often enough for any 5 s recording to hold two GPS anchors', () => {
    const hf = scene.transmitters.find((t) => t.freqHz === DEMO_HF_TX_HZ)!;
    expect(hf.modulation).toBe('cw');
    expect(hf.morse?.text).toBe('VVV');
    expect(hf.spread).toMatchObject({ chipRateHz: DEMO_HF_SPREAD.chipRateHz, deviationDeg: DEMO_HF_SPREAD.deviationDeg });
    // Any 5 s recording, wherever it starts in the stream, holds two fresh fixes: its time base measures its own rate.
    const rate = 12001.135;
    const frames = Math.ceil((5 * rate) / 512);
    for (const r of scene.receivers.filter((x) => x.kind === 'kiwisdr')) {
      const streamStartNs = 1_767_225_600_000_000_000n;
      const clock = simGpsClock(r, streamStartNs);
      for (let startFrame = 1; startFrame < 200; startFrame += 7) {
        const stamps = Array.from({ length: frames }, (_, i) => {
          const seq = startFrame + i;
          const g = clock.stamp(seq, streamStartNs + BigInt(Math.round(((seq * 512) / rate) * 1e9)));
          return { sampleIndex: i * 512, seq, fixAgeSec: g.solution, gpssec: g.gpssec, gpsnsec: g.gpsnsec };
        });
        const tb = buildTimeBase({ stamps, totalSamples: frames * 512, nominalRateHz: rate, weekHintUnixMs: 1_767_225_600_000 });
        expect(tb.summary.anchors, `${r.id} from frame ${startFrame}`).toBeGreaterThanOrEqual(2);
        expect(tb.summary.rateSource).toBe('gps-anchors');
      }
    }
    const vhf = scene.transmitters.find((t) => t.freqHz === DEMO_VHF_TX_HZ)!;
    const cover = { hf: tdoaCoverage(scene, hf), vhf: tdoaCoverage(scene, vhf) };
    expect(cover.hf.why).toBe('');
    expect(cover.hf.receivers.map((r) => r.id).sort()).toEqual(scene.receivers.filter((r) => r.kind === 'kiwisdr').map((r) => r.id).sort());
    expect(cover.vhf.receivers).toEqual([]);
    expect(cover.vhf.why).toMatch(/above 30 MHz/);
  });
});
