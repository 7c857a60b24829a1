import { ipcMain, type BrowserWindow } from 'electron';
import { type StationApiImpl } from '../shared/api';
import { type MenuCommand } from '../shared/bridge';
import { type Logger } from '../main/base/log';
import { IPC_MENU } from './ipcChannels';
import { bindStationIpc, type IpcMainLike } from './ipcMainBinding';

/** Carries the StationApi over Electron IPC (invoke for calls, a MessagePort per stream). */
export function installStationIpc(api: StationApiImpl, log: Logger): void {
  bindStationIpc(ipcMain as unknown as IpcMainLike, api, log);
}

export function sendMenuCommand(win: BrowserWindow, command: MenuCommand): void {
  win.webContents.send(IPC_MENU, command);
}
