import path from 'node:path';
import { WebSocket } from 'ws';
import { createStationClient, type StationClient } from '../../shared/client';
import { createWsTransport, type SocketLike } from '../../shared/wsTransport';
import { silentLogger } from '../../main/base/log';
import { startServer, WS_PATH, type RunningServer } from '../../main/server/httpServer';
import { createStation, type Station } from '../../main/station';
import { tempDir } from './tempDir';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const resourcesDir = path.join(repoRoot, 'resources');

export interface TestStation {
  station: Station;
  server: RunningServer;
  token: string;
  dataDir: string;
  /** A StationClient over a real WebSocket, as the browser UI uses it. */
  connect(): StationClient;
  close(): Promise<void>;
}

export async function startTestStation(opts: { dataDir?: string; rendererDir?: string } = {}): Promise<TestStation> {
  const tmp = opts.dataDir ? null : tempDir();
  const dataDir = opts.dataDir ?? tmp!.dir;
  const station = createStation({ dataDir, resourcesDir, log: silentLogger });
  const token = 'test-token-0123456789abcdef';
  const server = await startServer({ api: station.api, token, rendererDir: opts.rendererDir ?? path.join(repoRoot, 'out', 'renderer'), port: 0, log: silentLogger });
  const clients: StationClient[] = [];
  return {
    station,
    server,
    token,
    dataDir,
    connect() {
      const url = `ws://127.0.0.1:${server.port}${WS_PATH}?token=${token}`;
      const client = createStationClient(createWsTransport(url, (u) => new WebSocket(u) as unknown as SocketLike, { reconnect: false }));
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      await station.close();
      tmp?.cleanup();
    },
  };
}
