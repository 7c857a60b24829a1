/** The receiver registry: receivers, shipped receiver sets, list import, identifying a URL. */
import { z } from 'zod';
import { receiverIdentitySchema, receiverInputSchema, receiverPatchSchema, receiverSchema, receiverUrlSchema } from '../domain/receiver';
import { empty, idInput, method } from './define';

export const receiverSetSummarySchema = z.object({ id: z.string(), name: z.string(), description: z.string(), count: z.number() });

export const methods = {
  listReceivers: method(empty, z.array(receiverSchema), 'All receivers in the registry, by name.'),
  getReceiver: method(idInput, receiverSchema, 'One receiver.'),
  createReceiver: method(receiverInputSchema, receiverSchema, 'Add a receiver.'),
  updateReceiver: method(z.object({ id: z.string().min(1), patch: receiverPatchSchema }), receiverSchema, 'Change a receiver.'),
  deleteReceiver: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a receiver.'),
  identifyReceiver: method(
    z.object({ url: receiverUrlSchema }),
    receiverIdentitySchema,
    "Ask the receiver at a URL what it is (KiwiSDR /status or OpenWebRX /status.json): kind, name, position.",
  ),
  listReceiverSets: method(empty, z.array(receiverSetSummarySchema), 'Receiver sets shipped with the station.'),
  loadReceiverSet: method(
    z.object({ setId: z.string().min(1) }),
    z.object({ added: z.number(), skipped: z.number() }),
    'Add the receivers of a shipped set that are not in the registry yet (matched by URL).',
  ),
  importReceivers: method(
    z.object({
      text: z.string().max(20_000_000),
      format: z.enum(['auto', 'heimdall', 'kiwisdr_com', 'receiverbook']).default('auto'),
      /** Only report what would be added. */
      dryRun: z.boolean().default(false),
    }),
    z.object({
      format: z.enum(['heimdall', 'kiwisdr_com', 'receiverbook']),
      found: z.number(),
      added: z.number(),
      skipped: z.number(),
      rejected: z.array(z.object({ entry: z.string(), reason: z.string() })),
    }),
    'Import a receiver list (Heimdall JSON, kiwisdr.com kiwisdr_com.js, receiverbook.de); receivers already present (same URL) are skipped.',
  ),
} as const;

export const streams = {} as const;
