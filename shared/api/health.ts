/** Receiver health: the latest probe and uptime of every receiver, and probing on demand. */
import { z } from 'zod';
import { receiverHealthSchema } from '../domain/health';
import { empty, method } from './define';

export const methods = {
  listReceiverHealth: method(empty, z.array(receiverHealthSchema), 'Latest health probe and 24 h uptime of every receiver.'),
  probeReceivers: method(
    z.object({ ids: z.array(z.string()).max(1000).optional() }).default({}),
    z.array(receiverHealthSchema),
    'Probe receivers now (all active ones, or those given) and return their health.',
  ),
} as const;

export const streams = {} as const;
