/**
 * A simulated KiwiSDR on 127.0.0.1: /status, and SND + W/F WebSockets speaking the wire protocol
 * byte for byte (binary MSG/SND/W/F frames, big-endian IQ, LE seq, 20-byte IQ headers with the GPS
 * time of the first sample, audio gating, keepalive timeouts) with the scene's signals and the
 * receiver's faults.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAdpcm, newAdpcmState, type AdpcmState } from '../../receivers/codecs/imaAdpcm';
import { simGpsClock } from './gpsClock';
import { encodeMsgFrame, parseMsgText } from '../../receivers/kiwisdr/msg';
import { encodeSndFrame, pcmToWire, SND_FLAG } from '../../receivers/kiwisdr/sndFrame';
import { encodeWfFrame, WF_BINS } from '../../receivers/kiwisdr/wfFrame';
import { listenLoopback } from '../loopbackServer';
import { mulberry32 } from '../prng';
import { passbandPowerDbm, synthesizeIq, synthesizeSpectrum, type Scene, type SceneReceiver } from '../scene';
import { ServerDemodulator } from '../serverAudio';
import { type ReplayCache } from './replay';

export interface KiwiSimOptions {
  scene: Scene;
  receiver: SceneReceiver;
  host?: string;
  port?: number;
  /** Exact rate announced in sample_rate (real Kiwis report e.g. 12001.135). */
  sampleRate?: number;
  keepaliveTimeoutMs?: number;
  authTimeoutMs?: number;
  channels?: number;
  /** Load-test mode: IQ payloads and W/F rows synthesized once and replayed (see replay.ts). */
  replay?: ReplayCache;
}

export interface KiwiSim {
  url: string;
  port: number;
  /** Live SND sessions (for tests). */
  sessions(): number;
  close(): Promise<void>;
}

const IQ_FRAME = 512;
const MONO_FRAME = 512;
const BANDWIDTH_HZ = 30_000_000;
const WF_CAL = -13;

