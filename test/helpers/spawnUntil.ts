import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './station';

/** Starts `heimdall-station <args>` and resolves once its output holds `text` (rejects after `timeoutMs`). */
export async function spawnStationUntil(args: string[], text: string, timeoutMs = 30_000): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes(text)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
  });
  return { child, output: () => out };
}

/** SIGKILL: no clean shutdown, no stop. */
export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
}
