import { z } from 'zod';

/** Modes offered to the operator; each client maps them to its server's names. */
export const captureModes = ['iq', 'usb', 'lsb', 'am', 'cw', 'nfm'] as const;
export const captureModeSchema = z.enum(captureModes);
export type CaptureMode = z.infer<typeof captureModeSchema>;

/** Filter edges relative to the dial (Hz); null keeps the mode's default (e.g. USB 300..2700). */
export const passbandSchema = z
  .object({ lowHz: z.number().min(-100_000).max(100_000), highHz: z.number().min(-100_000).max(100_000) })
  .refine((p) => p.highHz - p.lowHz >= 50, 'the passband must be at least 50 Hz wide (low below high)');
export type Passband = z.infer<typeof passbandSchema>;

export const linkStateSchema = z.object({
  phase: z.enum(['connecting', 'streaming', 'backoff', 'stopped', 'failed']),
  code: z.string(),
  message: z.string(),
  retryInMs: z.number().optional(),
});
export type LinkStateData = z.infer<typeof linkStateSchema>;

export const monitorReceiverSchema = z.object({
  receiverId: z.string(),
  name: z.string(),
  kind: z.enum(['kiwisdr', 'openwebrx']),
  state: linkStateSchema,
  smeterDbm: z.number().nullable(),
});

export const monitorStatusSchema = z.object({
  running: z.boolean(),
  runId: z.string().nullable(),
  freqHz: z.number().nullable(),
  mode: captureModeSchema.nullable(),
  startedAt: z.string().nullable(),
  receivers: z.array(monitorReceiverSchema),
});
export type MonitorStatus = z.infer<typeof monitorStatusSchema>;

export const startMonitorSchema = z.object({
  receiverIds: z.array(z.string()).min(1, 'choose at least one receiver').max(64, 'at most 64 receivers at once'),
  freqHz: z.number().min(10_000, 'frequency below 10 kHz').max(6_000_000_000, 'frequency above 6 GHz'),
  mode: captureModeSchema,
});

export const receiverStateEventSchema = z.object({
  receiverId: z.string(),
  state: linkStateSchema.optional(),
  smeterDbm: z.number().optional(),
});
