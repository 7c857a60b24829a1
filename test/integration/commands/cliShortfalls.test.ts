/**
 * One test per shortfall a newcomer hit (issue 16): the text they see, the exit code, what is left
 * on disk. Every command is the real binary in its own process.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/pg';
import { repoRoot } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';
import { expectOk, runCli } from '../../helpers/runCli';

const tmp = tempDir('heimdall-cli-shortfalls-');
afterAll(() => tmp.cleanup());
const dir = (name: string) => path.join(tmp.dir, name);
const API_METHOD = /\b(createSession|createReceiver|createKnownSource|updateSyncSettings|getSession|decideSession|The input of)\b/;

/** A station with one known source and no receivers, made by the CLI. */
async function stationWithASource(name: string): Promise<string> {
  const d = dir(name);
  expectOk(await runCli(['source', 'add', '--name', 'Mast', '--lat', '45', '--lon', '7', '--data-dir', d]), 'source add');
  return d;
}

describe('1. the session flow can be finished', () => {
  it('approve without approved segments says which commands approve them (covered end to end in cliJob.test.ts); reject offers no --all-segments', async () => {
    const help = await runCli(['session', 'reject', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('reject a session in review');
    expect(help.stdout).not.toContain('--all-segments');
    const approveHelp = await runCli(['session', 'approve', '--help']);
    expect(approveHelp.stdout.replace(/\s+/g, ' ')).toContain('--all-segments first approve every segment (proposed by the detector, marked, or by hand) for every receiver');
    const review = await runCli(['session', 'review', '--help']);
    expect(review.stdout).toMatch(/--approve/);
  });
});

describe('2. receivers and sources from the CLI; hints that point somewhere real', () => {
  it('an unknown receiver points at `receiver list`, a unit-less frequency says Hz, errors name no API method', async () => {
    const d = await stationWithASource('hints');
    const unknown = await runCli(['session', 'create', '--name', 'x', '--freq', '7100000', '--receiver', 'No Such Kiwi', '--data-dir', d]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No receiver "No Such Kiwi". List them with `heimdall-station receiver list`, or add one with `heimdall-station receiver add <url>`.');
    expect(unknown.stderr).not.toMatch(/heimdall-station status/);

    const mhz = await runCli(['session', 'create', '--name', 'x', '--freq', '7.1', '--receiver', 'any', '--data-dir', d]);
    expect(mhz.code).toBe(1);
    expect(mhz.stderr).toContain('--freq is in Hz: 7.1 is 7.1 Hz, below 10 kHz. For 7.1 MHz write 7100000 or 7.1M.');

    const long = await runCli(['source', 'add', '--name', 'x'.repeat(300), '--lat', '45', '--lon', '7', '--data-dir', d]);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/^heimdall-station: The known source is not valid \(name: /m);
    for (const r of [unknown, mhz, long]) expect(r.stderr).not.toMatch(API_METHOD);
  });

  it('sync without a central store points at `sync configure` and the Sync page, not a Settings section', async () => {
    const d = await stationWithASource('nosync');
    const r = await runCli(['sync', '--once', '--data-dir', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`heimdall-station sync configure --s3-endpoint <host> --pg-url postgres://user@host/db ...` (or on the Sync page of the station UI)');
    expect(r.stderr).not.toMatch(/Settings >|updateSyncSettings/);
  });

  it('receivers are imported from a list file and removed by name; sources by CSV', async () => {
    const d = await stationWithASource('lists');
    const list = path.join(tmp.dir, 'list.json');
    fs.writeFileSync(list, JSON.stringify({ id: 'x', name: 'x', description: 'x', receivers: [{ name: 'Kiwi A', kind: 'kiwisdr', url: 'http://a.example:8073/' }, { name: 'Web B', kind: 'openwebrx', url: 'http://b.example:8073/' }] }));
    const imported = expectOk(await runCli(['receiver', 'import', list, '--data-dir', d]), 'receiver import');
    expect(imported.stdout).toContain('2 receivers found, 2 added, 0 already here, 0 rejected');
    expect(expectOk(await runCli(['receiver', 'import', list, '--data-dir', d]), 'again').stdout).toContain('0 added, 2 already here');
    expect(expectOk(await runCli(['receiver', 'remove', 'kiwi a', '--data-dir', d]), 'remove').stdout).toMatch(/^removed Kiwi A \([0-9a-f]{8}\)$/m);
    expect(expectOk(await runCli(['receiver', 'list', '--data-dir', d]), 'list').stdout.trim().split('\n')).toHaveLength(1);
    const csv = path.join(tmp.dir, 'sources.csv');
    fs.writeFileSync(csv, 'name,frequency_hz,lat,lon\nRepeater,145600000,45.1,7.2\nMast,,45,7.5\nBad,,95,7\n');
    const r = expectOk(await runCli(['source', 'import', csv, '--data-dir', d]), 'source import');
    expect(r.stdout).toContain(`${csv}: 1 added, 1 updated, 1 rows rejected`);
    const sources = JSON.parse((await runCli(['source', 'list', '--json', '--data-dir', d])).stdout) as { name: string; lon: number }[];
    expect(sources.map((x) => [x.name, x.lon])).toEqual([['Mast', 7.5], ['Repeater', 7.2]]);
    expect(expectOk(await runCli(['source', 'remove', 'repeater', '--data-dir', d]), 'source remove').stdout).toMatch(/^removed Repeater/);
  });
});

describe('3. an unreachable receiver is said at once', () => {
  it('for IQ and for a demodulated mode, without writing anything', async () => {
    const port = await freePort();
    for (const [url, mode] of [['http://127.0.0.1:1/', 'iq'], [`http://127.0.0.1:${port}/`, 'usb']] as const) {
      const out = dir(`unreachable-${mode}`);
      const r = await runCli(['capture', '--receiver', url, '--freq', '7100000', '--mode', mode, '--duration', '5', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`The receiver at ${url} is unreachable: connection refused, nothing listens there (ECONNREFUSED).`);
      expect(r.stderr).not.toMatch(/not available on OpenWebRX|duration was not delivered/);
      // At once: before this fix it took 27 s to fail; the probe's own timeout is 5 s.
      expect(r.ms).toBeLessThan(15_000);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe('4. serve on a busy port', () => {
  it('exits non-zero, says so, and leaves neither a lock file nor a new station', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const d = dir('busy');
      const r = await runCli(['serve', '--port', String(port), '--data-dir', d], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use. Stop what uses it or pass another --port.`);
      expect(fs.existsSync(path.join(d, 'station.running'))).toBe(false);
      expect(fs.existsSync(path.join(d, 'station.sqlite'))).toBe(false);
      // An existing station keeps its data and is free again.
      const existing = await stationWithASource('busy-existing');
      const again = await runCli(['serve', '--port', String(port), '--data-dir', existing], { timeoutMs: 30_000 });
      expect(again.code).toBe(1);
      expect(fs.existsSync(path.join(existing, 'station.running'))).toBe(false);
      expect(expectOk(await runCli(['source', 'list', '--data-dir', existing]), 'source list').stdout).toContain('Mast');
    } finally {
      blocker.close();
    }
  });
});

describe('5. capture never overwrites an earlier recording', () => {
  it('refuses a folder that holds files, and leaves them as they were', async () => {
    const out = dir('earlier');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'KiwiSDR_Aosta.sigmf-data'), 'earlier samples');
    const r = await runCli(['capture', '--receiver', 'http://127.0.0.1:1/', '--freq', '7100000', '--duration', '5', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--out ${out} already holds 1 file (KiwiSDR_Aosta.sigmf-data), so nothing was recorded: an earlier recording is never overwritten.`);
    expect(fs.readdirSync(out)).toEqual(['KiwiSDR_Aosta.sigmf-data']);
    expect(fs.readFileSync(path.join(out, 'KiwiSDR_Aosta.sigmf-data'), 'utf8')).toBe('earlier samples');
  });
});

describe('6. one rule for a data directory without a station', () => {
  it('commands that read or upload create nothing; status reports an empty station as JSON', async () => {
    const d = dir('fresh');
    const status = await runCli(['status', '--json', '--data-dir', d]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ dataDir: d, exists: false, running: false, sync: { state: 'not_configured', captures: 0, outbox: [] } });
    const human = await runCli(['status', '--data-dir', d]);
    expect(human.stdout).toContain(`data directory: ${d} (no station here yet; nothing was created)`);
    for (const args of [['session', 'list'], ['receiver', 'list'], ['source', 'list'], ['export', '--list']]) {
      const r = await runCli([...args, '--data-dir', d]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(new RegExp(`there is no station in ${d} yet \\(nothing was created\\)`));
    }
    const json = await runCli(['session', 'list', '--json', '--data-dir', d]);
    expect(JSON.parse(json.stdout)).toEqual([]);
    for (const args of [['sync', '--once'], ['session', 'show', 'abcd1234'], ['export', '--dataset', 'x']]) {
      const r = await runCli([...args, '--data-dir', d]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/There is no station in .* \(nothing was created there\)/);
    }
    expect(fs.existsSync(d)).toBe(false);
  });

  it('commands that store something create the station and say so', async () => {
    const d = dir('fresh-write');
    const r = await runCli(['source', 'add', '--name', 'Mast', '--lat', '45', '--lon', '7', '--data-dir', d]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`heimdall-station: started a new station in ${d}\n`);
    expect(fs.existsSync(path.join(d, 'station.sqlite'))).toBe(true);
    const d2 = dir('fresh-import');
    const imp = await runCli(['import', path.join(repoRoot, 'resources/samples/kiwi-sim-beacon-7100kHz.sigmf-meta'), '--data-dir', d2]);
    expect(imp.stderr).toContain(`started a new station in ${d2}`);
    expect(fs.existsSync(path.join(d2, 'station.sqlite'))).toBe(true);
  });
});

describe('7. the demo says what it simulates', () => {
  it('`sim --demo` prints every transmitter with its frequency, modulation and schedule, and which KiwiSDRs can locate it', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['bin/heimdall-station.mjs', 'sim', '--demo'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`sim --demo did not start:\n${out}`)), 30_000);
        child.stdout.on('data', () => out.includes('Press Ctrl+C') && (clearTimeout(t), resolve()));
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(out).toMatch(/^transmitter 145\.500000 MHz NFM 2 m NFM handheld on the Superga hill, Torino \(45\.080, 7\.767\), keyed 4 s every 10 s\n {2}not locatable by TDoA: above 30 MHz, where no KiwiSDR tunes/m);
    expect(out).toMatch(/^transmitter 7\.100000 MHz CW {2}40 m CW beacon near Biella \(45\.563, 8\.054\), keyed 4 s every 10 s, phase spread 2000 chips\/s ±15°$/m);
    // All five KiwiSDRs, nearest first; the OpenWebRX receivers (no GPS-timed IQ) never.
    expect(out).toMatch(/^ {2}locatable by TDoA from 5 KiwiSDRs: KiwiSDR Novara \(sim\), KiwiSDR Aosta \(sim\), KiwiSDR Asti \(sim\), KiwiSDR Como \(sim\), KiwiSDR Cuneo \(sim\)$/m);
    expect(out).toContain('`heimdall-station receiver add <url>`');
  });
});

describe('9. smaller ones', () => {
  it('export without --dataset says what to give, with the datasets there are', async () => {
    const d = await stationWithASource('export-no-dataset');
    const r = await runCli(['export', '--data-dir', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Name the dataset to export with --dataset <name-or-id>. There are none yet: add --create to define one from the approved sessions.');
  });

  it('a small sample recording ships for analyze, and analyze finds the beacon in it', async () => {
    const meta = path.join(repoRoot, 'resources/samples/kiwi-sim-beacon-7100kHz.sigmf-meta');
    expect(fs.statSync(meta.replace(/meta$/, 'data')).size).toBeLessThan(500_000);
    const r = expectOk(await runCli(['analyze', meta, '--json']), 'analyze');
    const a = JSON.parse(r.stdout) as { freqHz: number; sampleRate: number; overall: { snrDb: number }; segments: { startSample: number; endSample: number }[] };
    expect(a.freqHz).toBe(7_100_000);
    expect(a.overall.snrDb).toBeGreaterThan(20);
    expect(a.segments).toHaveLength(1);
    // The 4 s key-up lies inside the 8 s, with quiet on both sides.
    const [on, off] = [a.segments[0]!.startSample / a.sampleRate, a.segments[0]!.endSample / a.sampleRate];
    expect(on).toBeGreaterThan(0.5);
    expect(off).toBeLessThan(7.5);
    expect(off - on).toBeGreaterThan(3);
  });
});
