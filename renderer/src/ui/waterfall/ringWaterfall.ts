import { rowSlice, type FreqRange, type RowSlice } from '../frequencyView';
import { colorMap, type ColorMapName } from './colormaps';

/** What part of the ring to show: a frequency window (null: the newest row's own span) and rows. */
export interface RingView {
  freq: FreqRange | null;
  /** Rows shown top to bottom (time zoom): fewer rows = taller rows. */
  visibleRows: number;
  /** Frozen: new rows still go into the ring, the picture stays where it was. */
  paused: boolean;
  /** While paused, how many rows further back in time the top row is. */
  scrollBack: number;
  /** Manual level range in dB (bottom and top of the colour map), or null/absent: as the rows come (auto). */
  levels?: LevelRange | null;
}

export interface LevelRange {
  lo: number;
  hi: number;
}

const DEFAULT_VIEW: RingView = { freq: null, visibleRows: 256, paused: false, scrollBack: 0, levels: null };

/**
 * A waterfall drawn from a ring buffer: each new row is coloured once into an offscreen canvas at
 * the ring's write position, and each display frame copies the visible rows to the screen (newest
 * at the top) in as few slices as the ring's wrap and the rows' geometry need. Each ring row keeps
 * the frequencies it covers, so after a retune the older rows stay where they were in frequency.
 * Rows that arrive faster than the screen refreshes are queued up to a bound and the oldest are
 * dropped from display (never from capture), so a slow UI cannot build a backlog. Nothing is
 * allocated per row: batches are queued by reference and coloured straight from their buffers.
 */
