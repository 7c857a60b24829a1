/**
 * The AudioWorklet that plays every receiver the operator listens to: one jitter buffer and
 * resampler per source (jitterBuffer.ts), mixed with per-source gains into the device's output.
 * Runs on the audio rendering thread; talks to the page only through its port.
 */
import { JitterBuffer, type BufferStats } from './jitterBuffer';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor & { process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean }): void;

export type PlayerMessage =
  | { t: 'push'; key: string; rate: number; samples: Float32Array; t0Ms: number; arrivedMs: number | null; targetMs: number; maxMs: number }
  | { t: 'gain'; key: string; gain: number }
  | { t: 'remove'; key: string };

export interface PlayerStats {
  t: 'stats';
  /** Context time at which these figures were true. */
  ctxTime: number;
  sources: Record<string, BufferStats>;
}

const STATS_EVERY_S = 0.05;

class HeimdallPlayer extends AudioWorkletProcessor {
  private readonly sources = new Map<string, JitterBuffer>();
  private readonly gains = new Map<string, number>();
  private mix = new Float32Array(128);
  private lastStats = 0;

  constructor() {
    super();
    this.port.onmessage = (ev: MessageEvent<PlayerMessage>) => {
      const m = ev.data;
      if (m.t === 'push') {
        let b = this.sources.get(m.key);
        if (!b || b.srcRate !== m.rate || b.targetMs !== m.targetMs) {
          b = new JitterBuffer(m.rate, sampleRate, m.targetMs, m.maxMs);
          b.setGain(this.gains.get(m.key) ?? 1);
          this.sources.set(m.key, b);
        }
        b.push(m.samples, m.t0Ms, m.arrivedMs);
      } else if (m.t === 'gain') {
        this.gains.set(m.key, m.gain);
        this.sources.get(m.key)?.setGain(m.gain);
      } else {
        this.sources.delete(m.key);
        this.gains.delete(m.key);
      }
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (!out || out.length === 0) return true;
    const n = out[0]!.length;
    if (this.mix.length !== n) this.mix = new Float32Array(n);
    this.mix.fill(0);
    for (const b of this.sources.values()) b.render(this.mix);
    for (const ch of out) for (let i = 0; i < n; i++) ch[i] = Math.max(-1, Math.min(1, this.mix[i]!));
    if (currentTime - this.lastStats >= STATS_EVERY_S) {
      this.lastStats = currentTime;
      const sources: Record<string, BufferStats> = {};
      for (const [k, b] of this.sources) sources[k] = b.stats();
      this.port.postMessage({ t: 'stats', ctxTime: currentTime, sources } satisfies PlayerStats);
    }
    return true;
  }
}

registerProcessor('heimdall-player', HeimdallPlayer);
