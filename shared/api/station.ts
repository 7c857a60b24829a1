/** The station itself: who and where it is, and the change events every window listens to. */
import { z } from 'zod';
import { syncStatusEventSchema } from '../domain/syncSettings';
import { exportJobSchema } from '../domain/datasets';
import { locateJobSchema } from '../domain/locate';
import { empty, method, stream } from './define';

export const stationInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  /** 'electron' inside the desktop shell, 'headless' behind `heimdall-station serve`. */
  runtime: z.enum(['electron', 'headless']),
  demo: z.boolean(),
  startedAt: z.string(),
  uncleanShutdownRecovered: z.boolean(),
});
export type StationInfo = z.infer<typeof stationInfoSchema>;

/** Published by the service that made the change (main/receivers, main/sessions, ...), never by the API layer. */
export const stationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('receivers.changed') }),
  z.object({ type: z.literal('settings.changed') }),
  z.object({ type: z.literal('health.changed') }),
  syncStatusEventSchema,
  z.object({ type: z.literal('sources.changed') }),
  z.object({ type: z.literal('sessions.changed'), sessionId: z.string() }),
  z.object({ type: z.literal('datasets.changed') }),
  z.object({ type: z.literal('export.progress'), job: exportJobSchema }),
  z.object({ type: z.literal('locate.progress'), job: locateJobSchema }),
  z.object({ type: z.literal('listen.changed'), receiverId: z.string() }),
]);
export type StationEvent = z.infer<typeof stationEventSchema>;

export const methods = {
  getStationInfo: method(empty, stationInfoSchema, 'Who and where this station is.'),
} as const;

export const streams = {
  stationEvents: stream(empty, stationEventSchema, false, 'Changes made by any client, so every window stays current.'),
} as const;
