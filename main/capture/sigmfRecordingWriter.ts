import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** SigMF 1.2.0 capture segment as we write it. */
export interface SigmfCaptureSegment {
  'core:sample_start': number;
  'core:frequency': number;
  'core:datetime': string;
  /** Why this segment started: 'start', 'gap' (frames lost or time jump) or 'reconnect'. */
  'heimdall:reason': string;
  /** GPS-derived Unix time of the segment's first sample in ns (string: exceeds 2^53). */
  'heimdall:gps_unix_ns'?: string;
}

export interface SigmfWriterOptions {
  dir: string;
  baseName: string;
  datatype: 'ci16_le' | 'ri16_le';
  sampleRate: number;
  freqHz: number;
  description: string;
  hw?: string;
  /** [lon, lat, alt] of the receiver. */
  geolocation?: [number, number, number?];
  /** Extra `heimdall:` global fields (receiver id, URL, data kind...). */
  heimdall: Record<string, string | number | boolean | null>;
}

export interface FinishedRecording {
  dataFile: string;
  metaFile: string;
  samples: number;
  segments: number;
  sha512: string;
}

const littleEndianHost = os.endianness() === 'LE';

/** RFC 3339 UTC with nanoseconds, as SigMF's core:datetime allows. */
export function rfc3339FromUnixNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/**
 * Appends samples to `<base>.sigmf-data` as they arrive and keeps `<base>.sigmf-meta` current:
 * the meta is rewritten atomically (temp + rename) at every segment start and at the end, after the
 * data it describes is fsynced, so a crash leaves a valid recording of everything before it.
 */
export class SigmfRecordingWriter {
  readonly dataFile: string;
  readonly metaFile: string;
  private fd: number;
  private hash: Hash = createHash('sha512');
  private samples = 0;
  private readonly captures: SigmfCaptureSegment[] = [];
  private readonly channels: number;
  private closed = false;
  /** Appends are gathered into ~64 KiB writes: one syscall per second or so per stream, not per frame. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly opts: SigmfWriterOptions) {
    fs.mkdirSync(opts.dir, { recursive: true });
    this.dataFile = path.join(opts.dir, `${opts.baseName}.sigmf-data`);
    this.metaFile = path.join(opts.dir, `${opts.baseName}.sigmf-meta`);
    this.fd = fs.openSync(this.dataFile, 'w');
    this.channels = opts.datatype.startsWith('c') ? 2 : 1;
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** Starts a new capture segment at the current sample index. */
  private flush(): void {
    if (this.pendingBytes === 0) return;
    fs.writeSync(this.fd, this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }

  beginSegment(unixNs: bigint, reason: string, fromGps: boolean): void {
    this.flush();
    if (this.captures.length > 0) fs.fsyncSync(this.fd);
    const seg: SigmfCaptureSegment = {
      'core:sample_start': this.samples,
      'core:frequency': this.opts.freqHz,
      'core:datetime': rfc3339FromUnixNs(unixNs),
      'heimdall:reason': reason,
    };
    if (fromGps) seg['heimdall:gps_unix_ns'] = unixNs.toString();
    // Two segments may not share a start: a gap at the very start replaces the first one.
    if (this.captures.at(-1)?.['core:sample_start'] === this.samples) this.captures.pop();
    this.captures.push(seg);
    this.writeMeta(false);
  }

  /** Appends interleaved int16 samples in host order; returns the number of (complex) samples written. */
  append(data: Int16Array): number {
    if (this.closed) throw new Error('this recording is finished; start a new one');
    if (this.captures.length === 0) throw new Error('beginSegment() must come before append()');
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
    }
    return { dataFile: this.dataFile, metaFile: this.metaFile, samples: this.samples, segments: this.captures.length, sha512: this.sha512 ?? '' };
  }

  private sha512: string | undefined;

  private writeMeta(final: boolean): void {
    if (final) this.sha512 = this.hash.digest('hex');
    const o = this.opts;
    const global: Record<string, unknown> = {
      'core:datatype': o.datatype,
      'core:version': '1.2.0',
      'core:sample_rate': o.sampleRate,
      'core:num_channels': 1,
      'core:recorder': 'heimdall-station',
      'core:description': o.description,
      'core:extensions': [{ name: 'heimdall', version: '1.0.0', optional: true }],
      ...(o.hw ? { 'core:hw': o.hw } : {}),
      ...(o.geolocation ? { 'core:geolocation': { type: 'Point', coordinates: o.geolocation.filter((v) => v !== undefined) } } : {}),
      ...(final && this.sha512 ? { 'core:sha512': this.sha512 } : {}),
      ...Object.fromEntries(Object.entries(o.heimdall).map(([k, v]) => [`heimdall:${k}`, v])),
      'heimdall:complete': final,
    };
    const meta = { global, captures: this.captures, annotations: [] };
    const tmp = `${this.metaFile}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(meta, null, 2)}\n`);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.metaFile);
  }
}
