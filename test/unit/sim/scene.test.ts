import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distance3d, SPEED_OF_LIGHT } from '../../../main/sim/geo';
import { KEYING_RAMP_SEC } from '../../../main/sim/morse';
import { IQ_FULL_SCALE_DBM, isKeyed, propagation, sceneSchema, synthesizeIq, type SceneReceiver, type SceneTransmitter } from '../../../main/sim/scene';

// Built through the schema so defaults apply exactly as for a scene file.
const tx = (over: Partial<SceneTransmitter> = {}): SceneTransmitter =>
  sceneSchema.parse({ name: 't', receivers: [], transmitters: [{
    id: 'tx',
    name: 'tx',
    freqHz: 10_000_000,
    lat: 45,
    lon: 8,
    altM: 0,
    powerDbm: 30,
    modulation: 'cw',
    schedule: { periodSec: 10, onSec: 4, offsetSec: 0 },
    ...over,
  }] }).transmitters[0]!;

const rx = (over: Partial<SceneReceiver> = {}): SceneReceiver =>
  sceneSchema.parse({ name: 'r', transmitters: [], receivers: [{ id: 'rx', name: 'rx', kind: 'kiwisdr', lat: 45, lon: 8, altM: 0, noiseFloorDbmHz: -160, clockOffsetNs: 0, ...over }] }).receivers[0]!;

describe('geodesy', () => {
  it('measures straight up as the altitude difference and one degree of latitude as about 111 km', () => {
    expect(distance3d({ lat: 45, lon: 8, altM: 0 }, { lat: 45, lon: 8, altM: 1000 })).toBeCloseTo(1000, 6);
    const d = distance3d({ lat: 45, lon: 8, altM: 0 }, { lat: 46, lon: 8, altM: 0 });
    expect(d).toBeGreaterThan(111_000);
    expect(d).toBeLessThan(111_300);
  });
});

describe('propagation', () => {
  it('is free-space path loss over the 3-D distance with delay = distance / c', () => {
    const p = propagation(rx({ altM: 1000 }), tx({ freqHz: 100_000_000 }));
    expect(p.distanceM).toBeCloseTo(1000, 6);
    expect(p.delaySec).toBeCloseTo(1000 / SPEED_OF_LIGHT, 15);
    // FSPL(1 km, 100 MHz) = 20 log10(4 pi d / lambda) = 72.45 dB.
    expect(p.pathLossDb).toBeCloseTo(20 * Math.log10((4 * Math.PI * 1000 * 100e6) / SPEED_OF_LIGHT), 9);
    expect(p.pathLossDb).toBeCloseTo(72.45, 2);
    expect(p.rxPowerDbm).toBeCloseTo(30 - p.pathLossDb, 9);
  });

  it('loses 6 dB per doubling of distance', () => {
    const a = propagation(rx({ altM: 2000 }), tx());
    const b = propagation(rx({ altM: 4000 }), tx());
    expect(a.pathLossDb - b.pathLossDb).toBeCloseTo(-20 * Math.log10(2), 6);
  });
});

describe('isKeyed', () => {
  it('keys when ((t - offset) mod period) < on, for times before the offset too', () => {
    const x = tx({ schedule: { periodSec: 10, onSec: 4, offsetSec: 3 } });
    expect(isKeyed(x, 3)).toBe(true);
    expect(isKeyed(x, 6.999)).toBe(true);
    expect(isKeyed(x, 7)).toBe(false);
    expect(isKeyed(x, 12.999)).toBe(false);
    expect(isKeyed(x, 13)).toBe(true);
    expect(isKeyed(x, 2.5)).toBe(false); // phase 9.5
    expect(isKeyed(x, -5)).toBe(true); // phase 2
    expect(isKeyed(x, 1_767_225_603.5)).toBe(true); // Unix-sized times: phase 0.5
  });
});

/** Index of the first sample whose magnitude clears `threshold` (full-scale units), or -1. */
function firstAbove(iq: Float32Array, threshold: number): number {
  for (let k = 0; k < iq.length / 2; k++) if (Math.hypot(iq[2 * k]!, iq[2 * k + 1]!) > threshold) return k;
  return -1;
}

