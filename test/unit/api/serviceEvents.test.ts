/**
 * Each service announces its own changes (the API layer publishes nothing): receivers.changed from
 * the receiver service, sources.changed from the known-source catalogue, settings.changed from the
 * settings. Services with a counting `changed`, on a real database; once per stored change, never
 * for a dry run or a refused change.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/base/log';
import { loadReceiverSets } from '../../../main/receivers/receiverSets';
import { createReceiverService } from '../../../main/receivers/receiverService';
import { createReceiverRegistry } from '../../../main/receivers/registry';
import { fileSecretStore } from '../../../main/secrets/secretStore';
import { createKnownSources } from '../../../main/sessions/knownSources';
import { openDatabase } from '../../../main/store/database';
import { createSessionsRepo } from '../../../main/store/sessionsRepo';
import { createSettingsRepo } from '../../../main/store/settingsRepo';
import { resourcesDir } from '../../helpers/station';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function database() {
  const t = tempDir();
  const opened = openDatabase(t.dir, silentLogger);
  cleanups.push(() => {
    opened.close();
    t.cleanup();
  });
  return { db: opened.db, dir: t.dir };
}
const counter = () => {
  const c = { n: 0, changed: () => void c.n++ };
  return c;
};

describe('services publish their own change events', () => {
  it('the receiver service: create, update, delete, a shipped set and a list import each once; dry runs, repeats and refusals never', () => {
    const { db, dir } = database();
    const c = counter();
    const sets = loadReceiverSets(resourcesDir);
    const r = createReceiverService({ registry: createReceiverRegistry(db, fileSecretStore(path.join(dir, 'secrets.json'))), sets, changed: c.changed });
    const kiwi = r.create({ name: 'Kiwi', kind: 'kiwisdr', url: 'http://kiwi.example:8073/', lat: 45, lon: 7, alt: null, active: true, notes: '' });
    expect(c.n).toBe(1);
    r.update(kiwi.id, { name: 'Kiwi 2' });
    expect(c.n).toBe(2);
    expect(() => r.delete('no-such-id')).toThrow(/No receiver with id/);
    expect(c.n).toBe(2);
    expect(r.delete(kiwi.id)).toBe(true);
    expect(c.n).toBe(3);

    const set = sets[0]!;
    expect(r.loadSet(set.id).added).toBe(set.receivers.length);
    expect(c.n).toBe(4);
    expect(r.loadSet(set.id)).toEqual({ added: 0, skipped: set.receivers.length });
    expect(c.n).toBe(4);

    const list = JSON.stringify({ id: 'mine', name: 'Mine', description: '', receivers: [{ name: 'Other', kind: 'openwebrx', url: 'http://owrx.example:8073/', lat: 45, lon: 8, alt: null, active: true, notes: '' }] });
    expect(r.importList(list, 'auto', true).added).toBe(1);
    expect(c.n).toBe(4);
    expect(r.importList(list, 'auto', false).added).toBe(1);
    expect(c.n).toBe(5);
    expect(r.importList(list, 'auto', false).added).toBe(0);
    expect(c.n).toBe(5);
  });

  it('the known-source catalogue and the settings', () => {
    const { db } = database();
    const c = counter();
    const sources = createKnownSources(createSessionsRepo(db), c.changed);
    const s = sources.create({ name: 'Mast', frequencyHz: null, lat: 45, lon: 7, alt: null, errorMarginM: 10, powerDbm: null, kind: null, validated: false, notes: null });
    sources.update(s.id, { name: 'Mast 2' });
    expect(c.n).toBe(2);
    expect(sources.importCsv('name,lat,lon\nHill,45.1,7.1\n', true).added).toBe(1);
    expect(c.n).toBe(2);
    expect(sources.importCsv('name,lat,lon\nHill,45.1,7.1\n', false).added).toBe(1);
    expect(c.n).toBe(3);
    sources.delete(s.id);
    expect(c.n).toBe(4);

    const settingsChanged = counter();
    const settings = createSettingsRepo(db, settingsChanged.changed);
    settings.get();
    expect(settingsChanged.n).toBe(0);
    expect(settings.update({ callsign: 'IU1ABC' }).callsign).toBe('IU1ABC');
    expect(settingsChanged.n).toBe(1);
  });
});
