import { createHash } from 'node:crypto';
import { StationError } from '../../shared/errors';
import { checkPlan, groupByAcquisition, rangeKey, runAtomicExport, sampleByteRange, type ExportDir, type ExportProgressReporter } from './atomicExportDir';
import { type ExportAnnotation, type ExportOptions, type ExportPlan, type ExportResult, type ExportSample } from './exportModel';
import { sigmfDatetime } from '../recordings/rfc3339';
import { sigmfCollectionJson, writeSigmfArchiveOnePass } from '../recordings/sigmf/archive';
import { offThreadHash } from './offThreadHash';
import { HEIMDALL_EXTENSION, sigmfMetaJson } from '../recordings/sigmf/meta';
import { recordingMeta } from '../recordings/sigmf/recordingMeta';
import { buildTimeBase } from '../recordings/timeBase';
import { parseRfc3339Ns } from '../recordings/rfc3339';
import { tdoaJson, tdoaReceiverStatus } from './exportTdoa';
import { inParallel } from './inParallel';
import { readRangeReusing } from './rangeReader';

/**
 * SigMF 1.2.0 export: one recording per sample, packed as `<sampleId>.sigmf` (pax tar holding
 * `<sampleId>/<sampleId>.sigmf-data` and `.sigmf-meta`, in that order), and one `<acquisitionId>.sigmf-collection`
 * per acquisition listing its receivers' recordings (name + sha512 of each meta file).
 * The data member is the exact byte range of the capture file; its sha512 is `core:sha512`.
 */

/** SigMF wants RFC 3339 with the `Z` offset only; keeps nanosecond digits when already in that form. */
export function exportDatetime(utc: string): string {
  const t = sigmfDatetime(utc);
  if (t === null) throw new StationError('invalid_input', `"${utc}" is not a date and time; the export needs the first sample's UTC time. Rebuild the dataset and try again.`);
  return t;
}

const GENERATOR_NAMES: Record<ExportAnnotation['generator'], string> = {
  operator: 'Heimdall Station operator (transmit marker)',
  detector: 'Heimdall Station detector',
  import: 'imported recording',
};

function annotationsOf(s: ExportSample): Record<string, unknown>[] {
  const snr = s.metrics.snrDb;
  return [...s.annotations]
    .map((a) => {
      const start = Math.min(Math.max(0, Math.round(a.sampleStart)), s.sampleCount);
      const count = Math.min(Math.max(0, Math.round(a.sampleCount)), s.sampleCount - start);
      return { a, start, count };
    })
    .sort((x, y) => x.start - y.start || x.count - y.count)
    .map(({ a, start, count }) => {
      const o: Record<string, unknown> = {
        'core:sample_start': start,
        'core:sample_count': count,
        'core:label': a.label,
        'core:generator': GENERATOR_NAMES[a.generator],
        'heimdall:generator': a.generator,
        // This receiver's SNR of the transmission, in the terms of SigMF's capture_details extension.
        'capture_details:SNRdB': snr !== null && Number.isFinite(snr) ? Math.round(snr * 100) / 100 : undefined,
        'capture_details:signal_reference_number': s.acquisitionIndex,
        // The transmission's TDoA fix beside the ground truth (global heimdall:transmitter), and whether this receiver took part.
        'heimdall:tdoa': s.tdoa ? { ...tdoaJson(s.tdoa), receiver_status: tdoaReceiverStatus(s) } : undefined,
      };
      if (a.comment) o['core:comment'] = a.comment;
      // SigMF: both edges or neither.
      if (a.freqLowerHz !== null && a.freqUpperHz !== null && Number.isFinite(a.freqLowerHz) && Number.isFinite(a.freqUpperHz)) {
        o['core:freq_lower_edge'] = Math.min(a.freqLowerHz, a.freqUpperHz);
        o['core:freq_upper_edge'] = Math.max(a.freqLowerHz, a.freqUpperHz);
      }
      return o;
    });
}

function transmitterOf(s: ExportSample): Record<string, unknown> | null {
  if (!s.source) return null;
  return {
    id: s.source.id,
    name: s.source.name,
    lat: s.source.lat,
    lon: s.source.lon,
    alt: s.source.alt,
    error_margin_m: s.source.errorMarginM,
    power_dbm: s.source.powerDbm,
    kind: s.source.kind,
  };
}

/** The time of the window's samples: the capture's time base, or the start time alone for a source without one. */
function windowTime(s: ExportSample) {
  if (s.time) return { ...s.time, window: { start: s.fileSampleStart, count: s.sampleCount } };
  const ns = parseRfc3339Ns(exportDatetime(s.startUtc)) ?? BigInt(Date.parse(s.startUtc)) * 1_000_000n;
  const timeBase = buildTimeBase({ stamps: [], totalSamples: s.sampleCount, nominalRateHz: s.sampleRate, weekHintUnixMs: Number(ns / 1_000_000n), hostTimes: [{ sampleStart: 0, unixNs: ns }] });
  return { timeBase, segments: [{ sampleStart: 0, reason: 'start' }], stamps: [], window: { start: 0, count: s.sampleCount } };
}

