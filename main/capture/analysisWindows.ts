/**
 * Cuts what a recorder writes into analysis windows (1 s of IQ by default) as float32 full-scale
 * samples, ready to transfer to the DSP pool: one measurement row per window comes back.
 */
export interface AnalysisWindow {
  startSample: number;
  unixNs: bigint;
  sampleRate: number;
  iq: Float32Array;
}

export class WindowCutter {
  private buf: Float32Array | null = null;
  private fill = 0;
  private start = 0;
  private startNs = 0n;

  constructor(
    private readonly seconds: number,
    private readonly emit: (w: AnalysisWindow) => void,
  ) {}

  /** Interleaved IQ int16, with the index and time of its first sample. */
  push(iq: Int16Array, firstSample: number, firstUnixNs: bigint, sampleRate: number): void {
    const size = Math.max(1024, Math.round(this.seconds * sampleRate));
    let i = 0;
    const n = iq.length / 2;
    while (i < n) {
      if (!this.buf) {
        this.buf = new Float32Array(2 * size);
        this.fill = 0;
        this.start = firstSample + i;
        this.startNs = firstUnixNs + BigInt(Math.round((i / sampleRate) * 1e9));
      }
      const take = Math.min(n - i, size - this.fill);
      for (let k = 0; k < 2 * take; k++) this.buf[2 * this.fill + k] = iq[2 * i + k]! / 32768;
      this.fill += take;
      i += take;
      if (this.fill === size) {
        this.emit({ startSample: this.start, unixNs: this.startNs, sampleRate, iq: this.buf });
        this.buf = null;
      }
    }
  }
}
