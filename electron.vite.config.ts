import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Custom roots: the shell's entries live in electron/, the core in main/ (bundled into the shell's
// main chunk), the UI in renderer/. Worker entries are listed so spawnWorker() finds <name>.js
// beside the main chunk.
const workerEntries: Record<string, string> = {
  captureWorker: resolve(root, 'main/capture/captureWorker.ts'),
  dspWorker: resolve(root, 'main/workers/dspWorker.ts'),
  audioWorker: resolve(root, 'main/audio/audioWorker.ts'),
};

// bench:ui's pages (a page of live waterfalls, an empty page for the reference frame rate) are
// built only when HEIMDALL_BENCH_PAGES=1, which bench/ui.ts sets: they are not part of the app, and
// out/ is what the installers ship.
const benchPages: Record<string, string> =
  process.env.HEIMDALL_BENCH_PAGES === '1'
    ? { benchWaterfalls: resolve(root, 'renderer/bench/waterfalls.html'), benchEmpty: resolve(root, 'renderer/bench/empty.html') }
    : {};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(root, 'electron/main.ts'), ...workerEntries },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() node_modules: bundle everything, as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: {
        input: { index: resolve(root, 'renderer/index.html'), ...benchPages },
      },
    },
  },
});
