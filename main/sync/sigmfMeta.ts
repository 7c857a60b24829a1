import { type CaptureRow, type SegmentRow } from '../store/capturesRepo';

/** The .sigmf-meta object uploaded beside the samples, built from the committed rows. */
export function buildSigmfMeta(c: CaptureRow, segments: SegmentRow[], stationName: string): Record<string, unknown> {
  const global: Record<string, unknown> = {
    'core:datatype': c.datatype,
    'core:version': '1.2.0',
    'core:sample_rate': c.sample_rate,
    'core:recorder': 'heimdall-station',
    'core:description': `${c.receiver_name} at ${c.freq_hz} Hz (${c.mode})`,
    'core:extensions': [{ name: 'heimdall', version: '0.1.0', optional: true }],
    'heimdall:capture_id': c.id,
    'heimdall:receiver_id': c.receiver_id,
    'heimdall:receiver_url': c.receiver_url,
    'heimdall:session_id': c.session_id,
    'heimdall:station': stationName,
    'heimdall:sha256': c.sha256,
    'heimdall:status': c.status,
  };
  if (c.receiver_lat !== null && c.receiver_lon !== null) {
    global['core:geolocation'] = { type: 'Point', coordinates: c.receiver_alt !== null ? [c.receiver_lon, c.receiver_lat, c.receiver_alt] : [c.receiver_lon, c.receiver_lat] };
  }
  const captures = segments.length
    ? segments.map((s) => ({
        'core:sample_start': s.sample_start,
        'core:frequency': c.freq_hz,
        'core:datetime': s.utc,
        'heimdall:reason': s.reason,
        ...(s.gps_unix_ns ? { 'heimdall:gps_unix_ns': s.gps_unix_ns } : {}),
      }))
    : [{ 'core:sample_start': 0, 'core:frequency': c.freq_hz, 'core:datetime': c.first_sample_utc, ...(c.first_sample_gps_ns ? { 'heimdall:gps_unix_ns': c.first_sample_gps_ns } : {}) }];
  return { global, captures, annotations: [] };
}
