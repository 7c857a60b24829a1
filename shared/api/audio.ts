/** Listening: demodulation of live receivers, live audio, and the stored samples of a session (waterfall and playback). */
import { z } from 'zod';
import { audioChunkSchema, listenSettingsSchema, listenStateSchema, reviewAudioParamsSchema, reviewWaterfallSchema } from '../domain/audio';
import { empty, method, stream } from './define';

export const methods = {
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

export const streams = {
  audio: stream(
    z.object({ receiverIds: z.array(z.string()).min(1, 'name the receivers to listen to').max(64) }),
    audioChunkSchema,
    true,
    'Audio (int16 LE mono) of live receivers of the monitor or a recording session; dropped, never queued, when the listener lags.',
  ),
  reviewAudio: stream(reviewAudioParamsSchema, audioChunkSchema, true, "A session's stored samples played in real time (several receivers in step, for A/B); the last chunk per receiver has end set."),
} as const;
