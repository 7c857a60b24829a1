/** Runs the real `heimdall-station` binary as a user does (async, so a simulator in this process keeps answering). */
import { spawn } from 'node:child_process';
import { repoRoot } from './station';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `input` is written to the command's stdin (otherwise stdin is closed, as under a service manager). */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  const t0 = Date.now();
  // Only what a user's shell would have: no secrets or data directory inherited from the test runner.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HEIMDALL_')));
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', ...args], { cwd: repoRoot, env: { ...env, ...opts.env }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`heimdall-station ${args.join(' ')} did not end within ${(opts.timeoutMs ?? 120_000) / 1000} s:\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Fails with the command's output, so a red test says what the user would have seen. */
export function expectOk(r: CliResult, what: string): CliResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  if (!r.stdout.trim()) throw new Error(`${what} printed nothing`);
  return r;
}
