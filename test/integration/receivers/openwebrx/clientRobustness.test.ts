/**
 * The real OpenWebRX client against scripted loopback servers that send what the simulator does not:
 * JSON before the handshake answer, config in parts with nulls, message types the client does not
 * use, sdr_error / demodulator_error, and floods of hostile binary frames.
 */
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAdpcm, newAdpcmState } from '../../../../main/receivers/codecs/imaAdpcm';
import { OpenWebRxClient, type OwrxEvents, type OwrxFftRow } from '../../../../main/receivers/openwebrx/client';
import { parseOwrxText } from '../../../../main/receivers/openwebrx/messages';
import { mulberry32 } from '../../../../main/sim/prng';
import { collectEvents } from '../../../helpers/simulation';

const FFT = 256;
const CENTER = 145_000_000;
const RATE = 2_400_000;

type Script = (ws: WebSocket, fromClient: unknown[]) => void;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A loopback /ws/ server that runs `script` once the client's handshake line arrives. */
async function scripted(script: Script): Promise<{ url: string; fromClient: unknown[] }> {
  const server = http.createServer((_req, res) => res.end('not here'));
  const wss = new WebSocketServer({ server, path: '/ws/' });
  const fromClient: unknown[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text.startsWith('SERVER DE CLIENT')) script(ws, fromClient);
      else fromClient.push(JSON.parse(text));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, fromClient };
}

function fftFrame(db: (i: number) => number): Uint8Array {
  const v = new Int16Array(10 + FFT);
  for (let i = 0; i < FFT; i++) v[10 + i] = Math.round(db(i) * 100);
  v.fill(v[10]!, 0, 10);
  const body = encodeAdpcm(newAdpcmState(), v);
  const f = new Uint8Array(1 + body.length);
  f[0] = 1;
  f.set(body, 1);
  return f;
}

