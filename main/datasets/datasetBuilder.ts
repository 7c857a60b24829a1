import { type DatasetPreview, type datasetSpecSchema } from '../../shared/domain/datasets';
import { type z } from 'zod';
import { type CaptureStore } from '../store/captureStore';
import { type LocateBrief } from '../store/locateRepo';
import { type SessionPlanJson, type SessionRow, type SessionsRepo } from '../store/sessionsRepo';
import { sessionCaptures } from '../sessions/sampleClock';
import { segmentMetrics } from '../sessions/segmentMetrics';
import { stationSlug } from '../sync/objectKeys';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { type ExportPlan, type ExportSample, type Split } from './exportModel';
import { exportTdoa } from './exportTdoa';
import { splitOf } from './splits';

export type DatasetSpecParsed = z.output<typeof datasetSpecSchema>;

const dayStart = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00.000Z` : s);
const dayEnd = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T23:59:59.999Z` : s);

/**
 * Resolves a dataset definition against the store: which sessions, segments and receiver
 * recordings go in, each as an ExportSample (with its split), and why the others stayed out.
 */
export function buildExportPlan(
  deps: { repo: SessionsRepo; captures: CaptureStore; stationName: string; locates?: { briefFor(sessionId: string, segmentId: string): LocateBrief | null } | undefined },
  dataset: { id: string; createdAt: string; spec: DatasetSpecParsed },
): { plan: ExportPlan; preview: DatasetPreview } {
  const { spec } = dataset;
  const f = spec.filters;
  const excluded = new Map<string, number>();
  const out = (reason: string, n = 1) => excluded.set(reason, (excluded.get(reason) ?? 0) + n);
  const wantedStates = f.approval === 'approved' ? ['approved'] : ['approved', 'review'];
  const sessions = deps.repo.listSessions().filter((s: SessionRow) => {
    if (f.sessionIds && !f.sessionIds.includes(s.id)) return false;
    if (!wantedStates.includes(s.state ?? 'draft')) {
      if (['review', 'rejected', 'approved'].includes(s.state ?? '')) out(`session ${s.state}`);
      return false;
    }
    if (f.sourceIds && (!s.known_source_id || !f.sourceIds.includes(s.known_source_id))) return false;
    const start = s.started_at ?? s.session_start;
    if (f.from && start < dayStart(f.from)) return false;
    if (f.to && start > dayEnd(f.to)) return false;
    const plan = JSON.parse(s.plan_json ?? '{}') as SessionPlanJson;
    if (f.freqMinHz !== undefined && plan.freqHz < f.freqMinHz) return false;
    if (f.freqMaxHz !== undefined && plan.freqHz > f.freqMaxHz) return false;
    return true;
  });
  const samples: ExportSample[] = [];
  for (const s of sessions.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))) {
    const split: Split = splitOf(s.id, spec.seed, spec.ratios);
    const plan = JSON.parse(s.plan_json ?? '{}') as SessionPlanJson;
    const srcRow = s.known_source_id ? deps.repo.getSource(s.known_source_id) : undefined;
    const source =
      srcRow && srcRow.lat !== null && srcRow.lon !== null
        ? { id: srcRow.id, name: srcRow.name, lat: srcRow.lat, lon: srcRow.lon, alt: srcRow.alt ?? null, errorMarginM: srcRow.error_margin_m, powerDbm: srcRow.power_dbm, kind: srcRow.source_type }
        : null;
    const reviews = deps.repo.reviews(s.id);
    const captures = sessionCaptures(deps.captures, s.id);
    const sessionSlug = `${stationSlug(s.session_name).slice(0, 32)}-${s.id.replace(/-/g, '').slice(-8)}`;
    let k = 0;
    for (const seg of deps.repo.segments(s.id)) {
      const segReviews = reviews.filter((r) => r.segment_id === seg.id);
      const ok = (rid: string) => {
        const d = segReviews.find((r) => r.receiver_id === rid)?.decision ?? 'pending';
        return f.approval === 'approved' ? d === 'approved' : d !== 'rejected';
      };
      if (!plan.receivers.some((r) => ok(r.id))) {
        out('segment not approved');
        continue;
      }
      const acquisitionId = `${sessionSlug}-s${k}`;
      const located = deps.locates?.briefFor(s.id, seg.id);
      const tdoa = located ? exportTdoa(located, source) : null;
      let added = 0;
      for (const rx of plan.receivers) {
        if (!ok(rx.id)) {
          out('receiver recording not approved');
          continue;
        }
        if (f.receiverIds && !f.receiverIds.includes(rx.id)) continue;
        const cap = captures.find((x) => x.c.receiver_id === rx.id);
        if (!cap) {
          out('receiver recorded nothing');
          continue;
        }
        if (cap.c.samples_deleted_at) {
          out('samples removed by retention');
          continue;
        }
        const a = cap.clock.sampleAt(seg.start_ms);
        const b = cap.clock.sampleAt(seg.end_ms);
        if (b - a <= 0) {
          out('receiver was not recording during the segment');
          continue;
        }
        const m = segmentMetrics(cap.rows, a, b);
        if (f.minSnrDb !== undefined && (m.snrDb === null || m.snrDb < f.minSnrDb)) {
          out('below the minimum SNR');
          continue;
        }
        const review = segReviews.find((r) => r.receiver_id === rx.id);
        const tb = cap.clock.timeBase;
        const gps = tb.trusts(a, b) ? tb.gpsNsAt(a)!.toString() : null;
        samples.push({
          sampleId: `${acquisitionId}_${stationSlug(rx.name)}`,
          acquisitionId,
          sessionId: s.id,
          sessionName: s.session_name,
          segmentId: seg.id,
          captureId: cap.c.id,
          measurementIds: m.measurementIds,
          receiver: { id: rx.id, name: rx.name, url: rx.url, lat: cap.c.receiver_lat, lon: cap.c.receiver_lon, alt: cap.c.receiver_alt },
          split,
          approval: review?.decision ?? 'pending',
          label: seg.label,
          notes: [seg.notes, review?.notes].filter(Boolean).join(' / ') || null,
          source,
          freqHz: cap.c.freq_hz,
          mode: cap.c.mode,
          sampleRate: cap.c.sample_rate,
          datatype: cap.c.datatype,
          dataFile: deps.captures.absolutePath(cap.c.file_path),
          fileSampleStart: a,
          sampleCount: b - a,
          startUtc: rfc3339FromUnixNs(tb.unixNsAt(a)),
          gpsUnixNs: gps,
          time: { timeBase: tb, segments: deps.captures.repos.captures.segments(cap.c.id).map((g) => ({ sampleStart: g.sample_start, reason: g.reason })), stamps: deps.captures.repos.captures.stamps(cap.c.id) },
          acquisitionIndex: k,
          annotations: [
            { sampleStart: 0, sampleCount: b - a, label: seg.label, comment: seg.notes, generator: seg.origin === 'detector' ? 'detector' : 'operator', freqLowerHz: null, freqUpperHz: null },
          ],
          metrics: { snrDb: m.snrDb, signalPowerDb: m.signalPowerDb, noisePowerDb: m.noisePowerDb, freqOffsetHz: m.freqOffsetHz },
          tdoa,
        });
        added++;
      }
      if (added > 0) k++;
    }
  }
  const splits = { train: { sessions: 0, acquisitions: 0, samples: 0 }, val: { sessions: 0, acquisitions: 0, samples: 0 }, test: { sessions: 0, acquisitions: 0, samples: 0 } };
  const seenSessions = new Set<string>();
  const seenAcq = new Set<string>();
  for (const x of samples) {
    const sp = splits[x.split];
    sp.samples++;
    if (!seenSessions.has(x.sessionId)) {
      seenSessions.add(x.sessionId);
      sp.sessions++;
    }
    if (!seenAcq.has(x.acquisitionId)) {
      seenAcq.add(x.acquisitionId);
      sp.acquisitions++;
    }
  }
  const preview: DatasetPreview = {
    sessions: seenSessions.size,
    acquisitions: seenAcq.size,
    samples: samples.length,
    receivers: new Set(samples.map((x) => x.receiver.id)).size,
    bytes: samples.reduce((n, x) => n + x.sampleCount * (x.datatype.startsWith('c') ? 4 : 2), 0),
    durationSec: samples.reduce((n, x) => n + x.sampleCount / x.sampleRate, 0),
    splits,
    excluded: [...excluded].map(([reason, count]) => ({ reason, count })),
  };
  const plan: ExportPlan = {
    datasetId: dataset.id,
    datasetName: spec.name,
    description: spec.description,
    createdAt: dataset.createdAt,
    seed: spec.seed,
    ratios: spec.ratios,
    stationName: deps.stationName,
    samples,
  };
  return { plan, preview };
}
