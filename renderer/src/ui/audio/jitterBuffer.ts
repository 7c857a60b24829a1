/**
 * One receiver's audio in the player: a jitter buffer at the receiver's rate and a resampler to the
 * device rate. Pure (no DOM, no Web Audio) so it runs inside the AudioWorklet and in unit tests.
 *
 * - Playback starts once `targetMs` of audio is buffered, and the resampling ratio is nudged (at most
 *   1 %) to hold the buffer there: the receiver's clock (e.g. 12001.135 Hz) and the sound card's
 *   never agree exactly, and this absorbs the difference without gaps or growing latency.
 * - Running dry fades out over a few milliseconds instead of clicking, and waits for `targetMs` again.
 * - More than `maxMs` buffered (the page was busy, a burst arrived) fades out, skips to `targetMs`
 *   behind the newest audio, and fades back in: audio is display data, latency is what counts.
 */

export interface BufferStats {
  fillMs: number;
  playing: boolean;
  underruns: number;
  /** Input samples thrown away to catch up. */
  droppedSamples: number;
  /** Receiver time (Unix ms) of the sample now at the read head, and when its chunk reached the station. */
  headT0Ms: number | null;
  headArrivedMs: number | null;
  /** RMS of the last rendered block, after gain (0..1). */
  level: number;
}

interface Mark {
  index: number;
  t0Ms: number;
  arrivedMs: number | null;
}

const FADE_MS = 6;
/** Samples the cubic interpolator needs beyond the read position. */
const LOOKAHEAD = 3;

export class JitterBuffer {
  private readonly ring: Float32Array;
  private readonly mask: number;
  /** Absolute sample indices: written so far, and the (fractional) read position. */
  private written = 0;
  private pos = 0;
  private state: 'buffering' | 'playing' | 'fadingOut' = 'buffering';
  private env = 0;
  private readonly fadeStep: number;
  private jumpAfterFade = false;
  private smoothedFill = 0;
  /** Mean chunk length (input samples): the fill saw-tooths over one chunk, which the rate control ignores. */
  private chunk = 0;
  private marks: Mark[] = [];
  private underruns = 0;
  private dropped = 0;
  private level = 0;
  private gain = 1;
  private gainTarget = 1;
  private readonly gainStep: number;

  constructor(
    readonly srcRate: number,
    readonly outRate: number,
    readonly targetMs = 120,
    readonly maxMs = 400,
  ) {
    let cap = 1;
    while (cap < (srcRate * (maxMs + 1000)) / 1000) cap <<= 1;
    this.ring = new Float32Array(cap);
    this.mask = cap - 1;
    this.fadeStep = 1 / ((outRate * FADE_MS) / 1000);
    this.gainStep = 1 / ((outRate * 20) / 1000);
  }

  /** Receiver audio (full scale 1), its first sample at receiver time t0Ms. */
  push(samples: Float32Array, t0Ms: number, arrivedMs: number | null): void {
    if (samples.length === 0) return;
    this.chunk = this.chunk === 0 ? samples.length : this.chunk + (samples.length - this.chunk) * 0.1;
    const room = this.ring.length - LOOKAHEAD - 1;
    // A chunk larger than the ring (never in practice): keep its end.
    const from = Math.max(0, samples.length - room);
    // Overwriting what has not been played yet: move the read head past it first.
    const overflow = this.written + samples.length - from - Math.floor(this.pos) - room;
    if (overflow > 0) {
      this.pos += overflow;
      this.dropped += overflow;
    }
    this.marks.push({ index: this.written + from, t0Ms: t0Ms + (from / this.srcRate) * 1000, arrivedMs });
    for (let i = from; i < samples.length; i++) this.ring[(this.written + i - from) & this.mask] = samples[i]!;
    this.written += samples.length - from;
  }

  setGain(g: number): void {
    this.gainTarget = Math.max(0, g);
  }

  /** Buffered audio (ms) ahead of the read head. */
  fillMs(): number {
    return (Math.max(0, this.written - this.pos) / this.srcRate) * 1000;
  }

