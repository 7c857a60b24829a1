/**
 * `heimdall-station config get [key] [--json]` and `heimdall-station config set <key> [value]`:
 * what the Settings and Sync pages set, by dotted key, through the same API methods those pages use
 * (getSettings/updateSettings, getSyncSettings/updateSyncSettings). Secrets never go on the command
 * line (ps and shell history show it): `config set s3.secretKey -` reads a line from stdin, and
 * without a value the key is read from its environment variable (the ones `sync configure` reads).
 * `config get` shows a secret as set or unset, never its value.
 */
import { type Command } from 'commander';
import { type Settings, type SettingsPatch } from '../../shared/domain/settings';
import { type SyncSettingsUpdate, type SyncSettingsView } from '../../shared/domain/syncSettings';
import { StationError } from '../../shared/errors';
import { dataDirOption, resolveDataDir, stationExists, noStationError, withLocalStation } from './localClient';

type Kind = 'text' | 'whole' | 'bool' | 'wholeOrOff' | 'secret';

interface ConfigKey {
  key: string;
  kind: Kind;
  doc: string;
  /** Secrets: the environment variable read when no value is given. */
  env?: string;
  read(s: Settings, sync: SyncSettingsView): unknown;
  write(v: never): { settings?: SettingsPatch; sync?: SyncSettingsUpdate };
}

const key = <V>(spec: Omit<ConfigKey, 'write'> & { write: (v: V) => { settings?: SettingsPatch; sync?: SyncSettingsUpdate } }): ConfigKey => spec as ConfigKey;
const s3 = (patch: NonNullable<SyncSettingsUpdate['s3']>) => ({ sync: { s3: patch } });
const pg = (patch: NonNullable<SyncSettingsUpdate['postgres']>) => ({ sync: { postgres: patch } });

