#!/usr/bin/env node
// `npm run bench`: every bench:<name> script in package.json that has its file, one after another.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const only = process.argv.slice(2);
spawnSync(process.execPath, ['scripts/native-abi.mjs', 'node'], { cwd: root, stdio: 'inherit' });
for (const [name, cmd] of Object.entries(pkg.scripts)) {
  if (!name.startsWith('bench:')) continue;
  if (only.length && !only.includes(name.slice(6))) continue;
  const file = cmd.split(' ').find((w) => w.startsWith('bench/'));
  if (file && !fs.existsSync(path.join(root, file))) {
    console.log(`\n### ${name}: not written yet (${file})`);
    continue;
  }
  console.log(`\n### ${name}`);
  spawnSync('npm', ['run', '--silent', name], { cwd: root, stdio: 'inherit' });
}
