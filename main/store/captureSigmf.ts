import { type GpsStamp } from '../../shared/domain/gpsStamp';
import { sigmfMetaJson } from '../recordings/sigmf/meta';
import { recordingMeta } from '../recordings/sigmf/recordingMeta';
import { capturedTimeBase } from './captureStore';
import { type CaptureRow, type SegmentRow } from './capturesRepo';

/** The .sigmf-meta of a stored capture (uploaded beside its samples), from its committed rows and stamps. */
export function captureSigmfMetaJson(c: CaptureRow, segments: SegmentRow[], stamps: GpsStamp[], stationName: string): string {
  return sigmfMetaJson(
    recordingMeta({
      datatype: c.datatype,
      freqHz: c.freq_hz,
      description: `${c.receiver_name} at ${c.freq_hz} Hz (${c.mode})`,
      geolocation: c.receiver_lat !== null && c.receiver_lon !== null ? { lat: c.receiver_lat, lon: c.receiver_lon, alt: c.receiver_alt } : null,
      heimdall: {
        capture_id: c.id,
        receiver_id: c.receiver_id,
        receiver_name: c.receiver_name,
        receiver_url: c.receiver_url,
        session_id: c.session_id,
        station: stationName,
        mode: c.mode,
        agc: c.agc === null ? null : c.agc === 1,
        sha256: c.sha256,
        status: c.status,
      },
      segments: segments.map((s) => ({ sampleStart: s.sample_start, reason: s.reason })),
      timeBase: capturedTimeBase(c, segments, stamps),
      stamps,
    }),
  );
}
