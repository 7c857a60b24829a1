import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isStationError } from '../../shared/errors';
import { consoleLogger } from '../log';
import { defaultDataDir, rendererDir, resourcesDir } from '../paths';
import { newAccessToken } from '../server/auth';
import { startServer } from '../server/httpServer';
import { createStation } from '../station';

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
  const station = createStation({ dataDir, resourcesDir: resourcesDir(), runtime: 'headless', demo: opts.demo, log });
  if (opts.demo) await station.api.loadReceiverSet({ setId: 'heimdall-nw-italy' });
  const server = await startServer({ api: station.api, token: newAccessToken(), rendererDir: rendererDir(), host: opts.host, port: opts.port, log });

  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) {
    log.warn('the UI is not built (out/renderer is missing): the API works, the page will say so. Run `npm run build`.');
  }
  if (!LOOPBACK.has(opts.host)) {
    log.warn(`listening on ${opts.host}: anyone who can reach this address and has the token can control this station.`);
  }
  console.log(`Heimdall Station ready in ${Math.round(performance.now() - t0)} ms; data in ${dataDir}${tempDemoDir ? ' (demo: temporary, removed on exit)' : ''}`);
  console.log(`Open the station UI at:`);
  console.log(server.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await server.close();
    await station.close();
    if (tempDemoDir) fs.rmSync(tempDemoDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export function describeStartupError(e: unknown): string {
  if (isStationError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}
