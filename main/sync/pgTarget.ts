import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type ConnectionCheck, type PgSettings } from '../../shared/domain/syncSettings';
import { type Logger } from '../base/log';
import { type TimeBase } from '../recordings/timeBase';
import { type CaptureRow } from '../store/capturesRepo';
import { type SyncMeasurement } from '../store/measurementsRepo';
import { type KnownSourceRow, type SessionRow } from '../store/sessionsRepo';
import { stableUuid } from './objectKeys';
import { BinaryCopyWriter, NotBinaryEncodable } from './pgBinaryCopy';
import { hypertableSql, schemaDdl } from './pgSchema';
import { describePgError } from './syncErrors';

/** Connection options from a URL without password plus the password from the secret store. */
export function pgConfig(url: string, password: string): pg.PoolConfig & { where: string; user: string } {
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode') ?? 'disable';
  const ssl = sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer' ? false : sslmode === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true };
  const host = decodeURIComponent(u.hostname) || 'localhost';
  const port = u.port ? Number(u.port) : 5432;
  const user = decodeURIComponent(u.username) || 'postgres';
  return {
    host,
    port,
    user,
    password,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
    ssl,
    connectionTimeoutMillis: 10_000,
    query_timeout: 120_000,
    idleTimeoutMillis: 30_000,
    max: 2,
    application_name: 'heimdall-station-sync',
    where: `${host}:${port}`,
  };
}

/** One capture's rows, ready for PostgreSQL. */
export interface CaptureRowsItem {
  capture: CaptureRow;
  /** s3://bucket/key of the object holding the samples (known once the S3 item is done). */
  location: string;
  /** Its measurement rows, read as the COPY goes (a page at a time, not all first); each iteration starts again from the first. */
  measurements: Iterable<SyncMeasurement>;
  /** The capture's time base: what GPS time each measurement window starts at. */
  timeBase: TimeBase;
}

export interface PgBatch {
  items: CaptureRowsItem[];
  sessions: SessionRow[];
  sources: KnownSourceRow[];
  stationName: string;
}

const RECEIVER_NS = 'heimdall-receiver';

/** COPY text format: backslash, tab, newline and carriage return escaped; \\N is NULL. */
function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}
const num = (v: number | null | undefined): string => (v == null || !Number.isFinite(v) ? '\\N' : String(v));


/**
 * Writes rows into the backend's schema. Every statement is idempotent (station UUIDs +
 * ON CONFLICT), and a batch is one transaction, so a crash or a dropped connection at any point
 * is fixed by running the same batch again.
 */
export interface DatasetRegistration {
  id: string;
  name: string;
  description: string | null;
  notes: string | null;
  createdAt: string;
  freqMinHz: number | null;
  freqMaxHz: number | null;
  region: string | null;
  measurementIds: string[];
}

const DATASET_NS = 'heimdall-station:dataset-measurement';

