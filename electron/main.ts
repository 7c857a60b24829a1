/**
 * The desktop shell: one window, the station core in this process, the API over IPC.
 * Everything else lives in main/ (plain Node) and renderer/ (browser code).
 */
import { app, BrowserWindow, Menu, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unavailableApi } from '../main/api/unavailableApi';
import { consoleLogger } from '../main/base/log';
import { createStation, type Station } from '../main/station';
import { registerAppScheme, serveRenderer } from './appProtocol';
import { installStationIpc, sendMenuCommand } from './ipc';
import { buildAppMenu } from './menu';
import { safeStorageSecretStore } from './safeStorageSecrets';
import { APP_ORIGIN, isAppUrl, mainWindowOptions } from './windowOptions';

const log = consoleLogger('shell');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let mainWindow: BrowserWindow | null = null;
let station: Station | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void station?.close();
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const appRoot = app.getAppPath();
  const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(appRoot, 'resources');
  serveRenderer(path.join(appRoot, 'out', 'renderer'));

  mainWindow = new BrowserWindow(mainWindowOptions(fileURLToPath(new URL('../preload/index.cjs', import.meta.url))));
  Menu.setApplicationMenu(buildAppMenu(() => mainWindow, sendMenuCommand));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));

  // Open the store after the window exists so the first paint is not waiting on disk.
  const dataDir = path.join(app.getPath('userData'), 'station');
  try {
    station = createStation({
      dataDir,
      resourcesDir,
      runtime: 'electron',
      healthIntervalMs: 5 * 60_000,
      backgroundSync: true,
      secrets: safeStorageSecretStore(path.join(dataDir, 'secrets.bin')),
      log,
    });
    installStationIpc(station.api, log);
  } catch (e) {
    log.error('the station core could not start', e);
    const why = e instanceof Error ? e.message : String(e);
    installStationIpc(unavailableApi(`The station core did not start: ${why}`), log);
  }
  await mainWindow.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}
