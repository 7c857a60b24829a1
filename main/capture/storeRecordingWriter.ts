import fs from 'node:fs';
import os from 'node:os';
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { timeBaseOf, type WrittenSegment } from '../recordings/sigmf/writer';
import { type TimeBase } from '../recordings/timeBase';
import { durableLine, segmentLine, stampLine } from '../samples/captureJournal';
import { diskError, writeFully } from '../samples/durableFile';
import { AppendOnlySampleFile } from '../samples/sampleWriter';
import { type FinishedRecording, type RecordingWriter } from './recordingWriter';

export interface StoreRecordingTarget {
  /** The store's reserved partial sample file (the main thread renames it when it commits). */
  partFile: string;
  /** The journal beside it: segments, stamps, durable marks (what crash adoption reads). */
  journalFile: string;
  datatype: 'ci16_le' | 'ri16_le';
  sampleRate: number;
  /** How often the samples are made durable (a mark in the journal after each fdatasync). */
  syncEveryMs?: number;
}

const littleEndianHost = os.endianness() === 'LE';
const FLUSH_BYTES = 64 << 10;

/**
 * Writes a stream straight into the capture the store reserved: each sample written once, hashed
 * once (sha256, sha512, md5 as the bytes pass), made durable every couple of seconds in the
 * background with a mark in the journal once it is. No SigMF is written here: the store builds
 * the metadata from its rows when it needs it (sync, export).
 */
export class StoreRecordingWriter implements RecordingWriter {
  private readonly file: AppendOnlySampleFile;
  private readonly journalFd: number;
  private journal = '';
  /** Samples gathered into one write (and one hash update per algorithm): no allocation per block. */
  private readonly staging = Buffer.allocUnsafe(FLUSH_BYTES);
  private staged = 0;
  private samples = 0;
  private readonly channels: number;
  private readonly segments: WrittenSegment[] = [];
  private readonly stamps: GpsStamp[] = [];
  private lastSync = Date.now();
  /** Journal syncs in flight: the fd is closed only when they are done (never reused under them). */
  private inFlight = 0;
  private closeWhenIdle = false;
  private finished: FinishedRecording | null = null;

  constructor(private readonly t: StoreRecordingTarget) {
    this.file = new AppendOnlySampleFile(t.partFile, t.partFile, { allHashes: true });
    try {
      this.journalFd = fs.openSync(t.journalFile, 'w', 0o644);
    } catch (e) {
      this.file.abort();
      throw diskError(e, t.journalFile);
    }
    this.channels = t.datatype.startsWith('c') ? 2 : 1;
  }

  get sampleCount(): number {
    return this.samples;
  }

  private flushData(): void {
    if (!this.staged) return;
    this.file.append(this.staging.subarray(0, this.staged));
    this.staged = 0;
  }

  private flushJournal(): void {
    if (!this.journal) return;
    writeFully(this.journalFd, Buffer.from(this.journal, 'latin1'), this.t.journalFile);
    this.journal = '';
  }

  beginSegment(unixNs: bigint, reason: string): void {
    if (this.segments.at(-1)?.sampleStart === this.samples) this.segments.pop();
    const g = { sampleStart: this.samples, reason, unixNs };
    this.segments.push(g);
    this.journal += segmentLine(g);
  }

  addStamp(stamp: GpsStamp): void {
    this.stamps.push(stamp);
    this.journal += stampLine(stamp);
  }

  append(data: Int16Array): number {
    if (this.finished) throw new Error('this recording is finished; start a new one');
    // Copied into the staging buffer (the caller may reuse its block once this returns), written when full.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let off = 0; off < bytes.byteLength; ) {
      const take = Math.min(bytes.byteLength - off, FLUSH_BYTES - this.staged);
      this.staging.set(bytes.subarray(off, off + take), this.staged);
      if (!littleEndianHost) this.staging.subarray(this.staged, this.staged + take).swap16();
      this.staged += take;
      off += take;
      if (this.staged === FLUSH_BYTES) this.flushData();
    }
    const n = data.length / this.channels;
    this.samples += n;
    return n;
  }

  tick(): void {
    if (this.finished || Date.now() - this.lastSync < (this.t.syncEveryMs ?? 2000)) return;
    this.lastSync = Date.now();
    this.flushData();
    this.flushJournal();
    // The mark is written only once the samples it counts are on disk, then the journal is synced.
    this.file.syncInBackground((bytes) => {
      if (this.closeWhenIdle && this.inFlight === 0) return;
      this.inFlight++;
      fs.write(this.journalFd, durableLine(bytes), (err) => {
        const done = () => {
          if (--this.inFlight === 0 && this.closeWhenIdle) fs.close(this.journalFd, () => undefined);
        };
        if (err) done();
        else fs.fdatasync(this.journalFd, done);
      });
    });
  }

  finish(): FinishedRecording {
    if (this.finished) return this.finished;
    this.flushData();
    this.flushJournal();
    const done = this.file.finishInPlace();
    // The file itself is durable now; the main thread commits it (and deletes the journal).
    if (this.inFlight > 0) this.closeWhenIdle = true;
    else fs.closeSync(this.journalFd);
    this.closeWhenIdle = true;
    this.finished = {
      dataFile: done.file,
      metaFile: null,
      samples: this.samples,
      segments: [...this.segments],
      stamps: [...this.stamps],
      sha512: done.sha512!,
      sha256: done.sha256,
      md5: done.md5!,
      bytes: done.byteSize,
      timeBase: this.timeBase(),
    };
    return this.finished;
  }

  timeBase(): TimeBase {
    return timeBaseOf(this.segments, this.stamps, this.samples, this.t.sampleRate);
  }

  abort(): void {
    this.file.abort();
  }
}
