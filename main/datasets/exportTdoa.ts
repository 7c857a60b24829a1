/**
 * The TDoA fix a dataset carries next to its ground truth: the stored locate result of the
 * acquisition's segment, else of its whole session (see LocateRepo.briefFor). One shape for the
 * three writers: manifest columns, the SigMF `heimdall:tdoa` annotation field and collection field,
 * and `tdoa` in the NumPy layout's _meta.json.
 */
import { type LocateBrief } from '../store/locateRepo';
import { greatCircleM } from '../locate/geodesy';
import { type ExportSample, type ExportSource, type ExportTdoa } from './exportModel';

export function exportTdoa(brief: LocateBrief, source: ExportSource | null): ExportTdoa {
  return {
    id: brief.id,
    scope: brief.segmentId ? 'segment' : 'session',
    createdAt: brief.createdAt,
    lat: brief.lat,
    lon: brief.lon,
    // Against the ground truth as the export states it (the session's source now), not as it was when located.
    errorKm: source ? greatCircleM(brief, source) / 1000 : null,
    receivers: brief.receivers.map((r) => ({ receiverId: r.receiverId, name: r.name, status: r.status, reason: r.reason })),
    pairs: brief.pairs.map((p) => ({ a: p.a, b: p.b, dtUs: p.dtUs, rmsUs: p.rmsUs, blocksUsed: p.blocksUsed })),
    interval: brief.interval,
  };
}

/** Whether this sample's receiver took part in the fix: 'good', 'bad' (left out, with a reason), or null when the fix did not see it. */
export function tdoaReceiverStatus(s: ExportSample): 'good' | 'bad' | null {
  return s.tdoa?.receivers.find((r) => r.receiverId === s.receiver.id)?.status ?? null;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export const TDOA_MANIFEST_COLUMNS = ['tdoa_lat', 'tdoa_lon', 'tdoa_error_km', 'tdoa_receivers', 'tdoa_receiver_status', 'tdoa_scope', 'tdoa_id'] as const;

export function tdoaManifestValues(s: ExportSample): Record<(typeof TDOA_MANIFEST_COLUMNS)[number], string | number | null> {
  const t = s.tdoa;
  return {
    tdoa_lat: t ? t.lat : null,
    tdoa_lon: t ? t.lon : null,
    tdoa_error_km: t && t.errorKm !== null ? round(t.errorKm, 3) : null,
    tdoa_receivers: t ? t.receivers.filter((r) => r.status === 'good').length : null,
    tdoa_receiver_status: tdoaReceiverStatus(s),
    tdoa_scope: t ? t.scope : null,
    tdoa_id: t ? t.id : null,
  };
}

/** The fix as JSON for SigMF and the NumPy meta (snake_case, as the rest of our extension). */
export function tdoaJson(t: ExportTdoa): Record<string, unknown> {
  return {
    locate_id: t.id,
    scope: t.scope,
    located_at: t.createdAt,
    lat: t.lat,
    lon: t.lon,
    error_km: t.errorKm === null ? null : round(t.errorKm, 3),
    interval_start_utc: t.interval.startUtc,
    interval_s: t.interval.seconds,
    receivers_used: t.receivers.filter((r) => r.status === 'good').map((r) => r.name),
    receivers_rejected: t.receivers.filter((r) => r.status === 'bad').map((r) => ({ name: r.name, reason: r.reason })),
    pairs: t.pairs.map((p) => ({ a: p.a, b: p.b, dt_us: round(p.dtUs, 3), rms_us: round(p.rmsUs, 3), blocks_used: p.blocksUsed })),
  };
}
