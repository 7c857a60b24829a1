import { type ReceiverHealth } from '../../../shared/domain/health';
import { type Db } from '../../store/database';

export interface HealthProbe {
  receiverId: string;
  probedAt: string;
  online: boolean;
  latencyMs: number | null;
  users: number | null;
  usersMax: number | null;
  gpsGood: number | null;
  detail: string;
}

interface Row {
  receiver_id: string;
  probed_at: string;
  online: number;
  latency_ms: number | null;
  users: number | null;
  users_max: number | null;
  gps_good: number | null;
  detail: string;
}

export function createHealthRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO receiver_health (receiver_id, probed_at, online, latency_ms, users, users_max, gps_good, detail) VALUES (@receiverId, @probedAt, @online, @latencyMs, @users, @usersMax, @gpsGood, @detail)',
  );
  const latest = db.prepare<[], Row>(
    `SELECT h.* FROM receiver_health h
     JOIN (SELECT receiver_id, MAX(probed_at) AS t FROM receiver_health GROUP BY receiver_id) m ON m.receiver_id = h.receiver_id AND m.t = h.probed_at`,
  );
  const stats = db.prepare<[string], { receiver_id: string; n: number; up: number; last_seen: string | null }>(
    `SELECT receiver_id, COUNT(*) AS n, SUM(online) AS up, MAX(CASE WHEN online = 1 THEN probed_at END) AS last_seen
     FROM receiver_health WHERE probed_at >= ? GROUP BY receiver_id`,
  );
  const lastSeenEver = db.prepare<[], { receiver_id: string; last_seen: string }>('SELECT receiver_id, MAX(probed_at) AS last_seen FROM receiver_health WHERE online = 1 GROUP BY receiver_id');
  const prune = db.prepare<[string]>('DELETE FROM receiver_health WHERE probed_at < ?');

  return {
    record(p: HealthProbe): void {
      insert.run({ ...p, online: p.online ? 1 : 0 });
    },
    /** Keeps 8 days of probes: enough for 24 h uptime and a week of history. */
    prune(now = Date.now()): void {
      prune.run(new Date(now - 8 * 86_400_000).toISOString());
    },
    summary(receiverIds: string[], now = Date.now()): ReceiverHealth[] {
      const last = new Map(latest.all().map((r) => [r.receiver_id, r]));
      const day = new Map(stats.all(new Date(now - 86_400_000).toISOString()).map((r) => [r.receiver_id, r]));
      const seen = new Map(lastSeenEver.all().map((r) => [r.receiver_id, r.last_seen]));
      return receiverIds.map((id) => {
        const l = last.get(id);
        const d = day.get(id);
        return {
          receiverId: id,
          online: l ? l.online === 1 : null,
          lastProbeAt: l?.probed_at ?? null,
          lastSeenAt: seen.get(id) ?? null,
          latencyMs: l?.latency_ms ?? null,
          users: l?.users ?? null,
          usersMax: l?.users_max ?? null,
          gpsGood: l?.gps_good ?? null,
          detail: l?.detail ?? '',
          uptime24hPct: d && d.n > 0 ? Math.round((1000 * d.up) / d.n) / 10 : null,
          probes24h: d?.n ?? 0,
        };
      });
    },
  };
}
export type HealthRepo = ReturnType<typeof createHealthRepo>;