export function createPgTarget(settings: PgSettings, password: string, log: Logger) {
  const cfg = pgConfig(settings.url, password);
  const { where, ...poolCfg } = cfg;
  const user = cfg.user;
  const pool = new pg.Pool(poolCfg);
  // An idle client losing its server (PostgreSQL restarted) must not crash the station.
  pool.on('error', (e) => log.warn(`PostgreSQL connection dropped: ${describePgError(e, where, user).message}`));
  const schema = settings.schema;
  let schemaReady = false;

  async function ensureSchema(client: pg.PoolClient): Promise<void> {
    if (schemaReady) return;
    await client.query('BEGIN');
    try {
      // Two stations creating the schema at once would race on CREATE ... IF NOT EXISTS: serialise.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`heimdall-station-ddl:${schema}`]);
      for (const sql of schemaDdl(schema)) await client.query(sql);
      const ts = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_extension WHERE extname = 'timescaledb'");
      if (Number(ts.rows[0]?.n ?? 0) > 0) await client.query(hypertableSql(schema));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    schemaReady = true;
  }

  async function upsertStations(client: pg.PoolClient, captures: CaptureRow[]): Promise<Map<string, string>> {
    const byName = new Map<string, CaptureRow>();
    for (const c of captures) if (!byName.has(c.receiver_name)) byName.set(c.receiver_name, c);
    const rows = [...byName.values()];
    // DO NOTHING keeps updated_at stable on every later sync; a station the backend already
    // knows by name keeps its id, and our measurements point at that id.
    await client.query(
      `INSERT INTO ${schema}.websdr_stations (id, name, url, latitude, longitude, altitude_asl, notes, created_at, updated_at)
       SELECT id, name, url, lat, lon, alt, notes, now(), now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::text[]) AS t(id, name, url, lat, lon, alt, notes)
       ON CONFLICT DO NOTHING`,
      [
        rows.map((c) => stableUuid(RECEIVER_NS, c.receiver_id)),
        rows.map((c) => c.receiver_name.slice(0, 255)),
        rows.map((c) => c.receiver_url.slice(0, 512)),
        rows.map((c) => c.receiver_lat ?? 0),
        rows.map((c) => c.receiver_lon ?? 0),
        rows.map((c) => c.receiver_alt),
        rows.map((c) => (c.receiver_lat === null ? 'added by heimdall-station; position unknown' : 'added by heimdall-station')),
      ],
    );
    const res = await client.query<{ id: string; name: string }>(`SELECT id, name FROM ${schema}.websdr_stations WHERE name = ANY($1::text[])`, [rows.map((c) => c.receiver_name.slice(0, 255))]);
    const ids = new Map(res.rows.map((r) => [r.name, r.id]));
    for (const c of rows) {
      if (!ids.has(c.receiver_name.slice(0, 255))) throw new Error(`websdr_stations has no row for receiver ${c.receiver_name} and none could be inserted (its id is taken by another name)`);
    }
    return ids;
  }

  async function upsertSessions(client: pg.PoolClient, sources: KnownSourceRow[], sessions: SessionRow[]): Promise<void> {
    if (sources.length) {
      await client.query(
        `INSERT INTO ${schema}.known_sources (id, name, description, frequency_hz, latitude, longitude, power_dbm, source_type, is_validated, error_margin_meters, created_at, updated_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::text[], $9::bool[], $10::float8[], $11::timestamptz[], $12::timestamptz[])
         ON CONFLICT (id) DO NOTHING`,
        [
          sources.map((s) => s.id),
          sources.map((s) => s.name),
          sources.map((s) => s.description),
          sources.map((s) => s.frequency_hz),
          sources.map((s) => s.lat),
          sources.map((s) => s.lon),
          sources.map((s) => s.power_dbm),
          sources.map((s) => s.source_type),
          sources.map((s) => s.is_validated === 1),
          sources.map((s) => s.error_margin_m),
          sources.map((s) => s.created_at),
          sources.map((s) => s.updated_at),
        ],
      );
    }
    if (sessions.length) {
      // Updated only when something changed, so a repeated sync leaves updated_at alone.
      await client.query(
        `INSERT INTO ${schema}.recording_sessions AS r (id, known_source_id, session_name, session_start, session_end, duration_seconds, status, approval_status, notes, created_at, updated_at)
         SELECT id, ks, name, st, en, CASE WHEN en IS NULL THEN NULL ELSE extract(epoch FROM en - st) END, status, approval, notes, ca, ua
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[])
           AS t(id, ks, name, st, en, status, approval, notes, ca, ua)
         ON CONFLICT (id) DO UPDATE SET session_end = excluded.session_end, duration_seconds = excluded.duration_seconds, status = excluded.status,
           approval_status = excluded.approval_status, notes = excluded.notes, updated_at = excluded.updated_at
         WHERE (r.session_end, r.status, r.approval_status, r.notes) IS DISTINCT FROM (excluded.session_end, excluded.status, excluded.approval_status, excluded.notes)`,
        [
          sessions.map((s) => s.id),
          sessions.map((s) => s.known_source_id),
          sessions.map((s) => s.session_name),
          sessions.map((s) => s.session_start),
          sessions.map((s) => s.session_end),
          sessions.map((s) => s.status),
          sessions.map((s) => s.approval_status),
          sessions.map((s) => s.notes),
          sessions.map((s) => s.created_at),
          sessions.map((s) => s.updated_at),
        ],
      );
    }
  }

  /**
   * Streams one batch's measurements into COPY: binary (the server reads timestamps, floats and uuids
   * as bytes instead of parsing text), in large buffers made while PostgreSQL takes in the previous
   * ones (the two run on different cores), the columns that are the same for a whole capture encoded
   * once per capture. A value binary cannot carry as text would (a time that is not RFC 3339) sends the
   * batch as text instead. Usually every row is new: COPY straight into the table. If any already
   * exists (a batch retried after a crash), the savepoint undoes the COPY and the rows go through a
   * temp table that skips the existing ones.
   */
  async function insertMeasurements(client: pg.PoolClient, items: CaptureRowsItem[], stationIds: Map<string, string>, stationName: string): Promise<number> {
    const tmp = '_heimdall_station_measurements';
    // Per-capture constants first, then what changes per window.
    const colNames = `websdr_station_id, iq_data_location, iq_data_format, iq_sample_rate, iq_samples_count, duration_seconds,
           recording_session_id, station_capture_id, station_name, timestamp, id, frequency_hz, signal_strength_db, snr_db,
           frequency_offset_hz, notes, created_at, noise_power_db, occupied_bw_hz, smeter_dbm, gps_unix_ns`;
    const name = stationName.slice(0, 255);
    let n = 0;
    function* binaryRows(): Generator<Buffer> {
      const w = new BinaryCopyWriter();
      const chunks: Buffer[] = [];
      const full = (b: Buffer) => chunks.push(b);
      for (const it of items) {
        const c = it.capture;
        const fixed = new BinaryCopyWriter(1024, false);
        fixed.uuid(stationIds.get(c.receiver_name.slice(0, 255))!);
        fixed.text(it.location);
        fixed.text(`sigmf-${c.datatype}`);
        fixed.int4(Math.round(c.sample_rate));
        fixed.int4(c.sample_count);
        fixed.float8(c.sample_count / c.sample_rate);
        fixed.uuid(c.session_id);
        fixed.uuid(c.id);
        fixed.text(name);
        const prefix = fixed.take();
        for (const [id, timestamp, windowStart, freqHz, snr, signal, noise, offset, bw, smeter, notes, createdAt] of it.measurements) {
          n++;
          // 21 fields: the prefix, 2 timestamps, a uuid, 3 int8, an int4, 5 float8, the notes.
          w.reserve(2 + prefix.length + 2 * 12 + 20 + 3 * 12 + 8 + 5 * 12 + BinaryCopyWriter.textBytes(notes), full);
          w.row(21);
          w.raw(prefix);
          w.timestamptz(timestamp);
          w.uuid(id);
          w.int8(freqHz);
          w.float8(signal ?? smeter);
          w.float8(snr);
          w.int4(offset === null || !Number.isFinite(offset) ? null : Math.round(offset));
          w.text(notes);
          w.timestamptz(createdAt);
          w.float8(noise);
          w.float8(bw);
          w.float8(smeter);
          w.bigint8(it.timeBase.gpsNsAt(windowStart));
          if (chunks.length) yield* chunks.splice(0);
        }
      }
      w.reserve(2, full);
      w.trailer();
      yield* chunks.splice(0);
      yield w.take();
    }
    function* textRows(): Generator<string> {
      const station = copyText(name);
      let chunk = '';
      let lines = 0;
      for (const it of items) {
        const c = it.capture;
        const prefix = [
          stationIds.get(c.receiver_name.slice(0, 255))!,
          copyText(it.location),
          copyText(`sigmf-${c.datatype}`),
          Math.round(c.sample_rate),
          c.sample_count,
          num(c.sample_count / c.sample_rate),
          c.session_id ?? '\\N',
          c.id,
          station,
        ].join('\t');
        for (const [id, timestamp, windowStart, freqHz, snr, signal, noise, offset, bw, smeter, notes, createdAt] of it.measurements) {
          n++;
          const gps = it.timeBase.gpsNsAt(windowStart);
          chunk += `${prefix}\t${timestamp}\t${id}\t${freqHz}\t${num(signal ?? smeter)}\t${num(snr)}\t${offset === null || !Number.isFinite(offset) ? '\\N' : Math.round(offset)}\t${notes == null ? '\\N' : copyText(notes)}\t${createdAt}\t${num(noise)}\t${num(bw)}\t${num(smeter)}\t${gps === null ? '\\N' : gps}\n`;
          if (++lines === 2000) {
            yield chunk;
            chunk = '';
            lines = 0;
          }
        }
      }
      if (chunk) yield chunk;
    }
    let binary = true;
    const copy = (table: string) => {
      n = 0;
      const sql = `COPY ${table} (${colNames}) FROM STDIN${binary ? ' (FORMAT binary)' : ''}`;
      return pipeline(binary ? Readable.from(binaryRows()) : Readable.from(textRows()), client.query(copyFrom(sql)));
    };
    /** One COPY into `table`; a value binary cannot carry sends it again as text. */
    const copyInto = async (table: string) => {
      await client.query('SAVEPOINT heimdall_copy');
      try {
        await copy(table);
      } catch (e) {
        if (!(e instanceof NotBinaryEncodable) || !binary) throw e;
        binary = false;
        await client.query('ROLLBACK TO SAVEPOINT heimdall_copy');
        await copy(table);
      }
      await client.query('RELEASE SAVEPOINT heimdall_copy');
    };
    try {
      await copyInto(`${schema}.measurements`);
      return n;
    } catch (e) {
      if ((e as { code?: unknown }).code !== '23505') throw e;
      await client.query('ROLLBACK TO SAVEPOINT heimdall_copy');
      await client.query('RELEASE SAVEPOINT heimdall_copy');
    }
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${tmp} (LIKE ${schema}.measurements INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    await copyInto(tmp);
    const r = await client.query(`INSERT INTO ${schema}.measurements (${colNames}) SELECT ${colNames} FROM ${tmp} ON CONFLICT DO NOTHING`);
    await client.query(`TRUNCATE ${tmp}`);
    return r.rowCount ?? 0;
  }

  return {
    where,
    user,
    schema,
    /**
     * Registers an exported dataset in training_datasets and its measurements in
     * dataset_measurements (ids stable, so a repeated upload changes nothing but updated_at).
     */
    async registerDataset(d: DatasetRegistration): Promise<void> {
      const client = await pool.connect();
      let broken = false;
      try {
        await ensureSchema(client);
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${schema}.training_datasets (id, name, description, measurement_count, frequency_range_min_hz, frequency_range_max_hz, geographic_region, is_active, notes, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $9, now())
           ON CONFLICT (id) DO UPDATE SET description = excluded.description, measurement_count = excluded.measurement_count,
             frequency_range_min_hz = excluded.frequency_range_min_hz, frequency_range_max_hz = excluded.frequency_range_max_hz,
             geographic_region = excluded.geographic_region, notes = excluded.notes, updated_at = now()`,
          [d.id, d.name.slice(0, 255), d.description, d.measurementIds.length, d.freqMinHz, d.freqMaxHz, d.region, d.notes, d.createdAt],
        );
        for (let i = 0; i < d.measurementIds.length; i += 10_000) {
          const ids = d.measurementIds.slice(i, i + 10_000);
          await client.query(
            `INSERT INTO ${schema}.dataset_measurements (id, dataset_id, measurement_id, created_at)
             SELECT id, $1::uuid, mid, now() FROM unnest($2::uuid[], $3::uuid[]) AS t(id, mid)
             ON CONFLICT DO NOTHING`,
            [d.id, ids.map((m) => stableUuid(DATASET_NS, `${d.id}:${m}`)), ids],
          );
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw e;
      } finally {
        client.release(broken);
      }
    },
    /** One transaction for the whole batch. Returns the rows newly inserted (0 on a repeat). */
    async writeBatch(batch: PgBatch): Promise<number> {
      const client = await pool.connect();
      let broken = false;
      try {
        await ensureSchema(client);
        await client.query('BEGIN');
        const stationIds = await upsertStations(client, batch.items.map((i) => i.capture));
        await upsertSessions(client, batch.sources, batch.sessions);
        const n = await insertMeasurements(client, batch.items, stationIds, batch.stationName);
        await client.query('COMMIT');
        return n;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        schemaReady = schemaReady && !broken;
        throw e;
      } finally {
        client.release(broken);
      }
    },
    describe: (e: unknown) => describePgError(e, where, user),
    async testConnection(): Promise<ConnectionCheck> {
      let client: pg.PoolClient | null = null;
      try {
        client = await pool.connect();
        const r = await client.query<{ has_schema: boolean; ts: boolean; can_create: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS has_schema,
                  EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS ts,
                  has_database_privilege(current_database(), 'CREATE') AS can_create`,
          [schema],
        );
        const row = r.rows[0]!;
        const ts = row.ts ? 'TimescaleDB is installed' : 'TimescaleDB is not installed (plain tables will be used)';
        if (row.has_schema) return { ok: true, message: `Connected to PostgreSQL at ${where} as ${user}; schema ${schema} is there; ${ts}.` };
        if (!row.can_create) return { ok: false, message: `Connected to PostgreSQL at ${where} as ${user}, but schema ${schema} is missing and this user may not create it: ask the administrator to create it or grant CREATE.` };
        return { ok: true, message: `Connected to PostgreSQL at ${where} as ${user}; schema ${schema} is missing and will be created at the first sync; ${ts}.` };
      } catch (e) {
        return { ok: false, message: describePgError(e, where, user).message };
      } finally {
        client?.release();
      }
    },
    async close(): Promise<void> {
      await pool.end().catch(() => undefined);
    },
  };
}
export type PgTarget = ReturnType<typeof createPgTarget>;
