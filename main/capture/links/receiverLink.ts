/**
 * What the capture engine needs from a receiver, whatever its protocol. The KiwiSDR and OpenWebRX
 * clients are adapted to this in links/kiwisdrLink.ts and links/openwebrxLink.ts; the engine,
 * the writers and the UI stream know nothing else about receivers.
 */
export type LinkPhase = 'connecting' | 'streaming' | 'backoff' | 'stopped' | 'failed';

export interface LinkState {
  phase: LinkPhase;
  /** Machine-readable condition, e.g. 'too_busy', 'badp', 'ip_limit', 'redirect', 'dropped'. */
  code: string;
  /** One sentence for the operator: what happened and what to do. */
  message: string;
  retryInMs?: number;
}

/** Interleaved I,Q (IQ) or mono (audio) int16 samples in host order, as received. */
export interface SampleBlock {
  kind: 'iq' | 'audio';
  samples: Int16Array;
  /** Exact rate the receiver reported (e.g. 12001.135). */
  sampleRate: number;
  /** Unix time of the first sample in ns, from the receiver's GPS clock when it has one. */
  firstSampleUnixNs: bigint | null;
  /** Host clock (Unix ms) when the block arrived. */
  hostTimeMs: number;
  /** Frame sequence number, to count frames lost. */
  seq: number;
  /** The block's GPS stamp as received (KiwiSDR IQ): the time base is built from these, not from firstSampleUnixNs. */
  gps?: { fixAgeSec: number; gpssec: number; gpsnsec: number };
}

export interface SpectrumRow {
  /** Power per bin in dB (dBm where calibrated), lowest frequency first. */
  db: Float32Array;
  startHz: number;
  spanHz: number;
  timeMs: number;
  /** The receiver's row number where it sends one (KiwiSDR W/F): rows it sent that never arrived show as a jump. */
  seq?: number;
}

export interface LinkOptions {
  receiverId: string;
  url: string;
  password?: string;
  freqHz: number;
  mode: string;
  passband?: { lowHz: number; highHz: number } | null;
  identUser: string;
  wantSpectrum: boolean;
}

export interface LinkEvents {
  state: (s: LinkState) => void;
  samples: (b: SampleBlock) => void;
  spectrum: (r: SpectrumRow) => void;
  smeter: (dbm: number, timeMs: number) => void;
}

export interface ReceiverLink {
  start(events: LinkEvents): void;
  stop(): Promise<void>;
  /**
   * Changes the receiver's own demodulator (mode and filter edges) without reconnecting, and keeps
   * it for reconnects. Only between demodulated modes: IQ and audio are different streams.
   */
  setDemod?(mode: string, passband: { lowHz: number; highHz: number } | null): void;
}
