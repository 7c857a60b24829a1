#!/usr/bin/env node
// `npm test`: native build for Node, generated code current (gen:check), typecheck, lint, build,
// unit + integration (vitest), e2e (Playwright in Debian's Chromium; the Electron spec skips itself
// where no binary exists).
// Ends with one "N passed, N failed" line summing every runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const started = Date.now();

function step(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

const only = process.argv[2];
const steps = [
  ['native build for Node', process.execPath, ['scripts/native-abi.mjs', 'node']],
  ['generated code is current', process.execPath, ['scripts/gen-fft-kernels.mjs', '--check']],
  ['typecheck', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (web)', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.web.json', '--noEmit']],
  ['typecheck (e2e)', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.e2e.json', '--noEmit']],
  ['lint', 'npx', ['--no-install', 'eslint', '--max-warnings', '0', '.']],
  ['build', 'npx', ['--no-install', 'electron-vite', 'build', '--logLevel', 'warn']],
  ['unit + integration', 'npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest.json')}`]],
  ['e2e', 'npx', ['--no-install', 'playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(results, 'playwright.json') }],
];

let ok = true;
for (const [name, cmd, args, env] of steps) {
  if (only && !name.startsWith(only)) continue;
  if (!step(name, cmd, args, env)) {
    ok = false;
    break;
  }
}

function counts() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    const v = JSON.parse(fs.readFileSync(path.join(results, 'vitest.json'), 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  } catch {
    /* vitest did not run */
  }
  try {
    const p = JSON.parse(fs.readFileSync(path.join(results, 'playwright.json'), 'utf8'));
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
  } catch {
    /* playwright did not run */
  }
  return { passed, failed, skipped };
}

const c = counts();
console.log(`\nnpm test ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (!ok && c.failed === 0) c.failed = 1;
console.log(`${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
process.exit(ok ? 0 : 1);