/** The .sigmf-meta of one exported sample (`sha512` = of its data bytes). */
export function buildExportSigmfMeta(plan: ExportPlan, s: ExportSample, sha512: string): string {
  const rx = s.receiver;
  const t = windowTime(s);
  const meta = recordingMeta({
    datatype: s.datatype,
    freqHz: s.freqHz,
    description: `${rx.name} at ${s.freqHz} Hz (${s.mode}), session "${s.sessionName}", acquisition ${s.acquisitionId}${s.notes ? `: ${s.notes}` : ''}`,
    geolocation: rx.lat !== null && rx.lon !== null ? { lat: rx.lat, lon: rx.lon, alt: rx.alt } : null,
    sha512,
    heimdall: {
      station: plan.stationName,
      dataset_id: plan.datasetId,
      dataset_name: plan.datasetName,
      sample_id: s.sampleId,
      acquisition_id: s.acquisitionId,
      receiver_id: rx.id,
      receiver_name: rx.name,
      receiver_url: rx.url,
      session_id: s.sessionId,
      session_name: s.sessionName,
      segment_id: s.segmentId,
      capture_id: s.captureId,
      measurement_ids: s.measurementIds,
      mode: s.mode,
      file_sample_start: s.fileSampleStart,
      approval: s.approval,
      label: s.label,
      split: s.split,
      notes: s.notes,
      transmitter: transmitterOf(s),
      gps_unix_ns: s.gpsUnixNs,
      metrics: {
        snr_db: s.metrics.snrDb,
        signal_power_db: s.metrics.signalPowerDb,
        noise_power_db: s.metrics.noisePowerDb,
        freq_offset_hz: s.metrics.freqOffsetHz,
      },
    },
    segments: t.segments,
    timeBase: t.timeBase,
    stamps: t.stamps,
    window: t.window,
    annotations: annotationsOf(s),
  });
  meta.global['core:collection'] = s.acquisitionId;
  return sigmfMetaJson(meta);
}

function archiveMtime(plan: ExportPlan): Date {
  const t = Date.parse(plan.createdAt);
  return Number.isNaN(t) ? new Date() : new Date(t);
}

async function writeOne(plan: ExportPlan, s: ExportSample, dir: ExportDir, progress: ExportProgressReporter, opts: ExportOptions | undefined): Promise<{ name: string; hash: string }> {
  const range = sampleByteRange(s);
  const file = await dir.createFile(`${s.sampleId}.sigmf`);
  let metaJson: string;
  try {
    // One pass: the samples go into the archive hashed as they pass, the meta (with that core:sha512) after them.
    const written = await writeSigmfArchiveOnePass(file, s.sampleId, { size: range.length, chunks: readRangeReusing(range, progress) }, (sha512) => buildExportSigmfMeta(plan, s, sha512), { mtime: archiveMtime(plan), sha512: offThreadHash('sha512') });
    await file.close();
    metaJson = written.metaJson;
    opts?.sha512Cache?.set(rangeKey(range), written.sha512);
  } catch (e) {
    await file.discard();
    throw e;
  }
  progress.sampleDone();
  return { name: s.sampleId, hash: createHash('sha512').update(metaJson, 'utf8').digest('hex') };
}

export async function exportSigmf(plan: ExportPlan, outDir: string, opts?: ExportOptions): Promise<ExportResult> {
  checkPlan(plan);
  const groups = groupByAcquisition(plan.samples);
  // Bytes read: each sample's once.
  const totalBytes = plan.samples.reduce((n, s) => n + sampleByteRange(s).length, 0);
  return runAtomicExport('sigmf', outDir, opts, { samples: plan.samples.length, bytes: totalBytes }, async (dir, progress) => {
    // Four archives in flight: some are written while the others wait on their fsync or their hash
    // (two left the two cores idle half the time on a 2-core machine; six gained nothing more).
    const ordered = groups.flatMap((g) => g.samples);
    const written = await inParallel(ordered, 4, (s) => writeOne(plan, s, dir, progress, opts));
    const bySample = new Map(ordered.map((s, i) => [s, written[i]!]));
    for (const g of groups) {
      const streams = g.samples.map((s) => bySample.get(s)!);
      const first = g.samples[0]!;
      const json = sigmfCollectionJson({
        description: `Acquisition ${g.acquisitionId} of session "${first.sessionName}" at ${first.freqHz} Hz, heard by ${g.samples.length} receiver${g.samples.length === 1 ? '' : 's'} (dataset "${plan.datasetName}", ${plan.stationName})`,
        extensions: [{ ...HEIMDALL_EXTENSION }],
        fields: {
          'heimdall:dataset_id': plan.datasetId,
          'heimdall:acquisition_id': g.acquisitionId,
          'heimdall:session_id': first.sessionId,
          'heimdall:session_name': first.sessionName,
          'heimdall:split': first.split,
          'heimdall:transmitter': transmitterOf(first),
          'heimdall:tdoa': first.tdoa ? tdoaJson(first.tdoa) : null,
        },
        streams,
      });
      await dir.writeFile(`${g.acquisitionId}.sigmf-collection`, json);
    }
    return plan.samples.length;
  });
}
