/**
 * The main-process half of the IPC binding, written against minimal interfaces so tests can drive
 * it with a fake ipc pair; electron/ipc.ts plugs in the real ipcMain. It knows no method by name.
 */
import { type StationApiImpl } from '../shared/api';
import { type PortMessage } from '../shared/bridge';
import { dispatchCall, dispatchSubscribe } from '../main/api/dispatch';
import { type Logger } from '../main/base/log';
import { IPC_CALL, IPC_SUBSCRIBE } from './ipcChannels';

/** The subset of Electron's MessagePortMain the binding uses. */
export interface MainPortLike {
  postMessage(message: PortMessage): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: { ports: MainPortLike[] }, ...args: unknown[]) => void): void;
}

export function bindStationIpc(ipcMain: IpcMainLike, api: StationApiImpl, log?: Logger): void {
  ipcMain.handle(IPC_CALL, (_event, method, input) => dispatchCall(api, String(method), input, log));

  ipcMain.on(IPC_SUBSCRIBE, (event, request) => {
    const port = event.ports[0];
    if (!port) return;
    const { stream, params } = (request ?? {}) as { stream?: unknown; params?: unknown };
    const ac = new AbortController();
    port.on('close', () => ac.abort());
    port.start();
    // MessagePortMain copies every message and drops one with a transfer list: send plain copies.
    const err = dispatchSubscribe(api, String(stream), params, (header, body) => port.postMessage(body ? { t: 'event', header, body } : { t: 'event', header }), ac.signal, log);
    if (err) {
      port.postMessage({ t: 'error', error: err });
      ac.abort();
    }
  });
}
