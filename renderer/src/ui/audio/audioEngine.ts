/**
 * The page's one audio output: an AudioContext (created on the operator's first click, as
 * browsers require), the player worklet, and a master gain for "mute all". Receivers' chunks go in
 * as int16 LE bytes; what comes back is each source's buffer, level, play position and latency.
 */
import { type AudioChunk } from '../../../../shared/domain/audio';
import workletUrl from './playerWorklet.ts?worker&url';
import { type PlayerMessage, type PlayerStats } from './playerWorklet';
import { type BufferStats } from './jitterBuffer';

export interface SourceStats extends BufferStats {
  /** Live sources: from the chunk's arrival at the station to the sound leaving the device (ms). */
  latencyMs: number | null;
  /** When these figures were true, on the page's clock (Unix ms). */
  atMs: number;
}

export interface PlayOptions {
  /** Buffer to hold before playing (ms): live keeps it short; review can afford more. */
  targetMs: number;
  maxMs: number;
}

export const LIVE_BUFFER: PlayOptions = { targetMs: 120, maxMs: 400 };
export const REVIEW_BUFFER: PlayOptions = { targetMs: 150, maxMs: 1500 };

export class AudioEngine {
  private ctx: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private master: GainNode | null = null;
  private starting: Promise<void> | null = null;
  private muted = false;
  private readonly listeners = new Set<(s: ReadonlyMap<string, SourceStats>) => void>();
  private latest = new Map<string, SourceStats>();

  get running(): boolean {
    return this.node !== null;
  }
  get deviceRate(): number | null {
    return this.ctx?.sampleRate ?? null;
  }

  /** Call from a click or key handler: browsers let audio start only on a user gesture. */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    this.ctx = ctx;
    this.starting = (async () => {
      await ctx.audioWorklet.addModule(workletUrl);
      const node = new AudioWorkletNode(ctx, 'heimdall-player', { numberOfInputs: 0, outputChannelCount: [2] });
      const master = ctx.createGain();
      master.gain.value = this.muted ? 0 : 1;
      node.connect(master).connect(ctx.destination);
      node.port.onmessage = (ev: MessageEvent<PlayerStats>) => this.handleStats(ev.data);
      this.node = node;
      this.master = master;
      if (ctx.state !== 'running') await ctx.resume();
    })();
    this.starting.catch(() => {
      this.starting = null;
      this.ctx = null;
    });
    return this.starting;
  }

  push(key: string, chunk: AudioChunk, body: Uint8Array, opts: PlayOptions): void {
    if (!this.node || chunk.samples === 0) return;
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const samples = new Float32Array(Math.min(chunk.samples, body.byteLength >> 1));
    for (let i = 0; i < samples.length; i++) samples[i] = v.getInt16(2 * i, true) / 32768;
    this.post({ t: 'push', key, rate: chunk.sampleRate, samples, t0Ms: chunk.t0Ms, arrivedMs: chunk.arrivedMs, targetMs: opts.targetMs, maxMs: opts.maxMs }, [samples.buffer]);
  }

  setGain(key: string, gain: number): void {
    this.post({ t: 'gain', key, gain });
  }

  remove(key: string): void {
    this.post({ t: 'remove', key });
    this.latest.delete(key);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.master && this.ctx) this.master.gain.setTargetAtTime(muted ? 0 : 1, this.ctx.currentTime, 0.015);
  }

  stats(key: string): SourceStats | undefined {
    return this.latest.get(key);
  }

  onStats(l: (s: ReadonlyMap<string, SourceStats>) => void): () => void {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }

  private handleStats(arg: PlayerStats): void {
    const ctx = this.ctx;
    if (!ctx) return;
    // The context's clock against the page's: when the sample rendered at ctxTime leaves the device.
    const ts = ctx.getOutputTimestamp();
    const outMs = ts.contextTime !== undefined && ts.performanceTime !== undefined ? performance.timeOrigin + ts.performanceTime + (arg.ctxTime - ts.contextTime) * 1000 : Date.now() + (ctx.outputLatency || ctx.baseLatency || 0) * 1000;
    const next = new Map<string, SourceStats>();
    for (const [k, s] of Object.entries(arg.sources)) next.set(k, { ...s, latencyMs: s.headArrivedMs !== null && s.playing ? outMs - s.headArrivedMs : null, atMs: outMs });
    this.latest = next;
    for (const l of this.listeners) l(next);
  }

  private post(m: PlayerMessage, transfer: Transferable[] = []): void {
    this.node?.port.postMessage(m, transfer);
  }
}

/** One per page: every speaker on every card plays through it. */
export const audioEngine = new AudioEngine();
