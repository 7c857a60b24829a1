import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoScene, DEMO_HF_TX_HZ, DEMO_VHF_CENTER_HZ, DEMO_VHF_SAMPLE_RATE_HZ, DEMO_VHF_TX_HZ } from '../../../main/sim/demoScene';
import { isKeyed, propagation, sceneSchema } from '../../../main/sim/scene';

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

  it('has three KiwiSDRs and gives each kind a transmitter it can hear', () => {
    const kiwis = scene.receivers.filter((r) => r.kind === 'kiwisdr');
    expect(kiwis.length).toBe(3);
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
    // More than one 12 kHz sample (83 us) between neighbours, so TDoA is visible even at audio rates.
    expect(delaysUs[1]! - delaysUs[0]!).toBeGreaterThan(20);
    expect(delaysUs[2]! - delaysUs[1]!).toBeGreaterThan(20);
  });
});
