import { spawn } from 'node:child_process';
import { repoRoot } from './stationProcess';

/** Runs `heimdall-station sim --scene <file>` and returns the receiver URLs it prints. */
export async function startSimProcess(sceneFile: string): Promise<{ receivers: { kind: string; id: string; url: string; name: string }[]; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', 'sim', '--scene', sceneFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', () => {
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}:\n${out}`)));
  });
  const receivers = [...out.matchAll(/^(kiwisdr|openwebrx)\s+(\S+)\s+(http:\/\/\S+)\s+(.*)$/gm)].map((m) => ({ kind: m[1]!, id: m[2]!, url: m[3]!, name: m[4]!.trim() }));
  return {
    receivers,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
