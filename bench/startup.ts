/**
 * bench:startup: time from process spawn to the headless station answering HTTP, against a bare
 * `node -e 0` spawn on the same machine, in the same run. Median of 5 runs each.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { report } from './lib/report';

const root = path.resolve(import.meta.dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeNode(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => spawn(process.execPath, ['-e', '0']).on('exit', () => resolve(performance.now() - t0)));
}

async function timeStation(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-bench-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', 'serve', '--port', '0', '--quiet', '--data-dir', dataDir], { cwd: root });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(out)));
  });
  const res = await fetch(url);
  const elapsed = performance.now() - t0;
  if (res.status !== 200 && res.status !== 503) throw new Error(`unexpected status ${res.status}`);
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return elapsed;
}

const node: number[] = [];
const station: number[] = [];
for (let i = 0; i < 5; i++) {
  node.push(await timeNode());
  station.push(await timeStation());
}
report({ name: 'headless station ready (HTTP answering)', value: median(station), unit: 'ms', reference: median(node), better: 'lower', note: '(reference: node -e 0; target < 1000 ms)' });
