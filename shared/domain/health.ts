import { z } from 'zod';

export const receiverHealthSchema = z.object({
  receiverId: z.string(),
  online: z.boolean().nullable(),
  lastProbeAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  latencyMs: z.number().nullable(),
  users: z.number().nullable(),
  usersMax: z.number().nullable(),
  gpsGood: z.number().nullable(),
  detail: z.string(),
  /** Share of probes in the last 24 h that found the receiver online, 0..100; null before any probe. */
  uptime24hPct: z.number().nullable(),
  probes24h: z.number(),
});
export type ReceiverHealth = z.infer<typeof receiverHealthSchema>;
