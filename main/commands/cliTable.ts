/**
 * The README's command table, generated from the commander definitions (so README and --help
 * cannot drift apart): one row per command that runs something, with its arguments and required
 * options, its other options, and its description. `node scripts/readme-cli.mjs` writes it into
 * README.md between the markers; a unit test fails when the two differ.
 */
import { type Command, type Option } from 'commander';

export const TABLE_START = '<!-- cli-table:start (generated from the commander definitions: node scripts/readme-cli.mjs) -->';
export const TABLE_END = '<!-- cli-table:end -->';

function flag(o: Option): string {
  const name = o.long ?? o.flags;
  if (!o.required && !o.optional) return name;
  const choices = (o as Option & { argChoices?: string[] }).argChoices;
  if (choices?.length) return `${name} ${choices.join('|')}`;
  return `${name} ${o.flags.slice(o.flags.indexOf(name) + name.length).trim()}`;
}

function args(c: Command): string {
  return c.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
}

const visible = (c: Command) => c.options.filter((o) => !o.hidden && o.long !== '--help' && o.long !== '--version');
// Pipes are escaped even inside code spans: GitHub tables split on them otherwise.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${cell(s)}\``;

function rows(c: Command, prefix: string[]): string[] {
  const path = [...prefix, c.name()];
  const out: string[] = [];
  const runs = (c as Command & { _actionHandler?: unknown })._actionHandler != null;
  if (runs) {
    const opts = visible(c);
    const required = opts.filter((o) => o.mandatory).map(flag);
    const optional = opts.filter((o) => !o.mandatory).map((o) => {
      const d = o.defaultValue;
      return `${flag(o)}${d !== undefined && d !== false && !(Array.isArray(d) && !d.length) ? ` (default ${String(d)})` : ''}`;
    });
    const usage = [path.join(' '), args(c), ...required].filter(Boolean).join(' ');
    out.push(`| ${code(usage)} | ${optional.length ? optional.map(code).join(' ') : '-'} | ${cell(c.description())} |`);
  }
  for (const sub of c.commands) out.push(...rows(sub, path));
  return out;
}

/** The markdown table (without the markers) for a program. */
export function commandTable(program: Command): string {
  const lines = ['| command | options | what it does |', '|---|---|---|'];
  for (const c of program.commands) lines.push(...rows(c, []));
  return lines.join('\n');
}

/** README text with the table between the markers replaced; throws when the markers are missing. */
export function withCommandTable(readme: string, table: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} section.`);
  return `${readme.slice(0, a + TABLE_START.length)}\n${table}\n${readme.slice(b)}`;
}
