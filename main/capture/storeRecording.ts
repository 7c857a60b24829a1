import fs from 'node:fs';
import { type CaptureMode } from '../../shared/domain/monitor';
import { type MeasurementInput } from '../../shared/domain/capture';
import { captureSegments } from '../recordings/captureSegments';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { timeBaseOf } from '../recordings/sigmf/writer';
import { type CaptureStore } from '../store/captureStore';
import { type WindowMeasurement } from './captureEngine';
import { type ReceiverSummary } from './workerProtocol';

/**
 * Hands a finished recording to the offline store: its samples become a durable sample file, its
 * GPS stamps and segments rows (times from its time base), its per-window DSP metrics measurement
 * rows, committed together with their outbox rows, so sync can take them to the central store.
 * Returns the capture id, or null when nothing was recorded.
 */
export function storeRecording(
  store: CaptureStore,
  summary: ReceiverSummary,
  measurements: WindowMeasurement[],
  job: { freqHz: number; mode: CaptureMode; sessionId?: string | null; agc?: boolean | null; receiver: { id: string; name: string; url: string; lat: number | null; lon: number | null; alt: number | null } },
): string | null {
  if (!summary.dataFile || !summary.sampleRate || summary.samples === 0 || !summary.firstSampleUnixNs) return null;
  const size = fs.statSync(summary.dataFile).size;
  const datatype = summary.dataKind === 'iq' ? 'ci16_le' : 'ri16_le';
  const samples = Math.min(summary.samples, Math.floor(size / (datatype === 'ci16_le' ? 4 : 2)));
  const written = summary.segmentList.map((g) => ({ sampleStart: g.sampleStart, reason: g.reason, unixNs: BigInt(g.unixNs) }));
  const tb = timeBaseOf(written, summary.stamps, samples, summary.sampleRate);
  const w = store.beginCapture({
    receiver: job.receiver,
    sessionId: job.sessionId ?? null,
    freqHz: Math.round(job.freqHz),
    mode: job.mode,
    sampleRate: summary.sampleRate,
    datatype,
    expectedBytes: size,
    agc: job.agc ?? null,
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
        timestamp: rfc3339FromUnixNs(tb.unixNsAt(m.startSample)),
        windowStartSample: m.startSample,
        windowSamples: m.samples,
        freqHz: Math.round(job.freqHz),
        snrDb: m.metrics.snrDb,
        signalPowerDb: m.metrics.signalPowerDb,
        noisePowerDb: m.metrics.noisePowerDb,
        freqOffsetHz: m.metrics.peakOffsetHz,
        occupiedBwHz: m.metrics.occupiedBandwidthHz,
      }));
    const segments = captureSegments(tb, written, samples);
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
      firstSampleUtc: segments[0]!.utc,
      firstSampleGpsNs: segments[0]!.gpsUnixNs,
      status,
      message,
      segments,
      stamps: summary.stamps,
      measurements: rows,
    });
  } catch (e) {
    w.abort();
    throw e;
  }
}
