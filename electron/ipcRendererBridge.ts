/**
 * The renderer-side half of the IPC binding, run inside the preload: builds the StationBridge of
 * named methods from the contract. Written against minimal interfaces so tests can use a fake pair.
 */
import { methodNames } from '../shared/api';
import { type MenuCommand, type PortMessage, type StationBridge } from '../shared/bridge';
import { type StationErrorData } from '../shared/errors';
import { type CallResult } from '../shared/transport';
import { IPC_CALL, IPC_MENU, IPC_SUBSCRIBE } from './ipcChannels';

/** The subset of a DOM MessagePort the bridge uses. */
export interface RendererPortLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  start(): void;
  close(): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  postMessage(channel: string, message: unknown, transfer: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

export function createStationBridge(ipc: IpcRendererLike, newChannel: () => { port1: RendererPortLike; port2: unknown }): StationBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of methodNames) {
    bridge[name] = (input: unknown) => ipc.invoke(IPC_CALL, name, input) as Promise<CallResult>;
  }
  bridge.subscribe = (stream: string, params: unknown, onEvent: (h: unknown, b: Uint8Array | undefined) => void, onError: (e: StationErrorData) => void) => {
    const { port1, port2 } = newChannel();
    port1.onmessage = (ev) => {
      const m = ev.data as PortMessage;
      if (m?.t === 'event') onEvent(m.header, m.body);
      else if (m?.t === 'error') onError(m.error);
    };
    port1.start();
    ipc.postMessage(IPC_SUBSCRIBE, { stream, params }, [port2]);
    return () => port1.close();
  };
  bridge.onMenuCommand = (listener: (c: MenuCommand) => void) => {
    const l = (_e: unknown, command: unknown) => listener(command as MenuCommand);
    ipc.on(IPC_MENU, l);
    return () => ipc.removeListener(IPC_MENU, l);
  };
  return bridge as StationBridge;
}
