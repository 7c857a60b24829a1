import {
  syncSettingsSchema,
  syncSettingsUpdateSchema,
  type SyncSettings,
  type SyncSettingsUpdate,
  type SyncSettingsView,
} from '../../shared/domain/syncSettings';
import { invalidInput, StationError } from '../../shared/errors';
import { type SecretStore } from '../secrets/secretStore';
import { type Db } from '../store/database';

const SETTINGS_KEY = 'centralStore';
export const SECRET_S3_KEY = 'centralStore.s3.secretKey';
export const SECRET_PG_PASSWORD = 'centralStore.postgres.password';

/** Settings plus the secrets, for the engine only: never returned by the API, never logged. */
export interface ResolvedSyncSettings {
  settings: SyncSettings;
  s3SecretKey: string;
  pgPassword: string;
}

/** Both targets have somewhere to go (secrets may still be wrong: that shows at the first attempt). */
export function isConfigured(r: ResolvedSyncSettings): boolean {
  return Boolean(r.settings.s3.endpoint && r.settings.postgres.url);
}

/** Splits a password out of a PostgreSQL URL, so the URL itself can be shown and stored as plain settings. */
export function splitPgUrl(url: string): { url: string; password: string | null } {
  if (!url) return { url, password: null };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StationError('invalid_input', `The PostgreSQL URL is not valid. Write it as postgres://user@host:5432/database (the password goes in its own field).`);
  }
  if (!u.password) return { url, password: null };
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

/**
 * Central-store settings live as one JSON value in the settings table; secrets go to the
 * SecretStore (0600 file, environment, or Electron safeStorage).
 */
export function createSyncSettingsRepo(db: Db, secrets: SecretStore) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare<[string, string]>('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  const get = (): SyncSettings => {
    const row = read.get(SETTINGS_KEY);
    if (!row) return syncSettingsSchema.parse({});
    let raw: unknown;
    try {
      raw = JSON.parse(row.value);
    } catch {
      raw = {};
    }
    const parsed = syncSettingsSchema.safeParse(raw);
    // Settings written by another version that no longer fit fall back to defaults rather than stop sync.
    return parsed.success ? parsed.data : syncSettingsSchema.parse({});
  };
  const view = (): SyncSettingsView => ({ ...get(), hasSecretKey: secrets.has(SECRET_S3_KEY), hasPostgresPassword: secrets.has(SECRET_PG_PASSWORD) });

  /** Merges an update onto settings without saving (testSyncConnection tries unsaved values). */
  const merge = (base: ResolvedSyncSettings, input: unknown): ResolvedSyncSettings => {
    const p = syncSettingsUpdateSchema.safeParse(input);
    if (!p.success) throw invalidInput('The central store settings', p.error);
    const u: SyncSettingsUpdate = p.data;
    let pgPassword = base.pgPassword;
    let pgUrl = u.postgres?.url;
    if (pgUrl !== undefined) {
      const split = splitPgUrl(pgUrl);
      pgUrl = split.url;
      if (split.password !== null) pgPassword = split.password;
    }
    if (u.postgresPassword !== undefined) pgPassword = u.postgresPassword ?? '';
    const merged = syncSettingsSchema.safeParse({
      ...base.settings,
      ...Object.fromEntries(Object.entries(u).filter(([k, v]) => v !== undefined && k !== 's3' && k !== 'postgres' && k !== 'secretKey' && k !== 'postgresPassword')),
      s3: { ...base.settings.s3, ...(u.s3 ?? {}) },
      postgres: { ...base.settings.postgres, ...(u.postgres ?? {}), ...(pgUrl !== undefined ? { url: pgUrl } : {}) },
    });
    if (!merged.success) throw invalidInput('The central store settings', merged.error);
    return { settings: merged.data, s3SecretKey: u.secretKey !== undefined ? (u.secretKey ?? '') : base.s3SecretKey, pgPassword };
  };

  const resolved = (): ResolvedSyncSettings => ({ settings: get(), s3SecretKey: secrets.get(SECRET_S3_KEY) ?? '', pgPassword: secrets.get(SECRET_PG_PASSWORD) ?? '' });

  return {
    get,
    view,
    resolved,
    merge,
    update(input: unknown): SyncSettingsView {
      const before = resolved();
      const next = merge(before, input);
      write.run(SETTINGS_KEY, JSON.stringify(next.settings));
      if (next.s3SecretKey !== before.s3SecretKey) secrets.set(SECRET_S3_KEY, next.s3SecretKey || null);
      if (next.pgPassword !== before.pgPassword) secrets.set(SECRET_PG_PASSWORD, next.pgPassword || null);
      return view();
    },
  };
}
export type SyncSettingsRepo = ReturnType<typeof createSyncSettingsRepo>;
