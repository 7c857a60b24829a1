/**
 * What a newcomer reads must be what they get: README's command table is the one generated from
 * the commander definitions (so it matches --help), its options are marked as --help marks them,
 * and package.json's install-script approvals and Node requirement agree with the lock and README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../../main/cli';
import { commandTable, TABLE_END, TABLE_START } from '../../../main/commands/cliTable';

const root = path.resolve(import.meta.dirname, '../../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README command table', () => {
  it('is the table generated from the command definitions (run `node scripts/readme-cli.mjs` after changing a command)', () => {
    const a = readme.indexOf(TABLE_START);
    const b = readme.indexOf(TABLE_END);
    expect(a, 'README.md lacks the cli-table markers').toBeGreaterThan(0);
    expect(readme.slice(a + TABLE_START.length, b).trim()).toBe(commandTable(buildCli()));
  });

  it('has a row for every command that runs, with the options its --help lists', () => {
    const table = commandTable(buildCli());
    const walk = (c: ReturnType<typeof buildCli>, prefix: string[]): void => {
      for (const sub of c.commands) {
        const name = [...prefix, sub.name()].join(' ');
        if (!sub.commands.length || name === 'sync') {
          const row = table.split('\n').find((l) => l.startsWith(`| \`${name}`) && (l.startsWith(`| \`${name} `) || l.startsWith(`| \`${name}\``)));
          expect(row, `no README row for ${name}`).toBeDefined();
          for (const o of sub.options) expect(row, `${name} ${o.long}`).toContain(o.long!);
          // Optional flags are never shown as required: only mandatory ones are in the command column.
          const usage = row!.split(' | ')[0]!;
          for (const o of sub.options) if (!o.mandatory) expect(usage, `${name}: ${o.long} is optional`).not.toContain(`${o.long} `);
        }
        walk(sub, [...prefix, sub.name()]);
      }
    };
    walk(buildCli(), []);
    expect(table).toContain('`status` | `--json` `--data-dir <dir>`');
    expect(table).toMatch(/\| `sync` \| `--once` `--timeout <s> \(default 600\)` `--quiet`/);
    expect(table).toMatch(/\| `capture --receiver <url\.\.\.> --freq <Hz> --duration <s> --out <dir>` \| `--mode iq\\\|usb/);
  });

  it('stands alone: no links into folders outside the repository', () => {
    expect(readme).not.toMatch(/\.\.\/shared\//);
    expect(readme).toContain('npm start -- --demo');
  });
});

describe('package.json for a quiet install', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string }; allowScripts: Record<string, boolean> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean; engines?: { node?: string } }> };

  it('approves (or denies) every install script in the lock, so npm 11 asks about none', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([k]) => k.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(pkg.allowScripts, name).toHaveProperty(name);
  });

  it('asks for the Node version README names, and the one Electron and its tools need', () => {
    expect(pkg.engines.node).toBe('>=22.12.0');
    expect(lock.packages['']!.engines?.node).toBe(pkg.engines.node);
    expect(readme).toContain('Node.js 22.12 or newer');
    const electron = lock.packages['node_modules/electron']!.engines?.node ?? '';
    expect(electron.replace(/\s/g, '')).toBe('>=22.12.0');
  });
});
