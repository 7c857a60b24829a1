import fs from 'node:fs';
import path from 'node:path';

/** Random access to the bytes of one recording: a file (read by position, never whole) or an archive member in memory. */
export interface ByteSource {
  readonly size: number;
  read(pos: number, len: number): Buffer;
  close(): void;
}

export function fileSource(file: string): ByteSource {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  return {
    size,
    read(pos, len) {
      const out = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const n = fs.readSync(fd, out, got, len - got, pos + got);
        if (n === 0) throw new Error(`${path.basename(file)} became shorter while it was being read (at byte ${pos + got} of ${size}); is something still writing it?`);
        got += n;
      }
      return out;
    },
    close: () => fs.closeSync(fd),
  };
}

export function bufferSource(b: Buffer): ByteSource {
  return { size: b.length, read: (pos, len) => b.subarray(pos, pos + len), close: () => undefined };
}
