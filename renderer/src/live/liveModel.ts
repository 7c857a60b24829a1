/**
 * Fans the one waterfall subscription out to a feed per receiver and keeps, per receiver, what the
 * plots need: a reference to the newest row (no copy), its dB range and frequencies, the latest
 * S-meter reading, and ~2 minutes of S-meter and SNR samples taken a couple of times a second.
 */
import { type WaterfallBatch } from '../../../shared/api';
import { type RowMeta, type WaterfallFeed } from '../ui/waterfall/WaterfallCanvas';
import { type LiveView } from './liveView';
import { rowSnrDb } from '../ui/rowMath';

type Sink = (rows: Uint8Array, count: number, bins: number, meta?: RowMeta) => void;

export const LEVEL_WINDOW_S = 120;
export const LEVEL_SAMPLE_MS = 500;
const LEVEL_POINTS = (LEVEL_WINDOW_S * 1000) / LEVEL_SAMPLE_MS;
/** Readings older than this are gaps in the series, not flat lines. */
const STALE_MS = 3000;

export class ReceiverSlot {
  /** Buffer holding the newest row, the row's offset in it, and its geometry. */
  rows: Uint8Array | null = null;
  offset = 0;
  bins = 0;
  startHz = 0;
  spanHz = 0;
  minDb = 0;
  maxDb = 0;
  rowAtMs = 0;
  /** Bumps with every batch, so a plot can tell whether there is anything new. */
  batches = 0;
  private rowsSinceSample = 0;
  /** Rows per second, measured between samples. */
  rowRate = 0;
  smeterDbm: number | null = null;
  smeterAtMs = 0;
  /** Sample times (Unix ms), S-meter readings and SNR estimates, oldest first. */
  readonly times: number[] = [];
  readonly smeter: (number | null)[] = [];
  readonly snr: (number | null)[] = [];

  ingest(h: WaterfallBatch, body: Uint8Array): void {
    this.rows = body;
    this.offset = (h.rows - 1) * h.bins;
    this.bins = h.bins;
    this.startHz = h.startHz;
    this.spanHz = h.spanHz;
    this.minDb = h.minDb;
    this.maxDb = h.maxDb;
    this.rowAtMs = Date.now();
    this.rowsSinceSample += h.rows;
    this.batches++;
  }

  sample(nowMs: number, dtMs: number, hist: Uint32Array): void {
    // Smoothed: batches arrive unevenly, and a reconnect pauses them for a moment.
    if (dtMs > 0) {
      const rate = (this.rowsSinceSample * 1000) / dtMs;
      this.rowRate = this.rowRate === 0 ? rate : this.rowRate + 0.1 * (rate - this.rowRate);
    }
    this.rowsSinceSample = 0;
    const fresh = this.rows && nowMs - this.rowAtMs < STALE_MS;
    this.times.push(nowMs);
    this.smeter.push(this.smeterDbm !== null && nowMs - this.smeterAtMs < STALE_MS ? this.smeterDbm : null);
    this.snr.push(fresh ? rowSnrDb(this.rows!, this.offset, this.bins, this.minDb, this.maxDb, hist) : null);
    if (this.times.length > LEVEL_POINTS) {
      this.times.shift();
      this.smeter.shift();
      this.snr.shift();
    }
  }
}

export class LiveModel {
  readonly view: LiveView;
  private slots = new Map<string, ReceiverSlot>();
  private sinks = new Map<string, Set<Sink>>();
  private feeds = new Map<string, WaterfallFeed>();
  private tickListeners = new Set<() => void>();
  private hist = new Uint32Array(256);
  private lastSampleMs = 0;

  constructor(view: LiveView) {
    this.view = view;
  }

  slot(id: string): ReceiverSlot {
    let s = this.slots.get(id);
    if (!s) this.slots.set(id, (s = new ReceiverSlot()));
    return s;
  }

  /** One stable feed object per receiver: a new one would restart its waterfall on every render. */
  feed(receiverId: string): WaterfallFeed {
    const known = this.feeds.get(receiverId);
    if (known) return known;
    const created: WaterfallFeed = {
      subscribe: (sink) => {
        const set = this.sinks.get(receiverId) ?? new Set();
        set.add(sink);
        this.sinks.set(receiverId, set);
        return () => set.delete(sink);
      },
    };
    this.feeds.set(receiverId, created);
    return created;
  }

  /** A batch from the waterfall stream (one per receiver per display frame). */
  ingest(h: WaterfallBatch, body: Uint8Array): void {
    if (h.rows <= 0) return;
    this.slot(h.receiverId).ingest(h, body);
    this.view.setGeometry(h.receiverId, h.startHz, h.spanHz, h.bins);
    const sinks = this.sinks.get(h.receiverId);
    if (sinks) for (const sink of sinks) sink(body, h.rows, h.bins, h);
  }

  smeter(receiverId: string, dbm: number): void {
    const s = this.slot(receiverId);
    s.smeterDbm = dbm;
    s.smeterAtMs = Date.now();
  }

  /** Take one level sample of every receiver (called every LEVEL_SAMPLE_MS) and tell the plots. */
  sample(nowMs = Date.now()): void {
    const dt = this.lastSampleMs ? nowMs - this.lastSampleMs : 0;
    this.lastSampleMs = nowMs;
    for (const s of this.slots.values()) s.sample(nowMs, dt, this.hist);
    for (const fn of this.tickListeners) fn();
  }

  onTick(fn: () => void): () => void {
    this.tickListeners.add(fn);
    return () => this.tickListeners.delete(fn);
  }

  /** Forget receivers no longer monitored. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.slots.keys()]) if (!keep.has(id)) this.slots.delete(id);
    this.view.retain(keep);
  }
}
