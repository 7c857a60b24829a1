/** TDoA location of a session's transmitter, and the stored fixes. */
import { z } from 'zod';
import { locateJobSchema, locateSummarySchema, regionSchema, storedLocateSchema } from '../domain/locate';
import { idInput, method } from './define';

export const methods = {
  locateSession: method(
    z.object({
      sessionId: z.string().min(1),
      /** One segment; without it the approved segments, else those not rejected, else the whole recording. */
      segmentId: z.string().min(1).nullable().optional(),
      region: regionSchema.optional(),
      stepDeg: z.number().min(0.001).max(10).optional(),
    }),
    locateJobSchema,
    "Start locating a session's transmitter by TDoA from its KiwiSDR IQ recordings; progress arrives as locate.progress events, the fix is stored per acquisition.",
  ),
  cancelLocate: method(idInput, locateJobSchema, 'Cancel a running locate job (nothing is stored).'),
  listLocates: method(z.object({ sessionId: z.string().min(1).optional() }).default({}), z.array(locateSummarySchema), 'Stored TDoA fixes, newest first (of one session when given).'),
  getLocate: method(idInput, storedLocateSchema, 'One stored TDoA fix with its heatmap, contours, hyperbolas, pairs and receivers.'),
} as const;

export const streams = {} as const;
