import { z } from 'zod';

/**
 * Locating a transmitter by TDoA from GPS-stamped KiwiSDR IQ: what is asked (region, grid, which
 * stretch of a session) and what comes back (the most likely point, confidence contours, each pair's
 * delay and hyperbola, each receiver judged good or bad with the reason).
 */

/** lat0:lat1:lon0:lon1 in degrees, south to north and west to east. */
export const regionSchema = z
  .object({ lat0: z.number().min(-90).max(90), lat1: z.number().min(-90).max(90), lon0: z.number().min(-180).max(180), lon1: z.number().min(-180).max(180) })
  .refine((r) => r.lat1 > r.lat0 && r.lon1 > r.lon0, 'a region runs south to north (lat0 < lat1) and west to east (lon0 < lon1)');
export type Region = z.infer<typeof regionSchema>;

/** Parses `lat0:lat1:lon0:lon1` (degrees) as the CLI and forms take it. */
export function parseRegion(text: string): Region {
  const parts = text.split(':').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
    throw new Error(`"${text}" is not a region: write lat0:lat1:lon0:lon1 in degrees, e.g. 45:55:-2:12`);
  }
  const r = regionSchema.safeParse({ lat0: parts[0], lat1: parts[1], lon0: parts[2], lon1: parts[3] });
  if (!r.success) throw new Error(`"${text}" is not a region: ${r.error.issues[0]!.message}`);
  return r.data;
}

export const locateOptionsSchema = z.object({
  /** Where to search; default: the receivers' bounding box widened on every side. */
  region: regionSchema.optional(),
  /** Grid step in degrees; default: the finest of 0.01 .. 5 deg that keeps the grid under 200k cells. */
  stepDeg: z.number().min(0.001).max(10).optional(),
  /** Length of the correlation blocks, seconds. */
  blockSec: z.number().min(0.1).max(10).default(1),
});
export type LocateOptions = z.input<typeof locateOptionsSchema>;

export const locateReceiverSchema = z.object({
  receiverId: z.string().nullable(),
  name: z.string(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  /** Capture (store) or file the samples came from. */
  captureId: z.string().nullable(),
  file: z.string().nullable(),
  status: z.enum(['good', 'bad']),
  /** Why a receiver was left out (or a remark on a good one); empty when there is nothing to say. */
  reason: z.string(),
  /** The GPS-measured sample rate. */
  rateHz: z.number().nullable(),
});
export type LocateReceiver = z.infer<typeof locateReceiverSchema>;

export const locatePairSchema = z.object({
  /** Receiver names; dt is the arrival at a minus the arrival at b. */
  a: z.string(),
  b: z.string(),
  dtUs: z.number(),
  /** Spread (standard deviation) of the kept per-block lags. */
  rmsUs: z.number(),
  blocksUsed: z.number().int(),
  blocksTotal: z.number().int(),
  /** Median peak of the normalised correlation (0..1). */
  peak: z.number(),
  baselineKm: z.number(),
  /** The great-circle value at the fix. */
  predictedUs: z.number(),
});
export type LocatePair = z.infer<typeof locatePairSchema>;

/** A closed or open line of [lat, lon] points. */
export const polylineSchema = z.array(z.tuple([z.number(), z.number()]));

export const locateHeatmapSchema = z.object({
  /** Cell centres of the first row/column and the step, in degrees; rows run south to north. */
  lat0: z.number(),
  lon0: z.number(),
  stepLat: z.number(),
  stepLon: z.number(),
  rows: z.number().int().positive(),
  cols: z.number().int().positive(),
  /** rows x cols bytes, base64: 255 = the most likely cell, 0 = beyond the 99.9 % region. */
  likelihood: z.string(),
});
export type LocateHeatmap = z.infer<typeof locateHeatmapSchema>;

export const locateResultSchema = z.object({
  position: z.object({ lat: z.number(), lon: z.number() }),
  /** Confidence regions of the fix (Delta chi-square of 2 degrees of freedom). */
  contours: z.array(z.object({ confidence: z.number(), lines: z.array(polylineSchema) })),
  hyperbolas: z.array(z.object({ a: z.string(), b: z.string(), lines: z.array(polylineSchema) })),
  pairs: z.array(locatePairSchema),
  receivers: z.array(locateReceiverSchema),
  grid: z.object({ lat0: z.number(), lat1: z.number(), lon0: z.number(), lon1: z.number(), stepDeg: z.number(), cells: z.number().int() }),
  heatmap: locateHeatmapSchema,
  interval: z.object({ startUtc: z.string(), seconds: z.number() }),
  freqHz: z.number().nullable(),
  /** The known transmitter, when the acquisition names one, and how far the fix is from it. */
  source: z.object({ name: z.string(), lat: z.number(), lon: z.number(), distanceKm: z.number() }).nullable(),
  /** Wall-clock time of the fix. */
  elapsedMs: z.number(),
  warnings: z.array(z.string()),
});
export type LocateResult = z.infer<typeof locateResultSchema>;

/** A stored result: what it located (a session, one of its segments) and when. */
export const storedLocateSchema = locateResultSchema.extend({
  id: z.string(),
  sessionId: z.string().nullable(),
  segmentId: z.string().nullable(),
  createdAt: z.string(),
});
export type StoredLocate = z.infer<typeof storedLocateSchema>;

export const locateSummarySchema = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  segmentId: z.string().nullable(),
  createdAt: z.string(),
  lat: z.number(),
  lon: z.number(),
  receiversUsed: z.number().int(),
  sourceDistanceKm: z.number().nullable(),
});
export type LocateSummary = z.infer<typeof locateSummarySchema>;

export const locateJobSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  segmentId: z.string().nullable(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** What it is doing ('reading samples', 'correlating', 'grid'). */
  phase: z.string(),
  /** 0..1 */
  progress: z.number(),
  message: z.string(),
  /** The stored result once done. */
  resultId: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type LocateJob = z.infer<typeof locateJobSchema>;
