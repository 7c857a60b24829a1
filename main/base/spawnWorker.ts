import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Running from the TypeScript sources (tsx, vitest) rather than the electron-vite bundle. */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * Starts a worker_threads module the same way from the sources (tsx, vitest) and from the
 * electron-vite bundle. `sourceUrl` is `new URL('./someWorker.ts', import.meta.url)` in the
 * caller; in the bundle the entry is emitted as out/main/<bundledName>.js (electron.vite.config.ts
 * lists every worker entry), whichever chunk the caller ended up in.
 */
export function spawnWorker(sourceUrl: URL, bundledName: string, options: WorkerOptions = {}): Worker {
  if (fromSource) {
    // Node 20 does not carry --import loaders into workers reliably: register tsx inside the worker.
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(sourceUrl.href)}); });`;
    return new Worker(boot, { ...options, eval: true });
  }
  let dir = new URL('.', sourceUrl);
  if (dir.pathname.endsWith('/chunks/')) dir = new URL('..', dir);
  return new Worker(new URL(`${bundledName}.js`, dir), options);
}
