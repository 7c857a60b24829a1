import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isStationError } from '../../shared/errors';
import { consoleLogger } from '../base/log';
import { defaultDataDir, rendererDir, resourcesDir } from '../base/paths';
import { newAccessToken } from '../server/auth';
import { startServer } from '../server/httpServer';
import { type Simulation } from '../sim/simulation';
import { type Station, createStation } from '../station';
import { type Logger } from '../base/log';

export interface ServeOptions {
  dataDir?: string;
  port: number;
  host: string;
  demo: boolean;
  quiet?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function serve(opts: ServeOptions): Promise<void> {
  const t0 = performance.now();
  const log = consoleLogger('station', opts.quiet);
  let dataDir = opts.dataDir ?? defaultDataDir();
  let tempDemoDir: string | null = null;
  if (opts.demo && !opts.dataDir) {
    tempDemoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-demo-'));
    dataDir = tempDemoDir;
  }
  const isNew = !fs.existsSync(path.join(dataDir, 'station.sqlite'));
  const station = createStation({ dataDir, resourcesDir: resourcesDir(), runtime: 'headless', demo: opts.demo, log, healthIntervalMs: opts.demo ? 30_000 : 5 * 60_000, backgroundSync: true });
  let sim: Simulation | null = null;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    sim = opts.demo ? await startDemo(station, log) : null;
    server = await startServer({ api: station.api, token: newAccessToken(), rendererDir: rendererDir(), host: opts.host, port: opts.port, log });
  } catch (e) {
    // Nothing may stay behind a failed start: no open store (its lock file), no simulator, no temp folder.
    await station.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    if (tempDemoDir) fs.rmSync(tempDemoDir, { recursive: true, force: true });
    // A station this failed start created is removed again (it holds nothing yet).
    else if (isNew) for (const f of ['station.sqlite', 'station.sqlite-wal', 'station.sqlite-shm']) fs.rmSync(path.join(dataDir, f), { force: true });
    throw e;
  }

  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) {
    log.warn('the UI is not built (out/renderer is missing): the API works, the page will say so. Run `npm run build`.');
  }
  if (!LOOPBACK.has(opts.host)) {
    log.warn(`listening on ${opts.host}: anyone who can reach this address and has the token can control this station.`);
  }
  console.log(`Heimdall Station ready in ${Math.round(performance.now() - t0)} ms; data in ${dataDir}${tempDemoDir ? ' (demo: temporary, removed on exit)' : isNew ? ' (a new station)' : ''}`);
  console.log(`Open the station UI at:`);
  console.log(server.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await server.close();
    await station.close();
    await sim?.close();
    if (tempDemoDir) fs.rmSync(tempDemoDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Demo mode: the simulated NW-Italy scene on loopback ports, registered as the station's receivers,
 * so every page has live data without a network.
 */
async function startDemo(station: Station, log: Logger): Promise<Simulation> {
  // Loaded only for the demo: a normal start does not pay for the simulator.
  const [{ demoScene }, { startSimulation }] = await Promise.all([import('../sim/demoScene'), import('../sim/simulation')]);
  const scene = demoScene();
  let sim: Simulation;
  try {
    sim = await startSimulation(scene);
  } catch (e) {
    log.warn(`the full demo scene could not start (${(e as Error).message}); running its KiwiSDRs only.`);
    sim = await startSimulation({ ...scene, receivers: scene.receivers.filter((r) => r.kind === 'kiwisdr') });
  }
  for (const r of sim.receivers) {
    const s = scene.receivers.find((x) => x.id === r.id)!;
    await station.api.createReceiver({ name: s.name, kind: r.kind, url: r.url, lat: s.lat, lon: s.lon, alt: s.altM, active: true, notes: 'simulated (demo)' });
  }
  log.info(`demo: ${sim.receivers.length} simulated receivers on 127.0.0.1`);
  const { describeTransmitters } = await import('./sim');
  for (const line of describeTransmitters(scene)) log.info(`demo: ${line}`);
  return sim;
}

export function describeStartupError(e: unknown): string {
  if (isStationError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}
