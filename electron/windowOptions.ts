import { type BrowserWindowConstructorOptions } from 'electron';

/** The security-relevant window options, kept in one place so a test can read them. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Heimdall Station',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://station`;

/** Only our own pages may load in the window; everything else opens in the OS browser or nowhere. */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`) || url === APP_ORIGIN) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}
