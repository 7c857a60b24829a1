/** The live monitor: listening to receivers on one frequency, their link states and waterfall rows. */
import { z } from 'zod';
import { monitorStatusSchema, receiverStateEventSchema, startMonitorSchema } from '../domain/monitor';
import { empty, method, stream } from './define';

/** Header of a batch of waterfall rows; the body holds rows x bins bytes, 0..255 = minDb..maxDb. */
export const waterfallBatchSchema = z.object({
  receiverId: z.string(),
  rows: z.number().int().nonnegative(),
  bins: z.number().int().positive(),
  startHz: z.number(),
  spanHz: z.number().positive(),
  minDb: z.number(),
  maxDb: z.number(),
  /** Unix ms of each row. */
  times: z.array(z.number()),
  /**
   * Rows of this receiver the transport dropped for this subscriber since the previous batch it
   * delivered (a slow UI, never capture); set by main/server/wsBinding.ts, 0 where nothing drops.
   */
  dropped: z.number().int().nonnegative(),
});
export type WaterfallBatch = z.infer<typeof waterfallBatchSchema>;

export const methods = {
  startMonitor: method(startMonitorSchema, monitorStatusSchema, 'Listen live to receivers on one frequency (replaces a running monitor).'),
  stopMonitor: method(empty, monitorStatusSchema, 'Stop the live monitor.'),
  getMonitor: method(empty, monitorStatusSchema, 'The live monitor and each receiver link state.'),
} as const;

export const streams = {
  receiverStates: stream(empty, receiverStateEventSchema, false, 'Link state and S-meter changes of monitored receivers.'),
  waterfall: stream(
    z.object({ receiverIds: z.array(z.string()).max(256).default([]) }),
    waterfallBatchSchema,
    true,
    'Waterfall rows of live receivers, batched per display frame.',
  ),
} as const;