function collect(url: string, freqHz = CENTER + 100_000, passband: { lowHz: number; highHz: number } | null = null) {
  const c = new OpenWebRxClient({ url, freqHz, mode: 'nfm', passband });
  const got = collectEvents<OwrxEvents>()(c, ['fft', 'malformed', 'smeter', 'condition']);
  return { c, rows: got.fft, malformed: got.malformed, smeter: got.smeter, conditions: got.condition, closed: got.closed };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

describe('OpenWebRX client robustness', () => {
  it('tunes from config sent in parts before the handshake answer, with nulls and unknown messages among them', async () => {
    const { url, fromClient } = await scripted((ws) => {
      ws.send(JSON.stringify({ type: 'config', value: { fft_size: FFT, fft_compression: 'adpcm', audio_compression: 'adpcm', max_clients: 10 } }));
      ws.send(JSON.stringify({ type: 'receiver_details', value: { receiver_name: 'x' } }));
      ws.send('CLIENT DE SERVER server=openwebrx version=v1.2.2');
      ws.send(JSON.stringify({ type: 'bookmarks', value: [{ name: 'rep', frequency: 145_600_000 }] }));
      ws.send(JSON.stringify({ type: 'dial_frequencies', value: [] }));
      ws.send(JSON.stringify({ type: 'config', value: { samp_rate: RATE, center_freq: CENTER, start_mod: null, initial_squelch_level: null, sdr_id: 'a', profile_id: 'b' } }));
      ws.send('{"type":"smeter","value":0.001}');
      ws.send('not json at all {');
      ws.send(JSON.stringify({ type: 'smeter', value: 'loud' }));
      ws.send(fftFrame((i) => (i >= 150 && i < 200 ? -30 : -100)));
    });
    const r = collect(url);
    // The row can arrive before the server has read the client's tuning messages: wait for both.
    const started = () => fromClient.some((m) => (m as { type?: string; action?: string }).action === 'start');
    await until(() => r.rows.length > 0 && started());
    r.c.close();
    await r.closed;
    expect(fromClient).toContainEqual({ type: 'connectionproperties', params: { output_rate: 12000, hd_output_rate: 48000 } });
    expect(fromClient).toContainEqual({ type: 'dspcontrol', params: expect.objectContaining({ offset_freq: 100_000, mod: 'nfm' }) });
    expect(fromClient).toContainEqual({ type: 'dspcontrol', action: 'start' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ startHz: CENTER - RATE / 2, spanHz: RATE });
    // ADPCM follows a 70 dB step within a few bins: compare inside the plateau with the floor.
    expect(r.rows[0]!.db[180]! - r.rows[0]!.db[100]!).toBeGreaterThan(60);
    expect(r.smeter).toEqual([-30]);
  });

  it("tunes with a session's passband instead of the mode's default", async () => {
    const { url, fromClient } = await scripted((ws) => {
      ws.send('CLIENT DE SERVER server=openwebrx version=v1.2.2');
      ws.send(JSON.stringify({ type: 'config', value: { fft_size: FFT, fft_compression: 'adpcm', audio_compression: 'adpcm', samp_rate: RATE, center_freq: CENTER } }));
      ws.send(fftFrame(() => -100));
    });
    const r = collect(url, CENTER + 100_000, { lowHz: -1500, highHz: 1500 });
    await until(() => r.rows.length > 0 && fromClient.some((m) => (m as { action?: string }).action === 'start'));
    r.c.close();
    await r.closed;
    expect(fromClient).toContainEqual({ type: 'dspcontrol', params: expect.objectContaining({ offset_freq: 100_000, mod: 'nfm', low_cut: -1500, high_cut: 1500 }) });
  });

  for (const type of ['sdr_error', 'demodulator_error'] as const) {
    it(`surfaces ${type} with the server's words as a server_error`, async () => {
      const { url } = await scripted((ws) => {
        ws.send('CLIENT DE SERVER server=openwebrx version=v1.2.2');
        ws.send(JSON.stringify({ type, value: 'No SDR Devices available' }));
      });
      const r = collect(url);
      expect(await r.closed).toEqual({ code: 'server_error', detail: 'No SDR Devices available' });
    });
  }

  it('ends as backoff on {"type":"backoff"} followed by the close', async () => {
    const { url } = await scripted((ws) => {
      ws.send(JSON.stringify({ type: 'backoff', reason: 'Too many clients' }));
      ws.close();
    });
    expect(await collect(url).closed).toEqual({ code: 'backoff', reason: 'Too many clients' });
  });

  it('survives 3000 hostile binary frames of every type and still takes the next good row', async () => {
    const rand = mulberry32(0x0b1);
    const { url } = await scripted((ws) => {
      ws.send('CLIENT DE SERVER server=openwebrx version=v1.2.2');
      ws.send(JSON.stringify({ type: 'config', value: { fft_size: FFT, fft_compression: 'adpcm', audio_compression: 'adpcm', samp_rate: RATE, center_freq: CENTER } }));
      for (let k = 0; k < 3000; k++) {
        const f = new Uint8Array(Math.floor(rand() * 120));
        for (let i = 0; i < f.length; i++) f[i] = Math.floor(rand() * 256);
        if (f.length && k % 2 === 0) f[0] = 1 + (k % 4);
        ws.send(f);
      }
      ws.send(fftFrame(() => -77));
    });
    const r = collect(url);
    // The codec starts from 0 every row, so the first bins ramp towards -77: look past them.
    const flat = (row: OwrxFftRow) => row.db.subarray(32).every((v) => Math.abs(v + 77) < 1);
    await until(() => r.rows.some(flat), 5000);
    r.c.close();
    await r.closed;
    expect(r.malformed.length).toBeGreaterThan(500);
    expect(r.rows.every((row) => row.db.length === FFT)).toBe(true);
    expect(flat(r.rows.at(-1)!)).toBe(true);
  });
  it('takes 20k mutated JSON messages through the live handler (tuning included) without throwing, then still streams', async () => {
    const rand = mulberry32(0x15a);
    const int = (n: number) => Math.floor(rand() * n);
    const seeds = [
      JSON.stringify({ type: 'config', value: { samp_rate: RATE, center_freq: CENTER, fft_size: FFT, fft_compression: 'adpcm', audio_compression: 'none', start_mod: null } }),
      JSON.stringify({ type: 'config', value: { samp_rate: 480_000, center_freq: CENTER, fft_size: 1e9, audio_compression: 'adpcm' } }),
      JSON.stringify({ type: 'smeter', value: 1e-9 }),
      JSON.stringify({ type: 'profiles', value: [{ id: 'a|b', name: 'A B' }] }),
      JSON.stringify({ type: 'metadata', value: { protocol: 'DMR', slot: 1 } }),
      JSON.stringify({ type: 'clients', value: 3 }),
    ];
    const mutate = (t: string) => {
      const c = [...t];
      for (let k = 0; k < 1 + int(3); k++) {
        const i = int(c.length + 1);
        if (rand() < 0.5) c.splice(i, 1);
        else c.splice(i, 0, '0123456789-.e,:{}[]"null'.charAt(int(24)));
      }
      return c.join('');
    };
    // The band as the client sees it (merged config), to leave out messages that move it away.
    let band = { center: CENTER as number | null, rate: RATE as number | null };
    const movesBandAway = (t: string): boolean => {
      const m = parseOwrxText(t);
      if (m?.type !== 'config') return false;
      const next = { ...band };
      if ('center_freq' in m.value) next.center = m.value.center_freq ?? null;
      if ('samp_rate' in m.value) next.rate = m.value.samp_rate ?? null;
      if (next.center !== null && next.rate !== null && !(Math.abs(CENTER + 100_000 - next.center) < next.rate / 2)) return true;
      band = next;
      return false;
    };
    const { url } = await scripted((ws) => {
      ws.send('CLIENT DE SERVER server=openwebrx version=v1.2.2');
      for (let k = 0; k < 20_000; k++) {
        const t = mutate(seeds[k % seeds.length]!);
        // Messages that end a session by design are left out (server errors, and a band that no
        // longer holds the frequency, which rightly ends in protocol_error): the rest is the point.
        if (!/backoff|_error/.test(t) && !movesBandAway(t)) ws.send(t);
      }
      ws.send(seeds[0]!);
      ws.send(fftFrame(() => -77));
    });
    const r = collect(url);
    const flat = (row: OwrxFftRow) => row.db.length === FFT && row.db.subarray(32).every((v) => Math.abs(v + 77) < 1);
    await until(() => r.rows.some(flat) || r.conditions.length > 2, 20_000);
    r.c.close();
    const end = await r.closed;
    expect(r.rows.some(flat)).toBe(true);
    expect(end.code).toBe('streaming'); // closed by us, not by anything it was sent
  }, 30_000);
});
