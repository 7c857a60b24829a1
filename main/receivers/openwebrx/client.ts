/**
 * One OpenWebRX connection: the /ws/ handshake, connection properties, profile selection, DSP
 * control, and the binary FFT / audio streams decoded. OpenWebRX delivers spectrum rows, an
 * S-meter and demodulated audio; never IQ. One connection attempt; the caller owns retries.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { type ReceiverCondition } from '../receiverState';
import { pcmFromWire } from '../codecs/pcm';
import { OwrxAdpcmStream } from './audioDecoder';
import { parseFftFrame } from './fftFrame';
import { parseOwrxText, type OwrxConfig } from './messages';
import { owrxMode } from './modes';
import { probeOwrxStatus, profileFor } from './statusProbe';

export const OWRX_OUTPUT_RATE = 12000;

export interface OwrxOptions {
  url: string;
  freqHz: number;
  mode: string;
  clientName?: string;
  squelchLevel?: number;
}

export interface OwrxFftRow {
  /** dB per bin, lowest frequency first (relative levels: OpenWebRX is not calibrated to dBm). */
  db: Float32Array;
  startHz: number;
  spanHz: number;
  timeMs: number;
}

export interface OwrxAudio {
  /** Demodulated mono audio (ri16), not IQ. */
  samples: Int16Array;
  sampleRate: number;
  hostTimeMs: number;
  seq: number;
}

export interface OwrxEvents {
  condition: [ReceiverCondition];
  fft: [OwrxFftRow];
  audio: [OwrxAudio];
  /** S-meter in dB (10 log10 of the linear power OpenWebRX reports). */
  smeter: [number];
  malformed: [string];
  closed: [ReceiverCondition];
}

