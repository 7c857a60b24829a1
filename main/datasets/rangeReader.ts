/**
 * A sample byte range read into two buffers used in turn: the next chunk is read (in the thread pool)
 * while the caller handles this one, and no buffer is allocated per chunk (a fresh megabyte costs its
 * page faults each time, more than reading it from the page cache). A chunk is valid only until the
 * caller asks for the next one.
 */
import fsp from 'node:fs/promises';
import { StationError } from '../../shared/errors';
import { type ExportProgressReporter, type SampleRange } from './atomicExportDir';

const CHUNK_BYTES = 1 << 20;

export async function* readRangeReusing(r: SampleRange, progress: ExportProgressReporter | null, opts: { align?: number; chunkBytes?: number } = {}): AsyncGenerator<Buffer> {
  const align = opts.align ?? 1;
  const chunk = Math.max(align, Math.floor((opts.chunkBytes ?? CHUNK_BYTES) / align) * align);
  progress?.check();
  if (r.length === 0) return;
  const fh = await fsp.open(r.file, 'r');
  const size = Math.min(chunk, r.length);
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  const readAt = async (buf: Buffer, pos: number): Promise<Buffer> => {
    const want = Math.min(chunk, r.length - pos);
    for (let got = 0; got < want; ) {
      const { bytesRead } = await fh.read(buf, got, want - got, r.start + pos + got);
      if (bytesRead === 0) {
        throw new StationError('conflict', `${r.file} ended at byte ${r.start + pos + got} while the export needed bytes up to ${r.start + r.length}: the file was shortened during the export. Export again.`);
      }
      got += bytesRead;
    }
    return buf.subarray(0, want);
  };
  let next: Promise<Buffer> | null = readAt(buffers[0]!, 0);
  try {
    for (let pos = 0, k = 0; next; k++) {
      const cur: Buffer = await next;
      pos += cur.length;
      next = pos < r.length ? readAt(buffers[(k + 1) % 2]!, pos) : null;
      next?.catch(() => undefined); // awaited on the next turn, or in finally
      progress?.addBytes(cur.length);
      yield cur;
    }
  } finally {
    await next?.catch(() => undefined);
    await fh.close();
  }
}
