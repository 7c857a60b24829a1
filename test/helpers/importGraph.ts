import fs from 'node:fs';
import path from 'node:path';
import { moduleOf } from '../../scripts/lint/moduleMap.mjs';

const SOURCE = /\.(ts|tsx)$/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : SOURCE.test(e.name) ? [p] : [];
  });
}

/**
 * Module -> the other modules under `root` its files import (relative imports, type-only included);
 * `moduleOfFile` says which module a file belongs to (by default the module map's rule: its first
 * folder under `root`, or the file itself at the root).
 */
export function moduleImports(root: string, moduleOfFile: (file: string) => string = (f) => moduleOf(path.relative(root, f))): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const from = moduleOfFile(file);
    const set = edges.get(from) ?? new Set<string>();
    edges.set(from, set);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), (m[1] ?? m[2])!);
      if (path.relative(root, target).startsWith('..')) continue;
      const to = moduleOfFile(target);
      if (to !== from) set.add(to);
    }
  }
  return edges;
}

/** The groups of modules that import each other in a circle (strongly connected components of more than one). */
export function importCycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
