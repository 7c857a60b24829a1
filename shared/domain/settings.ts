import { z } from 'zod';

/** Plain settings (no secrets: those live in the secret store, see main/secrets/). */
export const settingsSchema = z.object({
  stationName: z.string().trim().min(1).max(64).default('Heimdall Station'),
  /** Sent to receivers in ident_user, so their admins know who is listening. */
  callsign: z.string().trim().max(16).default(''),
  units: z.enum(['metric', 'imperial']).default('metric'),
  colorMap: z.enum(['turbo', 'viridis', 'cividis', 'grayscale']).default('viridis'),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
export const defaultSettings: Settings = settingsSchema.parse({});
