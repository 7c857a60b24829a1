import { z } from 'zod';
import {
  locatePairSchema,
  locateReceiverSchema,
  locateResultSchema,
  type LocatePair,
  type LocateReceiver,
  type LocateResult,
  type LocateSummary,
  type StoredLocate,
} from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { type Db } from './database';
import { uuidv7 } from './ids';

interface LocateRow {
  id: string;
  session_id: string;
  segment_id: string | null;
  created_at: string;
  lat: number;
  lon: number;
  source_distance_km: number | null;
  receivers_used: number;
  /** JSON of briefParts. */
  brief_json: string;
  result_json: string;
}

type SummaryRow = Omit<LocateRow, 'result_json' | 'brief_json'>;

/** What a dataset export carries of a fix: no heatmap or lines. */
export interface LocateBrief {
  id: string;
  sessionId: string;
  segmentId: string | null;
  createdAt: string;
  lat: number;
  lon: number;
  receivers: LocateReceiver[];
  pairs: LocatePair[];
  interval: { startUtc: string; seconds: number };
}

const briefParts = z.object({
  receivers: z.array(locateReceiverSchema),
  pairs: z.array(locatePairSchema),
  interval: z.object({ startUtc: z.string(), seconds: z.number() }),
});

const toSummary = (r: SummaryRow): LocateSummary => ({
  id: r.id,
  sessionId: r.session_id,
  segmentId: r.segment_id,
  createdAt: r.created_at,
  lat: r.lat,
  lon: r.lon,
  receiversUsed: r.receivers_used,
  sourceDistanceKm: r.source_distance_km,
});

/** The stored JSON crossed a version boundary (or a disk): it is read through its schema. */
function resultOf(r: LocateRow): LocateResult {
  const parsed = locateResultSchema.safeParse(JSON.parse(r.result_json));
  if (!parsed.success) {
    throw new StationError('conflict', `The stored locate result ${r.id} cannot be read (${parsed.error.issues[0]?.message ?? 'schema mismatch'}). Locate the acquisition again to replace it.`);
  }
  return parsed.data;
}

/** TDoA fixes per acquisition (a session, or one of its segments); a newer fix replaces the older one. */
export function createLocateRepo(db: Db) {
  const summaryCols = 'id, session_id, segment_id, created_at, lat, lon, source_distance_km, receivers_used';
  const insert = db.prepare<LocateRow>(
    `INSERT INTO locate_results (id, session_id, segment_id, created_at, lat, lon, source_distance_km, receivers_used, brief_json, result_json)
     VALUES (@id, @session_id, @segment_id, @created_at, @lat, @lon, @source_distance_km, @receivers_used, @brief_json, @result_json)`,
  );
  const removeFor = db.prepare<[string, string]>("DELETE FROM locate_results WHERE session_id = ? AND IFNULL(segment_id, '') = ?");
  const byId = db.prepare<[string], LocateRow>('SELECT * FROM locate_results WHERE id = ?');
  const all = db.prepare<[], SummaryRow>(`SELECT ${summaryCols} FROM locate_results ORDER BY created_at DESC, id DESC`);
  const ofSession = db.prepare<[string], SummaryRow>(`SELECT ${summaryCols} FROM locate_results WHERE session_id = ? ORDER BY created_at DESC, id DESC`);
  // The segment's own fix first, else the session's (segment_id NULL).
  const briefFor = db.prepare<[string, string], SummaryRow & { brief_json: string }>(
    `SELECT ${summaryCols}, brief_json FROM locate_results WHERE session_id = ? AND (segment_id = ? OR segment_id IS NULL)
     ORDER BY segment_id IS NULL LIMIT 1`,
  );
  const save = db.transaction((row: LocateRow) => {
    removeFor.run(row.session_id, row.segment_id ?? '');
    insert.run(row);
  });

  return {
    /** Stores a fix of a session (segmentId null) or of one of its segments, replacing the one before. */
    save(sessionId: string, segmentId: string | null, result: LocateResult): StoredLocate {
      const row: LocateRow = {
        id: uuidv7(),
        session_id: sessionId,
        segment_id: segmentId,
        created_at: new Date().toISOString(),
        lat: result.position.lat,
        lon: result.position.lon,
        source_distance_km: result.source?.distanceKm ?? null,
        receivers_used: result.receivers.filter((r) => r.status === 'good').length,
        brief_json: JSON.stringify({ receivers: result.receivers, pairs: result.pairs, interval: result.interval }),
        result_json: JSON.stringify(result),
      };
      save(row);
      return { ...result, id: row.id, sessionId, segmentId, createdAt: row.created_at };
    },
    get(id: string): StoredLocate | undefined {
      const r = byId.get(id);
      return r ? { ...resultOf(r), id: r.id, sessionId: r.session_id, segmentId: r.segment_id, createdAt: r.created_at } : undefined;
    },
    /** Newest first. */
    list(sessionId?: string): LocateSummary[] {
      return (sessionId ? ofSession.all(sessionId) : all.all()).map(toSummary);
    },
    /** The fix a dataset export carries for a segment: the segment's own, else the session's, else none. */
    briefFor(sessionId: string, segmentId: string): LocateBrief | null {
      const r = briefFor.get(sessionId, segmentId);
      if (!r) return null;
      const parts = briefParts.safeParse(JSON.parse(r.brief_json));
      if (!parts.success) return null;
      return { id: r.id, sessionId: r.session_id, segmentId: r.segment_id, createdAt: r.created_at, lat: r.lat, lon: r.lon, ...parts.data };
    },
  };
}
export type LocateRepo = ReturnType<typeof createLocateRepo>;
