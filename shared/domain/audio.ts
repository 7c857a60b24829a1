import { z } from 'zod';

/**
 * Listening: how a receiver's signal becomes sound, and the audio the station streams to the UI.
 * Pure types and helpers shared by the core (demodulators, receiver links) and the renderer
 * (speaker controls, passband on the waterfall).
 */

export const listenModes = ['am', 'nfm', 'usb', 'lsb', 'cw'] as const;
export const listenModeSchema = z.enum(listenModes);
export type ListenMode = z.infer<typeof listenModeSchema>;

/**
 * A demodulator setting. `lowHz`/`highHz` are the passband edges as offsets from the dial in RF
 * terms (the band shaded on the waterfall: a USB voice channel is 300..2700, LSB -2700..-300).
 * `bfoHz` is the CW pitch: a carrier on the dial is heard as a tone of that frequency.
 */
export const listenSettingsSchema = z
  .object({
    mode: listenModeSchema,
    lowHz: z.number().min(-12_000).max(12_000),
    highHz: z.number().min(-12_000).max(12_000),
    bfoHz: z.number().min(-3000).max(3000).default(700),
  })
  .refine((s) => s.highHz - s.lowHz >= 50, 'the passband must be at least 50 Hz wide (low below high)');
export type ListenSettings = z.output<typeof listenSettingsSchema>;

export const LISTEN_DEFAULTS: Record<ListenMode, ListenSettings> = {
  am: { mode: 'am', lowHz: -4500, highHz: 4500, bfoHz: 700 },
  nfm: { mode: 'nfm', lowHz: -5500, highHz: 5500, bfoHz: 700 },
  usb: { mode: 'usb', lowHz: 300, highHz: 2700, bfoHz: 700 },
  lsb: { mode: 'lsb', lowHz: -2700, highHz: -300, bfoHz: 700 },
  cw: { mode: 'cw', lowHz: -250, highHz: 250, bfoHz: 700 },
};

/** Passband edges no demodulator goes beyond at a given sample rate (just inside Nyquist). */
export function clampListen(s: ListenSettings, sampleRate: number): ListenSettings {
  const lim = Math.floor(sampleRate / 2 - 50);
  const lowHz = Math.max(-lim, Math.min(lim - 50, Math.round(s.lowHz)));
  const highHz = Math.min(lim, Math.max(lowHz + 50, Math.round(s.highHz)));
  return { ...s, lowHz, highHz, bfoHz: Math.round(s.bfoHz) };
}

/**
 * The station's capture modes as listen settings: a demodulated capture mode is itself the
 * setting; IQ has no mode of its own, and the station demodulates it as CW by default, because what
 * a localisation station records is mostly carriers and beacons (a carrier on the dial is a clear
 * tone in CW, and silent in AM or SSB).
 */
export function listenFromCaptureMode(mode: string, passband: { lowHz: number; highHz: number } | null | undefined): ListenSettings {
  const m = (listenModes as readonly string[]).includes(mode) ? (mode as ListenMode) : 'cw';
  const d = LISTEN_DEFAULTS[m];
  if (!passband || mode === 'iq') return { ...d };
  if (m === 'cw') return fromServerCw(passband);
  return { ...d, lowHz: passband.lowHz, highHz: passband.highHz };
}

/**
 * Receivers demodulate CW as an upper sideband whose passband is in audio terms: the carrier on the
 * dial sounds at the passband's centre. These two convert between that and the settings above.
 */
export function toServerCw(s: ListenSettings): { lowHz: number; highHz: number } {
  return { lowHz: Math.round(s.lowHz + s.bfoHz), highHz: Math.round(s.highHz + s.bfoHz) };
}
export function fromServerCw(pb: { lowHz: number; highHz: number }): ListenSettings {
  const pitch = Math.round((pb.lowHz + pb.highHz) / 2);
  return { mode: 'cw', lowHz: pb.lowHz - pitch, highHz: pb.highHz - pitch, bfoHz: pitch };
}

/** Where a receiver's sound comes from. */
export const audioSourceSchema = z.enum([
  /** The station demodulates the receiver's IQ in its audio worker: every mode, any passband. */
  'iq',
  /** The receiver's own demodulated audio (OpenWebRX, or a KiwiSDR streaming a mode rather than IQ). */
  'receiver',
]);
export type AudioSource = z.infer<typeof audioSourceSchema>;

export const listenStateSchema = z.object({
  receiverId: z.string(),
  source: audioSourceSchema,
  listen: listenSettingsSchema,
  /** Whether mode and passband can change now; when not, `reason` says why. */
  adjustable: z.boolean(),
  reason: z.string().nullable(),
  sampleRate: z.number().nullable(),
});
export type ListenState = z.infer<typeof listenStateSchema>;

/** Header of one audio chunk; the body holds `samples` int16 little-endian mono samples. */
export const audioChunkSchema = z.object({
  receiverId: z.string(),
  sampleRate: z.number().positive(),
  samples: z.number().int().nonnegative(),
  /** Per receiver and stream, +1 per chunk; a jump means chunks were dropped on the way. */
  seq: z.number().int().nonnegative(),
  /** Receiver time of the first sample (Unix ms): GPS time where the receiver stamps it. */
  t0Ms: z.number(),
  /** Live: station clock (Unix ms) when the receiver's block behind this chunk arrived. Review: null. */
  arrivedMs: z.number().nullable(),
  source: audioSourceSchema,
  listen: listenSettingsSchema,
  /** Chunks the station dropped for this receiver since the previous one (the listener lagged). */
  dropped: z.number().int().nonnegative(),
  /** Review: the last chunk of the range asked for. */
  end: z.boolean().default(false),
});
export type AudioChunk = z.infer<typeof audioChunkSchema>;

export const reviewAudioParamsSchema = z
  .object({
    sessionId: z.string().min(1),
    receiverIds: z.array(z.string().min(1)).min(1, 'choose a receiver to play').max(8, 'at most 8 receivers at once'),
    startMs: z.number(),
    endMs: z.number(),
    /** Demodulator per receiver for IQ recordings (absent: the session's mode, or CW for IQ). */
    listen: z.record(z.string(), listenSettingsSchema).default({}),
  })
  .refine((p) => p.endMs > p.startMs, 'the end must come after the start')
  .refine((p) => p.endMs - p.startMs <= 15 * 60_000, 'play at most 15 minutes at once');

export const reviewWaterfallSchema = z.object({
  receiverId: z.string(),
  /** Unix ms of the first row's start and the time each row covers. */
  t0Ms: z.number(),
  rowMs: z.number().positive(),
  rows: z.number().int().nonnegative(),
  bins: z.number().int().positive(),
  /** Absolute frequency (Hz) of bin 0's centre and the bin width; audio recordings: audio Hz from 0. */
  startHz: z.number(),
  binHz: z.number().positive(),
  /** What the frequency axis is: RF (IQ) or the audio of a demodulated recording. */
  axis: z.enum(['rf', 'audio']),
  minDb: z.number(),
  maxDb: z.number(),
  /** rows x bins bytes (0..255 = minDb..maxDb), oldest row first, base64. */
  data: z.string(),
  source: audioSourceSchema,
  listen: listenSettingsSchema,
});
export type ReviewWaterfall = z.infer<typeof reviewWaterfallSchema>;
