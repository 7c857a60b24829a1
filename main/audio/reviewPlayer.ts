/**
 * Review playback in the audio worker: stored ranges read from their sample files a little at a
 * time, demodulated where they are IQ, and sent in real time (a short lead ahead of the clock, so
 * the player's buffer fills without holding seconds of audio). Several receivers of one session
 * play in step: each starts where its own samples are at the common start time.
 */
import { readCaptureSamples } from '../sessions/captureSamples';
import { Demodulator } from '../dsp/demod/demodulator';
import { FILTER_BLOCK, FILTER_TAPS } from '../dsp/demod/fftFilter';
import { type StoredRange } from './audioProtocol';

const DELAY = (FILTER_TAPS - 1) / 2;
const TICK_MS = 40;
/** Samples read from the file per step. */
const READ = 2048;

export interface ReviewChunk {
  receiverId: string;
  sampleRate: number;
  pcm: Int16Array;
  t0Ms: number;
  end: boolean;
  range: StoredRange;
}

interface RangeState {
  r: StoredRange;
  iq: boolean;
  demod: Demodulator | null;
  /** Output samples of silence still to send before the range's own samples begin. */
  silence: number;
  pos: number;
  /** Demodulated samples still to discard: the filter's delay, so output sample k is input sample k. */
  skip: number;
  emitted: number;
  flushed: boolean;
  done: boolean;
}

export function isIqDatatype(datatype: string): boolean {
  return datatype.startsWith('c');
}

export class ReviewJob {
  private readonly states: RangeState[];
  private timer: NodeJS.Timeout | null = null;
  private wall0 = 0;

  constructor(
    private readonly startMs: number,
    ranges: StoredRange[],
    private readonly leadMs: number,
    private readonly emit: (c: ReviewChunk) => void,
    private readonly fail: (receiverId: string, message: string) => void,
  ) {
    this.states = ranges.map((r) => {
      const iq = isIqDatatype(r.datatype);
      return {
        r,
        iq,
        demod: iq ? new Demodulator(r.listen, r.sampleRate) : null,
        silence: Math.max(0, Math.round(((r.t0Ms - startMs) / 1000) * r.sampleRate)),
        pos: r.startSample,
        skip: iq ? DELAY : 0,
        emitted: 0,
        flushed: !iq,
        done: false,
      };
    });
  }

  start(): void {
    this.wall0 = Date.now();
    this.tick();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get finished(): boolean {
    return this.states.every((s) => s.done);
  }

  private tick(): void {
    const elapsed = Date.now() - this.wall0 + this.leadMs;
    for (const s of this.states) {
      const target = (elapsed / 1000) * s.r.sampleRate;
      try {
        while (!s.done && s.emitted < target) this.step(s);
      } catch (e) {
        s.done = true;
        this.fail(s.r.receiverId, `could not read ${s.r.file}: ${(e as Error).message}`);
      }
    }
    if (this.finished) this.stop();
  }

  private step(s: RangeState): void {
    const rate = s.r.sampleRate;
    const t0Ms = this.startMs + (s.emitted / rate) * 1000;
    if (s.silence > 0) {
      const n = Math.min(s.silence, READ);
      s.silence -= n;
      this.send(s, new Int16Array(n), t0Ms, false);
      return;
    }
    let audio: Float32Array;
    if (s.pos < s.r.endSample) {
      const count = Math.min(READ, s.r.endSample - s.pos);
      const raw = readCaptureSamples(s.r.file, s.r.datatype, s.pos, count);
      s.pos += count;
      if (raw.length === 0) s.pos = s.r.endSample; // the file is shorter than its row says
      audio = s.iq ? s.demod!.process(raw) : everyOther(raw);
    } else if (!s.flushed) {
      // Push the filter's last partial block and its delay out with silence.
      s.flushed = true;
      audio = s.demod!.process(new Float32Array(2 * (FILTER_BLOCK + DELAY)));
    } else {
      s.done = true;
      this.send(s, new Int16Array(0), t0Ms, true);
      return;
    }
    if (s.skip > 0) {
      const drop = Math.min(s.skip, audio.length);
      s.skip -= drop;
      audio = audio.subarray(drop);
    }
    if (audio.length === 0) return;
    const pcm = new Int16Array(audio.length);
    for (let i = 0; i < audio.length; i++) pcm[i] = Math.round(Math.max(-1, Math.min(1, audio[i]!)) * 32767);
    this.send(s, pcm, t0Ms, false);
  }

  private send(s: RangeState, pcm: Int16Array, t0Ms: number, end: boolean): void {
    s.emitted += pcm.length;
    this.emit({ receiverId: s.r.receiverId, sampleRate: s.r.sampleRate, pcm, t0Ms, end, range: s.r });
  }
}

/** The I channel of interleaved samples: an audio recording read as IQ has Q = 0. */
function everyOther(iq: Float32Array): Float32Array {
  const out = new Float32Array(iq.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = iq[2 * i]!;
  return out;
}
