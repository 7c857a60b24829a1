// Finds the Electron binary, fetching it once where the network allows (Electron downloads lazily).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function electronDir() {
  return path.dirname(require.resolve('electron/package.json'));
}

export function installedElectronBinary() {
  const pathFile = path.join(electronDir(), 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(electronDir(), 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

/** Returns { bin } or { why } (a sentence for the user); `label` names the script that asks. */
export function ensureElectron({ timeoutMs = 180_000, label = 'start' } = {}) {
  const have = installedElectronBinary();
  if (have) return { bin: have };
  if (process.env.HEIMDALL_NO_ELECTRON) return { why: 'HEIMDALL_NO_ELECTRON is set' };
  console.log(`[${label}] the Electron binary is not installed yet: downloading it...`);
  const r = spawnSync(process.execPath, [path.join(electronDir(), 'install.js')], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const bin = installedElectronBinary();
  if (bin) return { bin };
  const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').find((l) => /error|fail/i.test(l)) ?? (r.error ? String(r.error) : 'no detail');
  return { why: `the Electron binary could not be downloaded (${detail.trim()}); this machine is probably offline` };
}
