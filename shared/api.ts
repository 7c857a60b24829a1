/**
 * The StationApi contract: every method (name -> zod input, zod output) and every stream
 * (name -> params, event header, whether events carry a binary body). Both transports and the
 * core are generic over these two maps, so adding a method is one entry here plus its
 * implementation in main/api/.
 */
import { z } from 'zod';
import { receiverIdentitySchema, receiverInputSchema, receiverPatchSchema, receiverSchema, receiverUrlSchema } from './domain/receiver';
import { settingsPatchSchema, settingsSchema } from './domain/settings';
import { receiverHealthSchema } from './domain/health';
import { syncApiMethods, syncStatusEventSchema } from './domain/syncSettings';
import { monitorStatusSchema, receiverStateEventSchema, startMonitorSchema } from './domain/monitor';
import {
  addSegmentSchema,
  knownSourceInputSchema,
  knownSourceSchema,
  markTransmitSchema,
  reviewSegmentSchema,
  segmentSpectrumSchema,
  sessionInputSchema,
  sessionSchema,
  sessionSummarySchema,
  sourcesCsvImportResultSchema,
} from './domain/sessions';
import { datasetPreviewSchema, datasetSchema, datasetSpecSchema, exportDatasetSchema, exportJobSchema } from './domain/datasets';
import { locateJobSchema, locateSummarySchema, regionSchema, storedLocateSchema } from './domain/locate';
import { audioChunkSchema, listenSettingsSchema, listenStateSchema, reviewAudioParamsSchema, reviewWaterfallSchema } from './domain/audio';

const empty = z.object({}).strict().default({});
const idInput = z.object({ id: z.string().min(1) });

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

export const receiverSetSummarySchema = z.object({ id: z.string(), name: z.string(), description: z.string(), count: z.number() });

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc };
}

export const methods = {
  getStationInfo: method(empty, stationInfoSchema, 'Who and where this station is.'),
  listReceivers: method(empty, z.array(receiverSchema), 'All receivers in the registry, by name.'),
  getReceiver: method(idInput, receiverSchema, 'One receiver.'),
  createReceiver: method(receiverInputSchema, receiverSchema, 'Add a receiver.'),
  updateReceiver: method(z.object({ id: z.string().min(1), patch: receiverPatchSchema }), receiverSchema, 'Change a receiver.'),
  deleteReceiver: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a receiver.'),
  listReceiverHealth: method(empty, z.array(receiverHealthSchema), 'Latest health probe and 24 h uptime of every receiver.'),
  probeReceivers: method(
    z.object({ ids: z.array(z.string()).max(1000).optional() }).default({}),
    z.array(receiverHealthSchema),
    'Probe receivers now (all active ones, or those given) and return their health.',
  ),
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
  startMonitor: method(startMonitorSchema, monitorStatusSchema, 'Listen live to receivers on one frequency (replaces a running monitor).'),
  stopMonitor: method(empty, monitorStatusSchema, 'Stop the live monitor.'),
  getMonitor: method(empty, monitorStatusSchema, 'The live monitor and each receiver link state.'),
  getSettings: method(empty, settingsSchema, 'Station settings.'),
  // Central-store sync: status, settings (secrets write-only), connection test, pause/resume/retry.
  ...syncApiMethods,
  updateSettings: method(settingsPatchSchema, settingsSchema, 'Change station settings.'),
  listKnownSources: method(empty, z.array(knownSourceSchema), 'Known transmitters, by name.'),
  createKnownSource: method(knownSourceInputSchema, knownSourceSchema, 'Add a known transmitter (the operator at a surveyed point counts).'),
  updateKnownSource: method(z.object({ id: z.string().min(1), patch: knownSourceInputSchema.partial() }), knownSourceSchema, 'Change a known transmitter.'),
  deleteKnownSource: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a known transmitter no session uses.'),
  importKnownSourcesCsv: method(
    z.object({ text: z.string().max(5_000_000), dryRun: z.boolean().default(false) }),
    sourcesCsvImportResultSchema,
    'Import known transmitters from CSV (same columns as the export); rows with a known name update it.',
  ),
  exportKnownSourcesCsv: method(empty, z.object({ text: z.string() }), 'All known transmitters as CSV.'),
  listSessions: method(empty, z.array(sessionSummarySchema), 'Recording sessions, newest first.'),
  getSession: method(idInput, sessionSchema, 'One recording session with its captures, segments and reviews.'),
  createSession: method(sessionInputSchema, sessionSchema, 'Plan a recording session (draft).'),
  startSession: method(idInput, sessionSchema, 'Start recording a draft session (stops the live monitor).'),
  markTransmit: method(markTransmitSchema, sessionSchema, 'The operator pressed or released the transmit marker.'),
  stopSession: method(idInput, sessionSchema, 'Stop recording; the session goes to review once the captures are stored.'),
  abortSession: method(z.object({ id: z.string().min(1), reason: z.string().trim().min(1).max(1000) }), sessionSchema, 'Give up on a session (the captures are kept).'),
  addSegment: method(addSegmentSchema, sessionSchema, 'Mark a transmission by hand during review.'),
  deleteSegment: method(z.object({ sessionId: z.string().min(1), segmentId: z.string().min(1) }), sessionSchema, 'Remove a segment.'),
  reviewSegment: method(reviewSegmentSchema, sessionSchema, "Approve or reject a segment (or one receiver's recording of it), label it, add notes."),
  decideSession: method(
    z.object({ id: z.string().min(1), decision: z.enum(['approved', 'rejected', 'review']), notes: z.string().max(10_000).nullable().optional() }),
    sessionSchema,
    'Approve or reject a reviewed session, or reopen its review.',
  ),
  getSegmentSpectrum: method(
    z.object({ sessionId: z.string().min(1), segmentId: z.string().min(1), receiverId: z.string().min(1) }),
    segmentSpectrumSchema,
    "The spectrum (Welch PSD) of one receiver's recording of a segment.",
  ),
  importRecordings: method(
    z.object({
      paths: z.array(z.string().min(1)).min(1).max(10_000),
      freqHz: z.number().positive().optional(),
      receiverUrl: z.string().url().max(512).optional(),
      receiverName: z.string().min(1).max(255).optional(),
      /** The known transmitter heard (id or name), as the acquisitions' ground truth. */
      source: z.string().min(1).max(255).optional(),
      /** File recordings of the same moment as one acquisition (a session in review). */
      acquisitions: z.boolean().default(true),
    }),
    z.object({
      imported: z.number(),
      failed: z.number(),
      files: z.array(
        z.object({
          file: z.string(),
          ok: z.boolean(),
          format: z.string().optional(),
          captureId: z.string().optional(),
          receiverName: z.string().optional(),
          receiverCreated: z.boolean().optional(),
          positionFile: z.string().optional(),
          samples: z.number().optional(),
          sampleRate: z.number().optional(),
          freqHz: z.number().optional(),
          firstSampleUtc: z.string().optional(),
          gpsStamped: z.boolean().optional(),
          gpsRateHz: z.number().optional(),
          stampsRejected: z.number().optional(),
          segments: z.number().optional(),
          status: z.string().optional(),
          sessionId: z.string().optional(),
          warnings: z.array(z.string()).optional(),
          error: z.string().optional(),
        }),
      ),
      acquisitions: z.array(z.object({ sessionId: z.string(), name: z.string(), freqHz: z.number(), startUtc: z.string(), captures: z.number(), receivers: z.array(z.string()) })),
    }),
    'Import kiwirecorder IQ .wav files and SigMF recordings/archives (paths on the station machine) as captures; recordings of one moment become an acquisition in review.',
  ),
  listDatasets: method(empty, z.array(datasetSchema), 'Datasets, newest first, with their counts and exports.'),
  previewDataset: method(datasetSpecSchema, datasetPreviewSchema, 'What a dataset with these filters would hold (counts and splits), without saving it.'),
  createDataset: method(datasetSpecSchema, datasetSchema, 'Save a dataset definition.'),
  deleteDataset: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a dataset definition (exported files stay).'),
  exportDataset: method(exportDatasetSchema, exportJobSchema, 'Start exporting a dataset; progress arrives as export.progress events.'),
  cancelExport: method(idInput, exportJobSchema, 'Cancel a running export (nothing is left half-written).'),
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
  getListen: method(empty, z.array(listenStateSchema), 'How each receiver of the running monitor or recording is heard: demodulator, passband, where the sound comes from.'),
  setListen: method(
    z.object({ receiverId: z.string().min(1), listen: listenSettingsSchema }),
    listenStateSchema,
    "Change how a live receiver is demodulated (IQ: in the station; a receiver's own audio: on the receiver, Live monitor only).",
  ),
  getReviewWaterfall: method(
    z
      .object({ sessionId: z.string().min(1), receiverId: z.string().min(1), startMs: z.number(), endMs: z.number(), listen: listenSettingsSchema.optional() })
      .refine((p) => p.endMs > p.startMs, 'the end must come after the start'),
    reviewWaterfallSchema,
    "The waterfall of one receiver's stored samples between two times (for review).",
  ),
} as const;

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
  /** Rows the core dropped for this subscriber since the previous batch (slow UI, never capture). */
  dropped: z.number().int().nonnegative(),
});
export type WaterfallBatch = z.infer<typeof waterfallBatchSchema>;

