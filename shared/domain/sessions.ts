import { z } from 'zod';
import { captureModeSchema, passbandSchema } from './monitor';

/**
 * Known transmitters and human-assisted recording sessions: the contract the UI, the CLI and the
 * session state machine share. Positions are WGS84 degrees; altitude in metres above sea level.
 */

const lat = z.number().min(-90, 'latitude is -90..90').max(90, 'latitude is -90..90');
const lon = z.number().min(-180, 'longitude is -180..180').max(180, 'longitude is -180..180');

export const knownSourceInputSchema = z.object({
  name: z.string().trim().min(1, 'give the source a name').max(255),
  frequencyHz: z.number().int().positive().max(6_000_000_000).nullable().default(null),
  lat,
  lon,
  alt: z.number().min(-500).max(9000).nullable().default(null),
  /** How far the true position may be from lat/lon (m): a surveyed mast 5, a handheld on a hill 50. */
  errorMarginM: z.number().nonnegative().max(1_000_000).default(50),
  powerDbm: z.number().min(-50).max(100).nullable().default(null),
  /** e.g. beacon, repeater, handheld, broadcast. */
  kind: z.string().trim().max(100).nullable().default(null),
  validated: z.boolean().default(false),
  notes: z.string().max(10_000).nullable().default(null),
});
export type KnownSourceInput = z.input<typeof knownSourceInputSchema>;

export const knownSourceSchema = knownSourceInputSchema.extend({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KnownSource = z.infer<typeof knownSourceSchema>;

/**
 * draft -> recording -> review -> approved | rejected; failed or aborted (with a reason) from draft,
 * recording or review. approved/rejected can go back to review (the operator changed their mind).
 */
export const sessionStates = ['draft', 'recording', 'review', 'approved', 'rejected', 'failed', 'aborted'] as const;
export const sessionStateSchema = z.enum(sessionStates);
export type SessionState = z.infer<typeof sessionStateSchema>;

export const sessionTransitions: Record<SessionState, readonly SessionState[]> = {
  draft: ['recording', 'aborted'],
  recording: ['review', 'failed', 'aborted'],
  review: ['approved', 'rejected', 'aborted'],
  approved: ['review'],
  rejected: ['review'],
  failed: [],
  aborted: [],
};

export const reviewDecisionSchema = z.enum(['pending', 'approved', 'rejected']);
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export const sessionInputSchema = z.object({
  name: z.string().trim().min(1, 'give the session a name').max(255),
  sourceId: z.string().min(1).nullable().default(null),
  freqHz: z.number().int().min(10_000, 'frequency below 10 kHz').max(6_000_000_000, 'frequency above 6 GHz'),
  mode: captureModeSchema.default('iq'),
  /** Receiver filter edges around the dial; null = the mode's default. */
  passband: passbandSchema.nullable().default(null),
  receiverIds: z.array(z.string().min(1)).min(1, 'choose at least one receiver').max(64, 'at most 64 receivers'),
  /** Seconds to record; null = until the operator stops (or the rounds are done). */
  durationSec: z.number().positive().max(24 * 3600).nullable().default(60),
  /** Key-ups to record: the recording ends a second after the operator releases the last one. */
  rounds: z.number().int().min(1).max(1000).nullable().default(null),
  notes: z.string().max(10_000).nullable().default(null),
});
export type SessionInput = z.input<typeof sessionInputSchema>;

export const segmentOriginSchema = z.enum(['operator', 'detector', 'manual']);
export type SegmentOrigin = z.infer<typeof segmentOriginSchema>;

export const segmentReviewSchema = z.object({
  receiverId: z.string(),
  receiverName: z.string(),
  captureId: z.string().nullable(),
  decision: reviewDecisionSchema,
  notes: z.string().nullable(),
  /** Mean over the capture's measurement windows inside the segment; null when none fell inside. */
  snrDb: z.number().nullable(),
  signalPowerDb: z.number().nullable(),
  noisePowerDb: z.number().nullable(),
  freqOffsetHz: z.number().nullable(),
  windows: z.number().int(),
});
export type SegmentReview = z.infer<typeof segmentReviewSchema>;

export const sessionSegmentSchema = z.object({
  id: z.string(),
  /** Unix ms of the key-up and the release. */
  startMs: z.number(),
  endMs: z.number(),
  origin: segmentOriginSchema,
  label: z.string(),
  notes: z.string().nullable(),
  reviews: z.array(segmentReviewSchema),
});
export type SessionSegment = z.infer<typeof sessionSegmentSchema>;

export const sessionCaptureSchema = z.object({
  captureId: z.string(),
  receiverId: z.string(),
  receiverName: z.string(),
  status: z.enum(['complete', 'partial', 'failed']),
  message: z.string(),
  sampleRate: z.number(),
  sampleCount: z.number(),
  datatype: z.string(),
  firstSampleUtc: z.string(),
  gpsStamped: z.boolean(),
});

export const sessionReceiverSchema = z.object({
  receiverId: z.string(),
  name: z.string(),
  kind: z.enum(['kiwisdr', 'openwebrx']),
});

export const sessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  sourceId: z.string().nullable(),
  sourceName: z.string().nullable(),
  freqHz: z.number(),
  mode: captureModeSchema,
  passband: passbandSchema.nullable(),
  receivers: z.array(sessionReceiverSchema),
  durationSec: z.number().nullable(),
  rounds: z.number().nullable(),
  state: sessionStateSchema,
  stateReason: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Key-up currently held (recording only): Unix ms of the press. */
  transmitHeldSinceMs: z.number().nullable(),
  captures: z.array(sessionCaptureSchema),
  segments: z.array(sessionSegmentSchema),
});
export type Session = z.infer<typeof sessionSchema>;

export const sessionSummarySchema = sessionSchema.pick({
  id: true,
  name: true,
  sourceName: true,
  freqHz: true,
  mode: true,
  state: true,
  stateReason: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
}).extend({ receiverCount: z.number(), segmentCount: z.number(), approvedSegments: z.number() });
export type SessionSummary = z.infer<typeof sessionSummarySchema>;


export const markTransmitSchema = z.object({
  id: z.string().min(1),
  /** 'down' when the operator presses the transmit marker, 'up' when they release it. */
  action: z.enum(['down', 'up']),
  /** Unix ms of the press/release as the operator's client saw it (default: now on the station). */
  atMs: z.number().positive().optional(),
});

export const reviewSegmentSchema = z.object({
  sessionId: z.string().min(1),
  segmentId: z.string().min(1),
  /** One receiver's recording of the segment, or every receiver when absent. */
  receiverId: z.string().min(1).optional(),
  decision: reviewDecisionSchema.optional(),
  label: z.string().trim().min(1).max(100).optional(),
  notes: z.string().max(10_000).nullable().optional(),
});

export const addSegmentSchema = z.object({
  sessionId: z.string().min(1),
  startMs: z.number().positive(),
  endMs: z.number().positive(),
  label: z.string().trim().min(1).max(100).default('transmission'),
});

export const segmentSpectrumSchema = z.object({
  /** Absolute frequency of the first bin (Hz). */
  startHz: z.number(),
  binHz: z.number(),
  db: z.array(z.number()),
  snrDb: z.number().nullable(),
  peakOffsetHz: z.number().nullable(),
});
export type SegmentSpectrum = z.infer<typeof segmentSpectrumSchema>;

export const sourcesCsvImportResultSchema = z.object({
  added: z.number(),
  updated: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
});
