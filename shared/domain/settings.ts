import { z } from 'zod';

const fields = {
  stationName: z.string().trim().min(1).max(64),
  /** Sent to receivers in ident_user, so their admins know who is listening. */
  callsign: z.string().trim().max(16),
  units: z.enum(['metric', 'imperial']),
  colorMap: z.enum(['turbo', 'viridis', 'cividis', 'grayscale']),
};

/** Plain settings (no secrets: those live in the secret store, see main/secrets/). */
export const settingsSchema = z.object({
  stationName: fields.stationName.default('Heimdall Station'),
  callsign: fields.callsign.default(''),
  units: fields.units.default('metric'),
  colorMap: fields.colorMap.default('viridis'),
});
export type Settings = z.infer<typeof settingsSchema>;
/** Partial without defaults: an update changes only the fields it names (a .partial() of the defaulted schema would reset the others). */
export const settingsPatchSchema = z.object(fields).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
