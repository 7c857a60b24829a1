/**
 * Live listening end to end in Node: simulated receivers -> capture workers -> (KiwiSDR IQ: the
 * audio worker's demodulator) -> the `audio` stream over a real WebSocket. What comes out must be
 * the transmitters' modulation: the beacon's carrier at the CW pitch, the handheld's 1 kHz tone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StationClient } from '../../../shared/client';
import { type AudioChunk } from '../../../shared/domain/audio';
import { sceneSchema } from '../../../main/sim/scene';
import { startTestStation, type TestStation } from '../../helpers/station';
import { analyseTone } from '../../helpers/toneAnalysis';
import { addSimulatedReceivers, useSimulation } from '../../helpers/simulation';

const VHF = 145_500_000;
const HF = 7_100_000;
const scene = sceneSchema.parse({
  name: 'listen',
  transmitters: [
    { id: 'ht', name: '2 m handheld', freqHz: VHF, lat: 45.08, lon: 7.77, altM: 670, powerDbm: 37, modulation: 'nfm', deviationHz: 2500, toneHz: 1000, schedule: { periodSec: 1, onSec: 1 } },
    { id: 'bcn', name: 'HF beacon', freqHz: HF, lat: 45.56, lon: 8.05, altM: 420, powerDbm: 27, modulation: 'cw', schedule: { periodSec: 1, onSec: 1 } },
  ],
  receivers: [
    { id: 'owrx', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672, altM: 250, centerFreqHz: 145_000_000, sampleRateHz: 2_400_000 },
    { id: 'kiwi', name: 'Asti', kind: 'kiwisdr', lat: 44.9, lon: 8.207, altM: 120 },
  ],
});

let t: TestStation;
const sim = useSimulation(scene);
let client: StationClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestStation();
  client = t.connect();
  Object.assign(ids, await addSimulatedReceivers(client, sim(), scene));
});
afterAll(async () => {
  await t?.close();
});

/**
 * Listens to one receiver: waits for its audio to start (connecting, and the audio worker's first
 * start, take a moment), then collects `seconds` of it; returns the chunk headers and the audio.
 */
async function listen(receiverId: string, seconds: number) {
  const headers: AudioChunk[] = [];
  const parts: Float32Array[] = [];
  let started = 0;
  const off = client.subscribe('audio', { receiverIds: [receiverId] }, (ev) => {
    if (started && Date.now() - started > seconds * 1000) return;
    started ||= Date.now();
    headers.push(ev.header);
    const b = ev.body!;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const f = new Float32Array(b.byteLength / 2);
    for (let i = 0; i < f.length; i++) f[i] = v.getInt16(2 * i, true) / 32768;
    parts.push(f);
  });
  const t0 = Date.now();
  while ((!started || Date.now() - started < seconds * 1000) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
  off();
  const audio = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    audio.set(p, o);
    o += p.length;
  }
  return { headers, audio };
}

