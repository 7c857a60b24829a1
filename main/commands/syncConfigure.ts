/**
 * `heimdall-station sync configure`: the central store settings of the Sync page from a terminal.
 * Secrets never go on the command line (ps and shell history show it): they are read from
 * HEIMDALL_S3_SECRET_KEY and HEIMDALL_PG_PASSWORD and kept in the station's secret store.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { type SyncSettingsUpdate, type SyncSettingsView } from '../../shared/domain/syncSettings';
import { numberArg } from './args';
import { dataDirOption, withLocalStation } from './localClient';

interface ConfigureOptions {
  s3Endpoint?: { endpoint: string; port: number | null; useTLS: boolean | null };
  s3Port?: number;
  s3Tls?: boolean;
  s3AccessKey?: string;
  s3Region?: string;
  rawBucket?: string;
  datasetsBucket?: string;
  pgUrl?: string;
  pgSchema?: string;
  enable?: boolean;
  retentionDays?: number | null;
  test: boolean;
  dataDir?: string;
}

/** host, host:port, or http(s)://host:port (the scheme sets TLS). */
function endpointArg(v: string): { endpoint: string; port: number | null; useTLS: boolean | null } {
  const withScheme = /^[a-z]+:\/\//i.test(v) ? v : `none://${v}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new InvalidArgumentError('--s3-endpoint is a host, host:port or http(s)://host:port, e.g. minio.example.org:9000.');
  }
  if (!u.hostname || (u.pathname && u.pathname !== '/')) throw new InvalidArgumentError('--s3-endpoint is a host, host:port or http(s)://host:port without a path (buckets are set with --raw-bucket).');
  const scheme = u.protocol.replace(':', '');
  if (!['none', 'http', 'https'].includes(scheme)) throw new InvalidArgumentError('--s3-endpoint takes http:// or https:// (or no scheme).');
  return { endpoint: u.hostname, port: u.port ? Number(u.port) : null, useTLS: scheme === 'none' ? null : scheme === 'https' };
}

function retentionArg(v: string): number | null {
  if (v === 'off' || v === 'keep') return null;
  return numberArg('--retention-days', 0, 3650, 'whole days, or off')(v);
}

function describe(v: SyncSettingsView): string[] {
  const s3 = v.s3.endpoint ? `${v.s3.useTLS ? 'https' : 'http'}://${v.s3.endpoint}${v.s3.port ? `:${v.s3.port}` : ''}, access key ${v.s3.accessKey || '(none)'}, secret key ${v.hasSecretKey ? 'stored' : 'NOT set (HEIMDALL_S3_SECRET_KEY)'}, buckets ${v.s3.rawBucket} + ${v.s3.datasetsBucket}` : 'not set (--s3-endpoint)';
  const pg = v.postgres.url ? `${v.postgres.url} (schema ${v.postgres.schema}), password ${v.hasPostgresPassword ? 'stored' : 'not set (HEIMDALL_PG_PASSWORD)'}` : 'not set (--pg-url)';
  return [
    `object store: ${s3}`,
    `PostgreSQL: ${pg}`,
    `background sync while serving: ${v.enabled ? 'on' : 'off (--enable)'}; synced samples kept ${v.retentionDays === null ? 'forever' : `${v.retentionDays} days`}`,
  ];
}

export function registerSyncConfigureCommand(sync: Command): void {
  sync
    .command('configure')
    .description('set the central store (MinIO/S3 + PostgreSQL) as the Sync page does; without options, show it. Secrets come from HEIMDALL_S3_SECRET_KEY and HEIMDALL_PG_PASSWORD')
    .option('--s3-endpoint <host>', 'object store host, host:port or http(s)://host:port', endpointArg)
    .option('--s3-port <port>', 'object store port', numberArg('--s3-port', 1, 65535, 'a port'))
    .option('--s3-tls', 'talk to the object store over TLS')
    .option('--no-s3-tls', 'talk to the object store without TLS')
    .option('--s3-access-key <key>', 'object store access key (not a secret; the secret key comes from HEIMDALL_S3_SECRET_KEY)')
    .option('--s3-region <region>', 'object store region')
    .option('--raw-bucket <name>', 'bucket for sample objects (default heimdall-raw-iq)')
    .option('--datasets-bucket <name>', 'bucket for dataset exports (default heimdall-datasets)')
    .option('--pg-url <url>', 'postgres://user@host:5432/database (a password in it is moved to the secret store; better: HEIMDALL_PG_PASSWORD)')
    .option('--pg-schema <name>', 'schema for the rows (default heimdall)')
    .option('--enable', 'sync in the background while the station serves')
    .option('--disable', 'no background sync (`sync` still runs when asked)')
    .option('--retention-days <n>', 'delete local sample files this many days after upload (off: keep them)', retentionArg)
    .option('--test', 'try the connections after saving', false)
    .option(...dataDirOption)
    .action(async (o: ConfigureOptions & { disable?: boolean }) => {
      const update: SyncSettingsUpdate = {};
      const s3: NonNullable<SyncSettingsUpdate['s3']> = {};
      if (o.s3Endpoint) {
        s3.endpoint = o.s3Endpoint.endpoint;
        if (o.s3Endpoint.port !== null) s3.port = o.s3Endpoint.port;
        if (o.s3Endpoint.useTLS !== null) s3.useTLS = o.s3Endpoint.useTLS;
      }
      if (o.s3Port !== undefined) s3.port = o.s3Port;
      if (o.s3Tls !== undefined) s3.useTLS = o.s3Tls;
      if (o.s3AccessKey !== undefined) s3.accessKey = o.s3AccessKey;
      if (o.s3Region !== undefined) s3.region = o.s3Region;
      if (o.rawBucket !== undefined) s3.rawBucket = o.rawBucket;
      if (o.datasetsBucket !== undefined) s3.datasetsBucket = o.datasetsBucket;
      if (Object.keys(s3).length) update.s3 = s3;
      if (o.pgUrl !== undefined || o.pgSchema !== undefined) update.postgres = { ...(o.pgUrl !== undefined ? { url: o.pgUrl } : {}), ...(o.pgSchema !== undefined ? { schema: o.pgSchema } : {}) };
      if (o.enable) update.enabled = true;
      if (o.disable) update.enabled = false;
      if (o.retentionDays !== undefined) update.retentionDays = o.retentionDays === null ? null : Math.round(o.retentionDays);
      if (process.env.HEIMDALL_S3_SECRET_KEY) update.secretKey = process.env.HEIMDALL_S3_SECRET_KEY;
      if (process.env.HEIMDALL_PG_PASSWORD) update.postgresPassword = process.env.HEIMDALL_PG_PASSWORD;
      const changing = Object.keys(update).length > 0;
      await withLocalStation(o.dataDir, changing ? 'write' : 'read', async ({ client }) => {
        const view = changing ? await client.updateSyncSettings(update) : await client.getSyncSettings();
        if (changing) console.log('central store settings saved');
        for (const line of describe(view)) console.log(line);
        if (o.test) {
          const t = await client.testSyncConnection({ target: 'both' });
          for (const [name, r] of [['object store', t.s3], ['PostgreSQL', t.pg]] as const) if (r) console.log(`${name}: ${r.ok ? 'ok' : 'FAILED'} - ${r.message}`);
          if (!t.s3?.ok || !t.pg?.ok) process.exitCode = 1;
        }
      });
    });
}
