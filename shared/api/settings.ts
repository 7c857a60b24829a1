/** Station settings (name, callsign, units, colour map); the central store's are in sync.ts. */
import { settingsPatchSchema, settingsSchema } from '../domain/settings';
import { empty, method } from './define';

export const methods = {
  getSettings: method(empty, settingsSchema, 'Station settings.'),
  updateSettings: method(settingsPatchSchema, settingsSchema, 'Change station settings.'),
} as const;

export const streams = {} as const;