export async function startKiwiSimServer(opts: KiwiSimOptions): Promise<KiwiSim> {
  const rx = opts.receiver;
  const announcedRate = opts.sampleRate ?? 12001.135;
  const wrongRate = rx.faults.find((f) => f.kind === 'wrong_rate');
  const trueRate = wrongRate?.kind === 'wrong_rate' ? wrongRate.rateHz : announcedRate;
  const keepaliveTimeoutMs = opts.keepaliveTimeoutMs ?? 60_000;
  const authTimeoutMs = opts.authTimeoutMs ?? 20_000;
  const channels = opts.channels ?? 4;
  const usedTs = new Set<string>();
  let live = 0;
  const fault = <K extends string>(kind: K) => rx.faults.find((f) => f.kind === kind);

  const server = http.createServer((req, res) => {
    if (req.url === '/status') {
      const lines = [
        'status=active',
        'offline=no',
        `name=${rx.name}`,
        'sdr_hw=KiwiSDR v1.590 (simulated)',
        'op_email=',
        'bands=0-30000000',
        `users=${live}`,
        `users_max=${channels}`,
        'avatar_ctime=0',
        `gps=(${rx.lat.toFixed(6)}, ${rx.lon.toFixed(6)})`,
        'gps_good=9',
        'fixes=1000',
        'fixes_min=12',
        'fixes_hour=700',
        'tdoa_id=',
        'tdoa_ch=4',
        `asl=${Math.round(rx.altM)}`,
        `loc=${rx.name}`,
        'sw_version=KiwiSDR_v1.590',
        'antenna=simulated',
        'snr=30,20',
        'ant_connected=1',
        'adc_ov=0',
        'clk_ext_gps=1,1',
        'uptime=12345',
        'gps_date=0,0',
        'date=Sun Nov 22 00:00:00 2026',
      ];
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${lines.join('\n')}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>${rx.name}</title><p>Simulated KiwiSDR ${rx.name}</p>`);
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const m = /^\/(\d+)\/(SND|W\/F)$/.exec(req.url ?? '');
    if (!m) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const httpRedirect = fault('http_redirect');
    if (httpRedirect?.kind === 'http_redirect') {
      const to = new URL(`${m[1]}/${m[2]}`, httpRedirect.to.endsWith('/') ? httpRedirect.to : `${httpRedirect.to}/`);
      to.protocol = to.protocol === 'https:' ? 'wss:' : 'ws:';
      socket.end(`HTTP/1.1 307 Temporary Redirect\r\nLocation: ${to.toString()}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const key = `${m[1]}:${m[2]}`;
    if (usedTs.has(key)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    usedTs.add(key);
    wss.handleUpgrade(req, socket, head, (ws) => (m[2] === 'SND' ? sndSession(ws) : wfSession(ws)));
  });

  const sendMsg = (ws: WebSocket, text: string) => ws.readyState === ws.OPEN && ws.send(encodeMsgFrame(text));

  /** Auth, keepalive and kick rules shared by SND and W/F. Returns a handler for SET commands. */
  function session(ws: WebSocket, onAuthed: () => void, onSet: (cmd: Map<string, string>, text: string) => void, stop: () => void) {
    let authed = false;
    let lastHeard = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard > (authed ? keepaliveTimeoutMs : authTimeoutMs)) ws.terminate();
    }, 250);
    ws.on('close', () => {
      clearInterval(watchdog);
      stop();
    });
    ws.on('message', (data, isBinary) => {
      lastHeard = Date.now();
      if (isBinary) return;
      const text = data.toString();
      if (!text.startsWith('SET ')) return;
      const body = text.slice(4);
      if (!authed) {
        if (body.startsWith('keepalive') || body.startsWith('options=')) return;
        if (!body.startsWith('auth ')) {
          ws.close(); // anything else before auth gets the client kicked
          return;
        }
        const p = parseMsgText(body.slice(5)).get('p') ?? '#';
        if (fault('busy')) {
          sendMsg(ws, `too_busy=${channels}`);
          ws.close();
          return;
        }
        if (fault('ip_limit')) {
          sendMsg(ws, 'ip_limit=1440,127.0.0.1');
          ws.close();
          return;
        }
        const want = rx.password ?? null;
        if (fault('bad_password') || (want !== null && p !== want)) {
          sendMsg(ws, 'badp=1');
          ws.close();
          return;
        }
        const notReady = fault('not_ready');
        if (notReady?.kind === 'not_ready') {
          sendMsg(ws, `badp=${notReady.badp}`);
          ws.close();
          return;
        }
        const disabled = fault('disabled');
        if (disabled?.kind === 'disabled') {
          sendMsg(ws, `reason_disabled=${encodeURIComponent(disabled.reason)}`);
          ws.close();
          return;
        }
        const redirect = fault('redirect');
        if (redirect?.kind === 'redirect') {
          sendMsg(ws, `redirect=${encodeURIComponent(redirect.to)}`);
          ws.close();
          return;
        }
        authed = true;
        onAuthed();
        return;
      }
      onSet(parseMsgText(body), body);
    });
  }

  function sndSession(ws: WebSocket) {
    live++;
    let arOk = false;
    let mod: string | null = null;
    let freqKhz: number | null = null;
    let passbandSet = false;
    let passband = { lowHz: -3000, highHz: 3000 };
    let agcSet = false;
    let compression = true;
    let adpcm: AdpcmState = newAdpcmState();
    let timer: NodeJS.Timeout | null = null;
    let seq = 0;
    let startNs = 0n;
    let sent = 0; // samples sent since start
    let gpsClock: ReturnType<typeof simGpsClock> | null = null;
    let startedAtMs = 0;
    const demod = new ServerDemodulator(trueRate);
    const garbage = mulberry32(seq + 7);
    const stop = () => {
      if (timer) clearInterval(timer);
      timer = null;
      live--;
    };
    const gated = () => arOk && mod !== null && freqKhz !== null && passbandSet && agcSet;
    const startStreaming = () => {
      if (timer || !gated()) return;
      startedAtMs = Date.now();
      startNs = BigInt(startedAtMs) * 1_000_000n;
      timer = setInterval(pump, 20);
    };
    const pump = () => {
      const elapsed = (Date.now() - startedAtMs) / 1000;
      const drop = fault('drop_after');
      if (drop?.kind === 'drop_after' && elapsed > drop.seconds) {
        ws.terminate();
        return;
      }
      const inactivity = fault('inactivity_timeout');
      if (inactivity?.kind === 'inactivity_timeout' && elapsed > inactivity.afterSeconds) {
        sendMsg(ws, `inactivity_timeout=${inactivity.minutes}`);
        ws.close();
        return;
      }
      const kick = fault('kick');
      if (kick?.kind === 'kick' && elapsed > kick.afterSeconds) {
        sendMsg(ws, `${kick.reason}=1`);
        ws.close();
        return;
      }
      const stall = fault('stall_after');
      if (stall?.kind === 'stall_after' && elapsed > stall.seconds) return;
      const iq = mod === 'iq';
      const frameSamples = iq ? IQ_FRAME : compression ? MONO_FRAME * 4 : MONO_FRAME;
      while ((sent + frameSamples) / trueRate <= elapsed) {
        const firstNs = startNs + BigInt(Math.round((sent / trueRate) * 1e9));
        const centerHz = freqKhz! * 1000;
        const replayed = iq && opts.replay ? opts.replay.iq(centerHz, trueRate, sent / frameSamples) : null;
        const bb = replayed ? null : synthesizeIq(opts.scene, rx, centerHz, trueRate, firstNs, frameSamples);
        const smeter = replayed ? replayed.smeterDbm : passbandPowerDbm(opts.scene, rx, centerHz, 2400, Number(firstNs / 1_000_000n));
        const malformed = fault('malformed');
        if (malformed?.kind === 'malformed' && seq > 0 && seq % malformed.everyNFrames === 0) {
          const junk = new Uint8Array(5 + Math.floor(garbage() * 40));
          junk.set([0x53, 0x4e, 0x44]);
          for (let i = 3; i < junk.length; i++) junk[i] = Math.floor(garbage() * 256);
          ws.send(junk);
        }
        let frame: Uint8Array;
        if (iq) {
          gpsClock ??= simGpsClock(rx, firstNs);
          const gps = gpsClock.stamp(seq, firstNs + BigInt(Math.round(rx.clockOffsetNs)));
          let payload: Uint8Array;
          if (replayed) payload = replayed.payload;
          else {
            const s = new Int16Array(frameSamples * 2);
            for (let i = 0; i < s.length; i++) s[i] = Math.max(-32768, Math.min(32767, Math.round(bb![i]! * 32767)));
            payload = pcmToWire(s);
          }
          frame = encodeSndFrame({ flags: SND_FLAG.STEREO_IQ, seq, smeterDbm: smeter, gps, payload });
        } else {
          // Audio in the mode and passband the client set, demodulated from the same baseband as IQ.
          const s = demod.int16(bb!, mod!, passband);
          frame = compression
            ? encodeSndFrame({ flags: SND_FLAG.ADPCM, seq, smeterDbm: smeter, payload: encodeAdpcm(adpcm, s) })
            : encodeSndFrame({ flags: 0, seq, smeterDbm: smeter, payload: pcmToWire(s) });
        }
        if (ws.readyState !== ws.OPEN) return;
        ws.send(frame);
        seq = (seq + 1) >>> 0;
        sent += frameSamples;
      }
    };
    session(
      ws,
      () => {
        sendMsg(ws, `rx_chans=${channels}`);
        sendMsg(ws, 'chan_no_pwd=0');
        sendMsg(ws, 'badp=0');
        sendMsg(ws, 'version_maj=1 version_min=590 freq_offset=0.000');
        sendMsg(ws, `center_freq=${BANDWIDTH_HZ / 2} bandwidth=${BANDWIDTH_HZ}`);
        sendMsg(ws, 'audio_init=0 audio_rate=12000');
        sendMsg(ws, `sample_rate=${announcedRate}`);
      },
      (cmd) => {
        if (cmd.has('AR')) {
          const out = Number(cmd.get('out') ?? 0);
          arOk = cmd.get('AR') === '' && out > 0;
        }
        if (cmd.has('mod')) {
          const wasIq = mod === 'iq';
          mod = cmd.get('mod') ?? null;
          const f = Number(cmd.get('freq'));
          freqKhz = Number.isFinite(f) ? f : freqKhz;
          passbandSet = cmd.has('low_cut') && cmd.has('high_cut');
          if (passbandSet) passband = { lowHz: Number(cmd.get('low_cut')) || 0, highHz: Number(cmd.get('high_cut')) || 0 };
          if (wasIq && mod !== 'iq') adpcm = newAdpcmState(); // leaving IQ for mono resets the encoder
        }
        if (cmd.has('agc')) agcSet = true;
        if (cmd.has('compression')) {
          const next = cmd.get('compression') === '1';
          if (next && !compression) adpcm = newAdpcmState();
          compression = next;
        }
        if (cmd.has('reinit')) adpcm = newAdpcmState();
        startStreaming();
      },
      stop,
    );
  }

  function wfSession(ws: WebSocket) {
    let zoom = 0;
    let cfKhz = BANDWIDTH_HZ / 2000;
    let speed = 0;
    let comp = false;
    let levelsSet = false;
    let timer: NodeJS.Timeout | null = null;
    let seq = 0;
    const fps = [0, 1, 5, 13, 23];
    const restart = () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (!levelsSet || speed === 0) return;
      timer = setInterval(() => {
        const span = BANDWIDTH_HZ / 2 ** zoom;
        const cf = Math.min(Math.max(cfKhz * 1000, span / 2), BANDWIDTH_HZ - span / 2);
        if (opts.replay) {
          const frame = opts.replay.wf({ zoom, startHz: cf - span / 2, spanHz: span, xBin: Math.round(((cf - span / 2) / BANDWIDTH_HZ) * WF_BINS * 2 ** 14) }, seq, seq);
          if (ws.readyState === ws.OPEN) ws.send(frame);
          seq = (seq + 1) >>> 0;
          return;
        }
        const dbm = synthesizeSpectrum(opts.scene, rx, cf - span / 2, span, WF_BINS, Date.now(), seq);
        const bytes = new Uint8Array(WF_BINS);
        for (let i = 0; i < WF_BINS; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(dbm[i]! + 255 - WF_CAL)));
        // The server never compresses at zoom 0.
        const compressed = comp && zoom > 0;
        const frame = encodeWfFrame({ xBin: Math.round(((cf - span / 2) / BANDWIDTH_HZ) * WF_BINS * 2 ** 14), zoom, seq, bytes, compressed, encode: (v) => encodeAdpcm(newAdpcmState(), v) });
        if (ws.readyState === ws.OPEN) ws.send(frame);
        seq = (seq + 1) >>> 0;
      }, 1000 / fps[speed]!);
    };
    session(
      ws,
      () => {
        sendMsg(ws, `center_freq=${BANDWIDTH_HZ / 2} bandwidth=${BANDWIDTH_HZ}`);
        sendMsg(ws, 'kiwi_up=1 rx_chan=0');
        sendMsg(ws, `wf_fft_size=${WF_BINS} wf_fps=23 zoom_max=14 rx_chans=${channels} wf_chans=${channels} wf_cal=${WF_CAL} wf_setup`);
      },
      (cmd) => {
        if (cmd.has('zoom')) {
          zoom = Math.max(0, Math.min(14, Number(cmd.get('zoom')) || 0));
          cfKhz = Number(cmd.get('cf')) || cfKhz;
        }
        if (cmd.has('maxdb') && cmd.has('mindb')) levelsSet = true;
        if (cmd.has('wf_speed')) speed = Math.max(0, Math.min(4, Number(cmd.get('wf_speed')) || 0));
        if (cmd.has('wf_comp')) comp = cmd.get('wf_comp') === '1';
        if (cmd.has('zoom') || cmd.has('maxdb') || cmd.has('wf_speed') || cmd.has('wf_comp')) restart();
      },
      () => {
        if (timer) clearInterval(timer);
      },
    );
  }

  const listening = await listenLoopback(server, wss, opts);
  return { ...listening, sessions: () => live };
}
