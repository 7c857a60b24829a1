/** Reads the desktop window's security options and CSP as the shell builds them (Electron cannot run here). */
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../../electron/csp';
import { isAppUrl, mainWindowOptions } from '../../../electron/windowOptions';

describe('desktop shell security defaults', () => {
  it('isolates the renderer: contextIsolation, sandbox, no Node integration, no webviews', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true });
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('has a strict CSP: own scripts only, no eval, no remote connections, no framing', () => {
    const directives = Object.fromEntries(DESKTOP_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('allows navigation only within the app', () => {
    expect(isAppUrl('app://station/index.html')).toBe(true);
    expect(isAppUrl('https://evil.example/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });
});
