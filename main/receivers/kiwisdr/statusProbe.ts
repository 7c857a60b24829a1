import { z } from 'zod';

/** What /status tells about a KiwiSDR (key=value lines); unknown keys are kept in `raw`. */
export const kiwiStatusSchema = z.object({
  name: z.string().default(''),
  status: z.string().default(''),
  offline: z.string().default('no'),
  users: z.coerce.number().default(0),
  users_max: z.coerce.number().default(0),
  gps: z.string().optional(),
  gps_good: z.coerce.number().optional(),
  fixes_min: z.coerce.number().optional(),
  sw_version: z.string().optional(),
  antenna: z.string().optional(),
  snr: z.string().optional(),
  uptime: z.coerce.number().optional(),
  sdr_hw: z.string().optional(),
  tdoa_ch: z.coerce.number().optional(),
});

export interface KiwiStatus {
  name: string;
  online: boolean;
  users: number;
  usersMax: number;
  lat: number | null;
  lon: number | null;
  gpsGood: number | null;
  gpsFixesPerMin: number | null;
  swVersion: string | null;
  uptimeSec: number | null;
  raw: Record<string, string>;
}

export function parseKiwiStatus(text: string): KiwiStatus {
  const raw: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) raw[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (!('status' in raw) && !('sdr_hw' in raw) && !('users' in raw)) throw new Error('not a KiwiSDR /status reply (no status, sdr_hw or users lines)');
  const parsed = kiwiStatusSchema.safeParse(raw);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${i.path.join('.')}=${raw[String(i.path[0])] ?? ''}`).join(', ');
    throw new Error(`the KiwiSDR /status reply has values this station cannot read (${bad}); the receiver may run unusual firmware`);
  }
  const s = parsed.data;
  const m = s.gps ? /\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)/.exec(s.gps) : null;
  return {
    name: s.name,
    online: s.offline !== 'yes' && s.status !== 'offline',
    users: s.users,
    usersMax: s.users_max,
    lat: m ? Number(m[1]) : null,
    lon: m ? Number(m[2]) : null,
    gpsGood: s.gps_good ?? null,
    gpsFixesPerMin: s.fixes_min ?? null,
    swVersion: s.sw_version ?? null,
    uptimeSec: s.uptime ?? null,
    raw,
  };
}

/** GET <receiver>/status with a timeout; errors say what failed. */
export async function probeKiwiStatus(receiverUrl: string, timeoutMs = 5000): Promise<KiwiStatus & { latencyMs: number }> {
  const url = new URL('status', receiverUrl.endsWith('/') ? receiverUrl : `${receiverUrl}/`);
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  const text = await res.text();
  return { ...parseKiwiStatus(text), latencyMs: Math.round(performance.now() - t0) };
}