export function owrxSocketUrl(receiverUrl: string): string {
  const u = new URL(receiverUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/$/, '')}/ws/`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

export class OpenWebRxClient extends EventEmitter<OwrxEvents> {
  private ws: WebSocket | null = null;
  private config: OwrxConfig = {};
  private audio = new OwrxAdpcmStream();
  private last: ReceiverCondition = { code: 'connecting' };
  private closing = false;
  private streaming = false;
  private started = false;
  private profileTried = false;
  private seq = 0;

  constructor(private readonly opts: OwrxOptions) {
    super();
  }

  open(): void {
    if (!owrxMode(this.opts.mode)) {
      const c: ReceiverCondition = { code: 'protocol_error', detail: `mode ${this.opts.mode} is not available on OpenWebRX (it never sends IQ)` };
      queueMicrotask(() => this.close(c));
      return;
    }
    this.condition({ code: 'connecting' });
    const ws = new WebSocket(owrxSocketUrl(this.opts.url), { handshakeTimeout: 10_000, perMessageDeflate: false, followRedirects: true });
    this.ws = ws;
    ws.on('open', () => {
      ws.send(`SERVER DE CLIENT client=${this.opts.clientName ?? 'heimdall-station'} type=receiver`);
      ws.send(JSON.stringify({ type: 'connectionproperties', params: { output_rate: OWRX_OUTPUT_RATE, hd_output_rate: 48000 } }));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? this.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : this.onText(data.toString())));
    ws.on('unexpected-response', (_req, res) => this.close({ code: 'unreachable', detail: `HTTP ${res.statusCode} on the /ws/ upgrade` }));
    ws.on('error', (e: Error) => this.close(this.streaming ? { code: 'dropped', detail: e.message } : { code: 'unreachable', detail: e.message }));
    ws.on('close', () => this.close(this.last.code === 'streaming' || this.last.code === 'connecting' ? { code: 'dropped', detail: 'the connection closed' } : this.last));
  }

  close(condition?: ReceiverCondition): void {
    if (condition && !this.closing) this.last = condition;
    if (this.closing) return;
    this.closing = true;
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    this.emit('closed', this.last);
  }

  private condition(c: ReceiverCondition): void {
    this.last = c;
    this.emit('condition', c);
  }

  private send(o: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(o));
  }

  private onText(text: string): void {
    const m = parseOwrxText(text);
    if (!m) return;
    switch (m.type) {
      case 'config':
        this.config = { ...this.config, ...m.value };
        if (m.value.audio_compression) this.audio = new OwrxAdpcmStream();
        void this.tune();
        break;
      case 'smeter':
        if (m.value > 0) this.emit('smeter', 10 * Math.log10(m.value));
        break;
      case 'backoff':
        this.close({ code: 'backoff', reason: m.reason ?? 'the server is busy' });
        break;
      case 'sdr_error':
      case 'demodulator_error':
        this.close({ code: 'server_error', detail: m.value });
        break;
      default:
        break;
    }
  }

  /** Tunes once the band is known: switches profile first when the frequency lies outside it. */
  private async tune(): Promise<void> {
    const { center_freq: center, samp_rate: rate } = this.config;
    if (center === undefined || rate === undefined) return;
    const offset = this.opts.freqHz - center;
    if (Math.abs(offset) >= rate / 2) {
      if (this.profileTried) {
        this.close({ code: 'protocol_error', detail: `no profile of this receiver covers ${(this.opts.freqHz / 1e6).toFixed(4)} MHz` });
        return;
      }
      this.profileTried = true;
      try {
        const profile = profileFor(await probeOwrxStatus(this.opts.url), this.opts.freqHz);
        if (profile) {
          this.send({ type: 'selectprofile', params: { profile } });
          return;
        }
      } catch {
        // Without /status.json we cannot pick a profile: fall through to the error below.
      }
      this.close({ code: 'protocol_error', detail: `${(this.opts.freqHz / 1e6).toFixed(4)} MHz is outside this receiver's band (${((center - rate / 2) / 1e6).toFixed(3)}-${((center + rate / 2) / 1e6).toFixed(3)} MHz) and no profile covers it` });
      return;
    }
    const m = owrxMode(this.opts.mode)!;
    this.send({ type: 'dspcontrol', params: { offset_freq: Math.round(offset), mod: m.mod, low_cut: m.low, high_cut: m.high, squelch_level: this.opts.squelchLevel ?? -150 } });
    if (!this.started) {
      this.started = true;
      this.send({ type: 'dspcontrol', action: 'start' });
    }
  }

  private onBinary(frame: Uint8Array): void {
    if (frame.length < 1) return;
    const type = frame[0];
    const body = frame.subarray(1);
    const now = Date.now();
    if (type === 1) {
      const size = this.config.fft_size;
      if (!size || this.config.samp_rate === undefined || this.config.center_freq === undefined) return;
      const row = parseFftFrame(body, size, this.config.fft_compression === 'adpcm');
      if (!row.ok) {
        this.emit('malformed', row.error);
        return;
      }
      this.markStreaming();
      const span = this.config.samp_rate;
      this.emit('fft', { db: row.value, startHz: this.config.center_freq - span / 2, spanHz: span, timeMs: now });
    } else if (type === 2) {
      let samples: Int16Array;
      if (this.config.audio_compression === 'adpcm') {
        samples = this.audio.decode(body);
      } else {
        if (body.length % 2) {
          this.emit('malformed', `audio frame of ${body.length} bytes is not whole int16 samples`);
          return;
        }
        samples = pcmFromWire(body, true);
      }
      if (samples.length === 0) return;
      this.markStreaming();
      this.emit('audio', { samples, sampleRate: OWRX_OUTPUT_RATE, hostTimeMs: now, seq: this.seq++ });
    } else if (type === 3 || type === 4) {
      // Secondary FFT and HD audio: not used by the station.
    } else {
      this.emit('malformed', `unknown binary frame type ${type}`);
    }
  }

  private markStreaming(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.condition({ code: 'streaming' });
  }
}
