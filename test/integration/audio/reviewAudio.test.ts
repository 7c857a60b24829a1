/**
 * Review listening from stored samples: two short sessions are recorded from simulated receivers
 * (KiwiSDR IQ, OpenWebRX NFM audio), then played back through the `reviewAudio` stream over a
 * WebSocket (in real time, receivers in step for A/B) and drawn as review waterfalls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StationClient } from '../../../shared/client';
import { type AudioChunk } from '../../../shared/domain/audio';
import { type Session } from '../../../shared/domain/sessions';
import { sceneSchema } from '../../../main/sim/scene';
import { startTestStation, type TestStation } from '../../helpers/station';
import { analyseTone } from '../../helpers/toneAnalysis';
import { addSimulatedReceivers, useSimulation } from '../../helpers/simulation';

const VHF = 145_500_000;
const HF = 7_100_000;
const scene = sceneSchema.parse({
  name: 'review',
  transmitters: [
    { id: 'ht', name: '2 m handheld', freqHz: VHF, lat: 45.08, lon: 7.77, altM: 670, powerDbm: 37, modulation: 'nfm', schedule: { periodSec: 1, onSec: 1 } },
    { id: 'bcn', name: 'HF beacon', freqHz: HF + 300, lat: 45.56, lon: 8.05, altM: 420, powerDbm: 27, modulation: 'cw', schedule: { periodSec: 1, onSec: 1 } },
  ],
  receivers: [
    { id: 'owrx', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672, altM: 250, centerFreqHz: 145_000_000, sampleRateHz: 2_400_000 },
    { id: 'kiwi1', name: 'Asti', kind: 'kiwisdr', lat: 44.9, lon: 8.207, altM: 120 },
    { id: 'kiwi2', name: 'Cuneo', kind: 'kiwisdr', lat: 44.384, lon: 7.542, altM: 530 },
  ],
});

let t: TestStation;
const sim = useSimulation(scene);
let client: StationClient;
const ids: Record<string, string> = {};
let hf: Session;
let vhf: Session;

let whileRecording: Awaited<ReturnType<StationClient['getListen']>> = [];
let refusal: unknown = null;

async function record(name: string, freqHz: number, mode: 'iq' | 'nfm', receiverIds: string[]): Promise<Session> {
  const draft = await client.createSession({ name, freqHz, mode, receiverIds, durationSec: 3 });
  await client.startSession({ id: draft.id });
  if (mode === 'nfm') {
    // A receiver's own audio is what such a session records: its demodulator stays as planned.
    whileRecording = await client.getListen();
    refusal = await client.setListen({ receiverId: receiverIds[0]!, listen: { mode: 'am', lowHz: -4000, highHz: 4000, bfoHz: 700 } }).catch((e: unknown) => e);
  }
  for (let i = 0; i < 100; i++) {
    const s = await client.getSession({ id: draft.id });
    if (s.state !== 'recording') return s;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the session did not finish recording');
}

beforeAll(async () => {
  t = await startTestStation();
  client = t.connect();
  Object.assign(ids, await addSimulatedReceivers(client, sim(), scene));
  hf = await record('HF review', HF, 'iq', [ids.kiwi1!, ids.kiwi2!]);
  vhf = await record('VHF review', VHF, 'nfm', [ids.owrx!]);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** Plays a review range to its end; the chunks per receiver, their audio, and when each arrived. */
