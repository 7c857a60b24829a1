import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { fileSecretStore } from '../../../main/secrets/secretStore';
import { openDatabase } from '../../../main/store/database';
import { migrations } from '../../../main/store/migrations/index';
import { backoffDelayMs } from '../../../main/sync/backoff';
import { captureObjectKeys, stableUuid, stationSlug } from '../../../main/sync/objectKeys';
import { describePgError, describeS3Error } from '../../../main/sync/syncErrors';
import { createSyncSettingsRepo, splitPgUrl } from '../../../main/sync/syncSettingsRepo';
import { methods as syncApiMethods } from '../../../shared/api/sync';
import { syncSettingsUpdateSchema } from '../../../shared/domain/syncSettings';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('sync building blocks', () => {
  it('adds the capture store and outbox as migrations 3 and 4', () => {
    expect(migrations.slice(2, 4).map((m) => [m.version, m.name])).toEqual([
      [3, expect.stringMatching(/captures/)],
      [4, expect.stringMatching(/outbox/)],
    ]);
  });

  it('backs off exponentially with jitter, capped', () => {
    const p = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelayMs(0, p, () => 0)).toBe(500);
    expect(backoffDelayMs(0, p, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, p, () => 1)).toBe(8000);
    expect(backoffDelayMs(30, p, () => 1)).toBe(60_000);
    expect(backoffDelayMs(30, p, () => 0)).toBe(30_000);
  });

  it('derives stable object keys in the backend style and UUIDs for non-UUID receiver ids', () => {
    const id = '11111111-2222-4333-8444-555555555555';
    expect(captureObjectKeys({ id, session_id: null, receiver_name: 'Milano - Baggio' })).toEqual({
      data: `sessions/${id}/websdr_milano_baggio.sigmf-data`,
      meta: `sessions/${id}/websdr_milano_baggio.sigmf-meta`,
    });
    expect(captureObjectKeys({ id, session_id: 'sess', receiver_name: 'Città' }).data).toBe(`sessions/sess/websdr_citta_${id}.sigmf-data`);
    expect(stationSlug('---')).toBe('receiver');
    const u = stableUuid('ns', 'cli-0');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('ns', 'cli-0')).toBe(u);
    expect(stableUuid('ns', id)).toBe(id);
  });

  it('describes transport errors in one sentence with what to do, and says which are transient', () => {
    expect(describePgError(Object.assign(new Error('x'), { code: '28P01' }), 'db:5432', 'heimdall')).toEqual({
      message: 'PostgreSQL at db:5432 refused the password for user heimdall: fix the password in the central store settings (Sync page, or `heimdall-station sync configure`).',
      transient: false,
    });
    expect(describePgError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'db:5432', 'u').transient).toBe(true);
    expect(describePgError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'db:5432', 'u').transient).toBe(true);
    expect(describePgError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'db:5432', 'u').message).toMatch(/^TLS error/);
    expect(describeS3Error(Object.assign(new Error('x'), { code: 'SignatureDoesNotMatch' }), 'http://m:9000', 'b').message).toMatch(/refused the secret key/);
    expect(describeS3Error(Object.assign(new Error('x'), { code: 'NoSuchBucket' }), 'http://m:9000', 'b').message).toMatch(/Bucket b does not exist/);
    expect(describeS3Error(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'http://m:9000', 'b').message).toMatch(/was not found/);
    expect(describeS3Error(new Error('write EPROTO ... wrong version number'), 'https://m:9000', 'b').message).toMatch(/TLS error/);
  });

  it('keeps secrets in the secret store: a password in the URL is moved there; the view says only whether secrets are set', () => {
    const t = tempDir();
    const opened = openDatabase(t.dir, silentLogger);
    cleanups.push(() => {
      opened.close();
      t.cleanup();
    });
    expect(splitPgUrl('postgres://u:p%40ss@h:5432/db')).toEqual({ url: 'postgres://u@h:5432/db', password: 'p@ss' });
    const secrets = fileSecretStore(path.join(t.dir, 'secrets.json'));
    const repo = createSyncSettingsRepo(opened.db, secrets);
    const v = repo.update({ postgres: { url: 'postgres://u:p%40ss@h:5432/db' }, s3: { endpoint: 'minio.local', port: 9000 }, secretKey: 'sk-123' });
    expect(v.postgres.url).toBe('postgres://u@h:5432/db');
    expect(v).toMatchObject({ hasSecretKey: true, hasPostgresPassword: true });
    expect(JSON.stringify(v)).not.toMatch(/p@ss|sk-123/);
    expect(JSON.stringify(opened.db.prepare('SELECT * FROM settings').all())).not.toMatch(/p%40ss|p@ss|sk-123/);
    // A partial update changes only what it names.
    const v2 = repo.update({ s3: { rawBucket: 'other-raw' } });
    expect(v2.s3).toMatchObject({ endpoint: 'minio.local', port: 9000, rawBucket: 'other-raw' });
    expect(repo.update({ secretKey: null }).hasSecretKey).toBe(false);
    expect(() => repo.update({ s3: { endpoint: 'http://x/y' } })).toThrow(/endpoint/);
  });

  it('exposes the proposed API methods as zod schemas without secret fields in any output', () => {
    expect(Object.keys(syncApiMethods).sort()).toEqual(['drainSync', 'getSyncSettings', 'getSyncStatus', 'pauseSync', 'resumeSync', 'retrySync', 'syncNow', 'testSyncConnection', 'updateSyncSettings']);
    const outKeys = JSON.stringify(Object.values(syncApiMethods).map((m) => Object.keys((m.output as unknown as { shape?: object }).shape ?? {})));
    expect(outKeys).not.toMatch(/secretKey"|postgresPassword"/);
    expect(syncSettingsUpdateSchema.parse({ s3: { port: 9000 } })).toEqual({ s3: { port: 9000 } });
  });
});
