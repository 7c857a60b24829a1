import { settingsSchema, type Settings, type SettingsPatch } from '../../shared/domain/settings';
import { type Db } from './database';

/** Station settings; `changed` (settings.changed) fires after each update. */
export function createSettingsRepo(db: Db, changed: () => void = () => undefined) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  const get = (): Settings => {
    const raw: Record<string, unknown> = {};
    for (const row of all.all()) raw[row.key] = JSON.parse(row.value);
    // A value written by an older or newer app that no longer fits falls back to its default.
    const parsed = settingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (settingsSchema.shape[k as keyof Settings]?.safeParse(v).success) clean[k] = v;
    }
    return settingsSchema.parse(clean);
  };

  return {
    get,
    update(patch: SettingsPatch): Settings {
      const merged = settingsSchema.parse({ ...get(), ...patch });
      db.transaction(() => {
        for (const [k, v] of Object.entries(merged)) upsert.run(k, JSON.stringify(v));
      })();
      changed();
      return merged;
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
