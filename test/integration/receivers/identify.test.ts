/**
 * "What is at this URL?" against the simulators' real /status and /status.json, a web server that
 * is no receiver, and a port where nothing listens: the answers Add receiver and capture act on.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyReceiver } from '../../../main/receivers/identify';
import { demoScene } from '../../../main/sim/demoScene';
import { startSimulation, type Simulation } from '../../../main/sim/simulation';
import { isStationError } from '../../../shared/errors';
import { freePort } from '../../helpers/pg';

const scene = demoScene();
let sim: Simulation;
let web: http.Server;
let webUrl = '';

beforeAll(async () => {
  sim = await startSimulation({ ...scene, receivers: scene.receivers.filter((r) => r.id === 'kiwi-asti' || r.id === 'owrx-genova') });
  web = http.createServer((req, res) => {
    if (req.url === '/status') res.writeHead(404).end('not here');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  webUrl = `http://127.0.0.1:${(web.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await sim?.close();
  web?.close();
});

const failure = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as Error);

describe('identifyReceiver', () => {
  it('reads a KiwiSDR from /status and an OpenWebRX from /status.json: kind, name, position', async () => {
    const kiwi = sim.receivers.find((r) => r.kind === 'kiwisdr')!;
    expect(await identifyReceiver(kiwi.url)).toEqual({ kind: 'kiwisdr', name: 'KiwiSDR Asti (sim)', lat: 44.9, lon: 8.207, alt: 120, online: true, detail: 'KiwiSDR_v1.590' });
    const owrx = sim.receivers.find((r) => r.kind === 'openwebrx')!;
    expect(await identifyReceiver(owrx.url)).toMatchObject({ kind: 'openwebrx', name: 'Genova', lat: 44.395, lon: 8.956, alt: 100, online: true });
  });

  it('says a web server that is no receiver answers as neither, and nothing listening is unreachable', async () => {
    const neither = await failure(identifyReceiver(webUrl));
    expect(isStationError(neither) && neither.code).toBe('invalid_input');
    expect(neither.message).toBe(`${webUrl} answers, but neither as a KiwiSDR (/status) nor as an OpenWebRX (/status.json) (/status: HTTP 404, /status.json: HTTP 200). Check the address (the receiver's own page, not a listing site), or enter the kind and name yourself.`);
    const port = await freePort();
    const refused = await failure(identifyReceiver(`http://127.0.0.1:${port}/`));
    expect(isStationError(refused) && refused.code).toBe('unavailable');
    expect(refused.message).toMatch(/is unreachable: connection refused, nothing listens there \(ECONNREFUSED\)/);
    // Ports fetch() calls unsafe (1, 6000, ...) are asked like any other.
    expect((await failure(identifyReceiver('http://127.0.0.1:1/'))).message).toMatch(/ECONNREFUSED/);
    expect((await failure(identifyReceiver('ftp://x/'))).message).toMatch(/is not a receiver address/);
  });
});
