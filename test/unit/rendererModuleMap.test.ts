/**
 * The renderer's module map (eslint.config.js, last block): features import ui/, station/ and
 * shared/, not each other; ui/ and station/ import no feature. This proves the rule fires, and that
 * the folders of renderer/src import each other without a cycle.
 */
import { dirname, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { importCycles, moduleImports } from '../helpers/importGraph';
import { repoRoot } from '../helpers/station';

const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint enforces the renderer module map', () => {
  it('a feature must not import another feature', async () => {
    const msgs = await restrictedImportMessages('renderer/src/sessions/fixture.tsx', "import { LiveSpectrum } from '../live/LiveSpectrum';\nexport const a = LiveSpectrum;\n");
    expect(msgs.join()).toMatch(/renderer features import ui\/ and shared\/, not each other/);
    // From a sub-folder too, and app/ is off limits for a feature.
    expect((await restrictedImportMessages('renderer/src/live/sub/fixture.ts', "import { x } from '../../receivers/x';\nexport const a = x;\n")).join()).toMatch(/not each other/);
    expect((await restrictedImportMessages('renderer/src/sync/fixture.ts', "import { pages } from '../app/pages';\nexport const a = pages;\n")).join()).toMatch(/not each other/);
  });

  it('ui/ must not import a feature', async () => {
    expect((await restrictedImportMessages('renderer/src/ui/fixture.tsx', "import { SessionsPage } from '../sessions/SessionsPage';\nexport const a = SessionsPage;\n")).join()).toMatch(/import no feature/);
    expect((await restrictedImportMessages('renderer/src/ui/audio/fixture.ts', "import { LiveModel } from '../../live/liveModel';\nexport const a = LiveModel;\n")).join()).toMatch(/import no feature/);
  });

  it('keeps the renderer base rules in feature folders', async () => {
    expect((await restrictedImportMessages('renderer/src/live/fixture.ts', "import os from 'node:os';\nexport const a = os;\n")).join()).toMatch(/runs in a browser/);
    expect((await restrictedImportMessages('renderer/src/ui/fixture.ts', "import { x } from '../../../main/station';\nexport const a = x;\n")).join()).toMatch(/only through the StationClient/);
  });

  it('lets a feature import ui/, station/, shared/ and itself', async () => {
    const code = [
      "import { Dialog } from '../ui/Dialog';",
      "import { colorMap } from '../ui/waterfall/colormaps';",
      "import { useStation } from '../station/StationContext';",
      "import { type Session } from '../../../shared/domain/sessions';",
      "import { SessionList } from './SessionList';",
      'export const a = [Dialog, colorMap, useStation, SessionList] as unknown as Session;',
    ].join('\n');
    expect(await restrictedImportMessages('renderer/src/sessions/fixture.tsx', code)).toEqual([]);
    expect(await restrictedImportMessages('renderer/src/ui/locate/fixture.ts', "import { fmtDateTime } from '../format';\nimport { MapCanvas } from '../map/MapCanvas';\nexport const a = [fmtDateTime, MapCanvas];\n")).toEqual([]);
  });
});

/** renderer/src folder of a file: its top folder, and one level deeper inside ui/ (ui/audio, ui/map, ...). */
const src = resolve(repoRoot, 'renderer/src');
function folderOf(file: string): string {
  const parts = relative(src, dirname(file)).split(/[\\/]/).filter(Boolean);
  if (parts.length === 0) return '.';
  return parts[0] === 'ui' && parts.length > 1 ? `ui/${parts[1]}` : parts[0]!;
}

describe('renderer/src folders', () => {
  it('import each other without a cycle', () => {
    const edges = moduleImports(src, folderOf);
    // The parser sees the map: the entry imports app/, app/ composes the features, features use ui/.
    expect([...(edges.get('.') ?? [])]).toContain('app');
    expect([...(edges.get('app') ?? [])]).toEqual(expect.arrayContaining(['live', 'sessions', 'sources', 'ui']));
    expect([...(edges.get('sessions') ?? [])]).toEqual(expect.arrayContaining(['ui', 'ui/audio', 'ui/locate', 'station']));
    expect(importCycles(edges)).toEqual([]);
  });

  it('a cycle would be found', () => {
    const edges = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(importCycles(edges)).toEqual([['a', 'b', 'c']]);
  });
});
