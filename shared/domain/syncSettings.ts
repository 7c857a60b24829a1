import { z } from 'zod';

/**
 * Central-store (MinIO + Timescale/PostgreSQL) settings and the sync API's schemas.
 * Secrets (S3 secret key, PostgreSQL password) are never part of a readable schema: the
 * station keeps them in its SecretStore and only says whether each one is set.
 */

const hostSchema = z
  .string()
  .trim()
  .max(253)
  .refine((h) => h === '' || /^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(h), 'a host name or IP address without scheme or path, e.g. minio.example.org');

const s3Fields = {
  /** Host name only, e.g. minio.example.org (the scheme comes from useTLS). */
  endpoint: hostSchema,
  port: z.number().int().min(1).max(65535).nullable(),
  useTLS: z.boolean(),
  /** Not a secret (it names the account, like a user name); the secret key is in the secret store. */
  accessKey: z.string().trim().max(128),
  region: z.string().trim().max(64),
  rawBucket: z.string().trim().min(3).max(63),
  datasetsBucket: z.string().trim().min(3).max(63),
  /** Create the buckets when missing (the backend normally has them). */
  createBuckets: z.boolean(),
  /** Objects up to this size go in one PUT whose ETag is the MD5; larger ones use multipart. */
  multipartThresholdBytes: z.number().int().min(5 * 1024 * 1024).max(5 * 1024 * 1024 * 1024),
};

export const s3SettingsSchema = z.object({
  endpoint: s3Fields.endpoint.default(''),
  port: s3Fields.port.default(null),
  useTLS: s3Fields.useTLS.default(false),
  accessKey: s3Fields.accessKey.default(''),
  region: s3Fields.region.default('us-east-1'),
  rawBucket: s3Fields.rawBucket.default('heimdall-raw-iq'),
  datasetsBucket: s3Fields.datasetsBucket.default('heimdall-datasets'),
  createBuckets: s3Fields.createBuckets.default(true),
  multipartThresholdBytes: s3Fields.multipartThresholdBytes.default(64 * 1024 * 1024),
});
/** Partial without defaults: an update changes only the fields it names. */
export const s3SettingsPatchSchema = z.object(s3Fields).partial();
export type S3Settings = z.infer<typeof s3SettingsSchema>;

const pgFields = {
  /** postgres://user@host:5432/db?sslmode=require, WITHOUT the password (kept in the secret store). */
  url: z
    .string()
    .trim()
    .max(1024)
    .refine((u) => u === '' || /^postgres(ql)?:\/\//.test(u), 'a postgres:// or postgresql:// URL'),
  schema: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier'),
};
export const pgSettingsSchema = z.object({ url: pgFields.url.default(''), schema: pgFields.schema.default('heimdall') });
export const pgSettingsPatchSchema = z.object(pgFields).partial();
export type PgSettings = z.infer<typeof pgSettingsSchema>;

export const syncSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  s3: s3SettingsSchema.default(s3SettingsSchema.parse({})),
  postgres: pgSettingsSchema.default(pgSettingsSchema.parse({})),
  /** Seconds between sync passes when idle (new captures also wake the engine). */
  intervalSeconds: z.number().int().min(1).max(86_400).default(30),
  /** Measurement rows per PostgreSQL statement. */
  batchRows: z.number().int().min(1).max(200_000).default(20_000),
  /** Delete local sample files this many days after they were uploaded (rows are kept); null keeps them. */
  retentionDays: z.number().int().min(0).max(3650).nullable().default(null),
  /** Free space to keep on the data disk beyond a capture's own size. */
  diskMarginBytes: z.number().int().min(0).default(512 * 1024 * 1024),
});
export type SyncSettings = z.infer<typeof syncSettingsSchema>;

/** What getSyncSettings / updateSyncSettings return: the settings plus which secrets are set. */
export const syncSettingsViewSchema = syncSettingsSchema.extend({
  hasSecretKey: z.boolean(),
  hasPostgresPassword: z.boolean(),
});
export type SyncSettingsView = z.infer<typeof syncSettingsViewSchema>;

/** Input of updateSyncSettings: any subset; a secret is set by a string, cleared by null, kept when absent. */
export const syncSettingsUpdateSchema = z.object({
  enabled: z.boolean().optional(),
  s3: s3SettingsPatchSchema.optional(),
  /** A URL that still carries a password has it moved to the secret store. */
  postgres: pgSettingsPatchSchema.optional(),
  intervalSeconds: z.number().int().min(1).max(86_400).optional(),
  batchRows: z.number().int().min(1).max(200_000).optional(),
  retentionDays: z.number().int().min(0).max(3650).nullable().optional(),
  diskMarginBytes: z.number().int().min(0).optional(),
  secretKey: z.string().max(256).nullable().optional(),
  postgresPassword: z.string().max(1024).nullable().optional(),
});
export type SyncSettingsUpdate = z.infer<typeof syncSettingsUpdateSchema>;

export const syncTargets = ['s3', 'pg'] as const;
export const syncTargetSchema = z.enum(syncTargets);
export type SyncTarget = z.infer<typeof syncTargetSchema>;

export const outboxStates = ['pending', 'done', 'failed'] as const;
export const outboxStateSchema = z.enum(outboxStates);
export type OutboxState = z.infer<typeof outboxStateSchema>;

export const syncErrorSchema = z.object({
  target: syncTargetSchema,
  message: z.string(),
  at: z.string(),
});
export type SyncErrorInfo = z.infer<typeof syncErrorSchema>;

export const syncStatusSchema = z.object({
  state: z.enum(['not_configured', 'disabled', 'idle', 'syncing', 'paused', 'waiting_retry', 'stopped']),
  lastRunAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: syncErrorSchema.nullable(),
  captures: z.number().int(),
  measurements: z.number().int(),
  /** Outbox counts by target and state. */
  outbox: z.array(z.object({ target: syncTargetSchema, state: outboxStateSchema, count: z.number().int() })),
  /** Bytes of sample files still to upload. */
  pendingBytes: z.number().int(),
  /** Next retry of an item that failed transiently, if any. */
  nextRetryAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const connectionCheckSchema = z.object({
  ok: z.boolean(),
  /** One sentence for the operator: what happened and what to do. */
  message: z.string(),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

export const syncConnectionTestSchema = z.object({ s3: connectionCheckSchema.nullable(), pg: connectionCheckSchema.nullable() });
export type SyncConnectionTest = z.infer<typeof syncConnectionTestSchema>;

/** Event the station publishes when the sync status changes (for the Sync page). */
export const syncStatusEventSchema = z.object({ type: z.literal('sync.status'), status: syncStatusSchema });
