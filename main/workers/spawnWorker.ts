import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker_threads module the same way from the sources (tsx, vitest) and from the
 * electron-vite bundle. `sourceUrl` is `new URL('./someWorker.ts', import.meta.url)` in the
 * caller; in the bundle the entry is emitted as `<bundledName>.js` beside the main chunk
 * (see electron.vite.config.ts, which lists every worker entry).
 */
export function spawnWorker(sourceUrl: URL, bundledName: string, options: WorkerOptions = {}): Worker {
  if (sourceUrl.pathname.endsWith('.ts')) {
    // Node 20 does not carry --import loaders into workers reliably: register tsx inside the worker.
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(sourceUrl.href)}); });`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL(`./${bundledName}.js`, sourceUrl), options);
}
