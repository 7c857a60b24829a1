import { z } from 'zod';

export const receiverKinds = ['kiwisdr', 'openwebrx'] as const;
export const receiverKindSchema = z.enum(receiverKinds);
export type ReceiverKind = z.infer<typeof receiverKindSchema>;

/** http(s) URL of the receiver's web page; ws(s) URLs are derived from it by the clients. */
export const receiverUrlSchema = z
  .string()
  .trim()
  .min(1, 'a URL is required')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// address such as http://host:8073/');

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** What the API returns: never the password, only whether one is stored. */
export const receiverSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: receiverKindSchema,
  url: z.string(),
  lat: latitude.nullable(),
  lon: longitude.nullable(),
  alt: z.number().nullable(),
  active: z.boolean(),
  notes: z.string(),
  hasPassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Receiver = z.infer<typeof receiverSchema>;

const receiverFields = {
  name: z.string().trim().min(1, 'a name is required').max(255),
  kind: receiverKindSchema,
  url: receiverUrlSchema,
  lat: latitude.nullable(),
  lon: longitude.nullable(),
  alt: z.number().min(-500).max(9000).nullable(),
  active: z.boolean(),
  notes: z.string().max(10_000),
  /** Write-only. Empty string clears a stored password; absent leaves it unchanged. */
  password: z.string().max(255).optional(),
};

export const receiverInputSchema = z.object({
  ...receiverFields,
  lat: receiverFields.lat.default(null),
  lon: receiverFields.lon.default(null),
  alt: receiverFields.alt.default(null),
  active: receiverFields.active.default(true),
  notes: receiverFields.notes.default(''),
});
export type ReceiverInput = z.input<typeof receiverInputSchema>;

/** No defaults here: a field left out of a patch stays as it is. */
export const receiverPatchSchema = z.object(receiverFields).partial();

/** A receiver set shipped in resources/receivers/ (file format, validated on load). */
export const receiverSetFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  receivers: z.array(receiverInputSchema.omit({ password: true })),
});
export type ReceiverSetFile = z.infer<typeof receiverSetFileSchema>;

/** What a receiver's status endpoint says about it (KiwiSDR /status, OpenWebRX /status.json). */
export const receiverIdentitySchema = z.object({
  kind: receiverKindSchema,
  name: z.string(),
  lat: latitude.nullable(),
  lon: longitude.nullable(),
  alt: z.number().nullable(),
  online: z.boolean(),
  /** Software version or kind, for the operator. */
  detail: z.string(),
});
export type ReceiverIdentity = z.infer<typeof receiverIdentitySchema>;
