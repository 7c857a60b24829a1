/**
 * One KiwiSDR channel: the SND socket (audio or IQ) and, optionally, the W/F socket, paired by the
 * same `<ts>`. Performs one connection attempt and reports every server condition as a typed
 * ReceiverCondition; reconnecting is the caller's policy (main/capture/links/kiwisdrLink.ts).
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { decodeAdpcm, newAdpcmState } from '../codecs/imaAdpcm';
import { type ReceiverCondition } from '../receiverState';
import { gpsToUnixNs } from '../../recordings/gpsTime';
import { KIWI_STEREO_MODES, kiwiMode } from './modes';
import { frameTag, parseMsgFrame, type KiwiMsg } from './msg';
import { parseSndFrame, pcmFromWire, SND_FLAG } from './sndFrame';
import { parseWfFrame, WF_BINS } from './wfFrame';

export interface KiwiChannelOptions {
  url: string;
  password?: string;
  freqHz: number;
  mode: string;
  /** Filter edges around the dial (Hz); absent: the mode's default. */
  passband?: { lowHz: number; highHz: number } | null;
  identUser: string;
  waterfall?: { zoom: number; speed: 1 | 2 | 3 | 4; compressed: boolean } | null;
  /** Mono audio compression (IQ is never compressed). */
  compression?: boolean;
  /** Fixed gain for calibrated levels (agc=0), or AGC. */
  agc?: boolean;
  manGain?: number;
  keepaliveMs?: number;
}

export interface KiwiSamples {
  kind: 'iq' | 'audio';
  samples: Int16Array;
  seq: number;
  sampleRate: number;
  smeterDbm: number;
  gps: { solution: number; gpssec: number; gpsnsec: number } | null;
  /** First-sample Unix time from the GPS stamp; null without a GPS clock (solution 255). */
  unixNs: bigint | null;
  hostTimeMs: number;
  flags: number;
}

export interface KiwiWfRow {
  bytes: Uint8Array;
  dbm: Float32Array;
  startHz: number;
  spanHz: number;
  timeMs: number;
  seq: number;
}

export interface KiwiChannelEvents {
  condition: [ReceiverCondition];
  samples: [KiwiSamples];
  wf: [KiwiWfRow];
  /** A frame that could not be parsed; the channel carries on. */
  malformed: [string];
  /** Both sockets are closed; the last condition says why. */
  closed: [ReceiverCondition];
}

let lastTs = 0;
/** A fresh `<ts>` per channel: the server rejects a reused one for the same stream type. */
function nextTs(): number {
  lastTs = Math.max(lastTs + 1, Date.now());
  return lastTs;
}

