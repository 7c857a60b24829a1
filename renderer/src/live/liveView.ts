/**
 * The view every waterfall, axis and plot on the Live page shares: frequency zoom/pan, time zoom,
 * pause and scroll-back, the frequency cursor and the dial. A plain store, not React state: the
 * waterfalls read it once per frame and the overlays redraw on change, so moving the mouse never
 * re-renders the page. Two channels: "layout" (zoom, time, dial, row geometry) changes rarely;
 * "cursor" changes with every mouse move.
 */
import { type WaterfallViewSource } from '../ui/waterfall/WaterfallCanvas';
import { type LevelRange } from '../ui/waterfall/ringWaterfall';
import { clampRange, contains, coversBounds, panBy, spanOf, unionRange, zoomAt, type FreqRange, type ZoomLimits } from '../ui/frequencyView';

interface Geometry {
  startHz: number;
  spanHz: number;
  bins: number;
  range: FreqRange;
}

/** Time zoom steps: rows shown on a waterfall (fewer = taller rows, slower scroll). */
export const TIME_STEPS = [64, 128, 256, 512, 1024] as const;
export const HISTORY_ROWS = 1024;

export class LiveView implements WaterfallViewSource {
  layoutVersion = 0;
  cursorVersion = 0;
  /** Shared frequency window in Hz, or null: every waterfall shows all its row. */
  freq: FreqRange | null = null;
  visibleRows = 256;
  paused = false;
  scrollBack = 0;
  dialHz: number | null = null;
  cursorHz: number | null = null;
  /** Manual colour range (dB) shared by every waterfall, or null: each follows its own rows (auto). */
  levels: LevelRange | null = null;
  /** Receiver whose range keyboard zoom starts from (the one in the spectrum plot). */
  refId: string | null = null;
  private geometry = new Map<string, Geometry>();
  private layoutListeners = new Set<() => void>();
  private cursorListeners = new Set<() => void>();

  subscribeLayout = (fn: () => void): (() => void) => {
    this.layoutListeners.add(fn);
    return () => this.layoutListeners.delete(fn);
  };
  subscribeCursor = (fn: () => void): (() => void) => {
    this.cursorListeners.add(fn);
    return () => this.cursorListeners.delete(fn);
  };
  getLayoutVersion = (): number => this.layoutVersion;
  getCursorVersion = (): number => this.cursorVersion;

  private layoutChanged(): void {
    this.layoutVersion++;
    for (const fn of this.layoutListeners) fn();
  }
  private cursorChanged(): void {
    this.cursorVersion++;
    for (const fn of this.cursorListeners) fn();
  }

  /** Row geometry of a receiver, from each batch; cheap when nothing changed. */
  setGeometry(id: string, startHz: number, spanHz: number, bins: number): void {
    const old = this.geometry.get(id);
    if (old && old.startHz === startHz && old.spanHz === spanHz && old.bins === bins) return;
    const range = { lo: startHz, hi: startHz + spanHz };
    this.geometry.set(id, { startHz, spanHz, bins, range });
    // A retune moved this receiver's rows (KiwiSDR rows follow the dial): if the zoomed window was
    // inside its old rows and would now fall off its new ones, move the window along with them.
    if (this.freq && old && !(this.freq.lo >= range.lo && this.freq.hi <= range.hi) && this.freq.lo >= old.range.lo && this.freq.hi <= old.range.hi) {
      const shift = startHz + spanHz / 2 - (old.startHz + old.spanHz / 2);
      const limits = this.limits();
      this.freq = limits ? clampRange({ lo: this.freq.lo + shift, hi: this.freq.hi + shift }, limits) : null;
    }
    this.normalise();
    this.layoutChanged();
  }

  /** Forget receivers no longer monitored. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    let changed = false;
    for (const id of [...this.geometry.keys()]) {
      if (!keep.has(id)) {
        this.geometry.delete(id);
        changed = true;
      }
    }
    if (changed) {
      this.normalise();
      this.layoutChanged();
    }
  }

  geometryOf(id: string): { startHz: number; spanHz: number; bins: number } | undefined {
    return this.geometry.get(id);
  }

  /** What a receiver's waterfall shows now: the shared window, or all of its row. */
  rangeOf(id: string | null): FreqRange | null {
    if (this.freq) return this.freq;
    return (id !== null ? this.geometry.get(id)?.range : undefined) ?? this.firstRange();
  }

  private firstRange(): FreqRange | null {
    const ref = this.refId !== null ? this.geometry.get(this.refId) : undefined;
    if (ref) return ref.range;
    for (const g of this.geometry.values()) return g.range;
    return null;
  }

