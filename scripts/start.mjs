#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run; otherwise, said plainly, the headless
// station with the browser UI (a field laptop offline is a real user).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureElectron } from './electron-available.mjs';

const root = path.resolve(import.meta.dirname, '..');
const passThrough = process.argv.slice(2);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

function build() {
  if (!run('npx', ['--no-install', 'electron-vite', 'build', '--logLevel', 'warn'])) {
    console.error('[start] the build failed (see above). Fix it, or run `npm ci` again if node_modules is incomplete.');
    process.exit(1);
  }
}

const electron = ensureElectron();
if (electron.bin && !process.env.HEIMDALL_HEADLESS) {
  if (!run(process.execPath, ['scripts/native-abi.mjs', 'electron'])) {
    console.error('[start] better-sqlite3 could not be prepared for Electron; starting the headless station instead.');
  } else {
    build();
    const child = spawn(electron.bin, ['.', ...passThrough], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    await new Promise(() => undefined);
  }
}

console.log(`[start] Not starting the desktop app: ${electron.why ?? 'Electron could not be prepared'}.`);
console.log('[start] Starting the headless station; use the station UI in your browser instead.');
if (!run(process.execPath, ['scripts/native-abi.mjs', 'node'])) process.exit(1);
build();

const args = ['bin/heimdall-station.mjs', 'serve', ...passThrough];
const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
let opened = false;
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const m = /^(http:\/\/\S+\?token=\S+)$/m.exec(chunk.toString());
  if (m && !opened && !process.env.HEIMDALL_NO_BROWSER) {
    opened = true;
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
      const o = spawn(opener, [m[1]], { stdio: 'ignore', detached: true });
      o.on('error', () => console.log('[start] open the URL above in your browser.'));
      o.unref();
    } else {
      console.log('[start] no desktop session here: open the URL above in a browser.');
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
