/**
 * GPS stamps as stored beside a recording: the binary working file the capture worker appends to
 * (fixed 24-byte records, so a crash loses at most the record being written), and the columns that
 * SigMF metadata carries (see sigmf/meta.ts for why columns).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { gpsStampSchema, type GpsStamp } from '../../shared/domain/gpsStamp';

const RECORD = 24;
const NO_SEQ = 0xffffffff;

export function encodeStamp(s: GpsStamp, out: Buffer = Buffer.alloc(RECORD), at = 0): Buffer {
  out.writeDoubleLE(s.sampleIndex, at);
  out.writeUInt32LE(s.seq ?? NO_SEQ, at + 8);
  out.writeUInt8(s.fixAgeSec, at + 12);
  out.fill(0, at + 13, at + 16);
  out.writeUInt32LE(s.gpssec, at + 16);
  out.writeUInt32LE(s.gpsnsec, at + 20);
  return out;
}

/** Appends stamps to a working file; the caller fsyncs it with the samples it describes. */
export class StampsFileWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(RECORD);
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  append(s: GpsStamp): void {
    fs.writeSync(this.fd, encodeStamp(s, this.buf));
  }
  sync(): void {
    fs.fsyncSync(this.fd);
  }
  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

export const gpsStampColumnsSchema = z
  .object({
    sample_index: z.array(z.number().int()),
    seq: z.array(z.number().int().nonnegative().nullable()).optional(),
    fix_age_s: z.array(z.number().int().min(0).max(255)),
    gpssec: z.array(z.number().int().nonnegative()),
    gpsnsec: z.array(z.number().int().nonnegative()),
  })
  .refine((c) => [c.fix_age_s, c.gpssec, c.gpsnsec, c.seq ?? c.sample_index].every((a) => a.length === c.sample_index.length), 'the columns have different lengths');
export type GpsStampColumns = z.infer<typeof gpsStampColumnsSchema>;

/** Stamps as SigMF columns; `shift` moves sample indices (an export window starting at sample `shift`). */
export function stampsToColumns(stamps: readonly GpsStamp[], shift = 0): GpsStampColumns {
  const withSeq = stamps.some((s) => s.seq !== null);
  return {
    sample_index: stamps.map((s) => s.sampleIndex - shift),
    ...(withSeq ? { seq: stamps.map((s) => s.seq) } : {}),
    fix_age_s: stamps.map((s) => s.fixAgeSec),
    gpssec: stamps.map((s) => s.gpssec),
    gpsnsec: stamps.map((s) => s.gpsnsec),
  };
}

/** Columns back to stamps (validated; null when absent or not stamps). */
export function stampsFromColumns(v: unknown): GpsStamp[] | null {
  const p = gpsStampColumnsSchema.safeParse(v);
  if (!p.success) return null;
  const c = p.data;
  const stamps = c.sample_index.map((sampleIndex, i) => ({ sampleIndex, seq: c.seq?.[i] ?? null, fixAgeSec: c.fix_age_s[i]!, gpssec: c.gpssec[i]!, gpsnsec: c.gpsnsec[i]! }));
  return stamps.every((s) => gpsStampSchema.safeParse(s).success) ? stamps : null;
}