  /** Where there is data (the union of all receivers' rows) and how far one may zoom in. */
  limits(): ZoomLimits | null {
    const bounds = unionRange([...this.geometry.values()].map((g) => g.range));
    if (!bounds) return null;
    let finestBin = Infinity;
    for (const g of this.geometry.values()) finestBin = Math.min(finestBin, g.spanHz / g.bins);
    return { bounds, minSpanHz: Math.max(50, finestBin * 16) };
  }

  /** Zoomed all the way out is "not zoomed": back to each waterfall's own span. */
  private normalise(): void {
    if (!this.freq) return;
    const limits = this.limits();
    if (!limits || coversBounds(this.freq, limits.bounds)) this.freq = null;
  }

  get zoomed(): boolean {
    return this.freq !== null;
  }

  /** Zoom by factor (> 1: in) around anchorHz (the mouse), or the cursor, dial or centre. */
  zoom(factor: number, anchorHz: number | null = null, baseId: string | null = null): void {
    const base = this.rangeOf(baseId);
    const limits = this.limits();
    if (!base || !limits) return;
    const anchor = anchorHz ?? (this.cursorHz !== null && contains(base, this.cursorHz) ? this.cursorHz : this.dialHz !== null && contains(base, this.dialHz) ? this.dialHz : (base.lo + base.hi) / 2);
    this.freq = zoomAt(base, anchor, factor, limits);
    this.normalise();
    this.layoutChanged();
  }

  /** Pan by deltaHz (positive: up in frequency). Only a zoomed view can move. */
  pan(deltaHz: number): void {
    const limits = this.limits();
    if (!this.freq || !limits) return;
    this.freq = panBy(this.freq, deltaHz, limits);
    this.layoutChanged();
  }

  /** Show exactly this window (drag-pan sets it from where the drag began). */
  setFreq(range: FreqRange | null): void {
    const limits = this.limits();
    this.freq = range && limits ? clampRange(range, limits) : null;
    this.normalise();
    this.layoutChanged();
  }

  /** Pan so that hz is in view (keyboard cursor walking off the edge). */
  reveal(hz: number): void {
    if (!this.freq || contains(this.freq, hz)) return;
    const span = spanOf(this.freq);
    const lo = hz < this.freq.lo ? hz - span * 0.1 : hz - span * 0.9;
    this.setFreq({ lo, hi: lo + span });
  }

  resetZoom(): void {
    if (!this.freq) return;
    this.freq = null;
    this.layoutChanged();
  }

  setCursor(hz: number | null): void {
    if (hz === this.cursorHz) return;
    this.cursorHz = hz;
    this.cursorChanged();
  }

  setDial(hz: number | null): void {
    if (hz === this.dialHz) return;
    this.dialHz = hz;
    this.layoutChanged();
  }

  setRef(id: string | null): void {
    if (id === this.refId) return;
    this.refId = id;
    this.layoutChanged();
  }

  /** Time zoom: +1 shows fewer, taller rows (zoom in), -1 more rows. */
  timeZoom(dir: 1 | -1): void {
    const i = TIME_STEPS.indexOf(this.visibleRows as (typeof TIME_STEPS)[number]);
    const next = TIME_STEPS[Math.max(0, Math.min(TIME_STEPS.length - 1, (i < 0 ? 2 : i) - dir))]!;
    if (next === this.visibleRows) return;
    this.visibleRows = next;
    this.scrollBack = Math.min(this.scrollBack, HISTORY_ROWS - next);
    this.layoutChanged();
  }

  /** Manual levels (bottom below top, at least 5 dB apart), or null for auto. */
  setLevels(levels: LevelRange | null): void {
    const next = levels && Number.isFinite(levels.lo) && Number.isFinite(levels.hi) ? { lo: Math.min(levels.lo, levels.hi - 5), hi: levels.hi } : null;
    if (next?.lo === this.levels?.lo && next?.hi === this.levels?.hi) return;
    this.levels = next;
    this.layoutChanged();
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (!paused) this.scrollBack = 0;
    this.layoutChanged();
  }

  /** Scroll back (positive: older) by rows; pauses first, since live rows cannot be scrolled. */
  scrollBy(rows: number): void {
    if (!this.paused) this.paused = true;
    this.scrollBack = Math.max(0, Math.min(HISTORY_ROWS - this.visibleRows, this.scrollBack + rows));
    this.layoutChanged();
  }
}
