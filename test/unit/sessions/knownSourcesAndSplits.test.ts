import { afterEach, describe, expect, it } from 'vitest';
import { splitOf } from '../../../main/datasets/splits';
import { silentLogger } from '../../../main/base/log';
import { createKnownSources } from '../../../main/sessions/knownSources';
import { parseCsv } from '../../../main/base/csv';
import { openDatabase } from '../../../main/store/database';
import { createSessionsRepo } from '../../../main/store/sessionsRepo';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function catalogue() {
  const t = tempDir();
  const opened = openDatabase(t.dir, silentLogger);
  cleanups.push(() => {
    opened.close();
    t.cleanup();
  });
  return createKnownSources(createSessionsRepo(opened.db));
}

describe('known sources', () => {
  it('round-trips through CSV, including commas, quotes and line breaks in notes', () => {
    const a = catalogue();
    a.create({ name: 'Handheld at Superga, "summit"', frequencyHz: 145_500_000, lat: 45.08, lon: 7.767, alt: 670, errorMarginM: 5, powerDbm: 37, kind: 'handheld', validated: true, notes: 'surveyed\nwith RTK' });
    a.create({ name: 'Biella beacon', frequencyHz: null, lat: 45.563, lon: 8.054, alt: null, errorMarginM: 50, powerDbm: null, kind: null, validated: false, notes: null });
    const csv = a.exportCsv();
    const b = catalogue();
    expect(b.importCsv(csv, false)).toEqual({ added: 2, updated: 0, rejected: [] });
    const strip = (x: ReturnType<typeof a.list>) => x.map(({ id: _i, createdAt: _c, updatedAt: _u, ...rest }) => rest);
    expect(strip(b.list())).toEqual(strip(a.list()));
    // A second import of the same file updates by name, adds nothing.
    expect(b.importCsv(csv, false)).toMatchObject({ added: 0, updated: 2 });
  });

  it('reports bad rows by line and keeps the good ones; a file without the needed columns is refused', () => {
    const c = catalogue();
    const r = c.importCsv('name,lat,lon\nGood,45,7\nBad lat,95,7\n,45,7\nShort,45\nWords,north,7\n', false);
    expect(r.added).toBe(1);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 6]);
    expect(r.rejected.map((x) => x.reason)).toEqual([expect.stringMatching(/latitude is -90..90/), 'empty name', 'line 5 has 2 columns; the header has 3', 'lat "north" is not a number']);
    expect(() => c.importCsv('title,where\nx,y\n', false)).toThrow(/no "name" column/);
    expect(c.importCsv('name,lat,lon\nDry,1,2\n', true)).toMatchObject({ added: 1 });
    expect(c.list().map((s) => s.name)).toEqual(['Good']);
  });

  it('refuses a duplicate name and deleting a source a session uses', () => {
    const c = catalogue();
    const s = c.create({ name: 'Tx', frequencyHz: null, lat: 1, lon: 2, alt: null, errorMarginM: 50, powerDbm: null, kind: null, validated: false, notes: null });
    expect(() => c.create({ ...s, name: 'tx' })).toThrow(/already exists/);
    expect(c.delete(s.id)).toBe(true);
    expect(() => c.get(s.id)).toThrow(/No known source/);
  });

  it('parses CSV with CRLF, a BOM and quoted line breaks, and says where a quote is left open', () => {
    expect(parseCsv('\ufeffa,b\r\n"x\ny",2\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '2'] },
    ]);
    expect(() => parseCsv('a\n"open,1\n')).toThrow(/line 2/);
  });
});

describe('dataset splits by session', () => {
  const ratios = { train: 0.7, val: 0.15, test: 0.15 };
  const ids = Array.from({ length: 2000 }, (_, i) => `session-${i}`);

  it('is deterministic for a seed, follows the ratios, and changes with the seed', () => {
    const a = ids.map((id) => splitOf(id, 7, ratios));
    expect(ids.map((id) => splitOf(id, 7, ratios))).toEqual(a);
    const share = (s: string) => a.filter((x) => x === s).length / ids.length;
    expect(share('train')).toBeGreaterThan(0.66);
    expect(share('train')).toBeLessThan(0.74);
    expect(share('val')).toBeGreaterThan(0.12);
    expect(share('test')).toBeGreaterThan(0.12);
    const b = ids.map((id) => splitOf(id, 8, ratios));
    expect(b.filter((x, i) => x !== a[i]).length).toBeGreaterThan(300);
  });
});