describe('synthesizeIq', () => {
  const rate = 12001.135;
  const edgeUnixS = 1_767_225_600; // a key-up edge of a 10 s schedule (offset 0)
  const quietRx = (over: Partial<SceneReceiver>) => rx({ noiseFloorDbmHz: -220, ...over });

  it('puts the key-up edge at the true time + propagation delay, to a small fraction of a sample, at several distances', () => {
    const x = tx({ lat: 45, lon: 8, powerDbm: 0 });
    for (const [i, lat] of [45.2, 45.7, 46.5].entries()) {
      const r = quietRx({ id: `r${i}`, lat });
      const p = propagation(r, x);
      const amp = 10 ** ((p.rxPowerDbm - IQ_FULL_SCALE_DBM) / 20);
      // Start 5 ms before the edge arrives, at a non-integer ns time, so the edge falls mid-frame.
      const t0Ns = BigInt(edgeUnixS) * 1_000_000_000n - 5_000_000n + 123n;
      const iq = synthesizeIq({ name: 's', transmitters: [x], receivers: [r] }, r, x.freqHz, rate, t0Ns, 2048);
      const t0 = Number(t0Ns - BigInt(edgeUnixS) * 1_000_000_000n) / 1e9; // relative to the edge
      const arrival = (p.delaySec - t0) * rate; // fractional sample index
      // Nothing before the edge arrives.
      expect(firstAbove(iq, 1e-3 * amp)).toBeGreaterThanOrEqual(Math.ceil(arrival));
      // Every sample on the shaped 4 ms rise says when the edge arrived: the raised cosine, inverted.
      const said: number[] = [];
      for (let k = 0; k < 2048; k++) {
        const env = Math.hypot(iq[2 * k]!, iq[2 * k + 1]!) / amp;
        if (env > 0.1 && env < 0.9) said.push(k - ((rate * KEYING_RAMP_SEC) / Math.PI) * Math.acos(1 - 2 * env));
      }
      expect(said.length).toBeGreaterThan(20);
      for (const k of said) expect(Math.abs(k - arrival)).toBeLessThan(0.01);
      expect(p.delaySec * 1e6).toBeGreaterThan(20); // tens to hundreds of microseconds apart
    }
  });

  it('shapes key-down like key-up, so no edge is a step between two samples', () => {
    const x = tx({ powerDbm: 0 });
    const r = quietRx({ lat: 45.3 });
    const amp = 10 ** ((propagation(r, x).rxPowerDbm - IQ_FULL_SCALE_DBM) / 20);
    // Around the key-down at 4 s.
    const iq = synthesizeIq({ name: 's', transmitters: [x], receivers: [r] }, r, x.freqHz, rate, BigInt(edgeUnixS + 4) * 1_000_000_000n - 10_000_000n, 512);
    let largestStep = 0;
    for (let k = 1; k < 512; k++) largestStep = Math.max(largestStep, Math.abs(Math.hypot(iq[2 * k]!, iq[2 * k + 1]!) - Math.hypot(iq[2 * k - 2]!, iq[2 * k - 1]!)) / amp);
    // A 4 ms raised cosine at 12 kHz moves at most pi / (2 * 48) of full amplitude per sample.
    expect(largestStep).toBeLessThan(0.04);
    expect(Math.hypot(iq[0]!, iq[1]!) / amp).toBeCloseTo(1, 3);
    expect(Math.hypot(iq[1022]!, iq[1023]!) / amp).toBeLessThan(1e-3);
  });

  it('hears a carrier at rxPowerDbm relative to the IQ full scale, and noise at the floor', () => {
    const x = tx({ powerDbm: 20 });
    const r = rx({ lat: 45.5, noiseFloorDbmHz: -160 });
    const scene = { name: 's', transmitters: [x], receivers: [r] };
    const n = 8192;
    const on = synthesizeIq(scene, r, x.freqHz + 1000, rate, BigInt(edgeUnixS + 1) * 1_000_000_000n, n);
    const off = synthesizeIq(scene, r, x.freqHz + 1000, rate, BigInt(edgeUnixS + 6) * 1_000_000_000n, n);
    const power = (v: Float32Array) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[2 * k]! ** 2 + v[2 * k + 1]! ** 2;
      return s / n;
    };
    const noiseDb = 10 * Math.log10(power(off)) + IQ_FULL_SCALE_DBM;
    expect(noiseDb).toBeCloseTo(-160 + 10 * Math.log10(rate), 0);
    const totalDb = 10 * Math.log10(power(on)) + IQ_FULL_SCALE_DBM;
    const expectedDb = 10 * Math.log10(10 ** (propagation(r, x).rxPowerDbm / 10) + 10 ** (noiseDb / 10));
    expect(Math.abs(totalDb - expectedDb)).toBeLessThan(0.3);
  });

  it('is reproducible: the same request gives the same samples', () => {
    const x = tx({ modulation: 'nfm', freqHz: 145_500_000 });
    const r = rx({ lat: 45.3, kind: 'openwebrx' });
    const scene = { name: 's', transmitters: [x], receivers: [r] };
    const t0 = BigInt(edgeUnixS) * 1_000_000_000n + 777n;
    const a = synthesizeIq(scene, r, 145_500_000, 48_000, t0, 1000);
    const b = synthesizeIq(scene, r, 145_500_000, 48_000, t0, 1000);
    expect([...a]).toEqual([...b]);
  });

  it('leaves out transmitters outside the tuned band', () => {
    const x = tx({ powerDbm: 40 });
    const r = quietRx({ lat: 45.2 });
    const iq = synthesizeIq({ name: 's', transmitters: [x], receivers: [r] }, r, x.freqHz + 20_000, rate, BigInt(edgeUnixS + 1) * 1_000_000_000n, 512);
    expect(firstAbove(iq, 1e-3)).toBe(-1);
  });
});

describe('scene JSON fixtures', () => {
  const dir = path.resolve(__dirname, '../../fixtures/scenes');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const f of files) {
    it(`${f} passes the scene schema with unique ids`, () => {
      const scene = sceneSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      const ids = [...scene.receivers.map((r) => r.id), ...scene.transmitters.map((t) => t.id)];
      expect(new Set(ids).size).toBe(ids.length);
    });
  }

  it('rejects a scene with an unknown fault kind and names where', () => {
    const r = sceneSchema.safeParse({ name: 'x', transmitters: [], receivers: [{ id: 'a', name: 'a', kind: 'kiwisdr', lat: 0, lon: 0, faults: [{ kind: 'explode' }] }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toContain('receivers.0.faults.0');
  });
});
