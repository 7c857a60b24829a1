/**
 * A simulated OpenWebRX on 127.0.0.1: /status.json, and /ws/ speaking the protocol byte for byte:
 * the handshake, config/profiles/receiver_details JSON, FFT frames (type 1, float32 or ADPCM with a
 * fresh codec per frame), demodulated audio (type 2, int16 or ADPCM with SYNC headers every 1000
 * bytes in 1.2, none in 1.1; the scene's baseband demodulated in the mode and filter the client
 * set) paced at the output rate, S-meter, backoff and the receiver's faults.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeAdpcm, newAdpcmState } from '../../receivers/codecs/imaAdpcm';
import { OwrxAdpcmEncoderStream } from '../../receivers/openwebrx/audioDecoder';
import { listenLoopback } from '../loopbackServer';
import { hashSeed, mulberry32 } from '../prng';
import { passbandPowerDbm, synthesizeIq, synthesizeSpectrum, type Scene, type SceneReceiver } from '../scene';
import { ServerDemodulator } from '../serverAudio';

export interface OwrxSimOptions {
  scene: Scene;
  receiver: SceneReceiver;
  host?: string;
  port?: number;
  version?: '1.1' | '1.2';
  fftCompression?: 'none' | 'adpcm';
  audioCompression?: 'none' | 'adpcm';
  fftSize?: number;
  maxClients?: number;
}

const FFT_FPS = 10;
const OUTPUT_RATE = 12000;
// As on a real server, ids and display names differ: `profiles` carries "<sdr id>|<profile id>"
// with the name "<sdr name> <profile name>", /status.json only the names.
const SDR_ID = 'rtlsdr';
const SDR_NAME = 'RTL-SDR Stick';
const FULL_SCALE_DBM = -30; // S-meter scaling of the simulated front end

export async function startOpenWebRxSimServer(opts: OwrxSimOptions): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const rx = opts.receiver;
  const version = opts.version ?? '1.2';
  const fftSize = opts.fftSize ?? 2048;
  const maxClients = opts.maxClients ?? 20;
  const profiles = [
    { id: '2m', name: '2 m band', center: rx.centerFreqHz ?? 145_000_000, rate: rx.sampleRateHz ?? 2_400_000 },
    { id: '70cm', name: '70 cm band', center: 435_000_000, rate: 2_400_000 },
  ];
  const fault = (kind: string) => rx.faults.find((f) => f.kind === kind);
  let clients = 0;

  const server = http.createServer((req, res) => {
    if (req.url === '/status.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          receiver: { name: rx.name, admin: '', gps: { lat: rx.lat, lon: rx.lon }, asl: rx.altM, location: rx.name },
          max_clients: maxClients,
          clients,
          version: `v${version}.0`,
          sw_version: `v${version}.0`,
          sdrs: [{ name: SDR_NAME, type: 'rtl_sdr', profiles: profiles.map((p) => ({ name: p.name, center_freq: p.center, sample_rate: p.rate })) }],
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>${rx.name}</title><p>Simulated OpenWebRX ${rx.name}</p>`);
  });

  const wss = new WebSocketServer({ server, path: '/ws/', perMessageDeflate: false });
  wss.on('connection', (ws) => session(ws));

  function session(ws: WebSocket) {
    clients++;
    let profile = profiles[0]!;
    let offset = 0;
    let mod = 'nfm';
    let passband = { lowHz: -4000, highHz: 4000 };
    let started = false;
    let timers: NodeJS.Timeout[] = [];
    let sentSamples = 0;
    let startedAt = 0;
    let fftSeq = 0;
    const enc = new OwrxAdpcmEncoderStream(version === '1.2');
    const junk = mulberry32(hashSeed(`${rx.id}:junk`));
    const fftCompressed = (opts.fftCompression ?? 'adpcm') === 'adpcm';
    const audioCompressed = (opts.audioCompression ?? 'adpcm') === 'adpcm';
    const wrong = fault('wrong_rate');
    const trueRate = wrong?.kind === 'wrong_rate' ? wrong.rateHz : OUTPUT_RATE;
    const demod = new ServerDemodulator(trueRate);
    const json = (o: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(o));
    const stop = () => {
      timers.forEach((t) => clearInterval(t));
      timers = [];
    };
    ws.on('close', () => {
      stop();
      clients--;
    });

    const sendConfig = () =>
      json({
        type: 'config',
        value: {
          samp_rate: profile.rate,
          center_freq: profile.center,
          start_freq: profile.center,
          start_offset_freq: 0,
          start_mod: 'nfm',
          fft_size: fftSize,
          fft_compression: fftCompressed ? 'adpcm' : 'none',
          audio_compression: audioCompressed ? 'adpcm' : 'none',
          waterfall_levels: { min: -110, max: -20 },
          sdr_id: SDR_ID,
          profile_id: profile.id,
          max_clients: maxClients,
        },
      });

    const elapsed = () => (Date.now() - startedAt) / 1000;
    const faulted = (): boolean => {
      const drop = fault('drop_after');
      if (drop?.kind === 'drop_after' && elapsed() > drop.seconds) {
        ws.terminate();
        return true;
      }
      const stall = fault('stall_after');
      return stall?.kind === 'stall_after' && elapsed() > stall.seconds;
    };

    const sendFft = () => {
      if (faulted()) return;
      const dbm = synthesizeSpectrum(opts.scene, rx, profile.center - profile.rate / 2, profile.rate, fftSize, Date.now(), fftSeq++);
      let body: Uint8Array;
      if (fftCompressed) {
        const v = new Int16Array(10 + fftSize);
        for (let i = 0; i < fftSize; i++) v[10 + i] = Math.max(-32768, Math.min(32767, Math.round(dbm[i]! * 100)));
        v.fill(v[10]!, 0, 10);
        body = encodeAdpcm(newAdpcmState(), v);
      } else {
        body = new Uint8Array(dbm.buffer.slice(0));
      }
      const frame = new Uint8Array(1 + body.length);
      frame[0] = 1;
      frame.set(body, 1);
      if (ws.readyState === ws.OPEN) ws.send(frame);
      const malformed = fault('malformed');
      if (malformed?.kind === 'malformed' && fftSeq % malformed.everyNFrames === 0) {
        // Junk a client can recognise as such: unknown frame types and FFT rows cut short. (Random
        // bytes typed as ADPCM audio would be indistinguishable from audio, on a real server too.)
        const g = new Uint8Array(1 + Math.floor(junk() * 64));
        g[0] = [0, 1, 5, 0xff][Math.floor(junk() * 4)]!;
        for (let i = 1; i < g.length; i++) g[i] = Math.floor(junk() * 256);
        ws.send(g);
      }
    };

    const sendAudio = () => {
      if (faulted()) return;
      // Whole demodulator blocks: the audio that is due, rounded down to 512 samples.
      const due = Math.floor(elapsed() * trueRate) - sentSamples;
      const n = due - (due % 512);
      if (n <= 0) return;
      const firstNs = BigInt(startedAt) * 1_000_000n + BigInt(Math.round((sentSamples / trueRate) * 1e9));
      const bb = synthesizeIq(opts.scene, rx, profile.center + offset, trueRate, firstNs, n);
      const samples = demod.int16(bb, mod, passband);
      sentSamples += n;
      const body = audioCompressed ? enc.encode(samples) : new Uint8Array(samples.buffer);
      const frame = new Uint8Array(1 + body.length);
      frame[0] = 2;
      frame.set(body, 1);
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };

    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text.startsWith('SERVER DE CLIENT')) {
        if (clients > maxClients || fault('busy')) {
          json({ type: 'backoff', reason: 'Too many clients' });
          ws.close();
          return;
        }
        // Real servers may send JSON before the handshake answer; so does this one.
        sendConfig();
        ws.send(`CLIENT DE SERVER server=openwebrx version=v${version}.0`);
        json({ type: 'receiver_details', value: { receiver_name: rx.name, receiver_location: rx.name, receiver_asl: rx.altM, receiver_gps: { lat: rx.lat, lon: rx.lon } } });
        json({ type: 'profiles', value: profiles.map((p) => ({ id: `${SDR_ID}|${p.id}`, name: `${SDR_NAME} ${p.name}` })) });
        json({ type: 'features', value: {} });
        json({ type: 'modes', value: [{ modulation: 'nfm' }, { modulation: 'am' }, { modulation: 'usb' }, { modulation: 'lsb' }, { modulation: 'cw' }] });
        return;
      }
      let msg: { type?: string; action?: string; params?: Record<string, unknown> };
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'selectprofile') {
        const [sdr, id] = String(msg.params?.profile ?? '').split('|');
        const next = sdr === SDR_ID ? profiles.find((p) => p.id === id) : undefined;
        if (next) {
          profile = next;
          sendConfig();
        }
      } else if (msg.type === 'dspcontrol') {
        if (typeof msg.params?.offset_freq === 'number') offset = msg.params.offset_freq;
        if (typeof msg.params?.mod === 'string') mod = msg.params.mod;
        if (typeof msg.params?.low_cut === 'number' && typeof msg.params?.high_cut === 'number') passband = { lowHz: msg.params.low_cut, highHz: msg.params.high_cut };
        if (msg.action === 'start' && !started) {
          started = true;
          startedAt = Date.now();
          timers.push(setInterval(sendFft, 1000 / FFT_FPS));
          // Every 20 ms: audio goes out in 512-sample blocks (43 ms) as soon as one is due.
          timers.push(setInterval(sendAudio, 20));
          timers.push(
            setInterval(() => {
              const p = passbandPowerDbm(opts.scene, rx, profile.center + offset, 8000, Date.now());
              json({ type: 'smeter', value: 10 ** ((p - FULL_SCALE_DBM) / 10) });
            }, 200),
          );
        }
      }
    });
  }

  return listenLoopback(server, wss, opts);
}