async function play(params: { sessionId: string; receiverIds: string[]; startMs: number; endMs: number; listen?: Record<string, { mode: 'cw' | 'usb' | 'am' | 'nfm' | 'lsb'; lowHz: number; highHz: number; bfoHz: number }> }) {
  const got = new Map<string, { headers: AudioChunk[]; audio: number[]; at: number[] }>();
  const t0 = Date.now();
  await new Promise<void>((resolve, reject) => {
    const ended = new Set<string>();
    const off = client.subscribe(
      'reviewAudio',
      { listen: {}, ...params },
      (ev) => {
        const h = ev.header;
        const g = got.get(h.receiverId) ?? { headers: [], audio: [], at: [] };
        got.set(h.receiverId, g);
        g.headers.push(h);
        g.at.push(Date.now() - t0);
        const b = ev.body ?? new Uint8Array(0);
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        for (let i = 0; i < b.byteLength / 2; i++) g.audio.push(v.getInt16(2 * i, true) / 32768);
        if (h.end) ended.add(h.receiverId);
        if (ended.size === params.receiverIds.length) {
          off();
          resolve();
        }
      },
      (e) => reject(e),
    );
  });
  return got;
}

describe('review audio and waterfalls from stored samples', () => {
  it('plays a KiwiSDR IQ recording demodulated in CW, in real time, with the times of its samples', async () => {
    expect(hf.state).toBe('review');
    const start = Date.parse(hf.startedAt!) + 500;
    const got = await play({ sessionId: hf.id, receiverIds: [ids.kiwi1!], startMs: start, endMs: start + 2000 });
    const g = got.get(ids.kiwi1!)!;
    const rate = g.headers[0]!.sampleRate;
    expect(g.headers.every((h) => h.source === 'iq' && h.listen.mode === 'cw' && h.arrivedMs === null)).toBe(true);
    // 2 s of audio (plus the filter's tail), paced: the last chunk comes after the first by nearly 2 s.
    expect(g.audio.length).toBeGreaterThan(rate * 2);
    expect(g.audio.length).toBeLessThan(rate * 2 + 2048);
    expect(g.at.at(-1)! - g.at[0]!).toBeGreaterThan(1500);
    // Chunk times follow the samples: each starts where the previous ended.
    for (let i = 1; i < g.headers.length - 1; i++) {
      const prev = g.headers[i - 1]!;
      expect(Math.abs(g.headers[i]!.t0Ms - (prev.t0Ms + (prev.samples / rate) * 1000))).toBeLessThan(0.01);
    }
    expect(Math.abs(g.headers[0]!.t0Ms - start)).toBeLessThan(1);
    // The beacon sits 300 Hz above the dial, outside the default +-250 Hz CW filter: only a low hiss.
    // Widen the passband to reach it, and it sounds at 300 + the 700 Hz BFO.
    const narrow = analyseTone(Float32Array.from(g.audio), rate, { skip: 2000 });
    const wide = await play({ sessionId: hf.id, receiverIds: [ids.kiwi1!], startMs: start, endMs: start + 1500, listen: { [ids.kiwi1!]: { mode: 'cw', lowHz: -100, highHz: 500, bfoHz: 700 } } });
    const w = analyseTone(Float32Array.from(wide.get(ids.kiwi1!)!.audio), rate, { skip: 2000 });
    expect(Math.abs(w.freqHz - 1000)).toBeLessThan(1);
    expect(w.snrDb).toBeGreaterThan(20);
    expect(20 * Math.log10(narrow.rms / w.rms)).toBeLessThan(-10);
  }, 30_000);

  it('plays two receivers in step (A/B): same start time, same length', async () => {
    const start = Date.parse(hf.startedAt!) + 300;
    const usb = { mode: 'usb' as const, lowHz: 100, highHz: 2700, bfoHz: 700 };
    const got = await play({ sessionId: hf.id, receiverIds: [ids.kiwi1!, ids.kiwi2!], startMs: start, endMs: start + 1500, listen: { [ids.kiwi1!]: usb, [ids.kiwi2!]: usb } });
    const a = got.get(ids.kiwi1!)!;
    const b = got.get(ids.kiwi2!)!;
    expect(Math.abs(a.headers[0]!.t0Ms - b.headers[0]!.t0Ms)).toBeLessThan(1);
    expect(Math.abs(a.audio.length - b.audio.length)).toBeLessThan(600);
    // In USB the carrier 300 Hz above the dial is a 300 Hz tone on both.
    for (const g of [a, b]) expect(Math.abs(analyseTone(Float32Array.from(g.audio), g.headers[0]!.sampleRate, { skip: 2000, minHz: 100 }).freqHz - 300)).toBeLessThan(1);
  }, 30_000);

  it('keeps a recording receiver\'s own demodulator as planned while the session records', () => {
    expect(whileRecording).toEqual([expect.objectContaining({ receiverId: ids.owrx, source: 'receiver', adjustable: false, reason: expect.stringMatching(/would change the recording/) })]);
    expect(refusal).toMatchObject({ code: 'conflict' });
  });

  it("plays an OpenWebRX recording (its own NFM audio) with the handheld's 1 kHz tone", async () => {
    expect(vhf.state).toBe('review');
    const start = Date.parse(vhf.startedAt!) + 500;
    const got = await play({ sessionId: vhf.id, receiverIds: [ids.owrx!], startMs: start, endMs: start + 2000 });
    const g = got.get(ids.owrx!)!;
    expect(g.headers.every((h) => h.source === 'receiver' && h.listen.mode === 'nfm' && h.sampleRate === 12000)).toBe(true);
    const tone = analyseTone(Float32Array.from(g.audio), 12000, { skip: 1000 });
    expect(Math.abs(tone.freqHz - 1000)).toBeLessThan(1);
  }, 30_000);

  it('draws review waterfalls: the IQ carrier in its column, the audio tone at 1 kHz', async () => {
    const start = Date.parse(hf.startedAt!) + 200;
    const w = await client.getReviewWaterfall({ sessionId: hf.id, receiverId: ids.kiwi1!, startMs: start, endMs: start + 2000 });
    expect(w.axis).toBe('rf');
    expect(w.rows).toBeGreaterThanOrEqual(40);
    expect(w.bins).toBe(256);
    expect(Math.abs(w.t0Ms - start)).toBeLessThan(1);
    const bytes = Buffer.from(w.data, 'base64');
    expect(bytes.length).toBe(w.rows * w.bins);
    const col = (hz: number) => Math.round((hz - w.startHz) / w.binHz);
    const mean = (c: number) => {
      let s = 0;
      for (let r = 0; r < w.rows; r++) s += bytes[r * w.bins + c]!;
      return s / w.rows;
    };
    expect(mean(col(HF + 300)) - mean(col(HF - 3000))).toBeGreaterThan(100);
    const a = await client.getReviewWaterfall({ sessionId: vhf.id, receiverId: ids.owrx!, startMs: Date.parse(vhf.startedAt!) + 200, endMs: Date.parse(vhf.startedAt!) + 2200 });
    expect(a.axis).toBe('audio');
    const ab = Buffer.from(a.data, 'base64');
    const acol = Math.round(1000 / a.binHz);
    let tone = 0;
    let other = 0;
    for (let r = 0; r < a.rows; r++) {
      tone += ab[r * a.bins + acol]!;
      other += ab[r * a.bins + Math.round(4500 / a.binHz)]!;
    }
    expect((tone - other) / a.rows).toBeGreaterThan(60);
  });

  it('says clearly when a receiver recorded nothing or the times are outside the recording', async () => {
    const errors: string[] = [];
    client.subscribe('reviewAudio', { sessionId: hf.id, receiverIds: [ids.owrx!], startMs: 0, endMs: 1000 }, () => undefined, (e) => errors.push(`${e.code}: ${e.message}`));
    await expect.poll(() => errors).toEqual([expect.stringMatching(/^not_found: This receiver recorded nothing/)]);
    await expect(client.getReviewWaterfall({ sessionId: hf.id, receiverId: ids.kiwi1!, startMs: 1000, endMs: 2000 })).rejects.toMatchObject({ code: 'not_found' });
  });
});
