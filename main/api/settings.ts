import { type DomainImpl } from '../../shared/api/define';
import type * as settings from '../../shared/api/settings';
import { type SettingsRepo } from '../store/settingsRepo';

export function settingsApi(s: { settings: SettingsRepo }): DomainImpl<typeof settings> {
  return {
    getSettings: () => s.settings.get(),
    updateSettings: (patch) => s.settings.update(patch),
    streams: {},
  };
}
