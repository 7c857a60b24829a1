/** Messages between the audio service (main thread) and its worker, validated on arrival. */
import { z } from 'zod';
import { listenSettingsSchema } from '../../shared/domain/audio';

/** One stored recording to play (or draw) from a sample range. */
export const storedRangeSchema = z.object({
  receiverId: z.string(),
  file: z.string(),
  datatype: z.string(),
  sampleRate: z.number().positive(),
  startSample: z.number().int().nonnegative(),
  endSample: z.number().int().nonnegative(),
  /** Wall-clock time (Unix ms) of startSample, from the capture's clock. */
  t0Ms: z.number(),
  /** Demodulate (IQ recordings) with these settings; audio recordings play as they are. */
  listen: listenSettingsSchema,
});
export type StoredRange = z.infer<typeof storedRangeSchema>;

export const audioRequestSchema = z.discriminatedUnion('t', [
  /** A block of live IQ (int16 interleaved, host order) to demodulate. */
  z.object({ t: z.literal('live'), receiverId: z.string(), sampleRate: z.number().positive(), iq: z.instanceof(ArrayBuffer), t0Ms: z.number(), arrivedMs: z.number(), listen: listenSettingsSchema }),
  z.object({ t: z.literal('forget'), receiverId: z.string() }),
  /**
   * Plays stored ranges in real time from `startMs` (wall clock of the recording): each range
   * starts where its own samples are at that time (silence first where it started later).
   */
  z.object({ t: z.literal('review'), jobId: z.number().int(), startMs: z.number(), ranges: z.array(storedRangeSchema).min(1), leadMs: z.number().nonnegative() }),
  z.object({ t: z.literal('reviewStop'), jobId: z.number().int() }),
  /** A spectrogram of a stored range: `rows` rows of `bins` bins. */
  z.object({ t: z.literal('waterfall'), id: z.number().int(), range: storedRangeSchema, rows: z.number().int().min(1).max(2000), bins: z.number().int().min(16).max(4096), freqHz: z.number() }),
]);
export type AudioRequest = z.infer<typeof audioRequestSchema>;

// Two 'waterfall' shapes share a tag, so this is a plain union.
export const audioResponseSchema = z.union([
  z.object({
    t: z.literal('pcm'),
    receiverId: z.string(),
    /** null for live audio, the review job otherwise. */
    jobId: z.number().int().nullable(),
    sampleRate: z.number().positive(),
    /** int16 mono, host order. */
    pcm: z.instanceof(ArrayBuffer),
    t0Ms: z.number(),
    arrivedMs: z.number().nullable(),
    listen: listenSettingsSchema,
    end: z.boolean(),
  }),
  z.object({
    t: z.literal('waterfall'),
    id: z.number().int(),
    ok: z.literal(true),
    rows: z.number().int(),
    bins: z.number().int(),
    t0Ms: z.number(),
    rowMs: z.number(),
    startHz: z.number(),
    binHz: z.number(),
    minDb: z.number(),
    maxDb: z.number(),
    data: z.instanceof(ArrayBuffer),
  }),
  z.object({ t: z.literal('waterfall'), id: z.number().int(), ok: z.literal(false), error: z.string() }),
  z.object({ t: z.literal('error'), jobId: z.number().int().nullable(), receiverId: z.string().nullable(), message: z.string() }),
]);
export type AudioResponse = z.infer<typeof audioResponseSchema>;