export const CONFIG_KEYS: ConfigKey[] = [
  key<string>({ key: 'station.name', kind: 'text', doc: 'the station name (Settings page)', read: (s) => s.stationName, write: (v) => ({ settings: { stationName: v } }) }),
  key<string>({ key: 'station.callsign', kind: 'text', doc: 'callsign sent to receivers in ident_user', read: (s) => s.callsign, write: (v) => ({ settings: { callsign: v } }) }),
  key<string>({ key: 'display.units', kind: 'text', doc: 'metric or imperial', read: (s) => s.units, write: (v) => ({ settings: { units: v as Settings['units'] } }) }),
  key<string>({ key: 'display.colorMap', kind: 'text', doc: 'turbo, viridis, cividis or grayscale', read: (s) => s.colorMap, write: (v) => ({ settings: { colorMap: v as Settings['colorMap'] } }) }),
  key<boolean>({ key: 'sync.enabled', kind: 'bool', doc: 'sync in the background while the station serves', read: (_s, v) => v.enabled, write: (v) => ({ sync: { enabled: v } }) }),
  key<number>({ key: 'sync.intervalSeconds', kind: 'whole', doc: 'seconds between sync passes when idle', read: (_s, v) => v.intervalSeconds, write: (v) => ({ sync: { intervalSeconds: v } }) }),
  key<number>({ key: 'sync.batchRows', kind: 'whole', doc: 'measurement rows per PostgreSQL statement', read: (_s, v) => v.batchRows, write: (v) => ({ sync: { batchRows: v } }) }),
  key<number | null>({ key: 'sync.retentionDays', kind: 'wholeOrOff', doc: 'delete local sample files this many days after upload (off: keep them)', read: (_s, v) => v.retentionDays, write: (v) => ({ sync: { retentionDays: v } }) }),
  key<number>({ key: 'sync.diskMarginBytes', kind: 'whole', doc: "free space to keep on the data disk beyond a capture's own size", read: (_s, v) => v.diskMarginBytes, write: (v) => ({ sync: { diskMarginBytes: v } }) }),
  key<string>({ key: 's3.endpoint', kind: 'text', doc: 'object store (MinIO/S3) host, without scheme or port', read: (_s, v) => v.s3.endpoint, write: (v) => s3({ endpoint: v }) }),
  key<number | null>({ key: 's3.port', kind: 'wholeOrOff', doc: 'object store port (off: the default of the scheme)', read: (_s, v) => v.s3.port, write: (v) => s3({ port: v }) }),
  key<boolean>({ key: 's3.useTLS', kind: 'bool', doc: 'talk to the object store over TLS', read: (_s, v) => v.s3.useTLS, write: (v) => s3({ useTLS: v }) }),
  key<string>({ key: 's3.accessKey', kind: 'text', doc: 'object store access key (not a secret)', read: (_s, v) => v.s3.accessKey, write: (v) => s3({ accessKey: v }) }),
  key<string>({ key: 's3.secretKey', kind: 'secret', env: 'HEIMDALL_S3_SECRET_KEY', doc: 'object store secret key (secret: from stdin with -, or $HEIMDALL_S3_SECRET_KEY)', read: (_s, v) => (v.hasSecretKey ? 'set' : 'unset'), write: (v) => ({ sync: { secretKey: v } }) }),
  key<string>({ key: 's3.region', kind: 'text', doc: 'object store region', read: (_s, v) => v.s3.region, write: (v) => s3({ region: v }) }),
  key<string>({ key: 's3.rawBucket', kind: 'text', doc: 'bucket for sample objects', read: (_s, v) => v.s3.rawBucket, write: (v) => s3({ rawBucket: v }) }),
  key<string>({ key: 's3.datasetsBucket', kind: 'text', doc: 'bucket for dataset exports', read: (_s, v) => v.s3.datasetsBucket, write: (v) => s3({ datasetsBucket: v }) }),
  key<boolean>({ key: 's3.createBuckets', kind: 'bool', doc: 'create the buckets when missing', read: (_s, v) => v.s3.createBuckets, write: (v) => s3({ createBuckets: v }) }),
  key<number>({ key: 's3.multipartThresholdBytes', kind: 'whole', doc: 'objects larger than this are uploaded in parts', read: (_s, v) => v.s3.multipartThresholdBytes, write: (v) => s3({ multipartThresholdBytes: v }) }),
  key<string>({ key: 'postgres.url', kind: 'text', doc: 'postgres://user@host:5432/database, without the password', read: (_s, v) => v.postgres.url, write: (v) => pg({ url: v }) }),
  key<string>({ key: 'postgres.schema', kind: 'text', doc: 'schema for the rows', read: (_s, v) => v.postgres.schema, write: (v) => pg({ schema: v }) }),
  key<string>({ key: 'postgres.password', kind: 'secret', env: 'HEIMDALL_PG_PASSWORD', doc: 'PostgreSQL password (secret: from stdin with -, or $HEIMDALL_PG_PASSWORD)', read: (_s, v) => (v.hasPostgresPassword ? 'set' : 'unset'), write: (v) => ({ sync: { postgresPassword: v } }) }),
];

function findKey(name: string): ConfigKey {
  const k = CONFIG_KEYS.find((c) => c.key === name) ?? CONFIG_KEYS.find((c) => c.key.toLowerCase() === name.toLowerCase());
  if (!k) throw new StationError('invalid_input', `There is no setting "${name}". The keys are: ${CONFIG_KEYS.map((c) => c.key).join(', ')} (heimdall-station config --help says what each is).`);
  return k;
}

function parseValue(k: ConfigKey, raw: string): unknown {
  const v = raw.trim();
  switch (k.kind) {
    case 'bool':
      if (/^(true|yes|on|1)$/i.test(v)) return true;
      if (/^(false|no|off|0)$/i.test(v)) return false;
      throw new StationError('invalid_input', `${k.key} is true or false (also yes/no, on/off), not "${raw}".`);
    case 'whole':
    case 'wholeOrOff': {
      if (k.kind === 'wholeOrOff' && /^(off|none|default)$/i.test(v)) return null;
      const n = Number(v);
      if (v === '' || !Number.isInteger(n)) throw new StationError('invalid_input', `${k.key} is a whole number${k.kind === 'wholeOrOff' ? ', or off' : ''}, not "${raw}".`);
      return n;
    }
    default:
      return raw;
  }
}

/** The first line of stdin (a secret piped in, or typed and ended with Enter). */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('type the secret and press Enter (it is shown as you type; piping it in avoids that): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  process.stdin.pause();
  return text.split(/\r?\n/)[0] ?? '';
}

