import { type Receiver } from '../../../shared/domain/receiver';
import { probeKiwiStatus } from '../kiwisdr/statusProbe';
import { type HealthProbe } from './healthRepo';

/** One health probe of one receiver: its status endpoint, with a timeout; never throws. */
export async function probeReceiver(r: Receiver, timeoutMs = 5000): Promise<HealthProbe> {
  const probedAt = new Date().toISOString();
  const base = { receiverId: r.id, probedAt };
  try {
    if (r.kind === 'kiwisdr') {
      const s = await probeKiwiStatus(r.url, timeoutMs);
      return { ...base, online: s.online, latencyMs: s.latencyMs, users: s.users, usersMax: s.usersMax, gpsGood: s.gpsGood, detail: s.online ? `${s.swVersion ?? 'KiwiSDR'}` : 'the receiver reports itself offline' };
    }
    // OpenWebRX: /status.json names the receiver and its client count.
    const url = new URL('status.json', r.url.endsWith('/') ? r.url : `${r.url}/`);
    const t0 = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const latencyMs = Math.round(performance.now() - t0);
    if (!res.ok) return { ...base, online: false, latencyMs, users: null, usersMax: null, gpsGood: null, detail: `${url} answered HTTP ${res.status}` };
    const j = (await res.json()) as { clients?: unknown; max_clients?: unknown; version?: unknown; sw_version?: unknown };
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { ...base, online: true, latencyMs, users: n(j.clients), usersMax: n(j.max_clients), gpsGood: null, detail: typeof j.sw_version === 'string' ? j.sw_version : 'OpenWebRX' };
  } catch (e) {
    const msg = e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause as Error | undefined)?.message ?? e.message) : String(e);
    return { ...base, online: false, latencyMs: null, users: null, usersMax: null, gpsGood: null, detail: msg };
  }
}
