// The module map of main/: which folder may import which, enforced by ESLint (the `heimdall/module-map`
// rule below, in the spirit of VS Code's import-pattern rules) and printed into README.md's
// architecture section (test/unit/scripts/lint/moduleMap.test.ts fails when the README and this map differ, when a
// folder is missing from the map, or when main/ grows a folder-level cycle).
//
// Every folder may import base/ and shared/ (and npm packages / Node built-ins as the runtime rules
// allow); `imports` lists the other folders of main/ it may import. '*' marks the composition roots.
import path from 'node:path';

/** @typedef {{ imports: string[] | '*', what: string }} ModuleEntry */

/** @type {Record<string, ModuleEntry>} in layers: a folder imports only folders above it. */
export const mainModuleMap = {
  base: { imports: [], what: 'the leaves: log, the event bus and its fan-out, paths, version, CSV, worker spawning, thread priority' },
  secrets: { imports: [], what: 'the secret store (0600 file / safeStorage), never in settings' },
  samples: { imports: [], what: 'crash-safe sample files: the durable append-only writer, the capture journal, the disk guard' },
  recordings: { imports: [], what: 'the one home of recording formats and time: SigMF, kiwirecorder WAV, GPS stamps, the time base of a recording' },
  dsp: { imports: [], what: 'FFT (generated kernels), windows, Welch, metrics, detector, demodulators; the DSP worker pool (main-thread side)' },
  store: { imports: ['recordings', 'samples'], what: 'SQLite: migrations, captures and their reservations, measurements, sessions, outbox, settings' },
  receivers: { imports: ['recordings', 'secrets', 'store'], what: 'registry, receiver sets and list import, health probes, KiwiSDR / OpenWebRX protocol clients' },
  sync: { imports: ['recordings', 'secrets', 'store'], what: 'the sync engine: outbox -> MinIO/S3 objects -> PostgreSQL rows, with retries' },
  locate: { imports: ['dsp', 'recordings', 'store'], what: 'TDoA: cross-correlation on the GPS time grid, the chi2 grid, contours, hyperbolas; the job and its service' },
  capture: { imports: ['dsp', 'receivers', 'recordings', 'samples'], what: 'the capture engine: receiver links in worker threads writing each sample once; the live monitor' },
  import: { imports: ['dsp', 'receivers', 'recordings', 'store'], what: 'recordings made elsewhere: files -> captures, sets -> acquisitions' },
  sim: { imports: ['dsp', 'receivers', 'recordings'], what: 'simulated receivers speaking the real wire protocols; scenes with physics and faults' },
  sessions: { imports: ['capture', 'dsp', 'receivers', 'recordings', 'store'], what: 'recording sessions: the state machine, recorder, known sources, marks, detector proposals, recovery' },
  audio: { imports: ['capture', 'dsp', 'receivers', 'sessions', 'store'], what: 'listening: the audio worker (live demodulation, review playback and waterfalls)' },
  datasets: { imports: ['locate', 'recordings', 'samples', 'sessions', 'store', 'sync'], what: 'dataset builder, SigMF / NumPy / manifest writers, upload and registration' },
  workers: { imports: ['dsp', 'locate'], what: "the DSP worker thread's entry: dsp/ analysis and the long jobs of folders above dsp/" },
  api: { imports: '*', what: 'the one StationApi implementation, a file per domain merged by stationApi.ts, and the transport-independent dispatch (a composition root)' },
  server: { imports: ['api'], what: 'headless mode: HTTP (built UI, token, CSP) and the WebSocket binding' },
  commands: { imports: '*', what: 'the heimdall-station commands (a composition root)' },
  'station.ts': { imports: '*', what: 'createStation(): the composition root of the core' },
  'cli.ts': { imports: ['commands'], what: 'the heimdall-station command line' },
};

const ALWAYS = ['base'];

/** The module a path under main/ belongs to: its first folder, or the file itself at main/'s root. */
export function moduleOf(relToMain) {
  const parts = relToMain.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : `${parts[0].replace(/\.(ts|tsx|mts|js|mjs)$/, '')}.ts`;
}

/** null when `from` may import `to`, else why not. */
export function moduleMapViolation(map, from, to) {
  if (from === to) return null;
  const entry = map[from];
  if (!entry) return `main/${from} is not in the module map: add it to scripts/lint/moduleMap.mjs (with what it may import) and to the module map table in README.md.`;
  if (entry.imports === '*' || ALWAYS.includes(to) || entry.imports.includes(to)) return null;
  const may = [...ALWAYS, ...entry.imports].map((m) => `${m}/`).join(', ');
  return `main/${from}/ may import ${may} and shared/, not main/${to}${map[to] && !to.endsWith('.ts') ? '/' : ''}: move the shared part down a layer (see the module map in README.md, kept in scripts/lint/moduleMap.mjs).`;
}

/** The README block: one line per module, in the map's order (layers). */
export function moduleMapMarkdown(map = mainModuleMap) {
  const rows = Object.entries(map).map(([name, e]) => {
    const label = name.endsWith('.ts') ? name : `${name}/`;
    const imports = e.imports === '*' ? 'everything' : [...ALWAYS.filter((a) => a !== name), ...e.imports].map((m) => `${m}/`).join(', ') || '(nothing)';
    return `| \`${label}\` | ${imports} | ${e.what} |`;
  });
  return ['| main/ | may import (and shared/) | what it holds |', '|---|---|---|', ...rows].join('\n');
}

function importSources(node) {
  if (node.type === 'ImportExpression') return node.source.type === 'Literal' ? [node.source] : [];
  return node.source ? [node.source] : [];
}

/** ESLint plugin: `heimdall/module-map` checks relative imports between main/'s modules. */
export const moduleMapPlugin = {
  rules: {
    'module-map': {
      meta: { type: 'problem', docs: { description: "main/'s module map: which folder may import which" }, schema: [] },
      create(context) {
        const file = context.filename;
        const mainDir = path.join(context.cwd, 'main');
        const rel = path.relative(mainDir, file);
        if (rel.startsWith('..') || path.isAbsolute(rel)) return {};
        const from = moduleOf(rel);
        const check = (node) => {
          for (const src of importSources(node)) {
            if (typeof src.value !== 'string' || !src.value.startsWith('.')) continue;
            const target = path.relative(mainDir, path.resolve(path.dirname(file), src.value));
            if (target.startsWith('..') || path.isAbsolute(target)) continue;
            const why = moduleMapViolation(mainModuleMap, from, moduleOf(target));
            if (why) context.report({ node: src, message: why });
          }
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};
