/**
 * The journal a recording keeps beside its partial sample file while it records: stream segments as
 * they start, every block's GPS stamp, and durable marks (the bytes of samples known to be on disk,
 * written only after the samples' fdatasync, and followed by the journal's own). After a crash the store
 * adopts the partial file up to its last mark. Text lines, appended; a torn last line is ignored.
 *   S <sampleStart> <reason> <unixNs>
 *   T <sampleIndex> <seq|-> <fixAgeSec> <gpssec> <gpsnsec>
 *   D <bytes>
 */
import fs from 'node:fs';
import { type GpsStamp } from '../../shared/domain/gpsStamp';

export interface JournalSegment {
  sampleStart: number;
  reason: string;
  unixNs: bigint;
}

export const segmentLine = (g: JournalSegment) => `S ${g.sampleStart} ${g.reason.replace(/\s+/g, '_')} ${g.unixNs}\n`;
export const stampLine = (s: GpsStamp) => `T ${s.sampleIndex} ${s.seq ?? '-'} ${s.fixAgeSec} ${s.gpssec} ${s.gpsnsec}\n`;
export const durableLine = (bytes: number) => `D ${bytes}\n`;

const INT = /^-?\d+$/;

const CHUNK = 64 << 10;

/**
 * Reads a journal a chunk at a time (never the whole file in memory: an hour of a receiver's stamps is
 * megabytes); a missing journal reads as empty.
 */
export function readJournal(file: string): { segments: JournalSegment[]; stamps: GpsStamp[]; durableBytes: number } {
  const segments: JournalSegment[] = [];
  const stamps: GpsStamp[] = [];
  let durableBytes = 0;
  const line = (l: string) => {
    const p = l.split(' ');
    if (p[0] === 'S' && p.length === 4 && INT.test(p[1]!) && INT.test(p[3]!)) segments.push({ sampleStart: Number(p[1]), reason: p[2]!, unixNs: BigInt(p[3]!) });
    else if (p[0] === 'T' && p.length === 6 && INT.test(p[1]!) && (p[2] === '-' || INT.test(p[2]!)) && INT.test(p[3]!) && INT.test(p[4]!) && INT.test(p[5]!)) {
      stamps.push({ sampleIndex: Number(p[1]), seq: p[2] === '-' ? null : Number(p[2]), fixAgeSec: Number(p[3]), gpssec: Number(p[4]), gpsnsec: Number(p[5]) });
    } else if (p[0] === 'D' && p.length === 2 && INT.test(p[1]!)) durableBytes = Math.max(durableBytes, Number(p[1]));
  };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { segments, stamps, durableBytes };
    throw e;
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest = '';
    for (let n; (n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0; ) {
      const lines = (rest + buf.toString('latin1', 0, n)).split('\n');
      // The last piece is what follows the last newline: the start of the next line, or a torn one.
      rest = lines.pop()!;
      lines.forEach(line);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { segments, stamps, durableBytes };
}
