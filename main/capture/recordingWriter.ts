import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { type WrittenSegment } from '../recordings/sigmf/writer';
import { type TimeBase } from '../recordings/timeBase';

/** What a receiver's recording leaves when it finishes, whichever writer made it. */
export interface FinishedRecording {
  dataFile: string;
  /** The SigMF meta beside the data (a `capture --out` recording); null for the store's own files. */
  metaFile: string | null;
  samples: number;
  segments: WrittenSegment[];
  stamps: GpsStamp[];
  sha512: string;
  /** Computed as the bytes passed (the store's writer), for sync's checks. */
  sha256?: string;
  md5?: string;
  bytes?: number;
  timeBase: TimeBase;
}

/**
 * Where a ReceiverRecorder puts a stream: SigMF files for `capture --out` (recordings/sigmf/writer.ts),
 * or the capture the store reserved, written once (storeRecordingWriter.ts).
 */
export interface RecordingWriter {
  readonly sampleCount: number;
  beginSegment(unixNs: bigint, reason: string): void;
  addStamp(stamp: GpsStamp): void;
  append(data: Int16Array): number;
  finish(): FinishedRecording;
  timeBase(): TimeBase;
  /** Called about once a second: make what was written durable, in the background. */
  tick?(): void;
}
