import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { type StationApiImpl } from '../../shared/api';
import { contentSecurityPolicy } from '../../shared/csp';
import { type Logger } from '../base/log';
import { isAuthorized, isSameOrigin, presentedToken, TOKEN_COOKIE } from './auth';
import { resolveStatic } from './staticFiles';
import { bindWebSocket } from './wsBinding';

export interface ServerOptions {
  api: StationApiImpl;
  token: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  log: Logger;
}

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

export const WS_PATH = '/api/ws';

const CSP = contentSecurityPolicy({ websocket: true });

function refuse(res: http.ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const server = http.createServer((req, res) => {
    if (!isAuthorized(req, opts.token)) {
      refuse(
        res,
        401,
        'Heimdall Station: this page needs the access token printed when the station started.\n' +
          'Open the full URL it printed (http://…/?token=…), or restart `heimdall-station serve` to get a new one.\n',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Only GET is served here; the API runs over the WebSocket.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://station.invalid');
    const file = resolveStatic(opts.rendererDir, url.pathname);
    if (!file) {
      const missingUi = url.pathname === '/' || url.pathname === '/index.html';
      refuse(res, missingUi ? 503 : 404, missingUi ? 'The station UI is not built. Run `npm run build` and restart the station.\n' : 'Not found.\n');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    // The token arrives once in the URL; a strict cookie carries it for assets, reloads and the WebSocket.
    if (presentedToken(req)?.via === 'query') {
      headers['set-cookie'] = `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; Path=/; HttpOnly; SameSite=Strict`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://station.invalid');
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`);
    };
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found');
    if (!isAuthorized(req, opts.token)) return reject(401, 'Unauthorized: the station access token is missing or wrong');
    if (!isSameOrigin(req)) return reject(403, 'Forbidden: cross-origin connection');
    wss.handleUpgrade(req, socket, head, (ws) => bindWebSocket(ws, opts.api, opts.log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new Error(`Port ${opts.port} on ${host} is already in use. Stop what uses it or pass another --port.`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`This machine has no address ${host}. Pass --host with one of its addresses.`));
      else reject(e);
    });
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${opts.token}`,
    port,
    host,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
