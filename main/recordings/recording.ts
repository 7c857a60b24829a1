/** A recording loaded for analysis or import: samples as float32 (interleaved I,Q when complex). */
export interface LoadedRecording {
  format: 'sigmf' | 'kiwi-wav';
  complex: boolean;
  sampleRate: number;
  /** Tuned frequency (Hz), when the file says. */
  freqHz: number | null;
  datatype: string;
  samples: Float32Array;
  /** GPS time stamps of sample indices (kiwirecorder `kiwi` chunks, or SigMF captures with heimdall:gps_unix_ns). */
  timestamps: { sampleIndex: number; gpssec?: number; gpsnsec?: number; unixNs?: bigint; solution?: number }[];
  meta: Record<string, unknown>;
}