/** Where a secret comes from; refuses one given on the command line before anything is opened. */
async function secretValue(k: ConfigKey, value: string | undefined): Promise<string> {
  const how = `Pipe it in: \`printf '%s\\n' "$SECRET" | heimdall-station config set ${k.key} -\`, or set ${k.env} and run \`heimdall-station config set ${k.key}\`.`;
  if (value !== undefined && value !== '-') {
    throw new StationError('invalid_input', `${k.key} is a secret, so it is not taken on the command line (ps and the shell history would show it); nothing was changed. ${how}`);
  }
  const secret = value === '-' ? await readStdinLine() : process.env[k.env!];
  if (value === undefined && secret === undefined) throw new StationError('invalid_input', `No value for ${k.key}: ${k.env} is not set. ${how}`);
  if (!secret) throw new StationError('invalid_input', `The ${k.key} given ${value === '-' ? 'on stdin' : `in ${k.env}`} is empty; nothing was changed. ${how}`);
  return secret;
}

/** As `config set` takes it back: null is off. */
const shown = (v: unknown) => (v === null ? 'off' : String(v));

function keysHelp(): string {
  const width = Math.max(...CONFIG_KEYS.map((k) => k.key.length));
  return `\nKeys:\n${CONFIG_KEYS.map((k) => `  ${k.key.padEnd(width)}  ${k.doc}`).join('\n')}\n\nSecrets (s3.secretKey, postgres.password) are never taken as arguments: \`config set <key> -\` reads one line from stdin; \`config set <key>\` without a value reads the environment variable.\n`;
}

export function registerConfigCommand(program: Command): void {
  const cmd = program
    .command('config')
    .summary('read and change the station settings and the central store, by dotted key')
    .description('read and change what the Settings and Sync pages set (station name, callsign, central store endpoint, buckets, PostgreSQL URL, ...), by dotted key; secrets come from stdin or the environment, never as arguments')
    .addHelpText('after', keysHelp());

  cmd
    .command('get [key]')
    .description('print every setting (secrets as set or unset, never their value), or one')
    .option('--json', 'print JSON', false)
    .option(...dataDirOption)
    .addHelpText('after', keysHelp())
    .action(async (name: string | undefined, o: { json: boolean; dataDir?: string }) => {
      const wanted = name === undefined ? CONFIG_KEYS : [findKey(name)];
      const dataDir = resolveDataDir(o.dataDir);
      if (!stationExists(dataDir)) throw noStationError(dataDir);
      await withLocalStation(o.dataDir, 'read', async ({ client }) => {
        const [settings, sync] = await Promise.all([client.getSettings(), client.getSyncSettings()]);
        const values = wanted.map((k) => [k.key, k.read(settings, sync)] as const);
        if (o.json) console.log(JSON.stringify(Object.fromEntries(values), null, 2));
        else if (name !== undefined) console.log(shown(values[0]![1]));
        else {
          const width = Math.max(...values.map(([k]) => k.length));
          for (const [k, v] of values) console.log(`${k.padEnd(width)}  ${shown(v)}`);
        }
      });
    });

  cmd
    .command('set <key> [value]')
    .description('change one setting through the API the UI uses; a secret key takes - (one line from stdin) or no value (its environment variable)')
    .option(...dataDirOption)
    .addHelpText('after', keysHelp())
    .action(async (name: string, value: string | undefined, o: { dataDir?: string }) => {
      const k = findKey(name);
      let parsed: unknown;
      if (k.kind === 'secret') parsed = await secretValue(k, value);
      else {
        if (value === undefined) throw new StationError('invalid_input', `Give ${k.key} a value: heimdall-station config set ${k.key} <value>.`);
        if (k.key === 'postgres.url' && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(value.trim())) {
          throw new StationError('invalid_input', 'postgres.url carries a password, which is not taken on the command line (ps and the shell history would show it); nothing was changed. Give the URL without it (postgres://user@host:5432/db) and set postgres.password from stdin: `heimdall-station config set postgres.password -`.');
        }
        parsed = parseValue(k, value);
      }
      const change = k.write(parsed as never);
      await withLocalStation(o.dataDir, 'write', async ({ client }) => {
        if (change.settings) await client.updateSettings(change.settings);
        if (change.sync) await client.updateSyncSettings(change.sync);
        const [settings, sync] = await Promise.all([client.getSettings(), client.getSyncSettings()]);
        console.log(`${k.key} = ${shown(k.read(settings, sync))}`);
      });
    });
}
