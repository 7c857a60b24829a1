/**
 * Runs the real desktop app where an Electron binary exists. Elsewhere (this project's CI cannot
 * download Electron) it is skipped with the reason printed, and the IPC binding is covered by
 * test/unit/electron/ipcBinding.test.ts instead.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function electronBinary(): { path: string | null; why: string } {
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { path: null, why: `no Electron binary: ${pathFile} is missing (Electron downloads it lazily; this machine is offline)` };
  const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(bin) ? { path: bin, why: '' } : { path: null, why: `no Electron binary at ${bin}` };
}

const binary = electronBinary();
if (!binary.path) console.log(`[electron e2e] skipped: ${binary.why}`);

test.describe('desktop app', () => {
  test.skip(!binary.path, binary.why);

  test('opens one secure window and the receivers page works over IPC', async () => {
    const app = await electron.launch({ executablePath: binary.path!, args: [path.join(repoRoot, 'out/main/index.js')], cwd: repoRoot });
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: /Receivers|No receivers yet/ }).first()).toBeVisible();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // No Node in the page: the sandboxed, isolated renderer sees only the named bridge.
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (globalThis as { stationBridge?: { listReceivers?: unknown } }).stationBridge?.listReceivers)).toBe('function');
    await app.close();
  });
});
