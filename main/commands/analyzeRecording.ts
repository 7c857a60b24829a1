/**
 * Analysis of one recording for `analyze` (kept apart so the CLI starts without the DSP): its time
 * base (GPS week, first-sample UTC and GPS time, GPS rate, stamps used and not), and PSD metrics per
 * second and overall with the detector's transmissions. The JSON keys are documented in README and kept stable.
 */
import { SignalDetector } from '../dsp/detector';
import { spectrumMetrics, type SpectrumMetrics } from '../dsp/metrics';
import { createDspPool } from '../dsp/pool';
import { welchReal } from '../dsp/welch';
import { unixNsToGpsWeek } from '../recordings/gpsTime';
import { openRecordings } from '../recordings/openRecording';
import { readRecordingSamples, recordingTimeBase, type RecordingFile } from '../recordings/recordingFile';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { type TimeBase } from '../recordings/timeBase';

export async function openRecording(file: string): Promise<RecordingFile> {
  const all = await openRecordings(file);
  const first = all[0]!;
  for (const r of all.slice(1)) if ('source' in r) r.source.close();
  if ('error' in first) throw new Error(`${first.label}: ${first.error}`);
  return first;
}

function gpsTime(ns: bigint) {
  const g = unixNsToGpsWeek(ns);
  return { week: g.week, secondsOfWeek: `${g.gpssec}.${String(g.gpsnsec).padStart(9, '0')}`, unixNs: ns.toString() };
}

/** The time base as analyze reports it. */
export function describeTime(rec: RecordingFile, tb: TimeBase) {
  const s = tb.summary;
  const first = tb.unixNsAt(0);
  const firstStamp = rec.stamps[0];
  const stampOf = (i: number) => rec.stamps.find((x) => x.sampleIndex === i);
  return {
    source: s.source,
    firstSampleUtc: rfc3339FromUnixNs(first),
    firstSampleGps: s.source === 'gps' ? gpsTime(first) : null,
    rateHz: s.rateHz,
    rateSource: s.rateSource,
    gpsWeek: s.gpsWeek,
    stamps: s.stamps,
    freshStamps: s.fresh,
    anchors: s.anchors,
    rejectedStamps: s.rejected,
    staleStamps: s.stale,
    noFixStamps: s.noFix,
    invalidStamps: s.invalid,
    runs: s.runs,
    trustedSamples: s.trustedSamples,
    good: s.good,
    reasons: s.reasons,
    /** The first block's stamp, which is never used (often minutes stale), and how far off it is. */
    firstStamp: firstStamp
      ? {
          sampleIndex: firstStamp.sampleIndex,
          fixAgeSec: firstStamp.fixAgeSec,
          gpssec: firstStamp.gpssec,
          gpsnsec: firstStamp.gpsnsec,
          offsetSec: s.source === 'gps' ? (firstStamp.gpssec + firstStamp.gpsnsec / 1e9 - Number(gpsTime(tb.unixNsAt(firstStamp.sampleIndex)).secondsOfWeek)) : null,
          used: false,
        }
      : null,
    anchorList: tb.anchors().map((a) => ({ sampleIndex: a.sampleIndex, utc: rfc3339FromUnixNs(a.unixNs), fixAgeSec: stampOf(a.sampleIndex)?.fixAgeSec ?? null })),
    rejectedList: tb.rejected.map((r) => ({ sampleIndex: r.sampleIndex, utc: rfc3339FromUnixNs(r.unixNs), offSamples: r.offSamples, reason: r.reason })),
  };
}

export async function analyzeRecording(rec: RecordingFile) {
  const tb = recordingTimeBase(rec);
  const rate = tb.rateHz;
  const samples = readRecordingSamples(rec);
  const n = rec.totalSamples;
  const win = Math.max(1024, Math.round(rate));
  const windows: { startSample: number; metrics: SpectrumMetrics }[] = [];
  let overall: SpectrumMetrics;
  if (rec.complex) {
    const pool = createDspPool();
    try {
      const starts = Array.from({ length: Math.max(1, Math.floor(n / win)) }, (_, i) => i * win);
      const results = await Promise.all(starts.map((s) => pool.analyzeIq(samples.slice(2 * s, 2 * Math.min(n, s + win)), rate)));
      results.forEach((r, i) => windows.push({ startSample: starts[i]!, metrics: r.metrics }));
      overall = (await pool.analyzeIq(samples.slice(), rate)).metrics;
    } finally {
      await pool.close();
    }
  } else {
    // Real audio: one-sided spectrum; metrics treat it like a spectrum starting at 0 Hz.
    const psd = welchReal(samples, { fs: rate });
    overall = spectrumMetrics({ ...psd, freqs: psd.freqs }, { searchHz: rate / 2 });
  }
  const detector = new SignalDetector({ onDb: 10, offDb: 6, minOnWindows: 1, minOffWindows: 1 });
  for (const w of windows) detector.push(w.startSample, win, w.metrics.snrDb);
  const named = rec.kiwirecorder;
  return {
    format: rec.format,
    datatype: rec.datatype,
    complex: rec.complex,
    samples: n,
    seconds: n / rate,
    sampleRate: rate,
    headerRateHz: rec.headerRateHz,
    freqHz: rec.freqHz,
    mode: rec.mode,
    station: named?.station ?? rec.receiver.name ?? null,
    recordedAt: named ? new Date(named.startMs).toISOString() : null,
    receiver: { name: rec.receiver.name ?? null, url: rec.receiver.url ?? null, lat: rec.receiver.lat, lon: rec.receiver.lon, positionFile: rec.receiver.positionFile ?? null },
    time: describeTime(rec, tb),
    warnings: rec.warnings,
    overall,
    windows,
    segments: detector.finish(),
  };
}
