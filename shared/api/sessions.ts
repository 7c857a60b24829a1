/** Recording sessions: planning, recording, review; and recordings imported from files (acquisitions are sessions in review). */
import { z } from 'zod';
import { addSegmentSchema, markTransmitSchema, reviewSegmentSchema, segmentSpectrumSchema, sessionInputSchema, sessionSchema, sessionSummarySchema } from '../domain/sessions';
import { empty, idInput, method } from './define';

export const methods = {
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
} as const;

export const streams = {} as const;
