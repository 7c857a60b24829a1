/**
 * The backend's layout (docs/CENTRAL_STORE.md), created only where missing: CREATE ... IF NOT
 * EXISTS and ADD COLUMN IF NOT EXISTS, never a DROP or a rewrite. Station additions are nullable
 * columns. The schema name is a validated identifier (settings schema), so it is safe to splice.
 */
export function schemaDdl(schema: string): string[] {
  const s = schema;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.websdr_stations (
      id uuid PRIMARY KEY,
      name varchar(255) UNIQUE NOT NULL,
      url varchar(512) NOT NULL,
      country varchar(100),
      latitude float NOT NULL,
      longitude float NOT NULL,
      frequency_min_hz bigint,
      frequency_max_hz bigint,
      is_active bool DEFAULT true,
      api_type varchar(50) DEFAULT 'http',
      rate_limit_ms int DEFAULT 1000,
      timeout_seconds int DEFAULT 30,
      notes text,
      created_at timestamptz DEFAULT now(),
      updated_at timestamptz DEFAULT now()
    )`,
    `ALTER TABLE ${s}.websdr_stations ADD COLUMN IF NOT EXISTS retry_count int`,
    `ALTER TABLE ${s}.websdr_stations ADD COLUMN IF NOT EXISTS admin_email varchar(255)`,
    `ALTER TABLE ${s}.websdr_stations ADD COLUMN IF NOT EXISTS location_description text`,
    `ALTER TABLE ${s}.websdr_stations ADD COLUMN IF NOT EXISTS altitude_asl float`,
    `CREATE TABLE IF NOT EXISTS ${s}.known_sources (
      id uuid PRIMARY KEY,
      name varchar(255) NOT NULL,
      description text,
      frequency_hz bigint,
      latitude float,
      longitude float,
      power_dbm float,
      source_type varchar(100),
      is_validated bool DEFAULT false,
      error_margin_meters float DEFAULT 50,
      created_at timestamptz DEFAULT now(),
      updated_at timestamptz DEFAULT now()
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.measurements (
      websdr_station_id uuid NOT NULL REFERENCES ${s}.websdr_stations(id),
      timestamp timestamptz NOT NULL,
      id uuid NOT NULL,
      frequency_hz bigint NOT NULL,
      signal_strength_db float,
      snr_db float,
      frequency_offset_hz int,
      iq_data_location varchar(512),
      iq_data_format varchar(50),
      iq_sample_rate int,
      iq_samples_count int,
      duration_seconds float,
      notes text,
      created_at timestamptz DEFAULT now(),
      PRIMARY KEY (timestamp, id)
    )`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS recording_session_id uuid`,
    // Station-side additions (nullable).
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS station_capture_id uuid`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS noise_power_db float`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS occupied_bw_hz float`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS smeter_dbm float`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS gps_unix_ns bigint`,
    `ALTER TABLE ${s}.measurements ADD COLUMN IF NOT EXISTS station_name varchar(255)`,
    `CREATE INDEX IF NOT EXISTS idx_measurements_websdr_station_timestamp ON ${s}.measurements (websdr_station_id, timestamp DESC)`,
    `CREATE INDEX IF NOT EXISTS idx_measurements_frequency_timestamp ON ${s}.measurements (frequency_hz, timestamp DESC)`,
    `CREATE INDEX IF NOT EXISTS idx_measurements_timestamp ON ${s}.measurements (timestamp DESC)`,
    `CREATE TABLE IF NOT EXISTS ${s}.recording_sessions (
      id uuid PRIMARY KEY,
      known_source_id uuid REFERENCES ${s}.known_sources(id),
      session_name varchar(255) NOT NULL,
      session_start timestamptz NOT NULL,
      session_end timestamptz,
      duration_seconds float,
      celery_task_id varchar(255),
      status varchar(50) DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
      approval_status varchar(50) DEFAULT 'pending' CHECK (approval_status IN ('pending', 'approved', 'rejected')),
      notes text,
      created_at timestamptz DEFAULT now(),
      updated_at timestamptz DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS idx_recording_sessions_known_source ON ${s}.recording_sessions (known_source_id)`,
    `CREATE INDEX IF NOT EXISTS idx_recording_sessions_status ON ${s}.recording_sessions (status)`,
    `CREATE INDEX IF NOT EXISTS idx_recording_sessions_approval ON ${s}.recording_sessions (approval_status)`,
    `CREATE INDEX IF NOT EXISTS idx_recording_sessions_start ON ${s}.recording_sessions (session_start DESC)`,
    `CREATE TABLE IF NOT EXISTS ${s}.training_datasets (
      id uuid PRIMARY KEY,
      name varchar(255) UNIQUE NOT NULL,
      description text,
      measurement_count int,
      frequency_range_min_hz bigint,
      frequency_range_max_hz bigint,
      geographic_region varchar(255),
      is_active bool,
      notes text,
      created_at timestamptz DEFAULT now(),
      updated_at timestamptz DEFAULT now()
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.dataset_measurements (
      id uuid PRIMARY KEY,
      dataset_id uuid REFERENCES ${s}.training_datasets(id) ON DELETE CASCADE,
      measurement_id uuid NOT NULL,
      created_at timestamptz DEFAULT now(),
      UNIQUE (dataset_id, measurement_id)
    )`,
  ];
}

/** Only where the extension exists; if_not_exists + migrate_data make it safe on an existing table. */
export function hypertableSql(schema: string): string {
  return `SELECT create_hypertable('${schema}.measurements', 'timestamp', chunk_time_interval => interval '1 day', if_not_exists => true, migrate_data => true)`;
}
