import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { diskError, fsyncDir, writeFully } from './durableFile';

export interface FinishedSampleFile {
  /** Absolute path of the durable, final file. */
  file: string;
  byteSize: number;
  sha256: string;
}

/**
 * Append-only sample file: bytes go to `<partial>` as they arrive, segment closes fsync them, and
 * finish() fsyncs, renames to the final name and fsyncs both directories. Until then the file
 * has a `.part` name that no row refers to, so a crash can only leave an orphan (removed at start),
 * never a row pointing at a truncated file.
 */
export class AppendOnlySampleFile {
  private fd: number | null;
  private readonly sha256: Hash = createHash('sha256');
  private bytes = 0;
  private unsynced = 0;
  /** Background fdatasyncs in flight; the fd is closed only when they are done. */
  private inFlight = 0;
  private closeWhenIdle = false;
  private backgroundError: unknown = null;

  constructor(
    readonly partialFile: string,
    readonly finalFile: string,
  ) {
    fs.mkdirSync(path.dirname(partialFile), { recursive: true });
    try {
      this.fd = fs.openSync(partialFile, 'w', 0o644);
    } catch (e) {
      throw diskError(e, partialFile);
    }
  }

  get byteSize(): number {
    return this.bytes;
  }

  get open(): boolean {
    return this.fd !== null;
  }

  append(chunk: Uint8Array): void {
    if (this.fd === null) throw new Error(`append after the sample file ${this.finalFile} was finished or aborted`);
    if (this.backgroundError) throw diskError(this.backgroundError, this.partialFile);
    writeFully(this.fd, chunk, this.partialFile);
    this.sha256.update(chunk);
    this.bytes += chunk.byteLength;
    this.unsynced += chunk.byteLength;
  }

  /** Makes everything appended so far durable (at a segment boundary, or periodically). */
  sync(): void {
    if (this.fd === null || this.unsynced === 0) return;
    try {
      fs.fsyncSync(this.fd);
    } catch (e) {
      throw diskError(e, this.partialFile);
    }
    this.unsynced = 0;
  }

  /**
   * Segment boundary: starts an fdatasync in the thread pool and returns, so the disk flush
   * overlaps the next segment's writes and hashing (measured ~1.5x the write rate of a blocking
   * fsync here). finish() still fsyncs synchronously before the rename, so nothing is
   * acknowledged before it is durable; a background failure surfaces at the next append/finish.
   */
  syncInBackground(): void {
    if (this.fd === null || this.unsynced === 0) return;
    this.unsynced = 0;
    this.inFlight++;
    const fd = this.fd;
    fs.fdatasync(fd, (err) => {
      if (err && !this.backgroundError) this.backgroundError = err;
      if (--this.inFlight === 0 && this.closeWhenIdle) fs.close(fd, () => undefined);
    });
  }

  private closeFd(fd: number): void {
    if (this.inFlight > 0) this.closeWhenIdle = true;
    else fs.closeSync(fd);
  }

  finish(): FinishedSampleFile {
    if (this.fd === null) throw new Error(`the sample file ${this.finalFile} was already finished or aborted`);
    if (this.backgroundError) throw diskError(this.backgroundError, this.partialFile);
    this.unsynced = 1; // always fsync once at the end, even for an empty file
    this.sync();
    this.closeFd(this.fd);
    this.fd = null;
    fs.mkdirSync(path.dirname(this.finalFile), { recursive: true });
    fs.renameSync(this.partialFile, this.finalFile);
    fsyncDir(path.dirname(this.finalFile));
    if (path.dirname(this.finalFile) !== path.dirname(this.partialFile)) fsyncDir(path.dirname(this.partialFile));
    return { file: this.finalFile, byteSize: this.bytes, sha256: this.sha256.digest('hex') };
  }

  abort(): void {
    if (this.fd !== null) {
      this.closeFd(this.fd);
      this.fd = null;
    }
    fs.rmSync(this.partialFile, { force: true });
  }
}

/** Hashes a file in chunks (used to verify a local file before upload and by tests). */
export async function hashFile(file: string): Promise<{ sha256: string; md5: string; size: number }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    sha.update(b);
    md5.update(b);
    size += b.byteLength;
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex'), size };
}
