#!/usr/bin/env node
// Makes node_modules/better-sqlite3 match the runtime about to use it: `node` (tests, headless
// station) or `electron` (desktop app, packaging). Both builds are kept in a cache, so switching
// back and forth is a file copy after the first build of each.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installedElectronBinary } from './electron-available.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: native-abi.mjs node|electron');
  process.exit(2);
}

const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const binary = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
const cacheDir = path.join(root, 'node_modules', '.cache', 'heimdall-native');
const say = (m) => console.log(`[native-abi] ${m}`);

const probe = "const D=require('better-sqlite3');new D(':memory:').close();";
function loads() {
  if (target === 'node') return spawnSync(process.execPath, ['-e', probe], { cwd: root }).status === 0;
  const bin = installedElectronBinary();
  if (!bin) return false;
  return spawnSync(bin, ['-e', probe], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).status === 0;
}

function abiTag() {
  if (target === 'node') return `node-${process.versions.modules}`;
  const abi = fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
  return `electron-${abi}`;
}

if (loads()) process.exit(0);

const tag = abiTag();
const cached = path.join(cacheDir, `better_sqlite3-${tag}.node`);
if (fs.existsSync(cached)) {
  fs.copyFileSync(cached, binary);
  if (loads()) {
    say(`switched better-sqlite3 to the cached ${tag} build`);
    process.exit(0);
  }
}

if (target === 'electron' && !installedElectronBinary()) {
  console.error('[native-abi] the Electron binary is not installed, so better-sqlite3 cannot be checked against it.');
  process.exit(1);
}

say(`building better-sqlite3 for ${tag} from source (about 2 minutes, once)...`);
const cmd =
  target === 'node'
    ? ['npm', ['rebuild', 'better-sqlite3', '--build-from-source']]
    : ['npx', ['--no-install', 'electron-builder', 'install-app-deps']];
const r = spawnSync(cmd[0], cmd[1], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0 || !loads()) {
  console.error(
    `[native-abi] could not build better-sqlite3 for ${tag}. It needs python3, make and a C++ compiler` +
      (target === 'electron' ? ", and Electron's headers (downloaded from the network)." : '.') +
      ' Install them and run this again.',
  );
  process.exit(1);
}
fs.mkdirSync(cacheDir, { recursive: true });
fs.copyFileSync(binary, cached);
say(`better-sqlite3 is built for ${tag}`);
