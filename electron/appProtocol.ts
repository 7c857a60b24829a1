import { protocol } from 'electron';
import { resolveStatic } from '../main/server/staticFiles';
import { DESKTOP_CSP } from './csp';
import { APP_SCHEME } from './windowOptions';

/** Must run before app 'ready': app:// behaves like a secure standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer with the strict CSP as a real header (file:// cannot carry headers). */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveStatic(rendererDir, new URL(request.url).pathname);
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.type, 'content-security-policy': DESKTOP_CSP, 'x-content-type-options': 'nosniff' },
    });
  });
}
