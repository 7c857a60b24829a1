import fs from 'node:fs';
import { expect, it } from 'vitest';
import { STATION_VERSION } from '../../../main/base/version';

it('reports the version package.json declares', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(STATION_VERSION).toBe(pkg.version);
});
