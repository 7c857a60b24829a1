/**
 * dB rows -> display bytes (0..255 over [minDb, maxDb]), batched per receiver and flushed at most
 * every `flushMs`, so the main thread gets one message per receiver per display frame, not per row.
 */
export class RowBatcher {
  private bins = 0;
  private startHz = 0;
  private spanHz = 0;
  private rows: Uint8Array[] = [];
  private times: number[] = [];

  private floorDb: number | null = null;
  private minDb: number;
  private maxDb: number;

  constructor(
    /** Fixed display range, or null to follow the noise floor (floor - 5 dB .. floor + 70 dB). */
    private readonly range: { minDb: number; maxDb: number } | null,
    /** Rows kept per flush at most: a stalled consumer loses display rows, never capture data. */
    private readonly maxRows = 64,
  ) {
    this.minDb = range?.minDb ?? -140;
    this.maxDb = range?.maxDb ?? -40;
  }

  /** Median of a spread of bins: a noise-floor estimate that ignores a few strong carriers. */
  private follow(db: Float32Array): void {
    const step = Math.max(1, Math.floor(db.length / 64));
    const sample: number[] = [];
    for (let i = 0; i < db.length; i += step) sample.push(db[i]!);
    sample.sort((a, b) => a - b);
    const median = sample[sample.length >> 1]!;
    this.floorDb = this.floorDb === null ? median : this.floorDb + 0.05 * (median - this.floorDb);
    this.minDb = this.floorDb - 5;
    this.maxDb = this.floorDb + 70;
  }

  push(db: Float32Array, startHz: number, spanHz: number, timeMs: number): void {
    if (!this.range) this.follow(db);
    if (db.length !== this.bins || startHz !== this.startHz || spanHz !== this.spanHz) {
      // Geometry changed (zoom, retune): rows of different shapes never share a batch.
      this.rows = [];
      this.times = [];
      this.bins = db.length;
      this.startHz = startHz;
      this.spanHz = spanHz;
    }
    const out = new Uint8Array(db.length);
    const k = 255 / (this.maxDb - this.minDb);
    for (let i = 0; i < db.length; i++) {
      const v = (db[i]! - this.minDb) * k;
      out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v | 0;
    }
    this.rows.push(out);
    this.times.push(timeMs);
    if (this.rows.length > this.maxRows) {
      this.rows.shift();
      this.times.shift();
    }
  }

  /** Returns the pending rows as one buffer (to transfer), or null when there are none. */
  take(): { bins: number; startHz: number; spanHz: number; minDb: number; maxDb: number; times: number[]; data: ArrayBuffer } | null {
    if (this.rows.length === 0) return null;
    const data = new Uint8Array(this.rows.length * this.bins);
    this.rows.forEach((r, i) => data.set(r, i * this.bins));
    const batch = { bins: this.bins, startHz: this.startHz, spanHz: this.spanHz, minDb: this.minDb, maxDb: this.maxDb, times: this.times, data: data.buffer };
    this.rows = [];
    this.times = [];
    return batch;
  }
}
