import { z } from 'zod';

/** Main thread -> DSP worker. Validated in the worker: messages cross a thread boundary. */
export const dspRequestSchema = z.discriminatedUnion('task', [
  z.object({
    id: z.number().int(),
    task: z.literal('analyzeIq'),
    iq: z.instanceof(ArrayBuffer),
    fs: z.number().positive(),
    nperseg: z.number().int().min(2).max(1 << 20).optional(),
    /** When set, the block is that many complex samples per frame, each frame analysed on its own. */
    frameSamples: z.number().int().min(2).optional(),
  }),
  // Exits the worker the way a crash would, so the pool's recovery can be tested end to end.
  z.object({ id: z.number().int(), task: z.literal('exitForTest') }),
  // A long job of a folder above dsp/ (a TDoA fix: kind 'locate'): main/workers/dspWorker.ts routes it by
  // kind to the code that validates its spec; the caller sets cancel[0] = 1 to stop it.
  z.object({ id: z.number().int(), task: z.literal('job'), kind: z.string().min(1), spec: z.unknown(), cancel: z.instanceof(SharedArrayBuffer) }),
]);
export type DspRequest = z.infer<typeof dspRequestSchema>;

const spectrumMetricsSchema = z.object({
  peakOffsetHz: z.number(),
  peakDb: z.number(),
  noiseFloorDb: z.number(),
  signalPowerDb: z.number(),
  noisePowerDb: z.number(),
  snrDb: z.number(),
  occupiedBandwidthHz: z.number(),
  binHz: z.number(),
});

/** DSP worker -> main thread. Validated in the pool. */
export const dspResponseSchema = z.union([
  z.object({
    id: z.number(),
    ok: z.literal(true),
    /** One entry per frame (one frame when the request gave no frameSamples). */
    metrics: z.array(spectrumMetricsSchema).min(1),
    /** frames x bins float32 dB, row after row. */
    psdDb: z.instanceof(ArrayBuffer),
    bins: z.number().int().positive(),
    startHz: z.number(),
    binHz: z.number(),
  }),
  z.object({ id: z.number(), ok: z.literal(false), error: z.string() }),
]);
export type DspResponse = z.infer<typeof dspResponseSchema>;

/** DSP worker -> main thread while a long job runs: where it is (validated in the pool). */
export const dspProgressSchema = z.object({ id: z.number(), progress: z.object({ phase: z.string(), fraction: z.number().min(0).max(1) }) });

/** DSP worker -> main thread: the end of a long job (its result is checked by the job's own schema). */
export const jobResponseSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), error: z.string(), code: z.string().optional() }),
]);
