import { contextBridge, ipcRenderer } from 'electron';
import { createStationBridge, type IpcRendererLike, type RendererPortLike } from './ipcRendererBridge';

// Named methods only: the page never sees ipcRenderer itself.
contextBridge.exposeInMainWorld(
  'stationBridge',
  createStationBridge(ipcRenderer as unknown as IpcRendererLike, () => {
    const channel = new MessageChannel();
    return { port1: channel.port1 as unknown as RendererPortLike, port2: channel.port2 };
  }),
);
