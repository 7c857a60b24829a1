/** The real OpenWebRX client against the simulated server over loopback WebSockets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenWebRxClient, type OwrxEvents } from '../../../../main/receivers/openwebrx/client';
import { startOpenWebRxSimServer } from '../../../../main/sim/openwebrx/server';
import { sceneSchema } from '../../../../main/sim/scene';
import { collectEvents } from '../../../helpers/simulation';

const TX = 145_500_000;
const scene = sceneSchema.parse({
  name: 'owrx',
  transmitters: [{ id: 'tx', name: '2 m handheld', freqHz: TX, lat: 45.08, lon: 7.77, altM: 670, powerDbm: 37, modulation: 'nfm', schedule: { periodSec: 1, onSec: 1 } }],
  receivers: [
    { id: 'torino', name: 'Torino', kind: 'openwebrx', lat: 45.044, lon: 7.672, altM: 250, centerFreqHz: 145_000_000, sampleRateHz: 2_400_000 },
    { id: 'busy', name: 'Busy', kind: 'openwebrx', lat: 45, lon: 7, faults: [{ kind: 'busy' }] },
  ],
});
const rx = (id: string) => scene.receivers.find((r) => r.id === id)!;
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function run(url: string, freqHz: number, seconds: number, mode = 'nfm') {
  const got = collectEvents<OwrxEvents>()(new OpenWebRxClient({ url, freqHz, mode }), ['fft', 'audio', 'smeter', 'condition'], seconds);
  return { rows: got.fft, audio: got.audio, smeter: got.smeter, conditions: got.condition, end: await got.closed };
}

describe('OpenWebRX client against the simulator', () => {
  let url: string;
  beforeAll(async () => {
    const s = await startOpenWebRxSimServer({ scene, receiver: rx('torino') });
    servers.push(s);
    url = s.url;
  });

  it('receives FFT rows over the whole band with the transmitter brighter than the noise, and an S-meter', async () => {
    const r = await run(url, TX, 2);
    expect(r.conditions.map((c) => c.code)).toEqual(['connecting', 'streaming']);
    expect(r.rows.length).toBeGreaterThan(10);
    const row = r.rows.at(-1)!;
    expect(row.db.length).toBe(2048);
    expect(row.startHz).toBe(145_000_000 - 1_200_000);
    expect(row.spanHz).toBe(2_400_000);
    const bin = Math.floor(((TX - row.startHz) / row.spanHz) * 2048);
    const sorted = [...row.db].sort((a, b) => a - b);
    expect(row.db[bin]! - sorted[1024]!).toBeGreaterThan(20);
    expect(r.smeter.length).toBeGreaterThan(5);
  });

  for (const version of ['1.1', '1.2'] as const) {
    for (const audioCompression of ['none', 'adpcm'] as const) {
      it(`delivers duration x 12000 audio samples (OpenWebRX ${version}, audio ${audioCompression})`, async () => {
        const s = await startOpenWebRxSimServer({ scene, receiver: rx('torino'), version, audioCompression, fftCompression: audioCompression });
        servers.push(s);
        const t0 = Date.now();
        const r = await run(s.url, TX, 2);
        const seconds = (Date.now() - t0) / 1000;
        const n = r.audio.reduce((a, b) => a + b.samples.length, 0);
        expect(r.audio.every((a) => a.sampleRate === 12000)).toBe(true);
        // Streaming starts after the handshake, so allow the connection time plus one 50 ms message.
        expect(n).toBeLessThanOrEqual(seconds * 12000);
        expect(n).toBeGreaterThan((seconds - 0.5) * 12000 - 600);
        // The keyed NFM tone is in the audio: strong, not noise.
        const rms = Math.sqrt(r.audio.flatMap((a) => [...a.samples]).reduce((a, v) => a + v * v, 0) / n);
        expect(rms).toBeGreaterThan(3000);
      });
    }
  }

  it('switches profile when the frequency is in another band', async () => {
    const r = await run(url, 435_100_000, 1.5);
    expect(r.conditions.at(-1)?.code).toBe('streaming');
    expect(r.rows.at(-1)!.startHz).toBe(435_000_000 - 1_200_000);
  });

  it('refuses IQ (OpenWebRX never sends it) and a frequency no profile covers', async () => {
    expect((await run(url, TX, 1, 'iq')).end).toMatchObject({ code: 'not_covered' });
    expect((await run(url, 1_000_000_000, 2)).end).toMatchObject({ code: 'not_covered', detail: expect.stringMatching(/outside its band/) });
  });

  it('turns the server backoff into a backoff condition', async () => {
    const s = await startOpenWebRxSimServer({ scene, receiver: rx('busy') });
    servers.push(s);
    expect((await run(s.url, TX, 3)).end).toEqual({ code: 'backoff', reason: 'Too many clients' });
  });
});
