/** Small filters for demodulated audio, one sample at a time (state carries across blocks). */

/** Removes DC and what lies below ~`cornerHz` (a carrier after an envelope detector, a tuning offset after FM). */
export class DcBlocker {
  private x1 = 0;
  private y1 = 0;
  private readonly r: number;
  constructor(sampleRate: number, cornerHz = 30) {
    this.r = Math.exp((-2 * Math.PI * cornerHz) / sampleRate);
  }
  step(x: number): number {
    const y = x - this.x1 + this.r * this.y1;
    this.x1 = x;
    this.y1 = y;
    return y;
  }
}

/** Second-order Butterworth low-pass (RBJ biquad); two in a row make a 4th-order voice filter. */
export class LowpassBiquad {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  constructor(sampleRate: number, cornerHz: number, q = Math.SQRT1_2) {
    const w = (2 * Math.PI * Math.min(cornerHz, sampleRate * 0.45)) / sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    this.b0 = (1 - cos) / 2 / a0;
    this.b1 = (1 - cos) / a0;
    this.b2 = this.b0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  step(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}
