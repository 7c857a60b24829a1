import type http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type WebSocketServer } from 'ws';

export interface ListeningSim {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on loopback (a simulated receiver is never reachable from elsewhere) and knows how to shut down. */
export async function listenLoopback(server: http.Server, wss: WebSocketServer, opts: { host?: string; port?: number }): Promise<ListeningSim> {
  await new Promise<void>((resolve, reject) => {
    // The caller (commands/sim.ts) turns EADDRINUSE into advice.
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
