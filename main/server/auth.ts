import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'heimdall_token';

export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Where the request carried the token: the URL (first visit), the cookie (later requests) or a bearer header (scripts). */
export function presentedToken(req: IncomingMessage): { token: string; via: 'query' | 'cookie' | 'header' } | null {
  const url = new URL(req.url ?? '/', 'http://station.invalid');
  const q = url.searchParams.get('token');
  if (q) return { token: q, via: 'query' };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), via: 'header' };
  const c = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (c) return { token: c, via: 'cookie' };
  return null;
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const p = presentedToken(req);
  return p !== null && safeEqual(p.token, token);
}

/** A browser page from another site must not drive the station through the visitor's cookie. */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
