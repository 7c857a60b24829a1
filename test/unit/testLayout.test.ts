/**
 * Tests mirror the source tree, so a file's tests are found from its path: test/{unit,integration}/X/
 * holds the tests of main/X/ (renderer/Y of renderer/src/Y, shared/, electron/ and scripts/ of theirs);
 * tests of the root config files (eslint, electron-vite) sit at test/unit/ itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/station';

/** The source folder a test folder mirrors, by its path under test/unit or test/integration. */
function mirroredSource(rel: string): string {
  const [top, ...rest] = rel.split('/');
  if (top === 'renderer') return path.join('renderer/src', ...rest);
  if (top === 'shared' || top === 'electron' || top === 'scripts') return rel;
  return path.join('main', rel);
}

function testFolders(kind: 'unit' | 'integration'): string[] {
  const base = path.join(repoRoot, 'test', kind);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      out.push(path.relative(base, p).split(path.sep).join('/'));
      walk(p);
    }
  };
  walk(base);
  return out;
}

describe('the test tree', () => {
  it.each(['unit', 'integration'] as const)('test/%s/ mirrors folders that exist in the sources', (kind) => {
    const folders = testFolders(kind);
    expect(folders.length).toBeGreaterThan(5);
    const orphans = folders.filter((f) => !fs.existsSync(path.join(repoRoot, mirroredSource(f))));
    expect(orphans, `test folders with no source folder of that path: ${orphans.join(', ')}`).toEqual([]);
  });

  it('finds a folder that mirrors nothing', () => {
    expect(fs.existsSync(path.join(repoRoot, mirroredSource('kiwisdr')))).toBe(false);
    expect(fs.existsSync(path.join(repoRoot, mirroredSource('receivers/kiwisdr')))).toBe(true);
    expect(fs.existsSync(path.join(repoRoot, mirroredSource('renderer/ui/audio')))).toBe(true);
  });
});
