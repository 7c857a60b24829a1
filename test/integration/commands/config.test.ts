/**
 * `heimdall-station config get/set` and `--version`, the real binary in its own process on a temp
 * data directory; what it stored is read back through the station API (getSettings /
 * getSyncSettings on a fresh openLocalStation, the same client the commands use).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStation } from '../../../main/commands/localClient';
import { tempDir } from '../../helpers/tempDir';
import { repoRoot } from '../../helpers/station';
import { expectOk, runCli } from '../../helpers/runCli';

const tmp = tempDir('heimdall-cli-config-');
afterAll(() => tmp.cleanup());
const dir = (name: string) => path.join(tmp.dir, name);

async function throughApi(dataDir: string) {
  const { station, client } = await openLocalStation(dataDir, { mode: 'read' });
  try {
    return { settings: await client.getSettings(), sync: await client.getSyncSettings(), secrets: station.sync.resolvedSettings() };
  } finally {
    await station.close();
  }
}

describe('heimdall-station config', () => {
  it('set then get round-trips, and the station API sees the values', async () => {
    const d = dir('roundtrip');
    const sets: [string, string][] = [
      ['station.name', 'Field Station 7'],
      ['station.callsign', 'IU1ABC'],
      ['s3.endpoint', 'minio.example.org'],
      ['s3.port', '9000'],
      ['s3.useTLS', 'yes'],
      ['s3.rawBucket', 'field-raw'],
      ['postgres.url', 'postgres://heimdall@db.example.org:5432/heimdall'],
      ['sync.retentionDays', '14'],
    ];
    for (const [k, v] of sets) expectOk(await runCli(['config', 'set', k, v, '--data-dir', d]), `config set ${k}`);

    const one = expectOk(await runCli(['config', 'get', 'station.name', '--data-dir', d]), 'config get station.name');
    expect(one.stdout).toBe('Field Station 7\n');
    const all = JSON.parse(expectOk(await runCli(['config', 'get', '--json', '--data-dir', d]), 'config get --json').stdout) as Record<string, unknown>;
    expect(all).toMatchObject({
      'station.name': 'Field Station 7',
      'station.callsign': 'IU1ABC',
      's3.endpoint': 'minio.example.org',
      's3.port': 9000,
      's3.useTLS': true,
      's3.rawBucket': 'field-raw',
      's3.datasetsBucket': 'heimdall-datasets',
      'postgres.url': 'postgres://heimdall@db.example.org:5432/heimdall',
      'sync.retentionDays': 14,
      's3.secretKey': 'unset',
      'postgres.password': 'unset',
    });
    const text = expectOk(await runCli(['config', 'get', '--data-dir', d]), 'config get');
    expect(text.stdout).toMatch(/^s3\.port\s+9000$/m);

    const api = await throughApi(d);
    expect(api.settings).toMatchObject({ stationName: 'Field Station 7', callsign: 'IU1ABC' });
    expect(api.sync.s3).toMatchObject({ endpoint: 'minio.example.org', port: 9000, useTLS: true, rawBucket: 'field-raw' });
    expect(api.sync.postgres.url).toBe('postgres://heimdall@db.example.org:5432/heimdall');
    expect(api.sync.retentionDays).toBe(14);

    // Back to the default with off; a bad value is refused by the same schema the Sync page uses.
    expectOk(await runCli(['config', 'set', 's3.port', 'off', '--data-dir', d]), 'config set s3.port off');
    expect((await throughApi(d)).sync.s3.port).toBeNull();
    const bad = await runCli(['config', 'set', 's3.endpoint', 'http://minio/path', '--data-dir', d]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/s3\.endpoint: a host name or IP address without scheme or path/);
    const unknown = await runCli(['config', 'set', 's3.bucket', 'x', '--data-dir', d]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no setting "s3.bucket". The keys are: station.name,');
  });

  it('refuses a secret given as an argument, and changes nothing (not even creating a station)', async () => {
    const fresh = dir('refused-fresh');
    const r = await runCli(['config', 'set', 's3.secretKey', 'sk-on-the-command-line', '--data-dir', fresh]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('s3.secretKey is a secret, so it is not taken on the command line');
    expect(r.stderr).toContain('config set s3.secretKey -');
    expect(r.stderr).toContain('HEIMDALL_S3_SECRET_KEY');
    expect(fs.existsSync(path.join(fresh, 'station.sqlite'))).toBe(false);

    const d = dir('refused');
    expectOk(await runCli(['config', 'set', 'station.name', 'Kept', '--data-dir', d]), 'config set station.name');
    const before = expectOk(await runCli(['config', 'get', '--json', '--data-dir', d]), 'config get --json').stdout;
    const secrets = path.join(d, 'secrets.json');
    const secretsBefore = fs.existsSync(secrets) ? fs.readFileSync(secrets, 'utf8') : null;
    for (const args of [
      ['config', 'set', 's3.secretKey', 'sk-on-the-command-line'],
      ['config', 'set', 'postgres.password', 'pw-on-the-command-line'],
      ['config', 'set', 'postgres.url', 'postgres://heimdall:pw-in-url@db.example.org/heimdall'],
    ]) {
      const refused = await runCli([...args, '--data-dir', d]);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr, args.join(' ')).toContain('nothing was changed');
    }
    expect(expectOk(await runCli(['config', 'get', '--json', '--data-dir', d]), 'config get --json').stdout).toBe(before);
    expect(fs.existsSync(secrets) ? fs.readFileSync(secrets, 'utf8') : null).toBe(secretsBefore);
    const api = await throughApi(d);
    expect(api.sync).toMatchObject({ hasSecretKey: false, hasPostgresPassword: false });
    expect(api.sync.postgres.url).toBe('');
  });

  it('stores a secret from stdin or the environment; get shows it as set, never its value', async () => {
    const d = dir('secret');
    const set = expectOk(await runCli(['config', 'set', 's3.secretKey', '-', '--data-dir', d], { input: 'sk-from-stdin-123\n' }), 'config set s3.secretKey -');
    expect(set.stdout).toBe('s3.secretKey = set\n');
    expectOk(await runCli(['config', 'set', 'postgres.password', '--data-dir', d], { env: { HEIMDALL_PG_PASSWORD: 'pg-from-env-456' } }), 'config set postgres.password (env)');

    const one = expectOk(await runCli(['config', 'get', 's3.secretKey', '--data-dir', d]), 'config get s3.secretKey');
    expect(one.stdout).toBe('set\n');
    const all = expectOk(await runCli(['config', 'get', '--json', '--data-dir', d]), 'config get --json');
    expect(JSON.parse(all.stdout)).toMatchObject({ 's3.secretKey': 'set', 'postgres.password': 'set' });
    for (const out of [set, one, all]) expect(out.stdout + out.stderr).not.toMatch(/sk-from-stdin|pg-from-env/);

    const api = await throughApi(d);
    expect(api.sync).toMatchObject({ hasSecretKey: true, hasPostgresPassword: true });
    expect(api.secrets).toMatchObject({ s3SecretKey: 'sk-from-stdin-123', pgPassword: 'pg-from-env-456' });

    const empty = await runCli(['config', 'set', 's3.secretKey', '-', '--data-dir', d], { input: '\n' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('is empty; nothing was changed');
    expect((await throughApi(d)).secrets.s3SecretKey).toBe('sk-from-stdin-123');
  });

  it('lists the keys in config --help', async () => {
    const help = expectOk(await runCli(['config', '--help']), 'config --help');
    for (const k of ['station.name', 'station.callsign', 's3.endpoint', 's3.rawBucket', 's3.secretKey', 'postgres.url', 'postgres.password']) expect(help.stdout).toContain(k);
  });
});

describe('heimdall-station --version', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = expectOk(await runCli(['--version']), '--version');
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
