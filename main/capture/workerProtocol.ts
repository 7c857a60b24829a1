/** Messages between the capture engine (main thread) and its workers, validated on arrival. */
import { z } from 'zod';
import { gpsStampSchema } from '../../shared/domain/gpsStamp';
import { linkStateSchema } from '../../shared/domain/monitor';

export const captureReceiverSchema = z.object({
  receiverId: z.string(),
  name: z.string(),
  kind: z.enum(['kiwisdr', 'openwebrx']),
  url: z.string(),
  password: z.string().optional(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  alt: z.number().nullable(),
  /** The capture the store reserved for this receiver: its samples go there, written once. */
  reservation: z.object({ captureId: z.string(), partFile: z.string(), journalFile: z.string() }).optional(),
});
export type CaptureReceiver = z.infer<typeof captureReceiverSchema>;

export const captureWorkerJobSchema = z.object({
  runId: z.string(),
  receivers: z.array(captureReceiverSchema),
  freqHz: z.number().positive(),
  mode: z.string(),
  passband: z.object({ lowHz: z.number(), highHz: z.number() }).nullable().default(null),
  identUser: z.string(),
  /** null = open-ended monitor. */
  durationSec: z.number().positive().nullable(),
  /** Earliest common start (Unix ms); the engine confirms the actual one with a 'start' command. */
  startAtMs: z.number(),
  /** Where recordings go; null = monitor only (nothing written). */
  outDir: z.string().nullable(),
  wantSpectrum: z.boolean(),
  /** Seconds of IQ per analysis window sent back for DSP metrics; null sends none. */
  analysisWindowSec: z.number().positive().nullable(),
  /** Display range for waterfall rows sent to the UI; null follows each receiver's noise floor. */
  displayRange: z.object({ minDb: z.number(), maxDb: z.number() }).nullable(),
});
export type CaptureWorkerJob = z.infer<typeof captureWorkerJobSchema>;


export const receiverSummarySchema = z.object({
  receiverId: z.string(),
  name: z.string(),
  url: z.string(),
  status: z.enum(['complete', 'partial', 'failed', 'stopped']),
  code: z.string(),
  message: z.string(),
  dataKind: z.enum(['iq', 'audio']).nullable(),
  samples: z.number(),
  targetSamples: z.number().nullable(),
  sampleRate: z.number().nullable(),
  measuredRate: z.number().nullable(),
  firstSampleUtc: z.string().nullable(),
  firstSampleUnixNs: z.string().nullable(),
  firstSampleFromGps: z.boolean(),
  framesLost: z.number(),
  segments: z.number(),
  /** The stream's segments as written (first sample index, why, time by the receiver's stamp or host clock). */
  segmentList: z.array(z.object({ sampleStart: z.number().int().nonnegative(), reason: z.string(), unixNs: z.string().regex(/^-?\d+$/) })).default([]),
  /** Every block's GPS stamp as received (KiwiSDR IQ). */
  stamps: z.array(gpsStampSchema).default([]),
  /** What the recording's time base found. */
  timeBase: z
    .object({ rateHz: z.number(), rateSource: z.string(), anchors: z.number(), rejected: z.number(), stale: z.number(), good: z.boolean(), reasons: z.array(z.string()) })
    .nullable()
    .default(null),
  dataFile: z.string().nullable(),
  metaFile: z.string().nullable(),
  sha512: z.string().nullable(),
  /** Hashes and size computed as the bytes were written (store recordings). */
  sha256: z.string().nullable().default(null),
  md5: z.string().nullable().default(null),
  bytes: z.number().nullable().default(null),
  /** W/F rows the receiver sent from the common start on, by its row numbers (to compare with the rows delivered). */
  spectrumRowsOffered: z.number().int().nonnegative().default(0),
});
export type ReceiverSummary = z.infer<typeof receiverSummarySchema>;

export const workerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('state'), receiverId: z.string(), state: linkStateSchema }),
  z.object({
    t: z.literal('rows'),
    receiverId: z.string(),
    bins: z.number().int().positive(),
    startHz: z.number(),
    spanHz: z.number(),
    minDb: z.number(),
    maxDb: z.number(),
    times: z.array(z.number()),
    data: z.instanceof(ArrayBuffer),
  }),
  z.object({ t: z.literal('smeter'), receiverId: z.string(), dbm: z.number(), timeMs: z.number() }),
  z.object({ t: z.literal('progress'), receiverId: z.string(), samples: z.number(), framesLost: z.number() }),
  /** One analysis window of recorded IQ (float32, full scale 1.0) for the DSP pool. */
  z.object({ t: z.literal('window'), receiverId: z.string(), startSample: z.number(), unixNs: z.string(), sampleRate: z.number(), iq: z.instanceof(ArrayBuffer) }),
  /**
   * A copy of a block a receiver sent, for a listener (only receivers tapped with the 'tap' command):
   * int16 interleaved I,Q ('iq') or mono audio ('audio'), host order.
   */
  z.object({
    t: z.literal('audio'),
    receiverId: z.string(),
    kind: z.enum(['iq', 'audio']),
    sampleRate: z.number().positive(),
    samples: z.instanceof(ArrayBuffer),
    /** Receiver time of the first sample (Unix ms; GPS where stamped), else null. */
    firstSampleUnixMs: z.number().nullable(),
    hostTimeMs: z.number(),
    seq: z.number(),
  }),
  z.object({ t: z.literal('done'), summary: receiverSummarySchema }),
  z.object({ t: z.literal('fatal'), message: z.string() }),
  /** The worker runs and its receivers are connecting: the engine fixes the common start from here. */
  z.object({ t: z.literal('ready') }),
  /** Several of the messages above in one (a worker's display rows, S-meter and progress per display frame). */
  z.object({ t: z.literal('batch'), items: z.array(z.unknown()) }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

const isNum = (v: unknown): v is number => typeof v === 'number';
/**
 * The messages that come by the thousand per second (rows, S-meter, progress, analysis windows, listened
 * blocks) checked by hand: the worker is our own code in this process, and zod per message was the
 * main thread's biggest cost at a few hundred receivers. Anything else, or anything odd, goes through
 * the schema.
 */
export function parseWorkerMessage(raw: unknown): { ok: true; value: WorkerMessage } | { ok: false; error: string } {
  const m = raw as Record<string, unknown> | null;
  if (m && typeof m === 'object' && typeof m.receiverId === 'string') {
    if (m.t === 'rows' && m.data instanceof ArrayBuffer && isNum(m.bins) && isNum(m.startHz) && isNum(m.spanHz) && isNum(m.minDb) && isNum(m.maxDb) && Array.isArray(m.times)) return { ok: true, value: m as unknown as WorkerMessage };
    if (m.t === 'smeter' && isNum(m.dbm) && isNum(m.timeMs)) return { ok: true, value: m as unknown as WorkerMessage };
    if (m.t === 'progress' && isNum(m.samples) && isNum(m.framesLost)) return { ok: true, value: m as unknown as WorkerMessage };
    if (m.t === 'window' && m.iq instanceof ArrayBuffer && isNum(m.startSample) && isNum(m.sampleRate) && typeof m.unixNs === 'string') return { ok: true, value: m as unknown as WorkerMessage };
    if (m.t === 'audio' && m.samples instanceof ArrayBuffer && (m.kind === 'iq' || m.kind === 'audio') && isNum(m.sampleRate) && m.sampleRate > 0 && isNum(m.hostTimeMs) && isNum(m.seq) && (m.firstSampleUnixMs === null || isNum(m.firstSampleUnixMs))) {
      return { ok: true, value: m as unknown as WorkerMessage };
    }
  }
  const p = workerMessageSchema.safeParse(raw);
  return p.success ? { ok: true, value: p.data } : { ok: false, error: p.error.issues[0]?.message ?? 'unknown' };
}

export const workerCommandSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('stop') }),
  /** The common start, fixed once every worker is up (see captureEngine). */
  z.object({ t: z.literal('start'), startAtMs: z.number() }),
  /** Which receivers' blocks to copy to the main thread as 'audio' messages (replaces the last set). */
  z.object({ t: z.literal('tap'), receiverIds: z.array(z.string()) }),
  /** Re-tune a receiver's demodulator without reconnecting (monitor only: it changes what the receiver sends). */
  z.object({ t: z.literal('demod'), receiverId: z.string(), mode: z.string(), passband: z.object({ lowHz: z.number(), highHz: z.number() }).nullable() }),
]);
export type WorkerCommand = z.infer<typeof workerCommandSchema>;
