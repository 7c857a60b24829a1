/**
 * The binary COPY rows sync sends must land exactly as the same values sent as text would (the
 * measurements' key is (timestamp, id): a timestamp one microsecond off would make a retried row a
 * second row). The same values go to PostgreSQL both ways and the stored rows are compared, including
 * nanosecond times on half-microsecond boundaries, offsets, and non-finite floats.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopyWriter, NotBinaryEncodable, pgTimestampMicros } from '../../../main/sync/pgBinaryCopy';
import { startTestPostgres, type TestPostgres } from '../../helpers/pg';

let server: TestPostgres;
let client: pg.Client;

beforeAll(async () => {
  server = await startTestPostgres();
  const u = new URL(server.url);
  u.password = server.password;
  client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await server?.dispose();
});

const times = [
  '2026-11-22T10:00:00Z',
  '2026-11-22T10:00:00.123Z',
  '2026-11-22T10:00:00.123456789Z',
  '2026-11-22T10:00:00.0000005Z',
  '2026-11-22T10:00:00.0000015Z',
  '2026-11-22T10:00:00.1234565Z',
  '2026-11-22T10:00:00.9999995Z',
  '2026-11-22T23:59:59.999999999Z',
  '1999-12-31T23:59:59.5Z',
  '2026-11-22T12:00:00.25+02:00',
  '2026-11-22T05:30:00-0430',
  '2026-11-22 10:00:00.5Z',
];
const rows = times.map((ts, i) => ({
  ts,
  id: `0190a1b2-c3d4-7e5f-8a9b-${(0xabcdef000000 + i).toString(16)}`,
  f: [1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY, 1e-300, -80.123456789][i % 6]!,
  n: i % 3 === 0 ? null : i * 1000 - 7,
  b: BigInt('1795860000123456789') + BigInt(i),
  s: i % 4 === 0 ? null : `note ${i}\twith tab, ünïcode`,
}));

describe('binary COPY', () => {
  it('stores exactly what the same values sent as text store', async () => {
    await client.query('CREATE TABLE t_text (ts timestamptz, id uuid, f float8, n int4, b int8, s text)');
    await client.query('CREATE TABLE t_bin (LIKE t_text)');
    const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t');
    const text = rows.map((r) => [r.ts, r.id, Number.isFinite(r.f) ? String(r.f) : '\\N', r.n ?? '\\N', r.b, r.s === null ? '\\N' : esc(r.s)].join('\t')).join('\n') + '\n';
    await pipeline(Readable.from([text]), client.query(copyFrom('COPY t_text FROM STDIN')));
    const w = new BinaryCopyWriter(64);
    const chunks: Buffer[] = [];
    for (const r of rows) {
      w.reserve(2 + 12 + 20 + 12 + 8 + 12 + BinaryCopyWriter.textBytes(r.s), (c) => chunks.push(c));
      w.row(6);
      w.timestamptz(r.ts);
      w.uuid(r.id);
      w.float8(r.f);
      w.int4(r.n);
      w.bigint8(r.b);
      w.text(r.s);
    }
    w.reserve(2, (c) => chunks.push(c));
    w.trailer();
    chunks.push(w.take());
    await pipeline(Readable.from(chunks), client.query(copyFrom('COPY t_bin FROM STDIN (FORMAT binary)')));
    const cols = "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS ts, id, f, n, b, s";
    const a = await client.query(`SELECT ${cols} FROM t_text ORDER BY id`);
    const b = await client.query(`SELECT ${cols} FROM t_bin ORDER BY id`);
    expect(b.rows).toHaveLength(rows.length);
    expect(b.rows).toEqual(a.rows);
    // PostgreSQL's own reading of each time, microsecond for microsecond.
    for (const ts of times) {
      const r = await client.query<{ us: string }>("SELECT (extract(epoch FROM $1::timestamptz - '2000-01-01T00:00:00Z'::timestamptz) * 1000000)::bigint::text AS us", [ts]);
      expect(pgTimestampMicros(ts), ts).toBe(Number(r.rows[0]!.us));
    }
  });

  it('refuses what it cannot carry as text would (sync then sends the batch as text)', () => {
    expect(() => pgTimestampMicros('22/11/2026 10:00')).toThrow(NotBinaryEncodable);
    expect(() => new BinaryCopyWriter().uuid('not-a-uuid')).toThrow(NotBinaryEncodable);
  });
});
