/**
 * What is at a receiver URL: a KiwiSDR answers /status (key=value lines), an OpenWebRX answers
 * /status.json. Used by "Add receiver" (UI and CLI) to fill the kind, name and position, and by
 * `capture` to pick the protocol. Nothing listening is said at once, as such, never as a protocol
 * problem further down.
 */
import http from 'node:http';
import https from 'node:https';
import { type ReceiverIdentity } from '../../shared/domain/receiver';
import { StationError } from '../../shared/errors';
import { parseKiwiStatus } from './kiwisdr/statusProbe';
import { owrxStatusSchema } from './openwebrx/messages';

type Answer = { ok: true; status: number; text: string } | { ok: false; reason: string; unreachable: boolean };

const NET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused, nothing listens there',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
};

function networkReason(e: unknown, timeoutMs: number): { reason: string; unreachable: boolean } {
  const err = e as { name?: string; code?: string; message?: string; errors?: { code?: string }[] };
  if (err?.name === 'TimeoutError') return { reason: `no answer within ${timeoutMs / 1000} s`, unreachable: true };
  const code = err?.code ?? err?.errors?.[0]?.code ?? '';
  if (code && NET_CODES[code]) return { reason: `${NET_CODES[code]} (${code})`, unreachable: true };
  return { reason: err?.message ?? String(e), unreachable: code !== '' && !code.startsWith('HPE_') };
}

/**
 * GET with node:http(s), not fetch: fetch refuses "unsafe" ports (1, 6000, 6665-6669, 10080, ...)
 * with "bad port", which would hide what is really there.
 */
function get(base: string, file: string, timeoutMs: number, redirects = 3): Promise<Answer> {
  const url = new URL(file, base.endsWith('/') ? base : `${base}/`);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = lib.get(url, { timeout: timeoutMs, headers: { accept: '*/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(get(new URL(res.headers.location, url).toString(), '', timeoutMs, redirects - 1));
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        // A status page is small; a receiver streaming something else is cut off.
        if (text.length < 1_000_000) text += c;
      });
      res.on('end', () => resolve({ ok: true, status, text: status === 200 ? text : '' }));
      res.on('error', (e) => resolve({ ok: false, ...networkReason(e, timeoutMs) }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', (e) => resolve({ ok: false, ...networkReason(e, timeoutMs) }));
  });
}

/** Throws a StationError that says what the URL is (or is not) and what to do. */
export async function identifyReceiver(url: string, timeoutMs = 5000): Promise<ReceiverIdentity> {
  let u: URL;
  try {
    u = new URL(url);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) throw new Error('not http');
  } catch {
    throw new StationError('invalid_input', `"${url}" is not a receiver address. Give its web page address, e.g. http://host:8073/.`);
  }
  const kiwi = await get(url, 'status', timeoutMs);
  if (!kiwi.ok && kiwi.unreachable) {
    throw new StationError('unavailable', `The receiver at ${url} is unreachable: ${kiwi.reason}. Check the address and port, and that the receiver and the network are up.`);
  }
  if (kiwi.ok && kiwi.status === 200) {
    try {
      const s = parseKiwiStatus(kiwi.text);
      const alt = Number(s.raw.asl);
      return { kind: 'kiwisdr', name: s.name.trim() || u.host, lat: s.lat, lon: s.lon, alt: s.raw.asl !== undefined && Number.isFinite(alt) ? alt : null, online: s.online, detail: s.swVersion ?? 'KiwiSDR' };
    } catch {
      // Not a KiwiSDR /status: try OpenWebRX below.
    }
  }
  const owrx = await get(url, 'status.json', timeoutMs);
  if (owrx.ok && owrx.status === 200) {
    let json: unknown = null;
    try {
      json = JSON.parse(owrx.text);
    } catch {
      // not JSON: falls through to the message
    }
    const p = owrxStatusSchema.safeParse(json);
    if (p.success) {
      const gps = p.data.receiver.gps;
      return {
        kind: 'openwebrx',
        name: p.data.receiver.name.trim() || u.host,
        lat: typeof gps?.lat === 'number' && Math.abs(gps.lat) <= 90 ? gps.lat : null,
        lon: typeof gps?.lon === 'number' && Math.abs(gps.lon) <= 180 ? gps.lon : null,
        alt: p.data.receiver.asl ?? null,
        online: true,
        detail: p.data.sw_version ?? p.data.version ?? 'OpenWebRX',
      };
    }
  }
  const said = [kiwi.ok ? `/status: HTTP ${kiwi.status}` : `/status: ${kiwi.reason}`, owrx.ok ? `/status.json: HTTP ${owrx.status}` : `/status.json: ${owrx.reason}`].join(', ');
  throw new StationError(
    'invalid_input',
    `${url} answers, but neither as a KiwiSDR (/status) nor as an OpenWebRX (/status.json) (${said}). Check the address (the receiver's own page, not a listing site), or enter the kind and name yourself.`,
  );
}
