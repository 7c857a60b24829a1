/**
 * bench:ui: 16 live waterfalls (1024 bins, 23 rows/s each) in Debian's Chromium, drawn by the
 * real WaterfallCanvas; fps beside an empty page's requestAnimationFrame rate in the same browser,
 * plus rows offered, drawn and dropped from the display ring. Builds the app first with its bench
 * pages (HEIMDALL_BENCH_PAGES=1, see electron.vite.config.ts) into out/, and serves out/renderer.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { silentLogger } from '../main/base/log';
import { startServer } from '../main/server/httpServer';
import { createStation } from '../main/station';
import { report } from './lib/report';
import { tempDirSync } from './lib/tempDir';

const root = path.resolve(import.meta.dirname, '..');
const rendererDir = path.join(root, 'out', 'renderer');
const executablePath = process.env.HEIMDALL_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.log(`bench:ui: no Chromium at ${executablePath} (apt-get install chromium), skipped.`);
  process.exit(0);
}
// Built every run, not only when the pages are missing: a build left by an earlier run would
// measure old code, and a plain `npm run build` leaves the bench pages out.
const build = spawnSync('npx', ['--no-install', 'electron-vite', 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, HEIMDALL_BENCH_PAGES: '1' },
  shell: process.platform === 'win32',
});
if (build.status !== 0 || !fs.existsSync(path.join(rendererDir, 'bench', 'waterfalls.html'))) {
  console.error('bench:ui: building the UI with its bench pages failed (see above).');
  process.exit(1);
}

const n = Number(process.env.BENCH_WATERFALLS ?? 16);
const ms = Number(process.env.BENCH_MS ?? 8000);
const tmp = tempDirSync('heimdall-bench-ui-');
const station = createStation({ dataDir: tmp.dir, resourcesDir: path.join(root, 'resources'), log: silentLogger });
const token = 'bench-ui-token';
const server = await startServer({ api: station.api, token, rendererDir, port: 0, log: silentLogger });
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const run = async (file: string, query: string) => {
    await page.goto(`http://127.0.0.1:${server.port}/bench/${file}?token=${token}&ms=${ms}${query}`);
    await page.waitForFunction(() => (window as { __bench?: unknown }).__bench !== undefined, undefined, { timeout: ms + 30_000 });
    return (await page.evaluate(() => (window as { __bench?: unknown }).__bench)) as Record<string, number>;
  };
  const empty = await run('empty.html', '');
  const wf = await run('waterfalls.html', `&n=${n}&bins=1024&rate=23`);
  report({ name: `${n} live waterfalls, frame rate`, value: wf.fps!, unit: 'fps', reference: empty.fps, note: '(reference: empty page rAF; target >= 55 fps)' });
  report({ name: `${n} live waterfalls, worst frame`, value: wf.worstFrameMs!, unit: 'ms', reference: empty.worstFrameMs, better: 'lower' });
  report({ name: 'display rows drawn', value: wf.rowsDrawn!, unit: 'rows', reference: wf.rowsOffered, note: '(reference: rows offered)' });
  report({ name: 'display rows dropped from the ring', value: wf.rowsDropped!, unit: 'rows', reference: null, note: '(target 0)' });
} finally {
  await browser.close();
  await server.close();
  await station.close();
  tmp.cleanup();
}
