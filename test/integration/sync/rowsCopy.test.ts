/**
 * Measurement rows go to PostgreSQL by binary COPY; two other paths must hold too: rows whose time is
 * not RFC 3339 (the store takes any time Date.parse reads) go as text, and a batch sent again (after
 * a crash, the outbox still pending) adds what is missing and nothing twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { prng, syntheticIq, testReceivers, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';
import { openRig } from './syncHarness';

let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-rows-copy-');

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(() => tmp.cleanup());

describe('measurement rows into PostgreSQL', () => {
  it('sends times that are not RFC 3339 as text, and a batch sent twice once', async () => {
    const rig = openRig(tmp.dir, pg, s3, { settings: { batchRows: 1000 } });
    const rand = prng(3);
    const plain = Array.from({ length: 3 }, () => writeSyntheticCapture(rig.store, rand, { windows: 400 }));
    // Local times without a zone, as an import may store them.
    const odd = rig.store.writeCapture({ receiver: testReceivers[0]!, freqHz: 145_500_000, mode: 'iq', sampleRate: 12_000, datatype: 'ci16_le' }, syntheticIq(rand, 1200), {
      firstSampleUtc: '2026-11-22T10:00:00Z',
      measurements: [0, 1, 2].map((i) => ({ timestamp: `2026-11-22 10:00:0${i}.25`, windowStartSample: i * 400, windowSamples: 400, snrDb: 12 })),
    });
    const first = await rig.sync.drain(30_000);
    expect(first.errors).toEqual([]);
    const count = async () => Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM heimdall.measurements')).rows[0]!.n);
    expect(await count()).toBe(3 * 400 + 3);
    const oddRows = await pg.query<{ t: string }>("SELECT to_char(timestamp AT TIME ZONE current_setting('TimeZone'), 'YYYY-MM-DD HH24:MI:SS.MS') AS t FROM heimdall.measurements WHERE station_capture_id = $1 ORDER BY timestamp", [odd]);
    expect(oddRows.rows.map((r) => r.t)).toEqual(['2026-11-22 10:00:00.250', '2026-11-22 10:00:01.250', '2026-11-22 10:00:02.250']);

    // As after a crash between the COPY's commit and the outbox update: the same rows again, some of
    // them missing centrally (the retry must add those, not just skip the batch).
    rig.opened.db.prepare("UPDATE outbox SET state = 'pending', done_at = NULL WHERE target = 'pg'").run();
    await pg.query('DELETE FROM heimdall.measurements WHERE id IN (SELECT id FROM heimdall.measurements ORDER BY id LIMIT 150)');
    const again = await rig.sync.drain(30_000);
    expect(again.errors).toEqual([]);
    expect(again.complete).toBe(true);
    expect(await count()).toBe(3 * 400 + 3);
    expect(rig.opened.db.prepare("SELECT count(*) AS n FROM outbox WHERE target = 'pg' AND state = 'done'").get()).toEqual({ n: plain.length + 1 });
    await rig.close();
  }, 60_000);
});
