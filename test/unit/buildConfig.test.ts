/**
 * What electron-vite builds into out/renderer, which the installers ship: the app's page, and
 * bench:ui's pages only when HEIMDALL_BENCH_PAGES=1 asks for them.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The renderer's inputs as electron.vite.config.ts computes them in an environment with `benchPages`. */
async function rendererInputs(benchPages: string | undefined): Promise<Record<string, string>> {
  vi.stubEnv('HEIMDALL_BENCH_PAGES', benchPages);
  // The config reads the variable when it is loaded: load it afresh for each case.
  vi.resetModules();
  const config = (await import('../../electron.vite.config')).default;
  const input = config.renderer?.build?.rollupOptions?.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('expected named renderer inputs');
  return input;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('electron.vite.config.ts renderer inputs', () => {
  it('a normal build has the app page and no bench page', async () => {
    const input = await rendererInputs(undefined);
    expect(Object.keys(input)).toEqual(['index']);
    expect(Object.values(input).some((file) => /[\\/]renderer[\\/]bench[\\/]/.test(file))).toBe(false);
  });

  it('any value but 1 leaves them out too', async () => {
    expect(Object.keys(await rendererInputs('0'))).toEqual(['index']);
  });

  it('HEIMDALL_BENCH_PAGES=1 (what bench:ui sets) adds the bench pages beside the app', async () => {
    const input = await rendererInputs('1');
    expect(Object.keys(input).sort()).toEqual(['benchEmpty', 'benchWaterfalls', 'index']);
    for (const file of Object.values(input)) expect(fs.existsSync(file), file).toBe(true);
  });
});
