/**
 * Sync sends a sample file with the hashes taken when it was written (Content-MD5, and the signed
 * payload hash over plain HTTP) instead of hashing it again: a file that changed on disk since then
 * must never end up in the object store. One capture's file is damaged (same size, one byte flipped):
 * its object is not there, its item fails with the reason, its rows stay local; the others sync whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { prng, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';
import { captureObjectKeys } from '../../../main/sync/objectKeys';
import { openRig } from './syncHarness';

let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-damaged-');

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(() => tmp.cleanup());

describe('a sample file damaged after capture', () => {
  it('is not uploaded: its item fails with the reason, its rows stay local, the other captures sync whole', async () => {
    const rig = openRig(tmp.dir, pg, s3, { configure: false });
    const rand = prng(7);
    const [bad, good] = [writeSyntheticCapture(rig.store, rand, { windows: 5 }), writeSyntheticCapture(rig.store, rand, { windows: 5 })];
    const badRow = rig.store.repos.captures.get(bad)!;
    const file = path.join(tmp.dir, badRow.file_path);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);

    rig.sync.settings.update({ enabled: true, s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey }, postgres: { url: pg.url }, secretKey: s3.secretKey, postgresPassword: pg.password });
    await rig.sync.drain(30_000);

    const item = rig.store.repos.outbox.get('capture_object', 's3', bad)!;
    expect(item.state).toBe('failed');
    expect(item.last_error).toMatch(/damaged/);
    const objects = await s3.list('heimdall-raw-iq');
    expect(objects.map((o) => o.name)).not.toContain(captureObjectKeys(badRow).data);
    const goodRow = rig.store.repos.captures.get(good)!;
    expect(await s3.getBytes('heimdall-raw-iq', captureObjectKeys(goodRow).data)).toEqual(fs.readFileSync(path.join(tmp.dir, goodRow.file_path)));
    const remote = await pg.query<{ station_capture_id: string; n: string }>('SELECT station_capture_id, count(*) AS n FROM heimdall.measurements GROUP BY station_capture_id');
    expect(remote.rows).toEqual([{ station_capture_id: good, n: '5' }]);
    await rig.close();
  }, 60_000);
});
