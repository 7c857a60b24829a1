/**
 * Stored TDoA fixes: one per acquisition (a newer one replaces the older), listed newest first, read
 * back whole, gone with their session or segment, and what a dataset export finds for a segment.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LocateResult } from '../../../shared/domain/locate';
import { silentLogger } from '../../../main/base/log';
import { openDatabase, type OpenedDatabase } from '../../../main/store/database';
import { createLocateRepo } from '../../../main/store/locateRepo';
import { createSessionsRepo } from '../../../main/store/sessionsRepo';
import { tempDir } from '../../helpers/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function store(): OpenedDatabase {
  const t = tempDir();
  const s = openDatabase(t.dir, silentLogger);
  cleanups.push(() => (s.close(), t.cleanup()));
  return s;
}

function result(lat: number, lon: number, good: string[], bad: string[] = []): LocateResult {
  return {
    position: { lat, lon },
    contours: [{ confidence: 0.95, lines: [[[lat - 0.1, lon], [lat, lon + 0.1], [lat + 0.1, lon], [lat - 0.1, lon]]] }],
    hyperbolas: [{ a: good[0]!, b: good[1]!, lines: [[[lat - 1, lon - 1], [lat + 1, lon + 1]]] }],
    pairs: [{ a: good[0]!, b: good[1]!, dtUs: 123.4, rmsUs: 5.6, blocksUsed: 20, blocksTotal: 22, peak: 0.8, baselineKm: 150, predictedUs: 120 }],
    receivers: [
      ...good.map((name) => ({ receiverId: `id-${name}`, name, lat: 45, lon: 7, captureId: `cap-${name}`, file: null, status: 'good' as const, reason: '', rateHz: 12001.1 })),
      ...bad.map((name) => ({ receiverId: `id-${name}`, name, lat: 45, lon: 8, captureId: `cap-${name}`, file: null, status: 'bad' as const, reason: 'OpenWebRX sends no IQ', rateHz: null })),
    ],
    grid: { lat0: 44, lat1: 47, lon0: 6, lon1: 10, stepDeg: 0.01, cells: 120_701 },
    heatmap: { lat0: 44, lon0: 6, stepLat: 0.01, stepLon: 0.01, rows: 2, cols: 2, likelihood: Buffer.from([0, 10, 255, 3]).toString('base64') },
    interval: { startUtc: '2026-11-22T10:00:00.000000000Z', seconds: 12 },
    freqHz: 7_100_500,
    source: { name: 'Beacon', lat: 45.5, lon: 8, distanceKm: 1.25 },
    elapsedMs: 321,
    warnings: [],
  };
}

describe('stored locate results', () => {
  it('keeps one fix per acquisition: the newer replaces the older, the session-level and the segment fixes apart', () => {
    const { db } = store();
    const sessions = createSessionsRepo(db);
    const repo = createLocateRepo(db);
    const s = sessions.insertDraft({ known_source_id: null, session_name: 'run', notes: null, plan_json: '{}' });
    const seg = sessions.addSegment({ session_id: s.id, start_ms: 1000, end_ms: 5000, origin: 'operator', label: 'beacon' });

    const first = repo.save(s.id, null, result(45.1, 7.9, ['A', 'B', 'C']));
    const ofSegment = repo.save(s.id, seg.id, result(45.2, 7.8, ['A', 'B', 'C', 'D'], ['OWRX']));
    const again = repo.save(s.id, null, result(45.3, 7.7, ['A', 'B', 'C']));

    expect(repo.get(first.id)).toBeUndefined();
    expect(repo.list(s.id).map((x) => x.id)).toEqual([again.id, ofSegment.id]);
    expect(repo.list(s.id)[1]).toMatchObject({ sessionId: s.id, segmentId: seg.id, lat: 45.2, lon: 7.8, receiversUsed: 4, sourceDistanceKm: 1.25 });
    const back = repo.get(ofSegment.id)!;
    expect(back.receivers.filter((r) => r.status === 'bad')).toEqual([expect.objectContaining({ name: 'OWRX', reason: 'OpenWebRX sends no IQ' })]);
    expect(back.contours[0]!.lines[0]).toHaveLength(4);
    expect(back.heatmap.likelihood).toBe(Buffer.from([0, 10, 255, 3]).toString('base64'));
    expect(back.pairs[0]).toMatchObject({ dtUs: 123.4, rmsUs: 5.6, blocksUsed: 20 });
  });

  it("gives an export the segment's own fix, else the session's, else none", () => {
    const { db } = store();
    const sessions = createSessionsRepo(db);
    const repo = createLocateRepo(db);
    const s = sessions.insertDraft({ known_source_id: null, session_name: 'run', notes: null, plan_json: '{}' });
    const a = sessions.addSegment({ session_id: s.id, start_ms: 1000, end_ms: 5000, origin: 'operator', label: 'beacon' });
    const b = sessions.addSegment({ session_id: s.id, start_ms: 11000, end_ms: 15000, origin: 'detector', label: 'beacon' });
    expect(repo.briefFor(s.id, a.id)).toBeNull();
    repo.save(s.id, null, result(45.3, 7.7, ['A', 'B', 'C']));
    repo.save(s.id, a.id, result(45.2, 7.8, ['A', 'B', 'C']));
    expect(repo.briefFor(s.id, a.id)).toMatchObject({ segmentId: a.id, lat: 45.2, lon: 7.8, interval: { seconds: 12 } });
    expect(repo.briefFor(s.id, b.id)).toMatchObject({ segmentId: null, lat: 45.3 });
    expect(repo.briefFor(s.id, b.id)!.receivers.map((r) => r.name)).toEqual(['A', 'B', 'C']);
  });

  it('forgets the fixes of a deleted segment or session, and nothing else breaks', () => {
    const { db } = store();
    const sessions = createSessionsRepo(db);
    const repo = createLocateRepo(db);
    const s = sessions.insertDraft({ known_source_id: null, session_name: 'run', notes: null, plan_json: '{}' });
    const other = sessions.insertDraft({ known_source_id: null, session_name: 'other', notes: null, plan_json: '{}' });
    const seg = sessions.addSegment({ session_id: s.id, start_ms: 1000, end_ms: 5000, origin: 'operator', label: 'beacon' });
    repo.save(s.id, seg.id, result(45.2, 7.8, ['A', 'B', 'C']));
    const whole = repo.save(s.id, null, result(45.3, 7.7, ['A', 'B', 'C']));
    const kept = repo.save(other.id, null, result(44, 8, ['A', 'B', 'C']));
    expect(sessions.deleteSegment(seg.id)).toBe(true);
    expect(repo.list(s.id).map((x) => x.id)).toEqual([whole.id]);
    expect(sessions.deleteSession(s.id)).toBe(true);
    expect(repo.list().map((x) => x.id)).toEqual([kept.id]);
  });
});
