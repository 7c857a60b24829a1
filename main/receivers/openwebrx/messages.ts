/** OpenWebRX JSON messages (server -> client), validated: the socket is a trust boundary. */
import { z } from 'zod';

/**
 * Config arrives in parts (global keys, then the SDR's) and later as changes only; a key the new
 * profile lacks arrives as null, meaning "deleted". Every field is therefore nullable, and the
 * client merges and drops nulls (one unexpected null must not discard the whole message).
 */
export const owrxConfigSchema = z
  .object({
    samp_rate: z.number().positive().nullish(),
    center_freq: z.number().nullish(),
    start_freq: z.number().nullish(),
    start_offset_freq: z.number().nullish(),
    start_mod: z.string().nullish(),
    fft_size: z.number().int().positive().nullish(),
    fft_compression: z.enum(['none', 'adpcm']).nullish(),
    audio_compression: z.enum(['none', 'adpcm']).nullish(),
    waterfall_levels: z.object({ min: z.number(), max: z.number() }).nullish(),
    sdr_id: z.string().nullish(),
    profile_id: z.string().nullish(),
    max_clients: z.number().nullish(),
  })
  .passthrough();
export type OwrxConfig = z.infer<typeof owrxConfigSchema>;

export const owrxMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('config'), value: owrxConfigSchema }),
  z.object({ type: z.literal('smeter'), value: z.number() }),
  z.object({ type: z.literal('backoff'), reason: z.string().optional() }),
  z.object({ type: z.literal('sdr_error'), value: z.string() }),
  z.object({ type: z.literal('demodulator_error'), value: z.string() }),
  z.object({ type: z.literal('profiles'), value: z.array(z.object({ id: z.string(), name: z.string() })) }),
  z.object({ type: z.literal('receiver_details'), value: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('clients'), value: z.number() }),
  z.object({ type: z.literal('cpuusage'), value: z.number() }),
  z.object({ type: z.literal('features'), value: z.unknown() }),
  z.object({ type: z.literal('modes'), value: z.unknown() }),
  z.object({ type: z.literal('metadata'), value: z.unknown() }),
  z.object({ type: z.literal('log_message'), value: z.string() }),
]);
export type OwrxMessage = z.infer<typeof owrxMessageSchema>;

/** Parses one text frame; null for the handshake line or anything not understood (ignored safely). */
export function parseOwrxText(text: string): OwrxMessage | { type: 'handshake'; version: string } | null {
  if (text.startsWith('CLIENT DE SERVER')) {
    const m = /version=(\S+)/.exec(text);
    return { type: 'handshake', version: m?.[1] ?? 'unknown' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = owrxMessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const owrxStatusSchema = z.object({
  receiver: z.object({ name: z.string().default(''), gps: z.object({ lat: z.number(), lon: z.number() }).partial().optional(), asl: z.number().optional(), location: z.string().optional() }).passthrough(),
  clients: z.number().optional(),
  max_clients: z.number().optional(),
  version: z.string().optional(),
  sw_version: z.string().optional(),
  sdrs: z
    .array(z.object({ name: z.string(), type: z.string().optional(), profiles: z.array(z.object({ name: z.string(), center_freq: z.number(), sample_rate: z.number() })).default([]) }))
    .default([]),
});
export type OwrxStatus = z.infer<typeof owrxStatusSchema>;
