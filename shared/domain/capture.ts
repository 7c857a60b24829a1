import { z } from 'zod';
import { captureModeSchema } from './monitor';
import { gpsStampSchema } from './gpsStamp';
import { sampleDatatypeSchema } from './sampleDatatype';

/**
 * What the capture engine hands the store about one recording. Pure types (no Node): the engine
 * validates with these schemas before calling the store, so bad metadata never reaches SQLite.
 */

export { bytesPerSample, sampleDatatypeSchema } from './sampleDatatype';

export const captureStatuses = ['complete', 'partial', 'failed'] as const;
export const captureStatusSchema = z.enum(captureStatuses);
export type CaptureStatus = z.infer<typeof captureStatusSchema>;

/** A snapshot of the receiver at capture time: sync needs its name and position even if it is later deleted. */
export const captureReceiverSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(255),
  url: z.string().min(1).max(512),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  alt: z.number().nullable().default(null),
});
export type CaptureReceiver = z.infer<typeof captureReceiverSchema>;

/** Known before the first sample: used for the disk-space guard and the file name. */
export const captureStartSchema = z.object({
  /** Station-generated UUID; the store makes one when absent. Stable across retries. */
  id: z.string().uuid().optional(),
  receiver: captureReceiverSchema,
  sessionId: z.string().uuid().nullable().default(null),
  freqHz: z.number().int().positive(),
  mode: captureModeSchema,
  sampleRate: z.number().positive(),
  datatype: sampleDatatypeSchema,
  /** Upper bound of the bytes this capture will write (duration x rate x bytes per sample), for the disk guard. */
  expectedBytes: z.number().int().nonnegative().default(0),
  /** Whether the receiver's AGC was on; null when unknown. */
  agc: z.boolean().nullable().default(null),
});
export type CaptureStart = z.input<typeof captureStartSchema>;

export const captureSegmentSchema = z.object({
  sampleStart: z.number().int().nonnegative(),
  sampleCount: z.number().int().nonnegative(),
  /** RFC 3339 UTC of the segment's first sample. */
  utc: z.string(),
  /** GPS-derived Unix time in ns as a decimal string (exceeds 2^53), when the receiver gave GPS time. */
  gpsUnixNs: z.string().regex(/^\d+$/).nullable().default(null),
  reason: z.string().default('start'),
});
export type CaptureSegment = z.input<typeof captureSegmentSchema>;

/** DSP metrics of one window of a capture (one row in heimdall.measurements). */
export const measurementInputSchema = z.object({
  id: z.string().uuid().optional(),
  /** UTC of the window's first sample (RFC 3339). */
  timestamp: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an RFC 3339 time'),
  windowStartSample: z.number().int().nonnegative().default(0),
  windowSamples: z.number().int().nonnegative().default(0),
  freqHz: z.number().int().positive().optional(),
  snrDb: z.number().nullable().default(null),
  signalPowerDb: z.number().nullable().default(null),
  noisePowerDb: z.number().nullable().default(null),
  freqOffsetHz: z.number().nullable().default(null),
  occupiedBwHz: z.number().nullable().default(null),
  smeterDbm: z.number().nullable().default(null),
  notes: z.string().nullable().default(null),
});
export type MeasurementInput = z.input<typeof measurementInputSchema>;

/** Told at finalize: what only the end of the capture knows. */
export const captureFinishSchema = z.object({
  /** RFC 3339 UTC of the first sample (GPS-derived when available). */
  firstSampleUtc: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an RFC 3339 time'),
  firstSampleGpsNs: z.string().regex(/^\d+$/).nullable().default(null),
  status: captureStatusSchema.default('complete'),
  message: z.string().default(''),
  segments: z.array(captureSegmentSchema).default([]),
  /** Every block's GPS stamp as received (the time base is built from these). */
  stamps: z.array(gpsStampSchema).default([]),
  measurements: z.array(measurementInputSchema).default([]),
});
export type CaptureFinish = z.input<typeof captureFinishSchema>;
