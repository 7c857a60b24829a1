import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, registerSimCommand, runSim, sceneForOptions } from '../../../main/commands/sim';
import { isStationError } from '../../../shared/errors';

const fixture = path.resolve(__dirname, '../../fixtures/scenes/kiwi-tdoa-triangle.json');

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('heimdall-station sim', () => {
  it('registers a `sim` command with --scene, --demo and --replay', () => {
    const program = new Command('heimdall-station');
    registerSimCommand(program);
    const sim = program.commands.find((c) => c.name() === 'sim');
    expect(sim).toBeDefined();
    expect(sim!.options.map((o) => o.long)).toEqual(['--scene', '--demo', '--replay']);
  });

  it('loads a scene file, and uses the demo scene when no file is given', () => {
    expect(loadSceneFile(fixture).receivers.map((r) => r.id)).toEqual(['kiwi-near', 'kiwi-mid', 'kiwi-far']);
    expect(sceneForOptions({ demo: true }).receivers.length).toBe(12);
    expect(sceneForOptions({}).name).toBe(sceneForOptions({ demo: true }).name);
  });

  it('explains a missing file, bad JSON, a schema error and conflicting options', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-scene-'));
    try {
      const badJson = path.join(dir, 'bad.json');
      fs.writeFileSync(badJson, '{ "name": ');
      const badScene = path.join(dir, 'scene.json');
      fs.writeFileSync(badScene, JSON.stringify({ name: 'x', transmitters: [], receivers: [{ id: 'a', name: 'a', kind: 'websdr', lat: 0, lon: 0 }] }));
      const cases: Array<[unknown, string, RegExp]> = [
        [caught(() => loadSceneFile(path.join(dir, 'missing.json'))), 'not_found', /missing\.json.*Check the path/],
        [caught(() => loadSceneFile(badJson)), 'invalid_input', /bad\.json is not valid JSON/],
        [caught(() => loadSceneFile(badScene)), 'invalid_input', /scene\.json/],
        [caught(() => sceneForOptions({ scene: fixture, demo: true })), 'invalid_input', /either --scene.*or --demo/],
      ];
      for (const [e, code, message] of cases) {
        expect(isStationError(e)).toBe(true);
        if (!isStationError(e)) continue;
        expect(e.code).toBe(code);
        expect(e.message).toMatch(message);
      }
      const schemaError = caught(() => loadSceneFile(badScene));
      expect(isStationError(schemaError) && schemaError.issues?.some((i) => i.path.startsWith('receivers.0.kind'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('heimdall-station sim start-up failures', () => {
  it('names the scene, the cause and the fix when a port in the scene is taken', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-scene-'));
    try {
      const file = path.join(dir, 'taken.json');
      fs.writeFileSync(file, JSON.stringify({ name: 'port clash', transmitters: [], receivers: [{ id: 'a', name: 'A', kind: 'kiwisdr', lat: 45, lon: 7 }, { id: 'b', name: 'B', kind: 'kiwisdr', lat: 45, lon: 7, port }] }));
      const err = await runSim({ scene: file }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isStationError(err)).toBe(true);
      expect((err as Error).message).toMatch(/port clash.*EADDRINUSE.*port to 0/s);
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
