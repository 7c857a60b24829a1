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

export function readJournal(file: string): { segments: JournalSegment[]; stamps: GpsStamp[]; durableBytes: number } {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const segments: JournalSegment[] = [];
  const stamps: GpsStamp[] = [];
  let durableBytes = 0;
  // The last element is what follows the last newline: empty, or a torn line.
  for (const line of text.split('\n').slice(0, -1)) {
    const p = line.split(' ');
    if (p[0] === 'S' && p.length === 4 && INT.test(p[1]!) && INT.test(p[3]!)) segments.push({ sampleStart: Number(p[1]), reason: p[2]!, unixNs: BigInt(p[3]!) });
    else if (p[0] === 'T' && p.length === 6 && INT.test(p[1]!) && (p[2] === '-' || INT.test(p[2]!)) && INT.test(p[3]!) && INT.test(p[4]!) && INT.test(p[5]!)) {
      stamps.push({ sampleIndex: Number(p[1]), seq: p[2] === '-' ? null : Number(p[2]), fixAgeSec: Number(p[3]), gpssec: Number(p[4]), gpsnsec: Number(p[5]) });
    } else if (p[0] === 'D' && p.length === 2 && INT.test(p[1]!)) durableBytes = Math.max(durableBytes, Number(p[1]));
  }
  return { segments, stamps, durableBytes };
}
