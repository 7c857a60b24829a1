import fs from 'node:fs';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerStatusCommand } from '../../../main/commands/status';
import { registerSyncCommand } from '../../../main/commands/sync';
import { type TestPostgres } from '../../helpers/pg';
import { type TestS3 } from '../../helpers/s3';
import { useCentralStore } from '../../helpers/centralStore';
import { tempDir } from '../../helpers/tempDir';
import { prng, writeSyntheticCapture } from '../../fixtures/sync/syntheticCaptures';
import { openRig } from './syncHarness';

let pg: TestPostgres;
let s3: TestS3;
const tmp = tempDir('heimdall-cli-');

useCentralStore((c) => ({ pg, s3 } = c));
afterAll(() => tmp.cleanup());

async function run(args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('heimdall-station').exitOverride();
  registerSyncCommand(program);
  registerStatusCommand(program);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const warn = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'heimdall-station', ...args]);
  } finally {
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
  }
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('CLI: sync --once and status --json', () => {
  it('status shows what waits and the last error; sync --once drains; secrets never printed', async () => {
    const rig = openRig(tmp.dir, pg, s3, { settings: { enabled: false } });
    const rand = prng(11);
    for (let i = 0; i < 5; i++) writeSyntheticCapture(rig.store, rand, { windows: 3 });
    await rig.close();

    const before = JSON.parse((await run(['status', '--json', '--data-dir', tmp.dir])).out) as { sync: { captures: number; measurements: number; outbox: unknown[]; state: string } };
    expect(before.sync).toMatchObject({ captures: 5, measurements: 15, state: 'disabled' });
    expect(before.sync.outbox).toEqual([
      { target: 'pg', state: 'pending', count: 5 },
      { target: 's3', state: 'pending', count: 5 },
    ]);

    process.exitCode = undefined;
    const synced = await run(['sync', '--once', '--quiet', '--data-dir', tmp.dir]);
    expect(synced.out).toMatch(/^sync complete: 5 captures, 15 measurements; outbox: pg done 5, s3 done 5$/);
    expect(process.exitCode).toBeUndefined();
    const after = await run(['status', '--json', '--data-dir', tmp.dir]);
    expect(JSON.parse(after.out).sync.outbox).toEqual([
      { target: 'pg', state: 'done', count: 5 },
      { target: 's3', state: 'done', count: 5 },
    ]);
    for (const secret of [pg.password, s3.secretKey === 'S3RVER' ? '\u0000' : s3.secretKey]) expect(`${synced.out}${synced.err}${after.out}`).not.toContain(secret);
    expect((await pg.query('SELECT count(*)::int AS n FROM heimdall.measurements')).rows[0]).toEqual({ n: 15 });
  });

  it('status reports a folder without a station as an empty one, and creates nothing there', async () => {
    const st = JSON.parse((await run(['status', '--json', '--data-dir', `${tmp.dir}/nowhere`])).out) as { exists: boolean; sync: { captures: number } };
    expect(st).toMatchObject({ exists: false, sync: { captures: 0 } });
    expect(fs.existsSync(`${tmp.dir}/nowhere`)).toBe(false);
  });
});
