import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type ConnectionCheck, type PgSettings } from '../../shared/domain/syncSettings';
import { type Logger } from '../log';
import { type TimeBase } from '../recordings/timeBase';
import { type CaptureRow } from '../store/capturesRepo';
import { type MeasurementRow } from '../store/measurementsRepo';
import { type KnownSourceRow, type SessionRow } from '../store/sessionsRepo';
import { stableUuid } from './objectKeys';
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
  measurements: MeasurementRow[];
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

  async function insertMeasurements(client: pg.PoolClient, items: CaptureRowsItem[], stationIds: Map<string, string>, stationName: string, chunkRows: number): Promise<number> {
    let inserted = 0;
    const cols = {
      station: [] as string[],
      ts: [] as string[],
      id: [] as string[],
      freq: [] as number[],
      signal: [] as (number | null)[],
      snr: [] as (number | null)[],
      offset: [] as (number | null)[],
      loc: [] as string[],
      fmt: [] as string[],
      rate: [] as number[],
      count: [] as number[],
      dur: [] as number[],
      notes: [] as (string | null)[],
      created: [] as string[],
      session: [] as (string | null)[],
      capture: [] as string[],
      noise: [] as (number | null)[],
      bw: [] as (number | null)[],
      smeter: [] as (number | null)[],
      gps: [] as (string | null)[],
    };
    // COPY (text format): no bind-parameter limit, no per-row statements.
    const tmp = '_heimdall_station_measurements';
    const colNames = `websdr_station_id, timestamp, id, frequency_hz, signal_strength_db, snr_db, frequency_offset_hz,
           iq_data_location, iq_data_format, iq_sample_rate, iq_samples_count, duration_seconds, notes, created_at,
           recording_session_id, station_capture_id, noise_power_db, occupied_bw_hz, smeter_dbm, gps_unix_ns, station_name`;
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${tmp} (LIKE ${schema}.measurements INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    const station = copyText(stationName.slice(0, 255));
    const flush = async () => {
      const n = cols.id.length;
      if (!n) return;
      const lines: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        lines[i] = [
          cols.station[i], cols.ts[i], cols.id[i], cols.freq[i], num(cols.signal[i]), num(cols.snr[i]), num(cols.offset[i]),
          copyText(cols.loc[i]!), copyText(cols.fmt[i]!), cols.rate[i], cols.count[i], num(cols.dur[i]), cols.notes[i] == null ? '\\N' : copyText(cols.notes[i]!), cols.created[i],
          cols.session[i] ?? '\\N', cols.capture[i], num(cols.noise[i]), num(cols.bw[i]), num(cols.smeter[i]), cols.gps[i] ?? '\\N', station,
        ].join('\t');
      }
      const body = `${lines.join('\n')}\n`;
      // Usually every row is new: COPY straight into the table. If any already exists (a batch
      // retried after a crash), the savepoint undoes the COPY and the temp-table path skips
      // the existing rows.
      await client.query('SAVEPOINT heimdall_copy');
      try {
        await pipeline(Readable.from([body]), client.query(copyFrom(`COPY ${schema}.measurements (${colNames}) FROM STDIN`)));
        await client.query('RELEASE SAVEPOINT heimdall_copy');
        inserted += n;
      } catch (e) {
        if ((e as { code?: unknown }).code !== '23505') throw e;
        await client.query('ROLLBACK TO SAVEPOINT heimdall_copy');
        await pipeline(Readable.from([body]), client.query(copyFrom(`COPY ${tmp} (${colNames}) FROM STDIN`)));
        const r = await client.query(`INSERT INTO ${schema}.measurements (${colNames}) SELECT ${colNames} FROM ${tmp} ON CONFLICT DO NOTHING`);
        await client.query(`TRUNCATE ${tmp}`);
        inserted += r.rowCount ?? 0;
      }
      for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k].length = 0;
    };
    for (const it of items) {
      const c = it.capture;
      const stationId = stationIds.get(c.receiver_name.slice(0, 255))!;
      const fmt = `sigmf-${c.datatype}`;
      const rate = Math.round(c.sample_rate);
      const dur = c.sample_count / c.sample_rate;
      for (const m of it.measurements) {
        cols.station.push(stationId);
        cols.ts.push(m.timestamp);
        cols.id.push(m.id);
        cols.freq.push(m.freq_hz);
        cols.signal.push(m.signal_power_db ?? m.smeter_dbm);
        cols.snr.push(m.snr_db);
        cols.offset.push(m.freq_offset_hz === null ? null : Math.round(m.freq_offset_hz));
        cols.loc.push(it.location);
        cols.fmt.push(fmt);
        cols.rate.push(rate);
        cols.count.push(c.sample_count);
        cols.dur.push(dur);
        cols.notes.push(m.notes);
        cols.created.push(m.created_at);
        cols.session.push(c.session_id);
        cols.capture.push(c.id);
        cols.noise.push(m.noise_power_db);
        cols.bw.push(m.occupied_bw_hz);
        cols.smeter.push(m.smeter_dbm);
        cols.gps.push(it.timeBase.gpsNsAt(m.window_start_sample)?.toString() ?? null);
        if (cols.id.length >= chunkRows) await flush();
      }
    }
    await flush();
    return inserted;
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
    async writeBatch(batch: PgBatch, chunkRows: number): Promise<number> {
      const client = await pool.connect();
      let broken = false;
      try {
        await ensureSchema(client);
        await client.query('BEGIN');
        const stationIds = await upsertStations(client, batch.items.map((i) => i.capture));
        await upsertSessions(client, batch.sources, batch.sessions);
        const n = await insertMeasurements(client, batch.items, stationIds, batch.stationName, chunkRows);
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
