import fs from 'node:fs';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type CaptureSegment, type MeasurementInput } from '../../shared/domain/capture';
import { type CaptureStore } from '../store/captureStore';
import { rfc3339FromUnixNs } from './sigmfRecordingWriter';
import { type WindowMeasurement } from './captureEngine';
import { type ReceiverSummary } from './workerProtocol';

/** The recording's capture segments (gaps, reconnects, GPS time bases) as the worker wrote them. */
export function segmentsFromMeta(metaFile: string | null, totalSamples: number): CaptureSegment[] {
  if (!metaFile || !fs.existsSync(metaFile)) return [];
  let meta: unknown;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch {
    return [];
  }
  const caps = (meta as { captures?: unknown }).captures;
  if (!Array.isArray(caps)) return [];
  const out: CaptureSegment[] = [];
  caps.forEach((c: Record<string, unknown>, i) => {
    const start = Number(c['core:sample_start']);
    const next = i + 1 < caps.length ? Number((caps[i + 1] as Record<string, unknown>)['core:sample_start']) : totalSamples;
    if (!Number.isInteger(start) || start > totalSamples || typeof c['core:datetime'] !== 'string') return;
    const gps = c['heimdall:gps_unix_ns'];
    out.push({ sampleStart: start, sampleCount: Math.max(0, Math.min(next, totalSamples) - start), utc: c['core:datetime'], gpsUnixNs: typeof gps === 'string' && /^\d+$/.test(gps) ? gps : null, reason: typeof c['heimdall:reason'] === 'string' ? c['heimdall:reason'] : 'start' });
  });
  return out;
}

/**
 * Hands a finished recording to the offline store: its samples become a durable sample file and
 * its per-window DSP metrics become measurement rows, committed together with their outbox rows,
 * so sync can take them to the central store. Returns the capture id, or null when nothing was recorded.
 */
export function storeRecording(
  store: CaptureStore,
  summary: ReceiverSummary,
  measurements: WindowMeasurement[],
  job: { freqHz: number; mode: CaptureMode; sessionId?: string | null; receiver: { id: string; name: string; url: string; lat: number | null; lon: number | null; alt: number | null } },
): string | null {
  if (!summary.dataFile || !summary.sampleRate || summary.samples === 0 || !summary.firstSampleUnixNs) return null;
  const size = fs.statSync(summary.dataFile).size;
  const w = store.beginCapture({
    receiver: job.receiver,
    sessionId: job.sessionId ?? null,
    freqHz: Math.round(job.freqHz),
    mode: job.mode,
    sampleRate: summary.sampleRate,
    datatype: summary.dataKind === 'iq' ? 'ci16_le' : 'ri16_le',
    expectedBytes: size,
  });
  try {
    const fd = fs.openSync(summary.dataFile, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) w.append(chunk.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    const rows: MeasurementInput[] = measurements
      .filter((m) => m.receiverId === summary.receiverId)
      .map((m) => ({
        timestamp: rfc3339FromUnixNs(m.unixNs),
        windowStartSample: m.startSample,
        windowSamples: m.samples,
        freqHz: Math.round(job.freqHz),
        snrDb: m.metrics.snrDb,
        signalPowerDb: m.metrics.signalPowerDb,
        noisePowerDb: m.metrics.noisePowerDb,
        freqOffsetHz: m.metrics.peakOffsetHz,
        occupiedBwHz: m.metrics.occupiedBandwidthHz,
      }));
    const segments = segmentsFromMeta(summary.metaFile, summary.samples);
    // Stopped on purpose (the operator, or the end of a session) is a whole recording, just shorter
    // than planned; only a receiver that fell silent or dropped out leaves a partial one.
    const status = summary.status === 'complete' || summary.status === 'stopped' ? 'complete' : summary.status === 'failed' ? 'failed' : 'partial';
    const seconds = summary.sampleRate ? summary.samples / summary.sampleRate : 0;
    const message =
      summary.status === 'stopped'
        ? `Stopped after ${seconds.toFixed(1)} s${summary.targetSamples && summary.sampleRate ? ` of the ${(summary.targetSamples / summary.sampleRate).toFixed(0)} s planned` : ''}.`
        : summary.status === 'complete'
          ? ''
          : summary.message;
    return w.finalize({
      firstSampleUtc: summary.firstSampleUtc!,
      firstSampleGpsNs: summary.firstSampleFromGps ? summary.firstSampleUnixNs : null,
      status,
      message,
      segments,
      measurements: rows,
    });
  } catch (e) {
    w.abort();
    throw e;
  }
}
