import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface StationProcess {
  /** The URL the CLI printed, token included. */
  url: string;
  origin: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs `heimdall-station serve` as a user would and waits for the URL it prints. */
export async function startStationProcess(opts: { dataDir?: string; args?: string[] } = {}): Promise<StationProcess> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/heimdall-station.mjs', 'serve', '--port', '0', '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the station did not print its URL within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the station exited with code ${code}:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
