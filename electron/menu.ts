import { app, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { type MenuCommand } from '../shared/bridge';

export const NAV_PAGES = ['receivers', 'live', 'sessions', 'datasets', 'sync', 'settings'] as const;

export function buildAppMenu(getWindow: () => BrowserWindow | null, send: (win: BrowserWindow, c: MenuCommand) => void): Menu {
  const toWindow = (c: MenuCommand) => {
    const win = getWindow();
    if (win) send(win, c);
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&Go',
      submenu: NAV_PAGES.map((page, i) => ({
        label: page[0]!.toUpperCase() + page.slice(1),
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => toWindow({ type: 'navigate', page }),
      })),
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'Keyboard shortcuts', accelerator: 'F1', click: () => toWindow({ type: 'help' }) },
        { label: 'Project documentation', click: () => void shell.openExternal('https://github.com/') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