export function stream<P extends z.ZodType, H extends z.ZodType>(params: P, header: H, binary: boolean, doc: string) {
  return { params, header, binary, doc };
}

export const streams = {
  stationEvents: stream(empty, stationEventSchema, false, 'Changes made by any client, so every window stays current.'),
  receiverStates: stream(empty, receiverStateEventSchema, false, 'Link state and S-meter changes of monitored receivers.'),
  waterfall: stream(
    z.object({ receiverIds: z.array(z.string()).max(256).default([]) }),
    waterfallBatchSchema,
    true,
    'Waterfall rows of live receivers, batched per display frame.',
  ),
  audio: stream(
    z.object({ receiverIds: z.array(z.string()).min(1, 'name the receivers to listen to').max(64) }),
    audioChunkSchema,
    true,
    'Audio (int16 LE mono) of live receivers of the monitor or a recording session; dropped, never queued, when the listener lags.',
  ),
  reviewAudio: stream(reviewAudioParamsSchema, audioChunkSchema, true, "A session's stored samples played in real time (several receivers in step, for A/B); the last chunk per receiver has end set."),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Streams = typeof streams;
export type StreamName = keyof Streams;
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
export type StreamParsedParams<S extends StreamName> = z.output<Streams[S]['params']>;
export type StreamHeader<S extends StreamName> = z.output<Streams[S]['header']>;
/** One event of a stream: a validated JSON header and, for binary streams, the bytes. */
export interface StreamEvent<S extends StreamName> {
  header: StreamHeader<S>;
  body?: Uint8Array;
}

export const methodNames = Object.keys(methods) as MethodName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
export function isStreamName(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(streams, name);
}

/** What main/api/ implements: each method gets its parsed input; each stream pushes events until aborted. */
export type StationApiImpl = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
} & {
  streams: {
    [S in StreamName]: (params: StreamParsedParams<S>, emit: (event: StreamEvent<S>) => void, signal: AbortSignal) => void;
  };
};
