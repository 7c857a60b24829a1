/**
 * What the simulated receivers sound like through the real clients: an OpenWebRX in NFM gives the
 * handheld's 1 kHz tone (and near silence in AM, which does not fit FM); a KiwiSDR streaming CW
 * audio gives the beacon's keyed Morse at the passband's pitch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { KiwiSdrChannel } from '../../../main/receivers/kiwisdr/client';
import { OpenWebRxClient } from '../../../main/receivers/openwebrx/client';
import { startKiwiSimServer } from '../../../main/sim/kiwisdr/server';
import { morseTiming } from '../../../main/sim/morse';
import { startOpenWebRxSimServer } from '../../../main/sim/openwebrx/server';
import { sceneSchema } from '../../../main/sim/scene';
import { analyseTone } from '../../helpers/toneAnalysis';

const VHF = 145_500_000;
const HF = 7_100_000;
// The handheld is keyed all the time; the beacon keys up 2.5 s in every 3 s and sends VVV (1.6 s at 25 wpm), then carrier.
const scene = sceneSchema.parse({
  name: 'audio',
  transmitters: [
    { id: 'ht', name: '2 m handheld', freqHz: VHF, lat: 45.08, lon: 7.77, altM: 670, powerDbm: 37, modulation: 'nfm', deviationHz: 2500, toneHz: 1000, schedule: { periodSec: 1, onSec: 1 } },
    { id: 'bcn', name: 'HF beacon', freqHz: HF, lat: 45.56, lon: 8.05, altM: 420, powerDbm: 27, modulation: 'cw', morse: { text: 'VVV', wpm: 25 }, schedule: { periodSec: 3, onSec: 2.5 } },
  ],
  receivers: [
    { id: 'owrx', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672, altM: 250, centerFreqHz: 145_000_000, sampleRateHz: 2_400_000 },
    { id: 'kiwi', name: 'Asti', kind: 'kiwisdr', lat: 44.9, lon: 8.207, altM: 120 },
  ],
});
const rx = (id: string) => scene.receivers.find((r) => r.id === id)!;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

async function owrxAudio(url: string, mode: string, seconds: number): Promise<Int16Array> {
  const c = new OpenWebRxClient({ url, freqHz: VHF, mode });
  const parts: Int16Array[] = [];
  c.on('audio', (a) => parts.push(a.samples));
  const closed = new Promise((r) => c.on('closed', r));
  c.open();
  setTimeout(() => c.close(), seconds * 1000);
  await closed;
  return concat(parts);
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('simulated receiver audio', () => {
  it('OpenWebRX in NFM: the handheld 1 kHz tone; in AM (wrong for FM): close to silence', async () => {
    const s = await startOpenWebRxSimServer({ scene, receiver: rx('owrx') });
    closers.push(() => s.close());
    const nfm = await owrxAudio(s.url, 'nfm', 2.5);
    const t = analyseTone(Float32Array.from(nfm, (v) => v / 32768), 12000, { skip: 3000 });
    expect(Math.abs(t.freqHz - 1000)).toBeLessThan(1);
    expect(t.snrDb).toBeGreaterThan(20);
    const am = await owrxAudio(s.url, 'am', 2.5);
    const a = analyseTone(Float32Array.from(am, (v) => v / 32768), 12000, { skip: 3000 });
    expect(20 * Math.log10(a.rms / t.rms)).toBeLessThan(-15);
  });

  it('KiwiSDR CW audio: the beacon keys VVV in Morse at the 500 Hz pitch of the 300..700 Hz passband', async () => {
    const sim = await startKiwiSimServer({ scene, receiver: rx('kiwi') });
    closers.push(() => sim.close());
    const ch = new KiwiSdrChannel({ url: sim.url, freqHz: HF, mode: 'cw', identUser: 'heimdall-station TEST' });
    const parts: Int16Array[] = [];
    let rate = 0;
    ch.on('samples', (b) => {
      parts.push(b.samples);
      rate = b.sampleRate;
    });
    const closed = new Promise((r) => ch.on('closed', r));
    ch.open();
    setTimeout(() => ch.close(), 7000);
    await closed;
    const audio = Float32Array.from(concat(parts), (v) => v / 32768);
    expect(audio.length).toBeGreaterThan(rate * 5);
    const tone = analyseTone(audio, rate, { skip: Math.round(rate * 0.5) });
    expect(Math.abs(tone.freqHz - 500)).toBeLessThan(2);
    // The keying, in Morse units: level per 12 ms, split at half the loudest, as run lengths.
    const unit = morseTiming('VVV', 25).unitSec;
    const step = Math.round(rate * unit / 4);
    const levels: number[] = [];
    for (let i = Math.round(rate * 0.5); i + step <= audio.length; i += step) {
      let sq = 0;
      for (let k = i; k < i + step; k++) sq += audio[k]! ** 2;
      levels.push(Math.sqrt(sq / step));
    }
    const top = [...levels].sort((x, y) => x - y)[Math.floor(levels.length * 0.9)]!;
    const runs: string[] = [];
    let cur = levels[0]! > top / 2;
    let len = 0;
    for (const l of levels) {
      const on = l > top / 2;
      if (on === cur) len++;
      else {
        runs.push(`${cur ? '+' : '-'}${Math.round(len / 4)}`);
        cur = on;
        len = 1;
      }
    }
    // V = di di di dah (+1 -1 +1 -1 +1 -1 +3), letter gap 3, twice more; then carrier.
    expect(runs.join(' ')).toContain('+1 -1 +1 -1 +1 -1 +3 -3 +1 -1 +1 -1 +1 -1 +3 -3 +1 -1 +1 -1 +1 -1 +3 -7');
  }, 20_000);
});
