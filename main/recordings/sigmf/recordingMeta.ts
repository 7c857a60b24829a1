/**
 * SigMF metadata of one recording (a whole capture, or a window of one for a dataset export) from
 * what the station knows of it: the stream's segments, its GPS stamps and the time base built from
 * them. Used by the capture writer, sync's uploaded meta and the dataset export alike, so the three
 * say the same times.
 */
import { type GpsStamp } from '../../../shared/domain/gpsStamp';
import { stampsToColumns } from '../gpsStamps';
import { rfc3339FromUnixNs } from '../rfc3339';
import { type TimeBase } from '../timeBase';
import { SIGMF_RECORDER, type SigmfMetaInput } from './meta';

export interface RecordingSegment {
  sampleStart: number;
  /** 'start', 'gap', 'reconnect', ... */
  reason: string;
}

export interface RecordingDescription {
  datatype: string;
  freqHz: number;
  description: string;
  hw?: string;
  geolocation?: { lat: number; lon: number; alt: number | null } | null;
  sha512?: string | null;
  /** Further `heimdall:` global fields (without the prefix). */
  heimdall: Record<string, unknown>;
  /** The stream's segments over the whole recording. */
  segments: readonly RecordingSegment[];
  timeBase: TimeBase;
  stamps: readonly GpsStamp[];
  /** A window of the recording (samples [start, start + count)); the whole recording when absent. */
  window?: { start: number; count: number };
  /** Annotations, already relative to the window. */
  annotations?: Record<string, unknown>[];
}

function timeBaseFields(tb: TimeBase, window: { start: number; count: number }) {
  const s = tb.summary;
  return {
    source: s.source,
    rate_hz: s.rateHz,
    rate_source: s.rateSource,
    nominal_rate_hz: s.nominalRateHz,
    gps_week: s.gpsWeek,
    stamps: s.stamps,
    fresh: s.fresh,
    anchors: s.anchors,
    rejected: s.rejected,
    stale: s.stale,
    no_fix: s.noFix,
    runs: s.runs,
    trusted_ranges: tb
      .trustedRanges()
      .map((r) => [Math.max(0, r.start - window.start), Math.min(window.count, r.end - window.start)])
      .filter(([a, b]) => b! > a!),
    good: s.good,
    reasons: s.reasons,
  };
}

export function recordingMeta(d: RecordingDescription): SigmfMetaInput {
  const tb = d.timeBase;
  const total = tb.summary;
  const window = d.window ?? { start: 0, count: Number.MAX_SAFE_INTEGER };
  const end = window.start + window.count;
  const anchors = new Set(tb.anchors().map((a) => a.sampleIndex));
  // Capture starts: the window's first sample, every stream segment inside it, every GPS anchor inside it.
  const points = new Map<number, string>();
  let first = d.segments[0]?.reason ?? 'start';
  for (const sg of d.segments) if (sg.sampleStart <= window.start) first = sg.reason;
  points.set(window.start, window.start === 0 ? first : 'window');
  for (const sg of d.segments) if (sg.sampleStart > window.start && sg.sampleStart < end) points.set(sg.sampleStart, sg.reason);
  for (const a of anchors) if (a > window.start && a < end && !points.has(a)) points.set(a, 'gps-anchor');
  const captures = [...points].map(([p, reason]) => {
    const gps = tb.gpsNsAt(p);
    return {
      'core:sample_start': p - window.start,
      'core:frequency': d.freqHz,
      'core:datetime': rfc3339FromUnixNs(tb.unixNsAt(p)),
      'heimdall:gps_unix_ns': gps?.toString(),
      'heimdall:time_source': anchors.has(p) ? 'gps-anchor' : gps !== null ? 'gps' : total.stamps > 0 ? 'receiver' : 'host',
      'heimdall:reason': reason,
    };
  });
  // The stamps inside the window, and the one of the block the window starts in.
  let from = 0;
  for (let i = 0; i < d.stamps.length; i++) if (d.stamps[i]!.sampleIndex <= window.start) from = i;
  const stamps = d.stamps.slice(from).filter((s) => s.sampleIndex < end);
  const g = d.geolocation;
  return {
    global: {
      'core:datatype': d.datatype,
      'core:sample_rate': tb.rateHz,
      'core:num_channels': 1,
      'core:recorder': SIGMF_RECORDER,
      'core:description': d.description,
      'core:hw': d.hw,
      'core:sha512': d.sha512 ?? undefined,
      'core:geolocation': g ? { type: 'Point', coordinates: g.alt !== null ? [g.lon, g.lat, g.alt] : [g.lon, g.lat] } : undefined,
      ...Object.fromEntries(Object.entries(d.heimdall).map(([k, v]) => [`heimdall:${k}`, v])),
      'heimdall:time_base': timeBaseFields(tb, { start: window.start, count: Math.min(window.count, Math.max(0, end - window.start)) }),
      ...(stamps.length ? { 'heimdall:gps_stamps': stampsToColumns(stamps, window.start) } : {}),
    },
    captures,
    annotations: d.annotations ?? [],
  };
}
