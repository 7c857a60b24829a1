/**
 * main/'s module map (scripts/lint/moduleMap.mjs): the lint rule fires where a folder imports one the
 * map does not give it, the map covers every folder, README.md prints it, and main/ has no folder cycle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { mainModuleMap, moduleMapMarkdown } from '../../../../scripts/lint/moduleMap.mjs';
import { importCycles, moduleImports } from '../../../helpers/importGraph';
import { repoRoot } from '../../../helpers/station';

const eslint = new ESLint({ cwd: repoRoot });
const mainDir = path.join(repoRoot, 'main');

async function moduleMapMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'heimdall/module-map').map((m) => m.message);
}
const importing = (spec: string) => `import { x } from '${spec}';\nexport const a = x;\n`;

describe("main/'s module map", () => {
  it('fires where a folder imports one the map does not give it', async () => {
    expect((await moduleMapMessages('main/store/fixture.ts', importing('../sync/syncService'))).join()).toMatch(/main\/store\/ may import base\/, recordings\/, samples\/ and shared\/, not main\/sync\//);
    expect((await moduleMapMessages('main/capture/fixture.ts', importing('../store/captureStore'))).join()).toMatch(/main\/capture\/ may import .* not main\/store\//);
    // The cycle this map broke: the DSP pool knowing the locate job.
    expect((await moduleMapMessages('main/dsp/fixture.ts', importing('../locate/locateJob'))).join()).toMatch(/main\/dsp\/ may import base\/ and shared\/, not main\/locate\//);
    expect((await moduleMapMessages('main/sessions/deep/fixture.ts', importing('../../datasets/datasetService'))).join()).toMatch(/not main\/datasets\//);
    expect((await moduleMapMessages('main/cli.ts', importing('./store/database'))).join()).toMatch(/main\/cli\.ts\/? may import base\/, commands\/ and shared\/, not main\/store/);
    expect((await moduleMapMessages('main/newthing/fixture.ts', importing('../base/log'))).join()).toMatch(/main\/newthing is not in the module map/);
    // Re-exports and dynamic imports count too.
    expect(await moduleMapMessages('main/store/fixture.ts', "export { x } from '../capture/captureEngine';\n")).toHaveLength(1);
    expect(await moduleMapMessages('main/store/fixture.ts', "export const load = () => import('../sessions/sessionService');\n")).toHaveLength(1);
  });

  it('lets a folder import what the map gives it, and the composition roots anything', async () => {
    expect(await moduleMapMessages('main/sessions/fixture.ts', importing('../capture/captureEngine'))).toEqual([]);
    expect(await moduleMapMessages('main/store/fixture.ts', importing('../base/log'))).toEqual([]);
    expect(await moduleMapMessages('main/store/fixture.ts', importing('../../shared/errors'))).toEqual([]);
    expect(await moduleMapMessages('main/api/fixture.ts', importing('../datasets/datasetService'))).toEqual([]);
    expect(await moduleMapMessages('main/commands/fixture.ts', importing('../station'))).toEqual([]);
  });

  it('covers every folder and root file of main/, and nothing that is gone', () => {
    const present = fs.readdirSync(mainDir, { withFileTypes: true }).filter((e) => e.isDirectory() || e.name.endsWith('.ts')).map((e) => e.name);
    expect(present.sort()).toEqual(Object.keys(mainModuleMap).sort());
  });

  it('is layered: each folder imports only folders listed before it, so the rule alone rules out cycles', () => {
    const order = Object.keys(mainModuleMap);
    for (const [name, e] of Object.entries(mainModuleMap)) {
      if (e.imports === '*') continue;
      for (const m of e.imports) expect(order.indexOf(m), `${name} -> ${m}`).toBeLessThan(order.indexOf(name));
    }
  });

  it('main/ has no folder-level import cycle (computed from the sources, type-only imports included)', () => {
    const edges = moduleImports(mainDir);
    expect(edges.size).toBeGreaterThan(15);
    expect(edges.get('datasets')).toContain('sessions');
    expect(importCycles(edges)).toEqual([]);
    // The check can fail: a circle made up on top of the real edges is found.
    const broken = new Map([...edges].map(([k, v]) => [k, new Set(v)]));
    broken.get('store')!.add('sessions');
    expect(importCycles(broken).flat()).toEqual(expect.arrayContaining(['store', 'sessions']));
  });

  it("README.md's architecture section prints the map as the code has it", () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(moduleMapMarkdown());
  });
});
