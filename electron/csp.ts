import { contentSecurityPolicy } from '../shared/csp';

/** The desktop UI loads only its own files and talks to the core over IPC: no network at all. */
export const DESKTOP_CSP = contentSecurityPolicy({ websocket: false });