describe('live audio over the WebSocket transport', () => {
  it('KiwiSDR in IQ: demodulated in the station, CW by default (the carrier at the 700 Hz BFO), retuned by setListen', async () => {
    await client.startMonitor({ receiverIds: [ids.kiwi!], freqHz: HF, mode: 'iq' });
    const states = await client.getListen();
    expect(states).toEqual([expect.objectContaining({ receiverId: ids.kiwi, source: 'iq', adjustable: true, listen: expect.objectContaining({ mode: 'cw', bfoHz: 700 }) })]);
    const { headers, audio } = await listen(ids.kiwi!, 4);
    expect(headers.length).toBeGreaterThan(40);
    expect(headers.every((h) => h.source === 'iq' && h.listen.mode === 'cw' && Math.abs(h.sampleRate - 12001.135) < 1e-6)).toBe(true);
    const rate = headers[0]!.sampleRate;
    const tone = analyseTone(audio, rate, { skip: Math.round(rate * 0.5) });
    expect(Math.abs(tone.freqHz - 700)).toBeLessThan(1);
    expect(tone.snrDb).toBeGreaterThan(20);
    // Live chunks carry the station's arrival time: from arrival at the station to leaving it, no queue.
    expect(headers.every((h) => h.arrivedMs !== null && h.t0Ms < h.arrivedMs + 1)).toBe(true);
    // A listener moves the BFO: same carrier, new pitch.
    const changed = await client.setListen({ receiverId: ids.kiwi!, listen: { mode: 'cw', lowHz: -300, highHz: 300, bfoHz: 1100 } });
    expect(changed.listen.bfoHz).toBe(1100);
    const after = await listen(ids.kiwi!, 3);
    expect(after.headers.at(-1)!.listen.bfoHz).toBe(1100);
    const t2 = analyseTone(after.audio, rate, { skip: Math.round(rate * 0.8) });
    expect(Math.abs(t2.freqHz - 1100)).toBeLessThan(1);
    // Retuning (a new monitor run in the same mode) keeps how the receiver is heard; another mode starts afresh.
    await client.startMonitor({ receiverIds: [ids.kiwi!], freqHz: HF - 200, mode: 'iq' });
    expect((await client.getListen())[0]!.listen.bfoHz).toBe(1100);
    await client.startMonitor({ receiverIds: [ids.kiwi!], freqHz: HF, mode: 'usb' });
    expect((await client.getListen())[0]!.listen).toMatchObject({ mode: 'usb', lowHz: 300, highHz: 2700 });
  }, 60_000);

  it("OpenWebRX in NFM: the receiver's own audio with the handheld's 1 kHz tone; setListen switches the server's demodulator", async () => {
    await client.startMonitor({ receiverIds: [ids.owrx!], freqHz: VHF, mode: 'nfm' });
    const [state] = await client.getListen();
    expect(state).toMatchObject({ receiverId: ids.owrx, source: 'receiver', adjustable: true, listen: { mode: 'nfm', lowHz: -4000, highHz: 4000 } });
    const { headers, audio } = await listen(ids.owrx!, 3);
    expect(headers.every((h) => h.source === 'receiver' && h.sampleRate === 12000)).toBe(true);
    const tone = analyseTone(audio, 12000, { skip: 6000 });
    expect(Math.abs(tone.freqHz - 1000)).toBeLessThan(1);
    expect(tone.snrDb).toBeGreaterThan(20);
    // AM on an FM signal: the receiver now sends (nearly) nothing of the tone.
    await client.setListen({ receiverId: ids.owrx!, listen: { mode: 'am', lowHz: -4000, highHz: 4000, bfoHz: 700 } });
    const am = await listen(ids.owrx!, 2.5);
    expect(am.headers.at(-1)!.listen.mode).toBe('am');
    const a = analyseTone(am.audio.subarray(6000), 12000);
    expect(20 * Math.log10(a.rms / tone.rms)).toBeLessThan(-15);
    await client.stopMonitor();
    await expect(client.setListen({ receiverId: ids.owrx!, listen: { mode: 'usb', lowHz: 300, highHz: 2700, bfoHz: 700 } })).rejects.toMatchObject({ code: 'conflict' });
  }, 60_000);

  it("KiwiSDR in CW (no IQ): the Kiwi's own audio at its 500 Hz pitch; setListen re-tunes the Kiwi's channel", async () => {
    await client.startMonitor({ receiverIds: [ids.kiwi!], freqHz: HF, mode: 'cw' });
    const [state] = await client.getListen();
    // The Kiwi's CW passband 300..700 Hz is the carrier +-200 Hz heard at a 500 Hz pitch.
    expect(state).toMatchObject({ source: 'receiver', adjustable: true, listen: { mode: 'cw', lowHz: -200, highHz: 200, bfoHz: 500 } });
    const { headers, audio } = await listen(ids.kiwi!, 3);
    expect(headers.every((h) => h.source === 'receiver')).toBe(true);
    const rate = headers[0]!.sampleRate;
    expect(Math.abs(analyseTone(audio, rate, { skip: Math.round(rate * 0.5) }).freqHz - 500)).toBeLessThan(2);
    await client.setListen({ receiverId: ids.kiwi!, listen: { mode: 'cw', lowHz: -250, highHz: 250, bfoHz: 800 } });
    const after = await listen(ids.kiwi!, 3);
    expect(Math.abs(analyseTone(after.audio, rate, { skip: Math.round(rate * 1) }).freqHz - 800)).toBeLessThan(2);
    await client.stopMonitor();
  }, 60_000);

  it('rejects a stream without receivers and a passband narrower than 50 Hz', async () => {
    const errors: string[] = [];
    client.subscribe('audio', { receiverIds: [] }, () => undefined, (e) => errors.push(e.code));
    await expect.poll(() => errors).toEqual(['invalid_input']);
    await expect(client.setListen({ receiverId: 'x', listen: { mode: 'usb', lowHz: 300, highHz: 310, bfoHz: 0 } })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
