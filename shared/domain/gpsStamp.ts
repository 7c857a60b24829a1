import { z } from 'zod';

/**
 * One KiwiSDR block's GPS stamp exactly as received (SND frame bytes 10-19, or kiwirecorder's `kiwi`
 * chunk): kept so the time base can be rebuilt, audited and exported, never only the time derived from it.
 */
export const gpsStampSchema = z.object({
  /** Index (in the recording) of the block's first sample; negative when the block began before the recording's first sample. */
  sampleIndex: z.number().int(),
  /** The receiver's frame sequence number; null where the source does not keep it (kiwirecorder files). */
  seq: z.number().int().nonnegative().nullable(),
  /** Seconds since the receiver's last GPS fix (`last_gps_solution`); 255 = no GPS clock. */
  fixAgeSec: z.number().int().min(0).max(255),
  /** GPS seconds of the week and nanoseconds of the block's first sample. */
  gpssec: z.number().int().nonnegative(),
  gpsnsec: z.number().int().nonnegative(),
});
export type GpsStamp = z.infer<typeof gpsStampSchema>;
