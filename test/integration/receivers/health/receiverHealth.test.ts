import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulation, type Simulation } from '../../../../main/sim/simulation';
import { sceneSchema } from '../../../../main/sim/scene';
import { startTestStation, type TestStation } from '../../../helpers/station';

let t: TestStation;
let sim: Simulation;
let deadPort: number;

beforeAll(async () => {
  sim = await startSimulation(sceneSchema.parse({ name: 'health', transmitters: [], receivers: [{ id: 'k', name: 'Kiwi', kind: 'kiwisdr', lat: 45.1, lon: 7.7 }] }));
  // A port nobody listens on: bind one, then free it.
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  deadPort = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  t = await startTestStation();
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

describe('receiver health', () => {
  it('probes status endpoints, records the results and computes uptime', async () => {
    const client = t.connect();
    const live = await client.createReceiver({ name: 'Kiwi', kind: 'kiwisdr', url: sim.receivers[0]!.url });
    const dead = await client.createReceiver({ name: 'Gone', kind: 'kiwisdr', url: `http://127.0.0.1:${deadPort}/` });
    const idle = await client.createReceiver({ name: 'Paused', kind: 'kiwisdr', url: 'http://127.0.0.1:9/', active: false });
    const events: string[] = [];
    client.subscribe('stationEvents', {}, (e) => events.push(e.header.type));

    let health = await client.probeReceivers({});
    const by = new Map(health.map((h) => [h.receiverId, h]));
    expect(by.get(live.id)).toMatchObject({ online: true, users: 0, usersMax: 4, gpsGood: 9, uptime24hPct: 100, probes24h: 1 });
    expect(by.get(live.id)!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(by.get(dead.id)).toMatchObject({ online: false, uptime24hPct: 0, lastSeenAt: null });
    expect(by.get(dead.id)!.detail).toMatch(/ECONNREFUSED|refused/i);
    expect(by.get(idle.id)).toMatchObject({ online: null, probes24h: 0 }); // inactive receivers are not probed

    await sim.close();
    health = await client.probeReceivers({ ids: [live.id] });
    expect(health[0]).toMatchObject({ online: false, probes24h: 2, uptime24hPct: 50 });
    expect(health[0]!.lastSeenAt).not.toBeNull();
    await expect.poll(() => events).toContain('health.changed');
    expect((await client.listReceiverHealth()).length).toBe(3);
  });
});
