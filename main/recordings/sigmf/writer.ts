import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GpsStamp } from '../../../shared/domain/gpsStamp';
import { StampsFileWriter } from '../gpsStamps';
import { buildTimeBase, type TimeBase } from '../timeBase';
import { sigmfMetaJson } from './meta';
import { recordingMeta, type RecordingSegment } from './recordingMeta';

export interface SigmfWriterOptions {
  dir: string;
  baseName: string;
  datatype: 'ci16_le' | 'ri16_le';
  /** The rate the receiver announced (the time base measures the GPS rate). */
  sampleRate: number;
  freqHz: number;
  description: string;
  hw?: string;
  geolocation?: { lat: number; lon: number; alt: number | null } | null;
  /** Extra `heimdall:` global fields (receiver id, URL, data kind...). */
  heimdall: Record<string, string | number | boolean | null>;
}

export interface WrittenSegment extends RecordingSegment {
  /** The segment's first sample by the receiver's stamp or the host clock (the time base decides what is trusted). */
  unixNs: bigint;
}

export interface FinishedRecording {
  dataFile: string;
  metaFile: string;
  samples: number;
  segments: WrittenSegment[];
  stamps: GpsStamp[];
  sha512: string;
  timeBase: TimeBase;
}

const littleEndianHost = os.endianness() === 'LE';

/** The time base of what a writer holds so far: its stamps, the reconnects and host times of its segments. */
export function timeBaseOf(segments: readonly WrittenSegment[], stamps: readonly GpsStamp[], totalSamples: number, nominalRateHz: number): TimeBase {
  return buildTimeBase({
    stamps,
    totalSamples,
    nominalRateHz,
    weekHintUnixMs: segments.length ? Number(segments[0]!.unixNs / 1_000_000n) : Date.now(),
    restarts: segments.filter((s) => s.reason === 'reconnect').map((s) => s.sampleStart),
    hostTimes: segments.map((s) => ({ sampleStart: s.sampleStart, unixNs: s.unixNs })),
  });
}

/**
 * Appends samples to `<base>.sigmf-data` as they arrive, each block's GPS stamp to the working file
 * `<base>.gps-stamps`, and keeps `<base>.sigmf-meta` current: the meta is rewritten atomically
 * (temp + rename) at every segment start and at the end, after the data it describes is fsynced, so a
 * crash leaves a valid recording of everything before it (and the stamps file to rebuild its time).
 */
export class SigmfRecordingWriter {
  readonly dataFile: string;
  readonly metaFile: string;
  readonly stampsFile: string;
  private fd: number;
  private hash: Hash = createHash('sha512');
  private samples = 0;
  private readonly segments: WrittenSegment[] = [];
  private readonly stamps: GpsStamp[] = [];
  private readonly stampsOut: StampsFileWriter;
  private readonly channels: number;
  private closed = false;
  /** Appends are gathered into ~64 KiB writes: one syscall per second or so per stream, not per frame. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private sha512: string | undefined;

  constructor(private readonly opts: SigmfWriterOptions) {
    fs.mkdirSync(opts.dir, { recursive: true });
    this.dataFile = path.join(opts.dir, `${opts.baseName}.sigmf-data`);
    this.metaFile = path.join(opts.dir, `${opts.baseName}.sigmf-meta`);
    this.stampsFile = path.join(opts.dir, `${opts.baseName}.gps-stamps`);
    this.fd = fs.openSync(this.dataFile, 'w');
    this.stampsOut = new StampsFileWriter(this.stampsFile);
    this.channels = opts.datatype.startsWith('c') ? 2 : 1;
  }

  get sampleCount(): number {
    return this.samples;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    fs.writeSync(this.fd, this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Starts a new stream segment at the current sample index ('start', 'gap', 'reconnect'). */
  beginSegment(unixNs: bigint, reason: string): void {
    this.flush();
    if (this.segments.length > 0) {
      fs.fsyncSync(this.fd);
      this.stampsOut.sync();
    }
    // Two segments may not share a start: a gap at the very start replaces the first one.
    if (this.segments.at(-1)?.sampleStart === this.samples) this.segments.pop();
    this.segments.push({ sampleStart: this.samples, reason, unixNs });
    this.writeMeta(false);
  }

  /** The GPS stamp of the block whose first sample is `sampleIndex` (may be negative: a block trimmed at the start). */
  addStamp(stamp: GpsStamp): void {
    this.stamps.push(stamp);
    this.stampsOut.append(stamp);
  }

  /** Appends interleaved int16 samples in host order; returns the number of (complex) samples written. */
  append(data: Int16Array): number {
    if (this.closed) throw new Error('this recording is finished; start a new one');
    if (this.segments.length === 0) throw new Error('beginSegment() must come before append()');
    // A copy: the caller's memory may be reused once append() returns.
    const bytes = Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (!littleEndianHost) bytes.swap16();
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= 65536) this.flush();
    this.hash.update(bytes);
    const n = data.length / this.channels;
    this.samples += n;
    return n;
  }

  finish(): FinishedRecording {
    if (!this.closed) {
      this.flush();
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.closed = true;
      this.writeMeta(true);
      // The stamps are in the finished meta now; the working file is only for a crash before this point.
      this.stampsOut.close();
      fs.rmSync(this.stampsFile, { force: true });
    }
    return { dataFile: this.dataFile, metaFile: this.metaFile, samples: this.samples, segments: [...this.segments], stamps: [...this.stamps], sha512: this.sha512 ?? '', timeBase: this.timeBase() };
  }

  timeBase(): TimeBase {
    return timeBaseOf(this.segments, this.stamps, this.samples, this.opts.sampleRate);
  }

  private writeMeta(final: boolean): void {
    if (final) this.sha512 = this.hash.digest('hex');
    const o = this.opts;
    const json = sigmfMetaJson(
      recordingMeta({
        datatype: o.datatype,
        freqHz: o.freqHz,
        description: o.description,
        hw: o.hw,
        geolocation: o.geolocation,
        sha512: final ? this.sha512 : null,
        heimdall: { ...o.heimdall, complete: final },
        segments: this.segments,
        timeBase: this.timeBase(),
        stamps: this.stamps,
      }),
    );
    const tmp = `${this.metaFile}.tmp`;
    fs.writeFileSync(tmp, json);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.metaFile);
  }
}
