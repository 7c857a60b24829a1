import { colorMap, type ColorMapName } from './colormaps';

/**
 * A waterfall drawn from a ring buffer: each new row is coloured once into an offscreen canvas at
 * the ring's write position, and each display frame copies the ring to the screen in two slices
 * (newest at the top). Rows that arrive faster than the screen refreshes are queued up to a bound
 * and the oldest are dropped from display (never from capture), so a slow UI cannot build a backlog.
 */
export class RingWaterfall {
  readonly bins: number;
  readonly height: number;
  private ring: OffscreenCanvas | HTMLCanvasElement;
  private ringCtx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  private row: ImageData;
  private row32: Uint32Array;
  private lut: Uint32Array;
  private writeIndex = 0;
  private filled = 0;
  private pending: Uint8Array[] = [];
  private readonly maxPending: number;
  /** Rows dropped from display because the screen could not keep up. */
  dropped = 0;
  /** Rows drawn into the ring. */
  drawn = 0;

  constructor(bins: number, height: number, colors: ColorMapName = 'viridis', maxPending = 256) {
    this.bins = bins;
    this.height = height;
    this.maxPending = maxPending;
    this.ring = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(bins, height) : Object.assign(document.createElement('canvas'), { width: bins, height });
    const ctx = this.ring.getContext('2d', { alpha: false }) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) throw new Error('This browser cannot draw 2D canvases; the waterfall needs one.');
    this.ringCtx = ctx;
    this.row = new ImageData(bins, 1);
    this.row32 = new Uint32Array(this.row.data.buffer);
    this.lut = colorMap(colors);
    this.ringCtx.fillStyle = '#000';
    this.ringCtx.fillRect(0, 0, bins, height);
  }

  setColorMap(name: ColorMapName): void {
    this.lut = colorMap(name);
  }

  /** Queue rows (each `bins` bytes, 0..255). Copies nothing: the caller must not reuse the memory. */
  push(rows: Uint8Array, count: number): void {
    for (let r = 0; r < count; r++) this.pending.push(rows.subarray(r * this.bins, (r + 1) * this.bins));
    const excess = this.pending.length - this.maxPending;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Colours the queued rows into the ring and paints the screen canvas; call once per animation frame. */
  paint(target: CanvasRenderingContext2D, width: number, height: number): void {
    const { bins, lut, row32 } = this;
    for (const src of this.pending) {
      for (let i = 0; i < bins; i++) row32[i] = lut[src[i]!]!;
      this.writeIndex = (this.writeIndex - 1 + this.height) % this.height;
      this.ringCtx.putImageData(this.row, 0, this.writeIndex);
      this.filled = Math.min(this.filled + 1, this.height);
      this.drawn++;
    }
    this.pending.length = 0;
    // Newest row sits at writeIndex: draw [writeIndex, height) then [0, writeIndex) below it.
    const scale = height / this.height;
    const first = this.height - this.writeIndex;
    target.imageSmoothingEnabled = false;
    target.drawImage(this.ring, 0, this.writeIndex, bins, first, 0, 0, width, first * scale);
    if (this.writeIndex > 0) target.drawImage(this.ring, 0, 0, bins, this.writeIndex, 0, first * scale, width, this.writeIndex * scale);
  }
}
