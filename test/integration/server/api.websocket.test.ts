import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type StationClient } from '../../../shared/client';
import { StationError } from '../../../shared/errors';
import { WS_PATH } from '../../../main/server/httpServer';
import { startTestStation, type TestStation } from '../../helpers/station';

let t: TestStation;
let client: StationClient;

beforeAll(async () => {
  t = await startTestStation();
  client = t.connect();
});
afterAll(async () => {
  await t.close();
});

const giaveno = { name: 'Aquila di Giaveno', kind: 'openwebrx' as const, url: 'http://sdr1.ik1jns.it:8076/', lat: 45.02, lon: 7.29, alt: 600 };

describe('StationApi over the WebSocket transport, real SQLite file', () => {
  it('creates, lists, updates and deletes receivers, and the rows are in the database file', async () => {
    const created = await client.createReceiver({ ...giaveno, notes: 'roof antenna' });
    expect(created).toMatchObject({ name: 'Aquila di Giaveno', kind: 'openwebrx', lat: 45.02, active: true, notes: 'roof antenna' });
    expect(await client.listReceivers()).toHaveLength(1);

    const updated = await client.updateReceiver({ id: created.id, patch: { name: 'Giaveno', active: false } });
    expect(updated).toMatchObject({ name: 'Giaveno', active: false, url: giaveno.url, lat: 45.02 });

    // Bytes on disk: the SQLite file holds the row (read by a second connection).
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dataDir, 'station.sqlite'), { readonly: true });
    expect(db.prepare('SELECT name, active FROM receivers WHERE id = ?').get(created.id)).toEqual({ name: 'Giaveno', active: 0 });
    db.close();

    expect(await client.deleteReceiver({ id: created.id })).toEqual({ deleted: true });
    expect(await client.listReceivers()).toHaveLength(0);
  });

  it('keeps receiver passwords out of every reply and out of the database, but remembers them', async () => {
    const r = await client.createReceiver({ name: 'Private Kiwi', kind: 'kiwisdr', url: 'http://kiwi.example:8073', password: 's3cret-pass-42' });
    expect(r.hasPassword).toBe(true);
    expect(JSON.stringify(r)).not.toContain('s3cret-pass-42');
    expect(JSON.stringify(await client.listReceivers())).not.toContain('s3cret-pass-42');
    expect(fs.readFileSync(path.join(t.dataDir, 'station.sqlite')).includes('s3cret-pass-42')).toBe(false);
    expect(t.station.receivers.password(r.id)).toBe('s3cret-pass-42');
    const secretsFile = path.join(t.dataDir, 'secrets.json');
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);
    await client.updateReceiver({ id: r.id, patch: { password: '' } });
    expect((await client.getReceiver({ id: r.id })).hasPassword).toBe(false);
    await client.deleteReceiver({ id: r.id });
  });

  it('answers bad input with a typed invalid_input error naming the field', async () => {
    const err = await client.createReceiver({ name: '', kind: 'kiwisdr', url: 'ftp://nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StationError);
    expect((err as StationError).code).toBe('invalid_input');
    expect((err as StationError).issues?.map((i) => i.path).sort()).toEqual(['name', 'url']);
    expect((err as StationError).message).toMatch(/url: must be an http:\/\/ or https:\/\/ address/);
  });

  it('answers unknown ids with not_found and duplicate URLs with conflict', async () => {
    await expect(client.getReceiver({ id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await client.createReceiver({ name: 'A', kind: 'kiwisdr', url: 'http://dup.example:8073/' });
    await expect(client.createReceiver({ name: 'B', kind: 'kiwisdr', url: 'http://DUP.example:8073' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('loads the shipped Heimdall NW-Italy set once', async () => {
    const sets = await client.listReceiverSets();
    expect(sets.find((s) => s.id === 'heimdall-nw-italy')?.count).toBe(7);
    const first = await client.loadReceiverSet({ setId: 'heimdall-nw-italy' });
    expect(first.added).toBe(7);
    const again = await client.loadReceiverSet({ setId: 'heimdall-nw-italy' });
    expect(again).toEqual({ added: 0, skipped: 7 });
    const names = (await client.listReceivers()).map((r) => r.name);
    expect(names).toContain('Milano - Baggio');
  });

  it('persists settings and validates them', async () => {
    expect((await client.updateSettings({ callsign: 'IK1ABC' })).callsign).toBe('IK1ABC');
    expect((await client.getSettings()).callsign).toBe('IK1ABC');
    await expect(client.updateSettings({ units: 'furlongs' as 'metric' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('pushes change events to every subscribed client', async () => {
    const other = t.connect();
    const seen: string[] = [];
    const off = other.subscribe('stationEvents', {}, (e) => seen.push(e.header.type));
    await new Promise((r) => setTimeout(r, 100));
    await client.updateSettings({ stationName: 'Field kit 2' });
    await expect.poll(() => seen).toContain('settings.changed');
    off();
  });

  it('returns typed errors for raw malformed messages without dropping the connection', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.server.port}${WS_PATH}?token=${t.token}`);
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send('not json');
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'noSuchMethod', input: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'updateReceiver', input: { id: 5 } }));
    ws.send(JSON.stringify({ t: 'call', id: 3, method: 'getSettings', input: {} }));
    await expect.poll(() => replies.length).toBe(4);
    expect(replies[0]).toMatchObject({ t: 'error', error: { code: 'invalid_input' } });
    expect(replies[1]).toMatchObject({ id: 1, ok: false, error: { code: 'unknown_method' } });
    expect(replies[2]).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_input' } });
    expect(replies[3]).toMatchObject({ id: 3, ok: true });
    ws.close();
  });
});

describe('the headless server refuses requests without the start token', () => {
  it('refuses plain HTTP without the token and serves with it', async () => {
    const base = `http://127.0.0.1:${t.server.port}`;
    const denied = await fetch(`${base}/`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toMatch(/access token/);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const ok = await fetch(`${base}/?token=${t.token}`);
    expect([200, 503]).toContain(ok.status);
  });

  it('refuses a WebSocket upgrade without the token or from another origin', async () => {
    const tryOpen = (url: string, headers?: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.once('error', () => resolve('error'));
      });
    const url = `ws://127.0.0.1:${t.server.port}${WS_PATH}`;
    expect(await tryOpen(url)).toBe('401');
    expect(await tryOpen(`${url}?token=wrong`)).toBe('401');
    expect(await tryOpen(`${url}?token=${t.token}`, { origin: 'http://evil.example' })).toBe('403');
    expect(await tryOpen(`${url}?token=${t.token}`)).toBe('open');
  });
});
