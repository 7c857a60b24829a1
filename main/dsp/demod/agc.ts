/**
 * Automatic gain control as receivers do it: the gain follows the signal's envelope (instant
 * attack, so a key-up never overshoots into clipping; a hang; then a slow decay), so a strong
 * station and a weak one come out at the same loudness, and a crash of noise does not leave the
 * audio quiet for seconds. The gain never exceeds `maxGainDb`, which keeps an empty band at a low
 * hiss instead of pulling the noise up to full level.
 */
interface AgcOptions {
  sampleRate: number;
  /** Output peak the gain aims for (full scale 1). */
  target?: number;
  maxGainDb?: number;
  hangMs?: number;
  decayMs?: number;
}

export class Agc {
  private env = 0;
  private hang = 0;
  private readonly decay: number;
  private readonly hangSamples: number;
  private readonly target: number;
  private readonly floor: number;

  constructor(o: AgcOptions) {
    this.target = o.target ?? 0.35;
    this.floor = this.target / 10 ** ((o.maxGainDb ?? 45) / 20);
    this.decay = 1 - Math.exp(-1 / (o.sampleRate * ((o.decayMs ?? 400) / 1000)));
    this.hangSamples = Math.round(o.sampleRate * ((o.hangMs ?? 200) / 1000));
  }

  /** Gain for a sample whose envelope (magnitude before detection) is `m`. */
  gain(m: number): number {
    if (m > this.env) {
      this.env = m;
      this.hang = this.hangSamples;
    } else if (this.hang > 0) {
      this.hang--;
    } else {
      this.env += (m - this.env) * this.decay;
    }
    return this.target / Math.max(this.env, this.floor);
  }
}
