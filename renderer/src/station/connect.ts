import { createStationClient, type StationClient } from '../../../shared/client';
import { type StationTransport } from '../../../shared/transport';
import { createWsTransport } from '../../../shared/wsTransport';
import { type StationBridge } from '../../../shared/bridge';
import { type SocketLike } from '../../../shared/wsTransport';

const WS_PATH = '/api/ws';

function ipcTransport(bridge: StationBridge): StationTransport {
  return {
    call: (method, input) => {
      const fn = (bridge as unknown as Record<string, ((i: unknown) => ReturnType<StationTransport['call']>) | undefined>)[method];
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `The desktop shell has no method "${method}". Update the app.` } });
      return fn(input);
    },
    subscribe: (stream, params, onEvent, onError) => bridge.subscribe(stream, params, onEvent, onError),
  };
}

/** One StationClient whatever the transport: IPC inside the desktop shell, WebSocket in a browser. */
export function connectStation(): { client: StationClient; transport: 'ipc' | 'websocket' } {
  if (window.stationBridge) return { client: createStationClient(ipcTransport(window.stationBridge)), transport: 'ipc' };
  const url = new URL(window.location.href);
  // The token came in the URL once; the server set a cookie, so keep it out of the address bar and history.
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}${WS_PATH}`;
  return { client: createStationClient(createWsTransport(wsUrl, (u) => new WebSocket(u) as unknown as SocketLike)), transport: 'websocket' };
}
