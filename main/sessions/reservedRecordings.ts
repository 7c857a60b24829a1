/**
 * Recording straight into the store: each receiver's capture is reserved before the first sample,
 * the capture worker writes its samples there once (with their hashes, segments and stamps), its
 * measurement windows commit as they arrive, and its done message commits it. Nothing is copied.
 */
import { type CaptureMode } from '../../shared/domain/monitor';
import { captureSegments } from '../recordings/captureSegments';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { timeBaseOf } from '../recordings/sigmf/writer';
import { type CaptureStore } from '../store/captureStore';
import { type ReservedCapture, type ReservedDone } from '../store/captureReservation';
import { type ComputedMeasurement } from '../store/measurementsRepo';
import { type WindowMeasurement } from '../capture/captureEngine';
import { type CaptureReceiver, type ReceiverSummary } from '../capture/workerProtocol';

export interface RecordingJob {
  freqHz: number;
  mode: CaptureMode;
  sessionId: string | null;
  durationSec: number | null;
}

/** Nominal KiwiSDR IQ rate, for the disk guard and the reserved row until the receiver says its exact one. */
const NOMINAL_RATE = 12001;

export function reserveRecordings(store: CaptureStore, receivers: readonly CaptureReceiver[], job: RecordingJob) {
  const iq = job.mode === 'iq';
  const reserved = new Map<string, ReservedCapture>();
  try {
    for (const rx of receivers) {
      reserved.set(
        rx.receiverId,
        store.reserveCapture({
          receiver: { id: rx.receiverId, name: rx.name, url: rx.url, lat: rx.lat, lon: rx.lon, alt: rx.alt },
          sessionId: job.sessionId,
          freqHz: Math.round(job.freqHz),
          mode: job.mode,
          sampleRate: iq ? NOMINAL_RATE : 12000,
          datatype: iq ? 'ci16_le' : 'ri16_le',
          expectedBytes: job.durationSec ? Math.ceil(job.durationSec * NOMINAL_RATE * (iq ? 4 : 2)) : 0,
          agc: rx.kind === 'kiwisdr' ? false : null,
        }),
      );
    }
  } catch (e) {
    for (const r of reserved.values()) r.abort();
    throw e;
  }
  const withTargets = receivers.map((rx) => {
    const r = reserved.get(rx.receiverId)!;
    return { ...rx, reservation: { captureId: r.id, partFile: r.partFile, journalFile: r.journalFile } };
  });
  // Windows commit in batches as they come (about once a second), never all at the end.
  const pending = new Map<string, WindowMeasurement[]>();
  let flushAt = 0;
  // Rows the DSP pool computed (its replies are checked where they reach the main thread).
  const rowsOf = (ms: WindowMeasurement[]): ComputedMeasurement[] =>
    ms.map((m) => ({
      timestamp: rfc3339FromUnixNs(m.unixNs),
      windowStartSample: m.startSample,
      windowSamples: m.samples,
      freqHz: Math.round(job.freqHz),
      snrDb: m.metrics.snrDb,
      signalPowerDb: m.metrics.signalPowerDb,
      noisePowerDb: m.metrics.noisePowerDb,
      freqOffsetHz: m.metrics.peakOffsetHz,
      occupiedBwHz: m.metrics.occupiedBandwidthHz,
      smeterDbm: null,
      notes: null,
    }));
  const flush = () => {
    for (const [rid, ms] of pending) {
      if (!ms.length) continue;
      reserved.get(rid)?.addComputedMeasurements(rowsOf(ms));
      pending.set(rid, []);
    }
  };
  /** What the worker reported, as the store commits it; null (and the reservation dropped) when nothing was recorded. */
  const doneOf = (summary: ReceiverSummary): ReservedDone | null => {
    if (!summary.dataFile || !summary.sampleRate || summary.samples === 0 || summary.bytes === null || !summary.sha256) return null;
    const datatype = summary.dataKind === 'iq' ? 'ci16_le' : 'ri16_le';
    const written = summary.segmentList.map((g) => ({ sampleStart: g.sampleStart, reason: g.reason, unixNs: BigInt(g.unixNs) }));
    const tb = timeBaseOf(written, summary.stamps, summary.samples, summary.sampleRate);
    const segments = captureSegments(tb, written, summary.samples).map((g) => ({ ...g, gpsUnixNs: g.gpsUnixNs ?? null, reason: g.reason ?? 'start' }));
    // Stopped on purpose (the operator, or the end of a session) is a whole recording, just shorter
    // than planned; only a receiver that fell silent or dropped out leaves a partial one.
    const status = summary.status === 'complete' || summary.status === 'stopped' ? 'complete' : summary.status === 'failed' ? 'failed' : 'partial';
    const seconds = summary.samples / summary.sampleRate;
    const message =
      summary.status === 'stopped'
        ? `Stopped after ${seconds.toFixed(1)} s${summary.targetSamples ? ` of the ${(summary.targetSamples / summary.sampleRate).toFixed(0)} s planned` : ''}.`
        : summary.status === 'complete'
          ? ''
          : summary.message;
    return {
      byteSize: summary.bytes,
      sampleRate: summary.sampleRate,
      datatype,
      sha256: summary.sha256,
      sha512: summary.sha512,
      md5: summary.md5,
      timeBase: tb,
      firstSampleUtc: segments[0]!.utc,
      firstSampleGpsNs: segments[0]!.gpsUnixNs,
      status,
      message,
      segments,
      stamps: summary.stamps,
    };
  };
  return {
    receivers: withTargets,
    measured(m: WindowMeasurement) {
      const list = pending.get(m.receiverId) ?? [];
      list.push(m);
      pending.set(m.receiverId, list);
      if (Date.now() >= flushAt) {
        flushAt = Date.now() + 1000;
        flush();
      }
    },
    /** Commits what the worker reported for a receiver; null (and the reservation dropped) when nothing was recorded. */
    commit(summary: ReceiverSummary): string | null {
      flush();
      const r = reserved.get(summary.receiverId)!;
      const done = doneOf(summary);
      if (!done) {
        r.abort();
        return null;
      }
      return r.commit(done);
    },
    /**
     * Commits every receiver's recording at the end of a run, together (see CaptureStore.commitReserved):
     * per summary its capture id, null when nothing was recorded, or the error that left it for adoption.
     */
    async commitAll(summaries: readonly ReceiverSummary[]): Promise<(string | null | Error)[]> {
      flush();
      const out: (string | null | Error)[] = summaries.map(() => null);
      const items: { k: number; id: string; done: ReservedDone }[] = [];
      summaries.forEach((summary, k) => {
        const r = reserved.get(summary.receiverId)!;
        let done: ReservedDone | null;
        try {
          done = doneOf(summary);
        } catch (e) {
          out[k] = e as Error;
          return;
        }
        if (!done) r.abort();
        else items.push({ k, id: r.id, done });
      });
      const ids = await store.commitReserved(items);
      items.forEach(({ k }, j) => (out[k] = ids[j]!));
      return out;
    },
    /** The run failed before any summary: drop what was reserved (a crash instead leaves them for adoption). */
    abortAll() {
      for (const r of reserved.values()) r.abort();
    },
  };
}
