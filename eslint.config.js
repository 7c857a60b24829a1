// Runtime boundaries are the point of this file: a pure contract in shared/, a Node core in main/,
// a browser UI in renderer/, and Electron only inside electron/ (ipcMain/ipcRenderer only in the
// two binding files). test/unit/lintBoundaries.test.ts proves that each rule fires. Within main/, the
// module map (scripts/lint/moduleMap.mjs) says which folder may import which; test/unit/scripts/lint/moduleMap.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { moduleMapPlugin } from './scripts/lint/moduleMap.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only electron/ may import electron: main/ and shared/ run headless.' }],
};
const nodeBuiltinsForbidden = (where) =>
  nodeBuiltins.map((name) => ({ name, message: `${where} must not import Node built-ins.` }));

export default tseslint.config(
  {
    ignores: ['test/fixtures/**/*.js', 'out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['main/**/*.ts', 'electron/**/*.ts', 'test/**/*.ts', 'bench/**/*.{ts,mjs}', 'scripts/**/*.mjs', 'bin/**/*.mjs', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['main/**/*.ts'],
    plugins: { heimdall: moduleMapPlugin },
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell], 'heimdall/module-map': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnlyInShell.paths, ...nodeBuiltinsForbidden('shared/ is pure: it')],
          patterns: [{ group: ['**/main/**', '**/renderer/**', '**/electron/**'], message: 'shared/ depends on nothing but itself and pure libraries.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnlyInShell.paths, ...nodeBuiltinsForbidden('renderer/ runs in a browser: it')],
          patterns: [{ group: ['**/main/**', '**/electron/**'], message: 'renderer/ talks to the station only through the StationClient (shared/).' }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'ipcMain/ipcRenderer belong only in electron/ipc.ts and electron/preload.ts (the generic bindings).',
            },
          ],
        },
      ],
    },
  },
  // Renderer module map: each feature folder (renderer/src/<feature>/, owning its page) imports ui/
  // (shared parts), station/ (the connection) and shared/, never another feature; ui/ and station/
  // import no feature and not app/. Where a page shows another feature's panel, app/ composes it
  // (App passes the sources panel into SessionsPage). These entries repeat the renderer block's
  // paths and patterns because a later no-restricted-imports replaces the earlier one. No allowances.
  // test/unit/rendererModuleMap.test.ts proves the rule and that renderer/src has no folder cycles.
  ...(() => {
    const features = ['receivers', 'live', 'sessions', 'sources', 'datasets', 'sync', 'settings'];
    const rendererBase = {
      paths: [...electronOnlyInShell.paths, ...nodeBuiltinsForbidden('renderer/ runs in a browser: it')],
      patterns: [{ group: ['**/main/**', '**/electron/**'], message: 'renderer/ talks to the station only through the StationClient (shared/).' }],
    };
    // A relative import that climbs to renderer/src and enters one of these folders.
    const into = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
    const forbid = (files, folders, message) => ({
      files,
      rules: { 'no-restricted-imports': ['error', { paths: rendererBase.paths, patterns: [...rendererBase.patterns, { regex: into(folders), message }] }] },
    });
    const featureMessage = 'renderer features import ui/ and shared/, not each other: move the shared part to renderer/src/ui/';
    return [
      ...features.map((f) => forbid([`renderer/src/${f}/**/*.{ts,tsx}`], features.filter((o) => o !== f).concat('app'), featureMessage)),
      forbid(['renderer/src/ui/**/*.{ts,tsx}', 'renderer/src/station/**/*.{ts,tsx}'], [...features, 'app'], 'renderer/src/ui/ and station/ are shared: they import no feature (and not app/); pass feature parts in as props or children.'),
    ];
  })(),
);
