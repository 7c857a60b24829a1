/**
 * The client's socket handlers against a hostile server: after a proper handshake, a stream of
 * random, truncated and mutated SND / W/F / MSG frames. Nothing may escape the handlers (vitest fails
 * the run on an uncaught exception), bad frames are reported as `malformed`, good ones still arrive,
 * and the channel stays up until we close it. Loopback only.
 */
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { KiwiSdrChannel } from '../../../../main/receivers/kiwisdr/client';
import { encodeMsgFrame, frameTag } from '../../../../main/receivers/kiwisdr/msg';
import { encodeSndFrame, parseSndFrame, SND_FLAG } from '../../../../main/receivers/kiwisdr/sndFrame';
import { encodeWfFrame, parseWfFrame, WF_BINS } from '../../../../main/receivers/kiwisdr/wfFrame';
import { type ReceiverCondition } from '../../../../main/receivers/receiverState';
import { mulberry32 } from '../../../../main/sim/prng';

const FRAMES_PER_SOCKET = 3000;

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

/** The frames, and how many of them the client should accept and reject (judged by the parsers alone). */
function hostileFrames(rand: Rand, stream: 'SND' | 'W/F'): { frames: Uint8Array[]; valid: number; invalid: number } {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < FRAMES_PER_SOCKET; i++) {
    const good =
      stream === 'SND'
        ? encodeSndFrame({ flags: SND_FLAG.STEREO_IQ, seq: i, smeterDbm: -90, gps: { solution: 1, gpssec: 1000 + i, gpsnsec: 0 }, payload: new Uint8Array(2048).map(() => int(rand, 256)) })
        : encodeWfFrame({ xBin: 0, zoom: 0, seq: i, bytes: new Uint8Array(WF_BINS).map(() => int(rand, 256)), compressed: false });
    const kind = int(rand, 6);
    if (kind === 0) frames.push(good);
    else if (kind === 1) frames.push(good.subarray(0, int(rand, good.length))); // truncated
    else if (kind === 2) frames.push(new Uint8Array(int(rand, 64)).map(() => int(rand, 256))); // noise
    else if (kind === 3) {
      const f = good.slice(); // header bytes scrambled
      for (let k = 0; k < 4; k++) f[3 + int(rand, 17)] = int(rand, 256);
      frames.push(f);
    } else if (kind === 4) {
      // MSG with unknown keys, bare flags and broken percent-encoding: must be ignored, not fatal.
      frames.push(encodeMsgFrame(`x${int(rand, 1e6)}=%ZZ%${int(rand, 9)} stray_flag k=${'%'.repeat(int(rand, 4))}`));
    } else frames.push(new Uint8Array([0x45, 0x58, 0x54, ...new Uint8Array(int(rand, 30))])); // EXT, unhandled tag
  }
  let valid = 0;
  let invalid = 0;
  for (const f of frames) {
    if (frameTag(f) === 'MSG') continue;
    // The client also refuses SND frames of the wrong kind or size for the IQ stream it asked for.
    const ok = stream === 'SND' ? ((p) => p.ok && p.value.iq && p.value.payload.length === 2048)(parseSndFrame(f)) : parseWfFrame(f).ok;
    if (ok) valid++;
    else invalid++;
  }
  return { frames, valid, invalid };
}

let server: http.Server;
let url = '';
const expected = { SND: 0, 'W/F': 0 };
const rejected = { SND: 0, 'W/F': 0 };

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const stream = req.url?.endsWith('/SND') ? 'SND' : 'W/F';
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.once('message', () => {
        // A normal handshake first, so the client is past its gates and really parsing frames.
        if (stream === 'SND') {
          for (const m of ['rx_chans=4', 'badp=0', 'version_maj=1 version_min=590 freq_offset=0.000', 'center_freq=15000000 bandwidth=30000000', 'audio_init=0 audio_rate=12000', 'sample_rate=12001.135'])
            ws.send(encodeMsgFrame(m));
        } else {
          for (const m of ['center_freq=15000000 bandwidth=30000000', 'kiwi_up=1 rx_chan=0', 'wf_fft_size=1024 wf_fps=23 zoom_max=14 wf_cal=-13 wf_setup']) ws.send(encodeMsgFrame(m));
        }
        const { frames, valid, invalid } = hostileFrames(mulberry32(stream === 'SND' ? 11 : 12), stream);
        expected[stream] = valid;
        rejected[stream] = invalid;
        setTimeout(() => {
          for (const f of frames) ws.send(f);
        }, 50);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('KiwiSDR client under hostile frames', () => {
  it('reports bad frames as malformed, delivers the good ones, and stays connected', async () => {
    const ch = new KiwiSdrChannel({ url, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station TEST', waterfall: { zoom: 0, speed: 4, compressed: false } });
    let samples = 0;
    let rows = 0;
    let malformed = 0;
    const conditions: ReceiverCondition[] = [];
    ch.on('samples', () => samples++);
    ch.on('wf', () => rows++);
    ch.on('malformed', (e) => {
      expect(typeof e).toBe('string');
      malformed++;
    });
    ch.on('condition', (c) => conditions.push(c));
    const closed = new Promise<ReceiverCondition>((r) => ch.on('closed', r));
    ch.open();
    // Done when every valid frame has arrived (or give up after 20 s and let the assertions say why).
    const t0 = Date.now();
    const total = () => expected.SND + expected['W/F'] + rejected.SND + rejected['W/F'];
    while ((expected.SND === 0 || expected['W/F'] === 0 || samples + rows + malformed < total()) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    ch.close({ code: 'connecting' });
    await closed;
    expect(conditions.map((c) => c.code)).toEqual(['connecting', 'streaming']);
    // Exactly the frames the parsers accept arrive; exactly the rest are reported; MSG noise is ignored.
    expect(samples).toBe(expected.SND);
    expect(rows).toBe(expected['W/F']);
    expect(malformed).toBe(rejected.SND + rejected['W/F']);
    expect(malformed).toBeGreaterThan(FRAMES_PER_SOCKET / 2); // the mix really is hostile
  });
});