  /** Adds `out.length` device-rate samples of this source into `out`. */
  render(out: Float32Array): void {
    const target = (this.srcRate * this.targetMs) / 1000;
    const max = (this.srcRate * this.maxMs) / 1000;
    const base = this.srcRate / this.outRate;
    let sq = 0;
    for (let i = 0; i < out.length; i++) {
      const fill = this.written - this.pos;
      if (this.state === 'buffering') {
        if (fill < target) continue;
        // Start at the target: what piled up meanwhile (the device started late, a burst) would
        // otherwise stay as latency for as long as the slow rate control takes to drain it.
        const excess = Math.floor(fill - target - this.chunk);
        if (excess > 0) {
          this.pos += excess;
          this.dropped += excess;
        }
        this.state = 'playing';
        this.smoothedFill = this.written - this.pos;
      }
      if (this.state === 'playing' && (fill < LOOKAHEAD + base * 2 + this.fadeSamplesIn() || fill > max)) {
        // Running dry, or too far behind: fade out first (the audio for the fade is there).
        this.state = 'fadingOut';
        this.jumpAfterFade = fill > max;
        if (!this.jumpAfterFade) this.underruns++;
      }
      if (fill < LOOKAHEAD + 1) {
        // Nothing left to fade with: stop here (env is near zero by construction).
        this.env = 0;
        this.state = 'buffering';
        continue;
      }
      this.smoothedFill += (fill - this.smoothedFill) * 0.00005;
      // Within half a chunk and 10 ms of the target the pitch is exact; beyond, up to 1 % faster or slower.
      const error = this.smoothedFill - target;
      const dead = this.chunk / 2 + this.srcRate * 0.01;
      const beyond = Math.abs(error) <= dead ? 0 : error - Math.sign(error) * dead;
      const correction = Math.max(-0.01, Math.min(0.01, (beyond / target) * 0.05));
      const step = base * (1 + correction);
      if (this.state === 'fadingOut') {
        this.env -= this.fadeStep;
        if (this.env <= 0) {
          this.env = 0;
          if (this.jumpAfterFade) {
            const skip = Math.floor(this.written - target - this.pos);
            if (skip > 0) {
              this.pos += skip;
              this.dropped += skip;
            }
            this.jumpAfterFade = false;
            this.state = 'playing';
            this.smoothedFill = target;
          } else {
            this.state = 'buffering';
          }
          continue;
        }
      } else if (this.env < 1) {
        this.env = Math.min(1, this.env + this.fadeStep);
      }
      if (this.gain !== this.gainTarget) {
        const d = this.gainTarget - this.gain;
        this.gain = Math.abs(d) <= this.gainStep ? this.gainTarget : this.gain + Math.sign(d) * this.gainStep;
      }
      const v = this.sample() * this.env * this.gain;
      out[i] = out[i]! + v;
      sq += v * v;
      this.pos += step;
    }
    this.level = out.length ? Math.sqrt(sq / out.length) : 0;
    while (this.marks.length > 1 && this.marks[1]!.index <= this.pos) this.marks.shift();
  }

  stats(): BufferStats {
    const m = this.marks[0];
    const inside = m && m.index <= this.pos;
    return {
      fillMs: this.fillMs(),
      playing: this.state !== 'buffering',
      underruns: this.underruns,
      droppedSamples: this.dropped,
      headT0Ms: inside ? m.t0Ms + ((this.pos - m.index) / this.srcRate) * 1000 : null,
      headArrivedMs: inside ? m.arrivedMs : null,
      level: this.level,
    };
  }

  /** Input samples a fade-out consumes at the current rate. */
  private fadeSamplesIn(): number {
    return (this.srcRate * FADE_MS) / 1000 + 1;
  }

  /** Cubic (Catmull-Rom) interpolation at the read position. */
  private sample(): number {
    const i = Math.floor(this.pos);
    const t = this.pos - i;
    const r = this.ring;
    const m = this.mask;
    const y0 = r[(i - 1) & m]!;
    const y1 = r[i & m]!;
    const y2 = r[(i + 1) & m]!;
    const y3 = r[(i + 2) & m]!;
    return y1 + 0.5 * t * (y2 - y0 + t * (2 * y0 - 5 * y1 + 4 * y2 - y3 + t * (3 * (y1 - y2) + y3 - y0)));
  }
}
