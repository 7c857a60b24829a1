import { type SampleBlock } from './links/receiverLink';
import { type FinishedRecording, type SigmfRecordingWriter } from './sigmfRecordingWriter';

export interface RecorderOptions {
  /** Samples before this instant are dropped, so every receiver's recording starts at the same time. */
  startAtNs: bigint;
  /** Stop after exactly round(duration x rate) samples; null records until stopped. */
  durationSec: number | null;
  /** Opens the writer once the exact sample rate is known (from the first block). */
  openWriter: (sampleRate: number, kind: SampleBlock['kind']) => SigmfRecordingWriter;
  /** Sees exactly what was written (after trimming), with the index of its first sample. */
  onWritten?: (samples: Int16Array, firstSample: number, firstUnixNs: bigint, kind: SampleBlock['kind'], sampleRate: number) => void;
}

export interface RecorderProgress {
  samples: number;
  targetSamples: number | null;
  framesLost: number;
  segments: number;
  firstSampleUnixNs: bigint | null;
  firstSampleFromGps: boolean;
  /** Rate measured against the GPS (or host) clock, once enough data has arrived. */
  measuredRate: number | null;
  sampleRate: number | null;
}

/**
 * Turns a receiver's stream of sample blocks into one SigMF recording: trims to the common start,
 * stops at the exact sample count, counts frames lost and starts a new capture segment at every
 * gap (sequence jump, time jump, reconnect). Pure bookkeeping; the writer does the I/O.
 */
export class ReceiverRecorder {
  private writer: SigmfRecordingWriter | null = null;
  private rate: number | null = null;
  private channels = 1;
  private target: number | null = null;
  private lastSeq: number | null = null;
  private nextExpectedNs: bigint | null = null;
  private framesLost = 0;
  private segments = 0;
  private firstNs: bigint | null = null;
  private firstFromGps = false;
  private pendingReason: string | null = 'start';
  private rateProbe: { ns: bigint; samples: number } | null = null;
  private measuredRate: number | null = null;
  private done = false;

  constructor(private readonly opts: RecorderOptions) {}

  /** The next block starts a new segment (after a reconnect). */
  markDiscontinuity(reason: string): void {
    if (this.writer) this.pendingReason = reason;
    this.lastSeq = null;
    this.nextExpectedNs = null;
  }

  get complete(): boolean {
    return this.done;
  }

  /** Returns true when the recording reached its duration. */
  accept(block: SampleBlock): boolean {
    if (this.done) return true;
    if (this.rate === null) {
      this.rate = block.sampleRate;
      this.channels = block.kind === 'iq' ? 2 : 1;
      this.target = this.opts.durationSec === null ? null : Math.round(this.opts.durationSec * this.rate);
    }
    const rate = this.rate;
    const n = block.samples.length / this.channels;
    const fromGps = block.firstSampleUnixNs !== null;
    // Without a GPS stamp, the block's first sample is taken to be one block-length before it arrived.
    const t0 = block.firstSampleUnixNs ?? BigInt(Math.round(block.hostTimeMs * 1e6)) - BigInt(Math.round((n / rate) * 1e9));

    if (this.lastSeq !== null && block.seq !== this.lastSeq + 1) {
      const lost = block.seq - this.lastSeq - 1;
      if (lost > 0) this.framesLost += lost;
      this.pendingReason ??= 'gap';
    }
    if (fromGps && this.nextExpectedNs !== null) {
      const drift = Number(t0 - this.nextExpectedNs) / 1e9;
      if (Math.abs(drift) > (0.5 * n) / rate) this.pendingReason ??= 'gap';
    }
    this.lastSeq = block.seq;
    this.nextExpectedNs = t0 + BigInt(Math.round((n / rate) * 1e9));

    let skip = 0;
    if (t0 < this.opts.startAtNs) {
      skip = Math.ceil((Number(this.opts.startAtNs - t0) * rate) / 1e9);
      if (skip >= n) return false;
    }
    let take = n - skip;
    if (this.target !== null) take = Math.min(take, this.target - this.samples());
    if (take <= 0) return this.finishIfDue();

    const writer = (this.writer ??= this.opts.openWriter(rate, block.kind));
    const firstNs = t0 + BigInt(Math.round((skip / rate) * 1e9));
    if (this.pendingReason !== null) {
      writer.beginSegment(firstNs, this.pendingReason, fromGps);
      this.segments++;
      this.pendingReason = null;
    }
    if (this.firstNs === null) {
      this.firstNs = firstNs;
      this.firstFromGps = fromGps;
    }
    const kept = block.samples.subarray(skip * this.channels, (skip + take) * this.channels);
    const firstIndex = writer.sampleCount;
    writer.append(kept);
    this.opts.onWritten?.(kept, firstIndex, firstNs, block.kind, rate);
    if (fromGps) this.probeRate(firstNs, writer.sampleCount - take);
    return this.finishIfDue();
  }

  private samples(): number {
    return this.writer?.sampleCount ?? 0;
  }

  /** Compares the announced rate with samples counted between GPS time stamps 0.5 s or more apart. */
  private probeRate(ns: bigint, samplesBefore: number): void {
    if (!this.rateProbe) {
      this.rateProbe = { ns, samples: samplesBefore };
      return;
    }
    const dt = Number(ns - this.rateProbe.ns) / 1e9;
    if (dt >= 0.5) this.measuredRate = (samplesBefore - this.rateProbe.samples) / dt;
  }

  private finishIfDue(): boolean {
    if (this.target !== null && this.samples() >= this.target) this.done = true;
    return this.done;
  }

  /** True when GPS time shows a rate more than 1000 ppm off the announced one: the data is mislabelled. */
  get rateMismatch(): boolean {
    return this.measuredRate !== null && this.rate !== null && Math.abs(this.measuredRate - this.rate) / this.rate > 1e-3;
  }

  progress(): RecorderProgress {
    return {
      samples: this.samples(),
      targetSamples: this.target,
      framesLost: this.framesLost,
      segments: this.segments,
      firstSampleUnixNs: this.firstNs,
      firstSampleFromGps: this.firstFromGps,
      measuredRate: this.measuredRate,
      sampleRate: this.rate,
    };
  }

  finish(): FinishedRecording | null {
    this.done = true;
    return this.writer?.finish() ?? null;
  }
}
