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
import { decodeSamples } from './sampleDecode';
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

/** Samples [start, start + count) as float32 (interleaved I,Q for complex data), read range by range. */
export function readRecordingSamples(r: RecordingFile, start = 0, count = r.totalSamples - start): Float32Array {
  const frame = r.bytes / r.totalSamples;
  const ch = r.complex ? 2 : 1;
  const out = new Float32Array(Math.max(0, count) * ch);
  let sample = 0;
  for (const range of r.ranges) {
    const n = range.len / frame;
    const a = Math.max(start, sample);
    const z = Math.min(start + count, sample + n);
    if (z > a) {
      const bytes = Buffer.from(r.source.read(range.pos + (a - sample) * frame, (z - a) * frame));
      if (r.swap === 2) bytes.swap16();
      else if (r.swap === 4) bytes.swap32();
      else if (r.swap === 8) bytes.swap64();
      out.set(decodeSamples(bytes, r.datatype), (a - start) * ch);
    }
    sample += n;
  }
  return out;
}
