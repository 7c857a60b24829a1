import { afterAll, describe, expect, it } from 'vitest';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { prng, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';
import { openRig } from './syncHarness';
import { readStoreStatus } from '../../../main/sync/storeStatus';

let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-flap-');

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(() => tmp.cleanup());

async function until(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('central store down or flapping', () => {
  it.skipIf(!!process.env.HEIMDALL_TEST_PG_URL || !!process.env.HEIMDALL_TEST_S3_ENDPOINT)(
    'keeps capturing while PostgreSQL and then S3 are down, shows the errors in status, and drains when they return',
    async () => {
      const rig = openRig(tmp.dir, pg, s3);
      const rand = prng(99);
      const written: string[] = [];
      const write = () => written.push(writeSyntheticCapture(rig.store, rand, { windows: 5, samples: 4000 }));
      const timer = setInterval(write, 15);
      rig.sync.start();
      try {
        await until('a first sync', async () => Number((await pg.query('SELECT count(*)::int AS n FROM heimdall.measurements').catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n) > 0);

        await pg.stop();
        const atPgDown = written.length;
        await until('the PostgreSQL error in status', () => /PostgreSQL at 127\.0\.0\.1:\d+ (refused the connection|is unavailable|.*was lost)/.test(rig.sync.status().lastError?.message ?? ''));
        expect(rig.sync.status().lastError?.target).toBe('pg');
        // The CLI's `status` (read-only, beside the running station) shows it too.
        expect(readStoreStatus(tmp.dir).sync.lastError?.message).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+/);
        await until('captures going on while PostgreSQL is down', () => written.length > atPgDown + 10);

        await s3.stop();
        const atS3Down = written.length;
        await until('the S3 error in status', () => rig.sync.status().lastError?.target === 's3');
        expect(rig.sync.status().lastError?.message).toMatch(/object store \(S3\/MinIO\) at http:\/\/127\.0\.0\.1:\d+ (refused the connection|was lost)/);
        await until('captures going on while S3 is down', () => written.length > atS3Down + 10);
        const pending = rig.sync.status().outbox.filter((o) => o.state === 'pending');
        expect(pending.length).toBe(2);
        expect(rig.sync.status().outbox.filter((o) => o.state === 'failed')).toEqual([]);

        // Flap: back, down again, back.
        await s3.start();
        await pg.start();
        await new Promise((r) => setTimeout(r, 300));
        await pg.stop();
        await new Promise((r) => setTimeout(r, 300));
        await pg.start();
      } finally {
        clearInterval(timer);
      }
      await until('the outbox to drain', () => rig.sync.status().outbox.every((o) => o.state === 'done'), 60_000);
      const local = rig.opened.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM measurements').get()!.n;
      expect(local).toBe(written.length * 5);
      const remote = await pg.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM heimdall.measurements');
      expect(remote.rows[0]).toEqual({ n: local, d: local });
      const objects = await s3.list('heimdall-raw-iq');
      expect(objects.filter((o) => o.name.endsWith('.sigmf-data'))).toHaveLength(written.length);
      expect(objects).toHaveLength(written.length * 2);
      await rig.close();
    },
    120_000,
  );
});
