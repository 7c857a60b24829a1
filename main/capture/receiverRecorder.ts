import { type SampleBlock } from './links/receiverLink';
import { type FinishedRecording, type RecordingWriter } from './recordingWriter';

export interface RecorderOptions {
  /** Samples before this instant are dropped, so every receiver's recording starts at the same time; null until it is fixed (nothing is written before). */
  startAtNs: bigint | null;
  /** Stop after exactly round(duration x rate) samples; null records until stopped. */
  durationSec: number | null;
  /** Opens the writer once the exact sample rate is known (from the first block). */
  openWriter: (sampleRate: number, kind: SampleBlock['kind']) => RecordingWriter;
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
  sampleRate: number | null;
}

/**
 * Turns a receiver's stream of sample blocks into one SigMF recording: trims to the common start,
 * stops at the exact sample count, counts frames lost and starts a new capture segment at every
 * gap (sequence jump, time jump, reconnect). Pure bookkeeping; the writer does the I/O.
 */
export class ReceiverRecorder {
  private writer: RecordingWriter | null = null;
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
  private done = false;
  private finished: FinishedRecording | null = null;
  /** Stamps of the stream's blocks before the common start, with their position in the stream, kept for the time base. */
  private leadIn: { stamp: NonNullable<SampleBlock['gps']>; seq: number; streamPos: number }[] = [];
  /** Samples the stream delivered before this block (counting those before the common start). */
  private streamPos = 0;

  private startAtNs: bigint | null;

  constructor(private readonly opts: RecorderOptions) {
    this.startAtNs = opts.startAtNs;
  }

  /** Fixes the common start (once every worker is up). */
  setStart(ns: bigint): void {
    this.startAtNs = ns;
  }

  /** The next block starts a new segment (after a reconnect). */
  markDiscontinuity(reason: string): void {
    if (this.writer) this.pendingReason = reason;
    this.lastSeq = null;
    this.nextExpectedNs = null;
    this.leadIn = [];
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
    // The first block of a stream carries a stamp that is often minutes stale (real KiwiSDRs): trim and
    // detect gaps on the host clock for it. Without a GPS stamp, a block's first sample is taken to be
    // one block-length before it arrived. (Only placement: the time base decides GPS time later.)
    const firstOfStream = this.lastSeq === null;
    const fromGps = block.firstSampleUnixNs !== null && !firstOfStream;
    const hostT0 = BigInt(Math.round(block.hostTimeMs * 1e6)) - BigInt(Math.round((n / rate) * 1e9));
    const t0 = fromGps ? block.firstSampleUnixNs! : hostT0;

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
    this.nextExpectedNs = firstOfStream ? null : t0 + BigInt(Math.round((n / rate) * 1e9));

    const streamPos = this.streamPos;
    this.streamPos += n;
    let skip = 0;
    if (this.startAtNs === null || t0 < this.startAtNs) {
      skip = this.startAtNs === null ? n : Math.ceil((Number(this.startAtNs - t0) * rate) / 1e9);
      if (skip >= n) {
        // Not recorded, but a fresh fix in the lead-in still anchors the time of what follows.
        if (block.gps && !this.writer) {
          this.leadIn.push({ stamp: block.gps, seq: block.seq, streamPos });
          if (this.leadIn.length > 600) this.leadIn.shift();
        }
        return false;
      }
    }
    let take = n - skip;
    if (this.target !== null) take = Math.min(take, this.target - this.samples());
    if (take <= 0) return this.finishIfDue();

    const writer = (this.writer ??= this.opts.openWriter(rate, block.kind));
    const firstNs = t0 + BigInt(Math.round((skip / rate) * 1e9));
    if (this.pendingReason !== null) {
      writer.beginSegment(firstNs, this.pendingReason);
      this.segments++;
      this.pendingReason = null;
    }
    if (this.firstNs === null) {
      this.firstNs = firstNs;
      this.firstFromGps = fromGps;
    }
    const kept = block.samples.subarray(skip * this.channels, (skip + take) * this.channels);
    const firstIndex = writer.sampleCount;
    // Stamps as received, at the index their block's first sample has in the file (negative before the start).
    if (this.leadIn.length) {
      for (const p of this.leadIn) writer.addStamp({ sampleIndex: firstIndex - skip - (streamPos - p.streamPos), seq: p.seq, ...p.stamp });
      this.leadIn = [];
    }
    if (block.gps) writer.addStamp({ sampleIndex: firstIndex - skip, seq: block.seq, ...block.gps });
    writer.append(kept);
    this.opts.onWritten?.(kept, firstIndex, firstNs, block.kind, rate);
    return this.finishIfDue();
  }

  private samples(): number {
    return this.writer?.sampleCount ?? 0;
  }

  private finishIfDue(): boolean {
    if (this.target !== null && this.samples() >= this.target) this.done = true;
    return this.done;
  }

  progress(): RecorderProgress {
    return {
      samples: this.samples(),
      targetSamples: this.target,
      framesLost: this.framesLost,
      segments: this.segments,
      firstSampleUnixNs: this.firstNs,
      firstSampleFromGps: this.firstFromGps,
      sampleRate: this.rate,
    };
  }

  /** About once a second: lets the writer make what it holds durable. */
  tick(): void {
    this.writer?.tick?.();
  }

  /** Closes the recording (once); its time base says the GPS rate and whether the samples are mislabelled. */
  finish(): FinishedRecording | null {
    this.done = true;
    this.finished ??= this.writer?.finish() ?? null;
    return this.finished;
  }
}
