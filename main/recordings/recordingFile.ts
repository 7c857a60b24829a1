/**
 * A recording file understood: where its samples are, what it says about frequency, receiver and
 * time, and its time base. kiwirecorder WAVs and SigMF (files and archives) come out in this one
 * shape, so analyze reads samples from it and import copies its bytes into the store, both from the
 * same facts.
 */
import { type CaptureStatus } from '../../shared/domain/capture';
import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type ReceiverKind } from '../../shared/domain/receiver';
import { type ByteSource } from './byteSource';
import { type KiwirecorderName } from './kiwi/kiwirecorder';
import { sampleDecoder } from './sampleDecode';
import { buildTimeBase, type TimeBase } from './timeBase';

export interface ReceiverHint {
  url?: string;
  name?: string;
  kind: ReceiverKind;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  /** Where the position came from (a kiwirecorder position file), for the report. */
  positionFile?: string;
}

export interface RecordingFile {
  /** The path as given (archive members: `archive#member`). */
  label: string;
  format: 'kiwi-wav' | 'sigmf' | 'sigmf-archive';
  /** Datatype of the samples as the station stores them (little-endian). */
  datatype: string;
  /** Element size to byte-swap when copying (big-endian source), 0 for none. */
  swap: 0 | 2 | 4 | 8;
  complex: boolean;
  /** The rate the file declares (kiwirecorder: the integer rate; the time base measures the GPS rate). */
  headerRateHz: number;
  totalSamples: number;
  source: ByteSource;
  /** Byte ranges of the source holding the samples, in order. */
  ranges: { pos: number; len: number }[];
  bytes: number;
  freqHz: number | null;
  mode: CaptureMode | null;
  /** Facts from a kiwirecorder file name. */
  kiwirecorder: KiwirecorderName | null;
  receiver: ReceiverHint;
  stamps: GpsStamp[];
  /** Stream breaks the file records (SigMF captures that are not GPS anchors). */
  streamSegments: { sampleStart: number; reason: string }[];
  /** Times the file states for samples (SigMF core:datetime, a kiwirecorder name's time). */
  hostTimes: { sampleStart: number; unixNs: bigint }[];
  weekHintUnixMs: number;
  /** Our own SigMF: the capture id and session it came from. */
  captureId?: string;
  agc?: boolean | null;
  status: CaptureStatus;
  warnings: string[];
  /** A checksum of the source bytes the file declares. */
  digest?: { algorithm: 'sha512' | 'sha256'; hex: string; field: string };
}

export function recordingTimeBase(r: RecordingFile): TimeBase {
  return buildTimeBase({
    stamps: r.stamps,
    totalSamples: r.totalSamples,
    nominalRateHz: r.headerRateHz,
    weekHintUnixMs: r.weekHintUnixMs,
    restarts: r.streamSegments.filter((s) => s.reason === 'reconnect').map((s) => s.sampleStart),
    hostTimes: r.hostTimes,
  });
}

/** Ranges closer than this are read with the bytes between them (kiwirecorder's 26-byte chunk headers): one read, not one per 2 kB block. */
const COALESCE_GAP_BYTES = 4096;
/** Upper bound of one read: a long recording is read in pieces, not held twice in memory. */
const MAX_READ_BYTES = 16 << 20;

/** Samples [start, start + count) as float32 (interleaved I,Q for complex data), read range by range. */
export function readRecordingSamples(r: RecordingFile, start = 0, count = r.totalSamples - start): Float32Array {
  const frame = r.bytes / r.totalSamples;
  const ch = r.complex ? 2 : 1;
  const out = new Float32Array(Math.max(0, count) * ch);
  const decode = sampleDecoder(r.datatype);
  // The byte pieces wanted, in order, with where their samples go.
  const wanted: { pos: number; len: number; to: number }[] = [];
  let sample = 0;
  for (const range of r.ranges) {
    const n = range.len / frame;
    const a = Math.max(start, sample);
    const z = Math.min(start + count, sample + n);
    if (z > a) wanted.push({ pos: range.pos + (a - sample) * frame, len: (z - a) * frame, to: (a - start) * ch });
    sample += n;
  }
  for (let i = 0; i < wanted.length; ) {
    // Neighbouring pieces with small gaps become one read.
    let j = i + 1;
    while (j < wanted.length && wanted[j]!.pos - (wanted[j - 1]!.pos + wanted[j - 1]!.len) <= COALESCE_GAP_BYTES && wanted[j]!.pos >= wanted[j - 1]!.pos && wanted[j]!.pos + wanted[j]!.len - wanted[i]!.pos <= MAX_READ_BYTES) j++;
    const from = wanted[i]!.pos;
    const span = r.source.read(from, wanted[j - 1]!.pos + wanted[j - 1]!.len - from);
    for (let k = i; k < j; k++) {
      const w = wanted[k]!;
      if (r.swap) {
        // A copy: the source may hand out a view of memory it keeps (an archive member).
        const bytes = Buffer.from(span.subarray(w.pos - from, w.pos - from + w.len));
        if (r.swap === 2) bytes.swap16();
        else if (r.swap === 4) bytes.swap32();
        else bytes.swap64();
        decode(bytes, 0, bytes.length, out, w.to);
      } else {
        decode(span, w.pos - from, w.pos - from + w.len, out, w.to);
      }
    }
    i = j;
  }
  return out;
}