export class RingWaterfall {
  readonly bins: number;
  /** Rows kept (history for scroll-back and time zoom). */
  readonly height: number;
  private ring: OffscreenCanvas | HTMLCanvasElement;
  private ringCtx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  private row: ImageData;
  private row32: Uint32Array;
  private lut: Uint32Array;
  private writeIndex = 0;
  private filled = 0;
  /** Frequencies of each ring row. */
  private rowStart: Float64Array;
  private rowSpan: Float64Array;
  /** The bytes and dB range of each ring row, kept so a level change can recolour the history. */
  private raw: Uint8Array;
  private rowMinDb: Float32Array;
  private rowMaxDb: Float32Array;
  private levels: LevelRange | null = null;
  /** byte -> colour index for the current levels and one dB range (rebuilt when either changes). */
  private remap = new Uint8Array(256);
  private remapFor = { min: NaN, max: NaN, lo: NaN, hi: NaN };
  // Pending batches, by reference: rows [qHead, count) of qBuf[0] onwards are still to draw.
  private qBuf: Uint8Array[] = [];
  private qCount: number[] = [];
  private qStart: number[] = [];
  private qSpan: number[] = [];
  private qMin: number[] = [];
  private qMax: number[] = [];
  private qHead = 0;
  private qRows = 0;
  private readonly maxPending: number;
  private pausedAt = -1;
  private slice: RowSlice = { sx: 0, sw: 0, dx: 0, dw: 0 };
  private noData: CanvasPattern | string = '#161c24';
  /** Rows dropped from display because the screen could not keep up. */
  dropped = 0;
  /** Rows drawn into the ring. */
  drawn = 0;
  /** Frequencies of the newest row (0/0 before any). */
  newestStartHz = 0;
  newestSpanHz = 0;
  private newestRange = { lo: 0, hi: 0 };
  /** How many rows back from the newest the top of the last paint was (0 = live). */
  shownOffset = 0;
  /** Neighbours each side a bin takes its peak from, set from the last paint's bins per pixel. */
  private peakRadius = 0;

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
    this.rowStart = new Float64Array(height);
    this.rowSpan = new Float64Array(height);
    this.raw = new Uint8Array(height * bins);
    this.rowMinDb = new Float32Array(height);
    this.rowMaxDb = new Float32Array(height);
    this.ringCtx.fillStyle = '#000';
    this.ringCtx.fillRect(0, 0, bins, height);
  }

  setColorMap(name: ColorMapName): void {
    this.lut = colorMap(name);
  }

  /**
   * Queue rows (each `bins` bytes, 0..255) covering [startHz, startHz+spanHz). Copies nothing: the
   * caller must not reuse the memory. Without frequencies the rows count as bins 0..bins "Hz".
   */
  push(rows: Uint8Array, count: number, startHz = 0, spanHz = this.bins, minDb = 0, maxDb = 0): void {
    if (count <= 0) return;
    this.qBuf.push(rows);
    this.qCount.push(count);
    this.qStart.push(startHz);
    this.qSpan.push(spanHz);
    this.qMin.push(minDb);
    this.qMax.push(maxDb);
    this.qRows += count;
    // Too far behind: drop the oldest queued rows from display.
    while (this.qRows > this.maxPending) {
      const left = this.qCount[0]! - this.qHead;
      const drop = Math.min(left, this.qRows - this.maxPending);
      this.qHead += drop;
      this.qRows -= drop;
      this.dropped += drop;
      if (this.qHead >= this.qCount[0]!) {
        this.qBuf.shift();
        this.qCount.shift();
        this.qStart.shift();
        this.qSpan.shift();
        this.qMin.shift();
        this.qMax.shift();
        this.qHead = 0;
      }
    }
  }

  /**
   * Manual levels (null: auto, the colours the core chose). Changing them recolours every row kept,
   * once: the operator sees the whole history in the new range, not only the rows to come.
   */
  setLevels(levels: LevelRange | null): void {
    const same = levels === this.levels || (levels && this.levels && levels.lo === this.levels.lo && levels.hi === this.levels.hi);
    if (same) return;
    this.levels = levels ? { lo: levels.lo, hi: levels.hi } : null;
    for (let k = 0; k < this.filled; k++) {
      const ringRow = (this.writeIndex + k) % this.height;
      this.colourRow(this.raw, ringRow * this.bins, this.rowMinDb[ringRow]!, this.rowMaxDb[ringRow]!);
      this.ringCtx.putImageData(this.row, 0, ringRow);
    }
  }

  /** The byte -> colour-index table for rows scaled over [minDb, maxDb] under the current levels. */
  private mapFor(minDb: number, maxDb: number): Uint8Array | null {
    const l = this.levels;
    if (!l || maxDb <= minDb || l.hi <= l.lo) return null;
    const f = this.remapFor;
    if (f.min !== minDb || f.max !== maxDb || f.lo !== l.lo || f.hi !== l.hi) {
      for (let b = 0; b < 256; b++) {
        const db = minDb + (b / 255) * (maxDb - minDb);
        const v = Math.round(((db - l.lo) / (l.hi - l.lo)) * 255);
        this.remap[b] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      f.min = minDb;
      f.max = maxDb;
      f.lo = l.lo;
      f.hi = l.hi;
    }
    return this.remap;
  }

  /** Colours one row of bytes (at `base` in `src`) into this.row. */
  private colourRow(src: Uint8Array, base: number, minDb: number, maxDb: number): void {
    const { bins, lut, row32 } = this;
    const map = this.mapFor(minDb, maxDb);
    const rad = this.peakRadius;
    for (let i = 0; i < bins; i++) {
      let m: number;
      if (rad === 0) m = src[base + i]!;
      else {
        // Peak-preserving: each bin shows the strongest of its neighbours, so when the screen has
        // fewer pixels than bins a one-bin carrier (a CW beacon) still lands on a pixel.
        m = 0;
        const lo = i - rad < 0 ? 0 : i - rad;
        const hi = i + rad >= bins ? bins - 1 : i + rad;
        for (let j = lo; j <= hi; j++) {
          const v = src[base + j]!;
          if (v > m) m = v;
        }
      }
      row32[i] = lut[map ? map[m]! : m]!;
    }
  }

  /** Colours the queued rows into the ring. */
  private ingest(): void {
    const { bins, height, raw } = this;
    for (let b = 0; b < this.qBuf.length; b++) {
      const buf = this.qBuf[b]!;
      const count = this.qCount[b]!;
      const startHz = this.qStart[b]!;
      const spanHz = this.qSpan[b]!;
      const minDb = this.qMin[b]!;
      const maxDb = this.qMax[b]!;
      for (let r = b === 0 ? this.qHead : 0; r < count; r++) {
        const base = r * bins;
        this.writeIndex = (this.writeIndex - 1 + height) % height;
        const at = this.writeIndex * bins;
        for (let i = 0; i < bins; i++) raw[at + i] = buf[base + i]!;
        this.rowMinDb[this.writeIndex] = minDb;
        this.rowMaxDb[this.writeIndex] = maxDb;
        this.colourRow(buf, base, minDb, maxDb);
        this.ringCtx.putImageData(this.row, 0, this.writeIndex);
        this.rowStart[this.writeIndex] = startHz;
        this.rowSpan[this.writeIndex] = spanHz;
        this.filled = Math.min(this.filled + 1, height);
        this.drawn++;
      }
      this.newestStartHz = startHz;
      this.newestSpanHz = spanHz;
      this.newestRange.lo = startHz;
      this.newestRange.hi = startHz + spanHz;
    }
    this.qBuf.length = 0;
    this.qCount.length = 0;
    this.qStart.length = 0;
    this.qSpan.length = 0;
    this.qMin.length = 0;
    this.qMax.length = 0;
    this.qHead = 0;
    this.qRows = 0;
  }

  /** Hatch for frequencies a row does not cover, made once per waterfall. */
  private noDataFill(target: CanvasRenderingContext2D): CanvasPattern | string {
    if (typeof this.noData !== 'string') return this.noData;
    const tile = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(8, 8) : Object.assign(document.createElement('canvas'), { width: 8, height: 8 });
    const c = tile.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!c) return this.noData;
    c.fillStyle = '#10151b';
    c.fillRect(0, 0, 8, 8);
    c.strokeStyle = '#2a3440';
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(0, 8);
    c.lineTo(8, 0);
    c.stroke();
    this.noData = target.createPattern(tile, 'repeat') ?? this.noData;
    return this.noData;
  }

  /**
   * Colours the queued rows into the ring and paints the screen canvas; call once per animation
   * frame (only when something changed). Allocates nothing in the steady state.
   */
  paint(target: CanvasRenderingContext2D, width: number, height: number, view: RingView = DEFAULT_VIEW, screenWidth = width): void {
    this.setLevels(view.levels ?? null);
    this.ingest();
    const H = this.height;
    const rows = Math.max(1, Math.min(view.visibleRows, H));
    // Which row is at the top: the newest (live), or a frozen one while paused.
    let offset = 0;
    let limit = this.filled - rows;
    if (view.paused) {
      if (this.pausedAt < 0) this.pausedAt = this.drawn;
      const sincePause = this.drawn - this.pausedAt;
      offset = sincePause + view.scrollBack;
      // Rows that arrived since the pause always shift the view back by as much, so the picture stays
      // put even when the ring holds less than a screen (early in a monitor, or when the page lagged and
      // rows were dropped); scrolling back further stops at the oldest full screen.
      limit = Math.max(limit, Math.min(sincePause, this.filled - 1));
    } else this.pausedAt = -1;
    offset = Math.max(0, Math.min(offset, limit));
    this.shownOffset = offset;

    const scale = height / rows;
    const freq = view.freq ?? (this.newestSpanHz > 0 ? this.newestRange : null);
    target.imageSmoothingEnabled = false;
    const s = this.slice;
    let k = 0;
    while (k < rows) {
      if (k + offset >= this.filled || !freq) {
        target.fillStyle = '#000';
        target.fillRect(0, k * scale, width, height - k * scale);
        break;
      }
      const ringRow = (this.writeIndex + offset + k) % H;
      const gs = this.rowStart[ringRow]!;
      const gw = this.rowSpan[ringRow]!;
      // Extend the slice while the ring does not wrap and the geometry stays the same.
      let n = 1;
      while (k + n < rows && k + n + offset < this.filled && ringRow + n < H && this.rowStart[ringRow + n] === gs && this.rowSpan[ringRow + n] === gw) n++;
      const y = k * scale;
      const h = n * scale;
      if (!rowSlice(gs, gw, this.bins, freq, width, s)) {
        target.fillStyle = this.noDataFill(target);
        target.fillRect(0, y, width, h);
      } else {
        target.drawImage(this.ring, s.sx, ringRow, s.sw, n, s.dx, y, s.dw, h);
        if (k === 0 && s.dw > 0 && screenWidth > 0) this.peakRadius = Math.min(8, Math.max(0, Math.ceil(((s.sw / s.dw) * (width / screenWidth) - 1) / 2)));
        if (s.dx > 0.5 || s.dx + s.dw < width - 0.5) {
          target.fillStyle = this.noDataFill(target);
          if (s.dx > 0.5) target.fillRect(0, y, s.dx, h);
          if (s.dx + s.dw < width - 0.5) target.fillRect(s.dx + s.dw, y, width - s.dx - s.dw, h);
        }
      }
      k += n;
    }
  }
}
