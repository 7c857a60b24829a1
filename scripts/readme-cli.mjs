#!/usr/bin/env node
// Writes README.md's command table from the commander definitions (main/cli.ts), so the README
// says what `--help` says. test/unit/commands/readmeAndPackage.test.ts fails when they differ.
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(import.meta.dirname, '..');
const { buildCli } = await import('../main/cli.ts');
const { commandTable, withCommandTable } = await import('../main/commands/cliTable.ts');
const file = path.join(root, 'README.md');
const before = fs.readFileSync(file, 'utf8');
const after = withCommandTable(before, commandTable(buildCli()));
if (after === before) console.log('README.md command table is up to date');
else {
  fs.writeFileSync(file, after);
  console.log('README.md command table rewritten from the commander definitions');
}
