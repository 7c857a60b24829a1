import fs from 'node:fs';
import path from 'node:path';

/**
 * Credentials (receiver passwords, S3 keys, database passwords) live here, never in settings,
 * logs or API replies. Headless: a 0600 JSON file in the data directory. The Electron shell
 * passes an implementation backed by safeStorage (electron/safeStorageSecrets.ts).
 */
export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, value: string | null): void;
  has(key: string): boolean;
}

/** Reads and writes a string map as bytes; the file store encrypts nothing, the Electron one does. */
export interface SecretCodec {
  encode(plain: string): Buffer;
  decode(stored: Buffer): string;
}

const plainCodec: SecretCodec = { encode: (s) => Buffer.from(s, 'utf8'), decode: (b) => b.toString('utf8') };

export function fileSecretStore(file: string, codec: SecretCodec = plainCodec): SecretStore {
  let cache: Record<string, string> | null = null;
  const load = (): Record<string, string> => {
    if (cache) return cache;
    try {
      const parsed: unknown = JSON.parse(codec.decode(fs.readFileSync(file)));
      cache = parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`The secrets file ${file} cannot be read (${(e as Error).message}). Restore it or delete it and enter the credentials again.`);
      }
      cache = {};
    }
    return cache;
  };
  const save = (data: Record<string, string>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, codec.encode(JSON.stringify(data)));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fs.chmodSync(file, 0o600);
  };
  return {
    get: (key) => load()[key],
    has: (key) => key in load(),
    set(key, value) {
      const data = { ...load() };
      if (value === null || value === '') delete data[key];
      else data[key] = value;
      save(data);
      cache = data;
    },
  };
}

/** Environment variables win over the file, for stations configured by their service manager. */
export function withEnvironmentOverrides(store: SecretStore, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const envKey = (key: string) => `HEIMDALL_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  return {
    get: (key) => env[envKey(key)] ?? store.get(key),
    has: (key) => envKey(key) in env || store.has(key),
    set: (key, value) => store.set(key, value),
  };
}