export function kiwiSocketUrl(receiverUrl: string, ts: number, stream: 'SND' | 'W/F'): string {
  const u = new URL(receiverUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/$/, '')}/${ts}/${stream}`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

const num = (v: string | undefined): number | null => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

export class KiwiSdrChannel extends EventEmitter<KiwiChannelEvents> {
  private snd: WebSocket | null = null;
  private wfSock: WebSocket | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private sampleRate: number | null = null;
  private freqOffsetKhz = 0;
  private centerHz = 15_000_000;
  private bandwidthHz = 30_000_000;
  private wfCal = 0;
  private audio = newAdpcmState();
  private last: ReceiverCondition = { code: 'connecting' };
  private closing = false;
  private streaming = false;
  private wfReady = false;
  private wfOffsetSent = 0;
  /** First GPS-stamped IQ frame: (Unix ns, samples received before it) for the rate check. */
  private rateRef: { ns: bigint; samples: number } | null = null;
  private samplesSeen = 0;
  private rateStrikes = 0;
  readonly ts = nextTs();

  constructor(private readonly opts: KiwiChannelOptions) {
    super();
  }

  open(): void {
    this.condition({ code: 'connecting' });
    this.snd = this.connect('SND', (msg) => this.onSndMsg(msg), (frame) => this.onSnd(frame));
    if (this.opts.waterfall) this.wfSock = this.connect('W/F', (msg) => this.onWfMsg(msg), (frame) => this.onWf(frame));
    const every = this.opts.keepaliveMs ?? 1000;
    const keepalive = () => {
      this.send(this.snd, 'SET keepalive');
      this.send(this.wfSock, 'SET keepalive');
    };
    // On whole multiples of the period: the keepalives of every channel in a thread share one wakeup.
    this.keepalive = setTimeout(() => {
      this.keepalive = setInterval(keepalive, every);
      keepalive();
    }, every - (Date.now() % every));
  }

  close(condition?: ReceiverCondition): void {
    if (condition) this.last = condition;
    if (this.closing) return;
    this.closing = true;
    if (this.keepalive) clearTimeout(this.keepalive);
    for (const s of [this.snd, this.wfSock]) {
      if (s && s.readyState !== WebSocket.CLOSED) s.terminate();
    }
    this.emit('closed', this.last);
  }

  /** Re-tunes without reconnecting (also what keeps an inactivity timer from firing). */
  tune(freqHz: number): void {
    this.opts.freqHz = freqHz;
    if (this.sampleRate !== null) this.sendMod();
  }

  /**
   * Changes the demodulator (mode and filter edges) on the open channel: a new `SET mod`, as the
   * Kiwi's own UI does. Only between mono modes or within IQ: the stream kind stays what was opened.
   */
  setMode(mode: string, passband: { lowHz: number; highHz: number } | null): void {
    if (KIWI_STEREO_MODES.has(mode) !== KIWI_STEREO_MODES.has(this.opts.mode)) throw new Error(`cannot switch a ${this.opts.mode} channel to ${mode} without reconnecting (IQ and audio are different streams)`);
    this.opts.mode = mode;
    this.opts.passband = passband;
    if (this.sampleRate !== null) this.sendMod();
  }

  private condition(c: ReceiverCondition): void {
    this.last = c;
    this.emit('condition', c);
  }

  private send(ws: WebSocket | null, text: string): void {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  private connect(stream: 'SND' | 'W/F', onMsg: (m: KiwiMsg) => void, onFrame: (f: Uint8Array) => void): WebSocket {
    const ws = new WebSocket(kiwiSocketUrl(this.opts.url, this.ts, stream), { followRedirects: true, maxRedirects: 2, handshakeTimeout: 10_000, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => this.send(ws, `SET auth t=kiwi p=${this.opts.password ? encodeURIComponent(this.opts.password) : '#'}`));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new TextEncoder().encode(data.toString());
      if (frameTag(frame) === 'MSG') {
        const msg = parseMsgFrame(frame);
        if (msg) onMsg(msg);
      } else {
        onFrame(frame);
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      this.close({ code: 'unreachable', detail: `HTTP ${res.statusCode} on the ${stream} upgrade` });
    });
    ws.on('error', (e: Error) => {
      if (!this.closing) this.close(this.streaming ? { code: 'dropped', detail: e.message } : { code: 'unreachable', detail: e.message });
    });
    ws.on('close', () => {
      if (!this.closing) this.close(this.last.code === 'streaming' || this.last.code === 'connecting' ? { code: 'dropped', detail: `the ${stream} socket closed` } : this.last);
    });
    return ws;
  }

  /** Conditions both sockets can report. Returns true when the channel must close. */
  private serverCondition(m: KiwiMsg): boolean {
    const stop = (c: ReceiverCondition) => {
      this.condition(c);
      this.close(c);
      return true;
    };
    if (m.has('too_busy')) return stop({ code: 'too_busy', channels: num(m.get('too_busy')) });
    if (m.has('redirect')) return stop({ code: 'redirect', to: m.get('redirect') ?? '' });
    if (m.has('badp')) {
      const b = num(m.get('badp')) ?? 0;
      if (b === 1) return stop({ code: 'bad_password' });
      if (b !== 0) return stop({ code: 'not_ready', badp: b });
    }
    if (m.has('reason_disabled') || m.has('down')) return stop({ code: 'disabled', reason: m.get('reason_disabled') ?? 'down' });
    if (m.has('ip_limit')) return stop({ code: 'ip_limit', minutes: num(m.get('ip_limit')?.split(',')[0]) });
    if (m.has('inactivity_timeout')) return stop({ code: 'inactivity_timeout', minutes: num(m.get('inactivity_timeout')) ?? 0 });
    for (const k of ['password_timeout', 'kiwi_kick', 'exclusive_use']) if (m.has(k)) return stop({ code: 'kicked', reason: k.replace('_', ' ') });
    return false;
  }

  private onSndMsg(m: KiwiMsg): void {
    if (this.serverCondition(m)) return;
    if (m.has('freq_offset')) {
      this.freqOffsetKhz = num(m.get('freq_offset')) ?? 0;
      // The W/F socket may have tuned before the SND socket learnt the offset: tune it again.
      if (this.wfReady && this.wfOffsetSent !== this.freqOffsetKhz) this.sendWfTune();
    }
    if (m.has('center_freq')) this.centerHz = num(m.get('center_freq')) ?? this.centerHz;
    if (m.has('bandwidth')) this.bandwidthHz = num(m.get('bandwidth')) ?? this.bandwidthHz;
    if (m.has('audio_rate')) this.send(this.snd, `SET AR OK in=${m.get('audio_rate')} out=44100`);
    if (m.has('sample_rate')) {
      const rate = num(m.get('sample_rate'));
      if (!rate || rate <= 0) {
        this.close({ code: 'protocol_error', detail: `sample_rate=${m.get('sample_rate')}` });
        return;
      }
      this.sampleRate = rate;
      this.send(this.snd, 'SET squelch=0 max=0');
      this.send(this.snd, 'SET genattn=0');
      this.send(this.snd, 'SET gen=0 mix=-1');
      this.send(this.snd, `SET ident_user=${encodeURIComponent(this.opts.identUser)}`);
      this.sendMod();
      this.send(this.snd, `SET agc=${this.opts.agc ? 1 : 0} hang=0 thresh=-100 slope=6 decay=1000 manGain=${this.opts.manGain ?? 50}`);
      const compress = this.opts.compression ?? true;
      this.send(this.snd, `SET compression=${compress && !KIWI_STEREO_MODES.has(this.opts.mode) ? 1 : 0}`);
      this.audio = newAdpcmState();
      this.send(this.snd, 'SET keepalive');
    }
  }

  private sendMod(): void {
    const m = kiwiMode(this.opts.mode, this.sampleRate ?? 12000, this.opts.passband);
    const freqKhz = (this.opts.freqHz / 1000 - this.freqOffsetKhz).toFixed(3);
    this.send(this.snd, `SET mod=${m.mod} low_cut=${m.low} high_cut=${m.high} freq=${freqKhz}`);
  }

  private onSnd(frame: Uint8Array): void {
    if (this.sampleRate === null) return;
    const parsed = parseSndFrame(frame);
    if (!parsed.ok) {
      this.emit('malformed', parsed.error);
      return;
    }
    const f = parsed.value;
    // A frame whose kind or size does not match the stream asked for is corruption, not data.
    const wantIq = KIWI_STEREO_MODES.has(this.opts.mode);
    if (f.iq !== wantIq) {
      this.emit('malformed', `${f.iq ? 'IQ' : 'mono'} frame in a ${wantIq ? 'IQ' : 'mono'} stream`);
      return;
    }
    const expectedBytes = f.iq ? 2048 : 1024;
    if (f.payload.length !== expectedBytes) {
      this.emit('malformed', `SND payload of ${f.payload.length} bytes, expected ${expectedBytes}`);
      return;
    }
    const hostTimeMs = Date.now();
    if (!this.streaming) {
      this.streaming = true;
      this.condition({ code: 'streaming' });
    }
    const le = (f.flags & SND_FLAG.LITTLE_ENDIAN) !== 0;
    let samples: Int16Array;
    if (f.compressed) {
      samples = new Int16Array(f.payload.length * 2);
      decodeAdpcm(this.audio, f.payload, samples);
    } else {
      samples = pcmFromWire(f.payload, le);
    }
    const unixNs = f.gps && f.gps.solution !== 255 ? gpsToUnixNs(f.gps.gpssec, f.gps.gpsnsec, hostTimeMs) : null;
    if (unixNs !== null && this.checkRate(unixNs)) return;
    this.samplesSeen += f.iq ? samples.length / 2 : samples.length;
    this.emit('samples', { kind: f.iq ? 'iq' : 'audio', samples, seq: f.seq, sampleRate: this.sampleRate, smeterDbm: f.smeterDbm, gps: f.gps, unixNs, hostTimeMs, flags: f.flags });
  }

  /**
   * GPS time advancing at a rate other than the announced one means the data cannot be trusted.
   * Judged over 0.5 s windows and only after two bad windows in a row (so within about a second);
   * a stamp far from where it should be (a gap, or a corrupted frame) restarts the measurement.
   */
  private checkRate(unixNs: bigint): boolean {
    const ref = this.rateRef;
    if (!ref) {
      this.rateRef = { ns: unixNs, samples: this.samplesSeen };
      return false;
    }
    const dt = Number(unixNs - ref.ns) / 1e9;
    const expected = (this.samplesSeen - ref.samples) / this.sampleRate!;
    if (Math.abs(dt - expected) > 0.25 || dt < 0) {
      this.rateRef = { ns: unixNs, samples: this.samplesSeen };
      this.rateStrikes = 0;
      return false;
    }
    if (dt < 0.5) return false;
    const measured = (this.samplesSeen - ref.samples) / dt;
    this.rateRef = { ns: unixNs, samples: this.samplesSeen };
    this.rateStrikes = Math.abs(measured - this.sampleRate!) / this.sampleRate! > 1e-3 ? this.rateStrikes + 1 : 0;
    if (this.rateStrikes < 2) return false;
    const c: ReceiverCondition = { code: 'wrong_rate', announcedHz: this.sampleRate!, measuredHz: measured };
    this.condition(c);
    this.close(c);
    return true;
  }

  private sendWfTune(): void {
    this.wfOffsetSent = this.freqOffsetKhz;
    this.send(this.wfSock, `SET zoom=${this.opts.waterfall!.zoom} cf=${(this.opts.freqHz / 1000 - this.freqOffsetKhz).toFixed(3)}`);
  }

  private onWfMsg(m: KiwiMsg): void {
    if (this.serverCondition(m)) return;
    if (m.has('center_freq')) this.centerHz = num(m.get('center_freq')) ?? this.centerHz;
    if (m.has('bandwidth')) this.bandwidthHz = num(m.get('bandwidth')) ?? this.bandwidthHz;
    if (m.has('wf_cal')) this.wfCal = num(m.get('wf_cal')) ?? 0;
    if (m.has('wf_setup')) {
      const wf = this.opts.waterfall!;
      this.wfReady = true;
      this.sendWfTune();
      this.send(this.wfSock, 'SET maxdb=-10 mindb=-110');
      this.send(this.wfSock, `SET wf_speed=${wf.speed}`);
      this.send(this.wfSock, `SET wf_comp=${wf.compressed ? 1 : 0}`);
      this.send(this.wfSock, 'SET interp=13');
      this.send(this.wfSock, `SET ident_user=${encodeURIComponent(this.opts.identUser)}`);
      this.send(this.wfSock, 'SET keepalive');
    }
  }

  private onWf(frame: Uint8Array): void {
    const parsed = parseWfFrame(frame);
    if (!parsed.ok) {
      this.emit('malformed', parsed.error);
      return;
    }
    const row = parsed.value;
    const spanHz = this.bandwidthHz / 2 ** row.zoom;
    const span0 = this.bandwidthHz / 2 ** (this.opts.waterfall?.zoom ?? 0);
    // The server centres the span on cf, clamped to the band.
    const cf = Math.min(Math.max(this.opts.freqHz, span0 / 2), this.bandwidthHz - span0 / 2);
    const dbm = new Float32Array(WF_BINS);
    for (let i = 0; i < WF_BINS; i++) dbm[i] = row.bytes[i]! - 255 + this.wfCal;
    this.emit('wf', { bytes: row.bytes, dbm, startHz: cf - spanHz / 2, spanHz, timeMs: Date.now(), seq: row.seq });
  }
}
