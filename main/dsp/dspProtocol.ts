import { z } from 'zod';

export const dspRequestSchema = z.object({
  id: z.number().int(),
  task: z.literal('analyzeIq'),
  iq: z.instanceof(ArrayBuffer),
  fs: z.number().positive(),
  nperseg: z.number().int().positive().optional(),
});
export type DspRequest = z.infer<typeof dspRequestSchema>;

export const spectrumMetricsSchema = z.object({
  peakOffsetHz: z.number(),
  peakDb: z.number(),
  noiseFloorDb: z.number(),
  signalPowerDb: z.number(),
  noisePowerDb: z.number(),
  snrDb: z.number(),
  occupiedBandwidthHz: z.number(),
  binHz: z.number(),
});

export const dspResponseSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), metrics: spectrumMetricsSchema, psdDb: z.instanceof(ArrayBuffer), startHz: z.number(), binHz: z.number() }),
  z.object({ id: z.number(), ok: z.literal(false), error: z.string() }),
]);
export type DspResponse = z.infer<typeof dspResponseSchema>;
