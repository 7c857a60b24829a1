#!/usr/bin/env node
// `npm run package [-- --linux|--win|--mac ...]`: better-sqlite3 rebuilt for Electron's ABI, the
// app built, then electron-builder with electron-builder.yml. Needs the network (Electron's zip
// and headers); where that is missing it says so and stops.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureElectron } from './electron-available.mjs';

const root = path.resolve(import.meta.dirname, '..');
// Without HEIMDALL_BENCH_PAGES, whatever the shell has: bench:ui's pages must never reach an installer.
const env = { ...process.env };
delete env.HEIMDALL_BENCH_PAGES;
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' }).status === 0;

const electron = ensureElectron({ label: 'package' });
if (!electron.bin) {
  console.error(`[package] cannot package: ${electron.why}. Packaging needs Electron's binary and headers; run it on a machine with network access.`);
  process.exit(1);
}
if (!run(process.execPath, ['scripts/native-abi.mjs', 'electron'])) process.exit(1);
if (!run('npx', ['--no-install', 'electron-vite', 'build'])) process.exit(1);
const ok = run('npx', ['--no-install', 'electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
console.log(ok ? '[package] installers are in release/' : '[package] electron-builder failed (see above).');
console.log('[package] note: `npm test` and the headless station switch better-sqlite3 back to the Node build by themselves.');
process.exit(ok ? 0 : 1);
