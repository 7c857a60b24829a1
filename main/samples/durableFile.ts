import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../shared/errors';

/**
 * The steps that make a file survive power loss: data fsynced before the rename, and the directory
 * fsynced after it (otherwise the rename itself may be lost and the old name come back).
 */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    // Some filesystems (and Windows) cannot fsync a directory; the rename is then as durable as the OS makes it.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** fsyncDir in the thread pool, for callers that must not block their event loop on the disk. */
export async function fsyncDirAsync(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | null = null;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    await fh?.close();
  }
}

/** Writes all of `bytes` (writeSync may write less than asked). */
export function writeFully(fd: number, bytes: Uint8Array, file: string): void {
  let off = 0;
  while (off < bytes.byteLength) {
    try {
      off += fs.writeSync(fd, bytes, off, bytes.byteLength - off);
    } catch (e) {
      throw diskError(e, file);
    }
  }
}

/** Turns ENOSPC/EROFS/EDQUOT into errors the operator can act on. */
export function diskError(e: unknown, file: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StationError('disk_full', `The disk holding ${path.dirname(file)} is full, so the capture was stopped. Free space (delete old exports, or set a retention for synced samples: \`heimdall-station sync configure --retention-days N\`) or choose another data directory.`);
  }
  if (code === 'EROFS' || code === 'EACCES') {
    return new StationError('unavailable', `${file} cannot be written (${code}): the data directory is read-only. Fix its permissions or choose another data directory.`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
