/**
 * The simulated KiwiSDR on the wire, checked byte for byte against PROTOCOLS.md with a bare WebSocket
 * (no client code in the way): handshake order, gating, kicks, keepalive timeouts, <ts> rules,
 * frame layouts (IQ, mono raw and ADPCM, W/F raw and compressed), /status. Then the real client
 * for the mono modes. Loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KiwiSdrChannel, type KiwiSamples } from '../../../../main/receivers/kiwisdr/client';
import { parseMsgFrame, frameTag } from '../../../../main/receivers/kiwisdr/msg';
import { parseSndFrame, pcmFromWire, SND_FLAG } from '../../../../main/receivers/kiwisdr/sndFrame';
import { parseWfFrame } from '../../../../main/receivers/kiwisdr/wfFrame';
import { probeKiwiStatus } from '../../../../main/receivers/kiwisdr/statusProbe';
import { type ReceiverCondition } from '../../../../main/receivers/receiverState';
import { startKiwiSimServer, type KiwiSim } from '../../../../main/sim/kiwisdr/server';
import { IQ_FULL_SCALE_DBM, propagation, sceneSchema } from '../../../../main/sim/scene';

const RATE = 12001.135;
const scene = sceneSchema.parse({
  name: 'kiwi-protocol',
  transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_100_500, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 2, onSec: 1, offsetSec: 0 } }],
  receivers: [{ id: 'k', name: 'Kiwi Torino (sim)', kind: 'kiwisdr', lat: 45.1, lon: 7.75, altM: 300 }],
});

let sim: KiwiSim;
let ts = Date.now();
beforeAll(async () => {
  // Short keepalive limits so the timeout rules can be seen within a test.
  sim = await startKiwiSimServer({ scene, receiver: scene.receivers[0]!, sampleRate: RATE, keepaliveTimeoutMs: 1500, authTimeoutMs: 800 });
});
afterAll(async () => {
  await sim.close();
});

/** A bare socket that records every binary frame and how it ended. */
function raw(stream: 'SND' | 'W/F', useTs = ++ts) {
  const ws = new WebSocket(`${sim.url.replace('http', 'ws')}${useTs}/${stream}`);
  const frames: Uint8Array[] = [];
  let httpStatus: number | null = null;
  ws.on('message', (d: Buffer) => frames.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
  ws.on('unexpected-response', (_req, res) => {
    httpStatus = res.statusCode ?? null;
    ws.terminate();
  });
  ws.on('error', () => undefined);
  const opened = new Promise<boolean>((r) => {
    ws.once('open', () => r(true));
    ws.once('close', () => r(false));
  });
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  const msgs = () => frames.filter((f) => frameTag(f) === 'MSG').map((f) => parseMsgFrame(f)!);
  const until = async (what: () => boolean, ms = 5000) => {
    const t0 = Date.now();
    while (!what() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
    return what();
  };
  return { ws, frames, msgs, opened, closed, until, status: () => httpStatus, send: (t: string) => ws.readyState === ws.OPEN && ws.send(t) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isClosed = (ws: WebSocket) => ws.readyState === ws.CLOSED || ws.readyState === ws.CLOSING;

describe('simulated KiwiSDR, SND socket', () => {
  it('answers auth with the handshake in order, announcing the exact sample rate', async () => {
    const s = raw('SND');
    expect(await s.opened).toBe(true);
    s.send('SET auth t=kiwi p=#');
    expect(await s.until(() => s.msgs().some((m) => m.has('sample_rate')))).toBe(true);
    const keys = s.msgs().flatMap((m) => [...m.keys()]);
    const order = ['rx_chans', 'badp', 'version_maj', 'freq_offset', 'center_freq', 'audio_rate', 'sample_rate'].map((k) => keys.indexOf(k));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const all = new Map(s.msgs().flatMap((m) => [...m]));
    expect(all.get('badp')).toBe('0');
    expect(all.get('sample_rate')).toBe('12001.135');
    expect(Number(all.get('audio_rate'))).toBe(12000);
    s.ws.close();
  });

  it('sends no audio until freq, mode, passband, agc and AR OK (out != 0) have all arrived', async () => {
    const s = raw('SND');
    await s.opened;
    s.send('SET auth t=kiwi p=#');
    await s.until(() => s.msgs().some((m) => m.has('sample_rate')));
    const snd = () => s.frames.filter((f) => frameTag(f) === 'SND').length;
    s.send('SET AR OK in=12000 out=0'); // out=0 does not count
    s.send('SET mod=iq low_cut=-5000 high_cut=5000 freq=7100.000');
    s.send('SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=50');
    const keepalive = setInterval(() => s.send('SET keepalive'), 200);
    await sleep(700);
    expect(snd()).toBe(0);
    s.send('SET AR OK in=12000 out=44100');
    expect(await s.until(() => snd() >= 3)).toBe(true);
    clearInterval(keepalive);
    s.ws.close();
  });

  it('streams IQ frames: 20-byte GPS header, flag 0x08, 512 big-endian I/Q pairs, seq +1 LE, GPS time advancing by 512/rate', async () => {
    const s = raw('SND');
    await s.opened;
    s.send('SET auth t=kiwi p=#');
    await s.until(() => s.msgs().some((m) => m.has('sample_rate')));
    for (const c of ['SET AR OK in=12000 out=44100', 'SET squelch=0 max=0', 'SET genattn=0', 'SET gen=0 mix=-1', 'SET ident_user=heimdall-station%20TEST', 'SET mod=iq low_cut=-5000 high_cut=5000 freq=7100.000', 'SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=50', 'SET keepalive'])
      s.send(c);
    const snd = () => s.frames.filter((f) => frameTag(f) === 'SND');
    expect(await s.until(() => snd().length >= 10)).toBe(true);
    s.ws.close();
    const parsed = snd().map((f) => {
      expect(f.length).toBe(20 + 2048);
      const p = parseSndFrame(f);
      expect(p.ok).toBe(true);
      return p.ok ? p.value : null;
    });
    // Big-endian samples: read that way, every sample is either noise (tens of counts) or the carrier
    // at the level free-space loss predicts; read the other way round they would be neither.
    const carrier = 10 ** ((propagation(scene.receivers[0]!, scene.transmitters[0]!).rxPowerDbm - IQ_FULL_SCALE_DBM) / 20) * 32767;
    let plausible = 0;
    let total = 0;
    for (const f of parsed) {
      const iq = pcmFromWire(f!.payload, false);
      for (let k = 0; k < iq.length; k += 2) {
        const mag = Math.hypot(iq[k]!, iq[k + 1]!);
        if (mag < 300 || Math.abs(mag - carrier) < 0.1 * carrier) plausible++;
        total++;
      }
    }
    expect(plausible / total).toBeGreaterThan(0.99);
    for (let i = 0; i < parsed.length; i++) {
      const f = parsed[i]!;
      expect(f.flags & SND_FLAG.STEREO_IQ).toBe(SND_FLAG.STEREO_IQ);
      expect(f.flags & (SND_FLAG.ADPCM | SND_FLAG.LITTLE_ENDIAN)).toBe(0);
      expect(f.gps!.solution).not.toBe(255);
      if (i === 0) continue;
      const prev = parsed[i - 1]!;
      expect(f.seq).toBe(prev.seq + 1);
      const dNs = (f.gps!.gpssec - prev.gps!.gpssec) * 1e9 + (f.gps!.gpsnsec - prev.gps!.gpsnsec);
      // As real KiwiSDRs: the first frame's stamp is minutes stale (240 s in this scene), the others step by 512 samples.
      if (i === 1) expect(Math.abs(dNs - (240 + 512 / RATE) * 1e9)).toBeLessThanOrEqual(1);
      else expect(Math.abs(dNs - (512 / RATE) * 1e9)).toBeLessThanOrEqual(1);
    }
    // The fix age counts seconds since the last fix and drops at each fresh fix (every 5 s by default).
    const ages = parsed.map((f) => f!.gps!.solution);
    expect(Math.max(...ages)).toBeLessThanOrEqual(5);
  });

  it('kicks a client that sends anything but keepalive, options or auth before auth', async () => {
    const s = raw('SND');
    await s.opened;
    s.send('SET keepalive');
    s.send('SET options=0');
    await sleep(200);
    expect(isClosed(s.ws)).toBe(false);
    s.send('SET mod=usb low_cut=300 high_cut=2700 freq=7100.000');
    await s.closed;
    expect(s.frames.filter((f) => frameTag(f) === 'SND')).toHaveLength(0);
  });

  it('drops a silent socket: the shorter limit before auth, the keepalive limit after', async () => {
    const pre = raw('SND');
    await pre.opened;
    await pre.closed; // nothing sent: the 800 ms pre-auth limit ends it

    const quiet = raw('SND');
    const kept = raw('SND');
    await Promise.all([quiet.opened, kept.opened]);
    quiet.send('SET auth t=kiwi p=#');
    kept.send('SET auth t=kiwi p=#');
    const keepalive = setInterval(() => kept.send('SET keepalive'), 250);
    await quiet.closed; // authed but silent: the 1500 ms keepalive limit ends it
    expect(isClosed(kept.ws)).toBe(false);
    clearInterval(keepalive);
    kept.ws.close();
  });

  it('refuses a second SND socket with the same <ts>, but pairs a W/F socket with it', async () => {
    const same = ++ts;
    const a = raw('SND', same);
    expect(await a.opened).toBe(true);
    const b = raw('SND', same);
    expect(await b.opened).toBe(false);
    expect(b.status()).toBeGreaterThanOrEqual(400);
    const w = raw('W/F', same);
    expect(await w.opened).toBe(true);
    a.ws.close();
    w.ws.close();
  });
});

describe('simulated KiwiSDR, W/F socket', () => {
  async function wf(zoom: number, comp: 0 | 1) {
    const s = raw('W/F');
    await s.opened;
    s.send('SET auth t=kiwi p=#');
    expect(await s.until(() => s.msgs().some((m) => m.has('wf_setup')))).toBe(true);
    const all = new Map(s.msgs().flatMap((m) => [...m]));
    for (const c of [`SET zoom=${zoom} cf=7100.000`, 'SET maxdb=-10 mindb=-110', 'SET wf_speed=4', `SET wf_comp=${comp}`, 'SET interp=13', 'SET keepalive']) s.send(c);
    const rows = () => s.frames.filter((f) => frameTag(f) === 'W/F');
    expect(await s.until(() => rows().length >= 5)).toBe(true);
    s.ws.close();
    return { rows: rows(), setup: all };
  }

  it('announces the FFT size, calibration and wf_setup after auth', async () => {
    const { setup } = await wf(0, 0);
    expect(setup.get('wf_fft_size')).toBe('1024');
    expect(Number.isFinite(Number(setup.get('wf_cal')))).toBe(true);
    expect(Number(setup.get('bandwidth'))).toBe(30_000_000);
  });

  it('sends raw 1024-byte rows at zoom 0 even when compression is asked for', async () => {
    const { rows } = await wf(0, 1);
    for (const f of rows) {
      expect(f.length).toBe(16 + 1024);
      expect([...f.subarray(0, 4)]).toEqual([0x57, 0x2f, 0x46, 0x20]);
      const p = parseWfFrame(f);
      expect(p.ok && p.value.compressed).toBe(false);
      expect(p.ok && p.value.zoom).toBe(0);
    }
  });

  it('sends ADPCM rows (517 bytes, flag 0x10000) when zoomed in with wf_comp=1, LE seq +1', async () => {
    const { rows } = await wf(8, 1);
    const parsed = rows.map((f) => {
      expect(f.length).toBe(16 + 517);
      const p = parseWfFrame(f);
      expect(p.ok).toBe(true);
      return p.ok ? p.value : null;
    });
    for (let i = 0; i < parsed.length; i++) {
      expect(parsed[i]!.compressed).toBe(true);
      expect(parsed[i]!.zoom).toBe(8);
      if (i > 0) expect(parsed[i]!.seq).toBe(parsed[i - 1]!.seq + 1);
    }
  });
});

describe('simulated KiwiSDR, /status and the client in mono modes', () => {
  it('answers /status with the receiver name, users and GPS position', async () => {
    const st = await probeKiwiStatus(sim.url);
    expect(st.name).toBe('Kiwi Torino (sim)');
    expect(st.online).toBe(true);
    expect(st.usersMax).toBeGreaterThan(0);
    expect(st.lat).toBeCloseTo(45.1, 4);
    expect(st.lon).toBeCloseTo(7.75, 4);
  });

  async function monoRun(compression: boolean): Promise<{ blocks: KiwiSamples[]; conditions: ReceiverCondition[] }> {
    const ch = new KiwiSdrChannel({ url: sim.url, freqHz: 7_100_000, mode: 'usb', identUser: 'heimdall-station TEST', compression, waterfall: null });
    const blocks: KiwiSamples[] = [];
    const conditions: ReceiverCondition[] = [];
    ch.on('samples', (b) => blocks.push(b));
    ch.on('condition', (c) => conditions.push(c));
    const closed = new Promise((r) => ch.on('closed', r));
    ch.open();
    const t0 = Date.now();
    while (blocks.length < 8 && Date.now() - t0 < 8000) await sleep(20);
    ch.close();
    await closed;
    return { blocks, conditions };
  }

  it('receives uncompressed mono audio as 512-sample blocks at the exact rate', async () => {
    const { blocks, conditions } = await monoRun(false);
    expect(conditions.map((c) => c.code)).toContain('streaming');
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const b of blocks) {
      expect(b).toMatchObject({ kind: 'audio', sampleRate: RATE, gps: null });
      expect(b.flags & SND_FLAG.ADPCM).toBe(0);
      expect(b.samples.length).toBe(512);
    }
  });

  it('receives ADPCM mono audio decoded to 2048-sample blocks, with signal in them', async () => {
    const { blocks } = await monoRun(true);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    let peak = 0;
    for (const b of blocks) {
      expect(b.flags & SND_FLAG.ADPCM).toBe(SND_FLAG.ADPCM);
      expect(b.samples.length).toBe(2048);
      for (const v of b.samples) peak = Math.max(peak, Math.abs(v));
    }
    // Decoding with a persistent state keeps the level sane: neither silence nor runaway clipping.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(32767);
  });
});
