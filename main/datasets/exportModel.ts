import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { type TimeBase } from '../recordings/timeBase';

/**
 * What a dataset export is made of, independent of where it came from (the store) and of the format
 * written (SigMF, NumPy, manifest). The builder resolves sessions, segments and reviews into these
 * plain records; the writers only read them and the sample files they point at.
 *
 * One sample = one receiver's recording of one acquisition. An acquisition = one marked or detected
 * transmission (segment) of a recording session, heard by every chosen receiver. The Heimdall training
 * layout's "{session}" is an acquisition: a session with three key-ups gives three training examples,
 * while splits stay by recording session so one session never lands in two sets.
 */

export type Split = 'train' | 'val' | 'test';

export interface ExportReceiver {
  id: string;
  name: string;
  url: string;
  lat: number | null;
  lon: number | null;
  alt: number | null;
}

export interface ExportSource {
  id: string;
  name: string;
  lat: number;
  lon: number;
  alt: number | null;
  errorMarginM: number;
  powerDbm: number | null;
  kind: string | null;
}

/** An annotation inside the exported sample, in samples relative to the sample's first sample. */
export interface ExportAnnotation {
  sampleStart: number;
  sampleCount: number;
  label: string;
  comment: string | null;
  /** 'operator' (transmit marker held) or 'detector' (DSP proposal). */
  generator: 'operator' | 'detector' | 'import';
  freqLowerHz: number | null;
  freqUpperHz: number | null;
}

/** The acquisition's TDoA fix (main/datasets/exportTdoa.ts), next to its ground truth. */
export interface ExportTdoa {
  /** The stored locate result. */
  id: string;
  /** 'segment': located on this acquisition's own segment; 'session': on the session as a whole. */
  scope: 'segment' | 'session';
  createdAt: string;
  lat: number;
  lon: number;
  /** Great-circle distance from the sample's source (the ground truth), km; null without one. */
  errorKm: number | null;
  receivers: { receiverId: string | null; name: string; status: 'good' | 'bad'; reason: string }[];
  pairs: { a: string; b: string; dtUs: number; rmsUs: number; blocksUsed: number }[];
  interval: { startUtc: string; seconds: number };
}

export interface ExportMetrics {
  snrDb: number | null;
  signalPowerDb: number | null;
  noisePowerDb: number | null;
  freqOffsetHz: number | null;
}

export interface ExportSample {
  /** Stable id, unique in the dataset: `${acquisitionId}_${receiverSlug}`; also the file stem. */
  sampleId: string;
  /** `${sessionShort}-${segmentIndex}`: groups the receivers of one transmission. */
  acquisitionId: string;
  sessionId: string;
  sessionName: string;
  segmentId: string;
  captureId: string;
  /** UUIDs of the measurement rows inside the segment (for dataset_measurements). */
  measurementIds: string[];
  receiver: ExportReceiver;
  split: Split;
  approval: 'approved' | 'rejected' | 'pending';
  label: string;
  notes: string | null;
  /** Ground truth: the transmitter's position, or null when the session names no source. */
  source: ExportSource | null;
  freqHz: number;
  mode: string;
  sampleRate: number;
  /** SigMF datatype of the source file, e.g. ci16_le (KiwiSDR IQ) or ri16_le (OpenWebRX audio). */
  datatype: string;
  /** Absolute path of the capture's sample file. */
  dataFile: string;
  /** First sample of this export inside the capture's file, and how many. */
  fileSampleStart: number;
  sampleCount: number;
  /** RFC 3339 UTC of the exported first sample. */
  startUtc: string;
  /** GPS-true Unix ns of the exported first sample (decimal string), when a fresh GPS fix covers the window. */
  gpsUnixNs: string | null;
  /**
   * The capture's time base, stream segments and GPS stamps (whole capture), so the SigMF of the
   * window carries the same anchors and stamps; absent for sources without them (host time only).
   */
  time?: { timeBase: TimeBase; segments: { sampleStart: number; reason: string }[]; stamps: GpsStamp[] };
  /** Index of the acquisition in its session (SigMF capture_details:signal_reference_number). */
  acquisitionIndex?: number;
  annotations: ExportAnnotation[];
  /** Mean of the capture's measurement windows inside the segment. */
  metrics: ExportMetrics;
  /** The acquisition's stored TDoA fix, when it was located. */
  tdoa?: ExportTdoa | null;
}

export interface ExportPlan {
  datasetId: string;
  datasetName: string;
  description: string | null;
  createdAt: string;
  seed: number;
  ratios: { train: number; val: number; test: number };
  stationName: string;
  samples: ExportSample[];
}

export type ExportFormat = 'sigmf' | 'npy' | 'manifest';

export interface ExportProgress {
  format: ExportFormat;
  phase: 'writing' | 'verifying' | 'committing' | 'done';
  doneSamples: number;
  totalSamples: number;
  doneBytes: number;
  totalBytes: number;
}

export interface ExportOptions {
  onProgress?: (p: ExportProgress) => void;
  /** Aborting leaves nothing behind at the destination. */
  signal?: AbortSignal;
  /**
   * sha512 (hex) of sample byte ranges already hashed in this job, filled and read by the writers
   * (key: file, byte start, byte length). Pass one Map to several formats of one export so the
   * manifest and the SigMF archives read each sample's bytes for hashing only once.
   */
  sha512Cache?: Map<string, string>;
  /**
   * sha256 of every file written, taken as its bytes pass (the upload signs and checks with it).
   * Off unless the export is to be uploaded: hashing every written byte costs more than writing it.
   */
  fileHashes?: boolean;
}

/** What a writer produced, relative to the export folder. */
export interface ExportResult {
  format: ExportFormat;
  outDir: string;
  /** sha256: null unless the export was asked for file hashes (ExportOptions.fileHashes). */
  files: { path: string; bytes: number; sha256: string | null }[];
  samples: number;
}
