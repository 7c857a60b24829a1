import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type receiverInputSchema, type receiverPatchSchema, type Receiver } from '../../shared/domain/receiver';
import { StationError } from '../../shared/errors';
import { type Db } from '../store/database';
import { type SecretStore } from '../secrets/secretStore';

interface ReceiverRow {
  id: string;
  name: string;
  kind: 'kiwisdr' | 'openwebrx';
  url: string;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  active: number;
  notes: string;
  created_at: string;
  updated_at: string;
}

type ParsedInput = z.output<typeof receiverInputSchema>;
type ParsedPatch = z.output<typeof receiverPatchSchema>;

const passwordKey = (id: string) => `receiver:${id}:password`;

/** Same receiver, however the operator typed it: lower-case host, explicit trailing slash. */
export function normalizeReceiverUrl(url: string): string {
  const u = new URL(url.trim());
  u.hash = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.toString();
}

export function createReceiverRegistry(db: Db, secrets: SecretStore) {
  const toReceiver = (r: ReceiverRow): Receiver => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    lat: r.lat,
    lon: r.lon,
    alt: r.alt,
    active: r.active === 1,
    notes: r.notes,
    hasPassword: secrets.has(passwordKey(r.id)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const byId = db.prepare<[string], ReceiverRow>('SELECT * FROM receivers WHERE id = ?');
  const byUrl = db.prepare<[string], ReceiverRow>('SELECT * FROM receivers WHERE url = ?');
  const list = db.prepare<[], ReceiverRow>('SELECT * FROM receivers ORDER BY name COLLATE NOCASE, id');
  const insert = db.prepare(
    `INSERT INTO receivers (id, name, kind, url, lat, lon, alt, active, notes, created_at, updated_at)
     VALUES (@id, @name, @kind, @url, @lat, @lon, @alt, @active, @notes, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE receivers SET name=@name, kind=@kind, url=@url, lat=@lat, lon=@lon, alt=@alt, active=@active, notes=@notes, updated_at=@now WHERE id=@id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM receivers WHERE id = ?');

  const mustGet = (id: string): ReceiverRow => {
    const row = byId.get(id);
    if (!row) throw new StationError('not_found', `No receiver with id ${id}. It may have been deleted; reload the list.`);
    return row;
  };
  const assertUrlFree = (url: string, exceptId?: string) => {
    const other = byUrl.get(url);
    if (other && other.id !== exceptId) {
      throw new StationError('conflict', `The receiver "${other.name}" already has the URL ${url}. Edit that one instead of adding it twice.`);
    }
  };

  return {
    list: (): Receiver[] => list.all().map(toReceiver),
    get: (id: string): Receiver => toReceiver(mustGet(id)),
    /** For the capture path only: the password never leaves the core. */
    password: (id: string): string | undefined => secrets.get(passwordKey(id)),
    create(input: ParsedInput): Receiver {
      const id = randomUUID();
      const url = normalizeReceiverUrl(input.url);
      assertUrlFree(url);
      const now = new Date().toISOString();
      insert.run({ ...input, id, url, active: input.active ? 1 : 0, now });
      if (input.password) secrets.set(passwordKey(id), input.password);
      return toReceiver(mustGet(id));
    },
    update(id: string, patch: ParsedPatch): Receiver {
      const current = toReceiver(mustGet(id));
      const next = { ...current, ...stripUndefined(patch) };
      const url = normalizeReceiverUrl(next.url);
      assertUrlFree(url, id);
      update.run({ ...next, id, url, active: next.active ? 1 : 0, now: new Date().toISOString() });
      if (patch.password !== undefined) secrets.set(passwordKey(id), patch.password || null);
      return toReceiver(mustGet(id));
    },
    delete(id: string): boolean {
      const changed = remove.run(id).changes > 0;
      if (changed) secrets.set(passwordKey(id), null);
      return changed;
    },
    hasUrl: (url: string): boolean => byUrl.get(normalizeReceiverUrl(url)) !== undefined,
  };
}
export type ReceiverRegistry = ReturnType<typeof createReceiverRegistry>;

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
