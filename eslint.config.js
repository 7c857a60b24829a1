// Runtime boundaries are the point of this file: a pure contract in shared/, a Node core in main/,
// a browser UI in renderer/, and Electron only inside electron/ (ipcMain/ipcRenderer only in the
// two binding files). test/unit/lintBoundaries.test.ts proves that each rule fires. Within main/, the
// module map (scripts/lint/moduleMap.mjs) says which folder may import which; test/unit/moduleMap.test.ts.
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
);
