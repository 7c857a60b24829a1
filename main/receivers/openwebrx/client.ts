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
import { chooseProfile, type OfferedProfile } from './profileChoice';
import { probeOwrxStatus } from './statusProbe';

export const OWRX_OUTPUT_RATE = 12000;
/**
 * OpenWebRX audio has no time stamps: its rate is judged against the host clock, after RATE_WINDOW_MS
 * and then every second; two judgements in a row off by more than RATE_TOLERANCE mean the server
 * does not stream the rate we asked for (network jitter over 5 s stays well inside 5 %).
 */
const RATE_WINDOW_MS = 5000;
const RATE_TOLERANCE = 0.05;

export interface OwrxOptions {
  url: string;
  freqHz: number;
  mode: string;
  /** Filter edges around the tuned frequency (Hz); absent: the mode's default. */
  passband?: { lowHz: number; highHz: number } | null;
  clientName?: string;
  squelchLevel?: number;
}

export interface OwrxFftRow {
  /** What this is: a spectrum row in dB, not IQ. */
  dataKind: 'spectrum_db';
  /** dB per bin, lowest frequency first (relative levels: OpenWebRX is not calibrated to dBm). */
  db: Float32Array;
  startHz: number;
  spanHz: number;
  timeMs: number;
}

export interface OwrxAudio {
  /** What this is: demodulated real audio, int16, at sampleRate; never IQ. */
  dataKind: 'audio_ri16';
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
  private offered: OfferedProfile[] | null = null;
  private pendingProfile: string | null = null;
  private seq = 0;
  private rate: { t0: number; samples: number; nextCheck: number; bad: number } | null = null;

  constructor(private readonly opts: OwrxOptions) {
    super();
  }

  open(): void {
    if (!owrxMode(this.opts.mode)) {
      const c: ReceiverCondition = { code: 'not_covered', detail: `mode ${this.opts.mode} is not available on OpenWebRX (it never sends IQ)` };
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
      case 'config': {
        // Changes only; null means the key was deleted (e.g. absent from the new profile).
        const merged: Record<string, unknown> = { ...this.config };
        for (const [k, v] of Object.entries(m.value)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        this.config = merged as OwrxConfig;
        if (m.value.audio_compression) this.audio = new OwrxAdpcmStream();
        void this.tune();
        break;
      }
      case 'profiles':
        this.offered = m.value;
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

  /**
   * Tunes once the band is known: switches profile first when the frequency lies outside it. The
   * profile id comes from the `profiles` message, matched to /status.json's bands by name.
   */
  private async tune(): Promise<void> {
    const { center_freq: center, samp_rate: rate } = this.config;
    if (center == null || rate == null || this.closing) return;
    const offset = this.opts.freqHz - center;
    if (Math.abs(offset) >= rate / 2) {
      if (this.pendingProfile !== null) {
        // Still on the old band until the config names the profile we asked for.
        if (`${this.config.sdr_id ?? ''}|${this.config.profile_id ?? ''}` !== this.pendingProfile) return;
        this.close({ code: 'protocol_error', detail: `the receiver switched to profile ${this.pendingProfile}, which does not cover ${(this.opts.freqHz / 1e6).toFixed(4)} MHz` });
        return;
      }
      if (this.offered === null) return; // the profiles message is still to come
      const offered = this.offered;
      this.pendingProfile = '';
      let profile: string | null = null;
      let why = 'no profile covers it';
      try {
        profile = chooseProfile(await probeOwrxStatus(this.opts.url), offered, this.opts.freqHz);
      } catch (e) {
        why = `its band list could not be read: ${e instanceof Error ? e.message : String(e)}`;
      }
      // The band may have changed while /status.json was read (a config arrived): judge again.
      const now = this.config;
      if (this.closing) return;
      if (now.center_freq != null && now.samp_rate != null && Math.abs(this.opts.freqHz - now.center_freq) < now.samp_rate / 2) return;
      if (profile) {
        this.pendingProfile = profile;
        this.send({ type: 'selectprofile', params: { profile } });
        return;
      }
      this.close({ code: 'not_covered', detail: `${(this.opts.freqHz / 1e6).toFixed(4)} MHz is outside its band (${((center - rate / 2) / 1e6).toFixed(3)}-${((center + rate / 2) / 1e6).toFixed(3)} MHz) and ${why}` });
      return;
    }
    this.pendingProfile = null;
    this.sendDsp(offset);
    if (!this.started) {
      this.started = true;
      this.send({ type: 'dspcontrol', action: 'start' });
    }
  }

  private sendDsp(offset: number): void {
    const m = owrxMode(this.opts.mode, this.opts.passband)!;
    this.send({ type: 'dspcontrol', params: { offset_freq: Math.round(offset), mod: m.mod, low_cut: m.low, high_cut: m.high, squelch_level: this.opts.squelchLevel ?? -150 } });
  }

  /** Changes the server's demodulator (mode and filter edges) on the open connection. */
  setDemod(mode: string, passband: { lowHz: number; highHz: number } | null): void {
    if (!owrxMode(mode)) throw new Error(`mode ${mode} is not available on OpenWebRX`);
    this.opts.mode = mode;
    this.opts.passband = passband;
    const center = this.config.center_freq;
    if (this.started && center != null) this.sendDsp(this.opts.freqHz - center);
  }

  private onBinary(frame: Uint8Array): void {
    if (frame.length < 1) return;
    const type = frame[0];
    const body = frame.subarray(1);
    const now = Date.now();
    if (type === 1) {
      const size = this.config.fft_size;
      if (!size || this.config.samp_rate == null || this.config.center_freq == null) return;
      const row = parseFftFrame(body, size, this.config.fft_compression === 'adpcm');
      if (!row.ok) {
        this.emit('malformed', row.error);
        return;
      }
      this.markStreaming();
      const span = this.config.samp_rate;
      this.emit('fft', { dataKind: 'spectrum_db', db: row.value, startHz: this.config.center_freq - span / 2, spanHz: span, timeMs: now });
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
      this.emit('audio', { dataKind: 'audio_ri16', samples, sampleRate: OWRX_OUTPUT_RATE, hostTimeMs: now, seq: this.seq++ });
      this.checkRate(samples.length, now);
    } else if (type === 3 || type === 4) {
      // Secondary FFT and HD audio: not used by the station.
    } else {
      this.emit('malformed', `unknown binary frame type ${type}`);
    }
  }

  /** Compares the audio that arrives with the rate asked for, on the host clock (there is no other). */
  private checkRate(n: number, now: number): void {
    if (!this.rate) {
      // The first block holds audio from before its arrival: the window starts after it.
      this.rate = { t0: now, samples: 0, nextCheck: now + RATE_WINDOW_MS, bad: 0 };
      return;
    }
    this.rate.samples += n;
    if (now < this.rate.nextCheck) return;
    this.rate.nextCheck = now + 1000;
    const measured = this.rate.samples / ((now - this.rate.t0) / 1000);
    if (Math.abs(measured - OWRX_OUTPUT_RATE) / OWRX_OUTPUT_RATE <= RATE_TOLERANCE) {
      this.rate.bad = 0;
    } else if (++this.rate.bad >= 2) {
      this.close({ code: 'wrong_rate', announcedHz: OWRX_OUTPUT_RATE, measuredHz: measured });
    }
  }

  private markStreaming(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.condition({ code: 'streaming' });
  }
}
