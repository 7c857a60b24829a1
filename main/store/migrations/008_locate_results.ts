import { type Migration } from './types';

/**
 * TDoA fixes, one per located acquisition: a whole session (or imported set), segment_id NULL, or one
 * of its segments. A newer fix of the same acquisition replaces the older one (the unique index): a
 * dataset takes one estimate per acquisition, and a result holds its heatmap and lines (a few hundred
 * kB), so re-running with another region must not pile them up. The columns are what listings and
 * exports read without parsing the whole result: brief_json holds the receivers judged, the pairs and
 * the interval (what a dataset export carries), result_json the whole LocateResult (heatmap, lines).
 * Deleting a session or a segment deletes its fixes: they located recordings that are gone.
 */
export const migration008: Migration = {
  version: 8,
  name: 'locate results per acquisition',
  sql: `
    CREATE TABLE locate_results (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES recording_sessions(id) ON DELETE CASCADE,
      segment_id TEXT REFERENCES session_segments(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      lat REAL NOT NULL,
      lon REAL NOT NULL,
      source_distance_km REAL,
      receivers_used INTEGER NOT NULL,
      brief_json TEXT NOT NULL,
      result_json TEXT NOT NULL
    );
    CREATE UNIQUE INDEX locate_results_acquisition ON locate_results(session_id, IFNULL(segment_id, ''));
    CREATE INDEX locate_results_by_created ON locate_results(created_at DESC);
  `,
};
