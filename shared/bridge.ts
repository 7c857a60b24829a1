import { type MethodName } from './api';
import { type StationErrorData } from './errors';
import { type CallResult, type StationTransport } from './transport';

/** Commands the desktop shell's native menu sends to the UI. */
export type MenuCommand = { type: 'navigate'; page: string } | { type: 'help' };

/**
 * What electron/preload.ts exposes on window.stationBridge: one named function per API method,
 * a stream subscription carried over a MessagePort, and the menu commands. Never raw ipcRenderer.
 */
export type StationBridge = {
  [M in MethodName]: (input: unknown) => Promise<CallResult>;
} & {
  subscribe: StationTransport['subscribe'];
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
};

/** Messages on a stream's MessagePort, main -> renderer. */
export type PortMessage = { t: 'event'; header: unknown; body?: Uint8Array } | { t: 'error'; error: StationErrorData };
