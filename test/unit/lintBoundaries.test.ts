/** The runtime boundaries are enforced by ESLint; this proves each rule fires (and that clean code passes). */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/station';

const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('lint enforces the runtime boundaries', () => {
  it('main/ must not import electron', async () => {
    const msgs = await restrictedImportMessages('main/fixture.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(msgs.join()).toMatch(/Only electron\/ may import electron/);
  });

  it('shared/ must not import Node built-ins, electron, main/ or use DOM/Node globals', async () => {
    expect((await restrictedImportMessages('shared/fixture.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).join()).toMatch(/shared\/ is pure/);
    expect((await restrictedImportMessages('shared/fixture.ts', "import path from 'path';\nexport const a = path;\n")).join()).toMatch(/shared\/ is pure/);
    expect((await restrictedImportMessages('shared/fixture.ts', "import { x } from '../main/station';\nexport const a = x;\n")).join()).toMatch(/depends on nothing but itself/);
    expect((await restrictedImportMessages('shared/fixture.ts', 'export const a = window.location;\n')).length).toBe(1);
  });

  it('renderer/ must not import main/ or Node built-ins', async () => {
    expect((await restrictedImportMessages('renderer/src/fixture.ts', "import { createStation } from '../../main/station';\nexport const a = createStation;\n")).join()).toMatch(/only through the StationClient/);
    expect((await restrictedImportMessages('renderer/src/fixture.ts', "import os from 'node:os';\nexport const a = os;\n")).join()).toMatch(/runs in a browser/);
  });

  it('ipcMain/ipcRenderer appear only in the two binding files', async () => {
    expect((await restrictedImportMessages('electron/menu.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).join()).toMatch(/belong only in electron\/ipc.ts/);
    expect(await restrictedImportMessages('electron/ipc.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toEqual([]);
    expect(await restrictedImportMessages('electron/preload.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([]);
  });

  it('lets clean code through', async () => {
    expect(await restrictedImportMessages('shared/fixture.ts', "import { z } from 'zod';\nexport const a = z.string();\n")).toEqual([]);
    expect(await restrictedImportMessages('main/fixture.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toEqual([]);
  });
});
