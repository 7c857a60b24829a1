import { createHash } from 'node:crypto';
import { StationError } from '../../shared/errors';
import {
  checkPlan,
  groupByAcquisition,
  isSha512Cached,
  rangeKey,
  readRange,
  runAtomicExport,
  sampleByteRange,
  sampleSha512,
  tapHash,
  type ExportDir,
  type ExportProgressReporter,
} from './atomicExportDir';
import { type ExportAnnotation, type ExportOptions, type ExportPlan, type ExportResult, type ExportSample } from './exportModel';
import { sigmfCollectionJson, writeSigmfArchive } from './sigmfArchive';

/**
 * SigMF 1.2.0 export: one recording per sample, packed as `<sampleId>.sigmf` (pax tar holding
 * `<sampleId>/<sampleId>.sigmf-meta` and `.sigmf-data`), and one `<acquisitionId>.sigmf-collection`
 * per acquisition listing its receivers' recordings (name + sha512 of each meta file).
 * The data member is the exact byte range of the capture file; its sha512 is `core:sha512`.
 */

export const HEIMDALL_EXTENSION = { name: 'heimdall', version: '1.0.0', optional: true } as const;
export const SIGMF_RECORDER = 'heimdall-station';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** SigMF wants RFC 3339 with the `Z` offset only; keeps nanosecond digits when already in that form. */
export function sigmfDatetime(utc: string): string {
  if (RFC3339_UTC.test(utc)) return utc;
  const t = Date.parse(utc);
  if (Number.isNaN(t)) throw new StationError('invalid_input', `"${utc}" is not a date and time; the export needs the first sample's UTC time. Rebuild the dataset and try again.`);
  return new Date(t).toISOString();
}

const GENERATOR_NAMES: Record<ExportAnnotation['generator'], string> = {
  operator: 'Heimdall Station operator (transmit marker)',
  detector: 'Heimdall Station detector',
  import: 'imported recording',
};

function annotationsOf(s: ExportSample): Record<string, unknown>[] {
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

/** The .sigmf-meta of one exported sample (`sha512` = of its data bytes). */
export function buildExportSigmfMeta(plan: ExportPlan, s: ExportSample, sha512: string): Record<string, unknown> {
  const rx = s.receiver;
  const global: Record<string, unknown> = {
    'core:datatype': s.datatype,
    'core:version': '1.2.0',
    'core:sample_rate': s.sampleRate,
    'core:sha512': sha512,
    'core:recorder': SIGMF_RECORDER,
    'core:description': `${rx.name} at ${s.freqHz} Hz (${s.mode}), session "${s.sessionName}", acquisition ${s.acquisitionId}${s.notes ? `: ${s.notes}` : ''}`,
    'core:collection': s.acquisitionId,
    'core:extensions': [{ ...HEIMDALL_EXTENSION }],
  };
  if (rx.lat !== null && rx.lon !== null) {
    global['core:geolocation'] = { type: 'Point', coordinates: rx.alt !== null ? [rx.lon, rx.lat, rx.alt] : [rx.lon, rx.lat] };
  }
  Object.assign(global, {
    'heimdall:station': plan.stationName,
    'heimdall:dataset_id': plan.datasetId,
    'heimdall:dataset_name': plan.datasetName,
    'heimdall:sample_id': s.sampleId,
    'heimdall:acquisition_id': s.acquisitionId,
    'heimdall:receiver_id': rx.id,
    'heimdall:receiver_name': rx.name,
    'heimdall:receiver_url': rx.url,
    'heimdall:session_id': s.sessionId,
    'heimdall:session_name': s.sessionName,
    'heimdall:segment_id': s.segmentId,
    'heimdall:capture_id': s.captureId,
    'heimdall:measurement_ids': s.measurementIds,
    'heimdall:mode': s.mode,
    'heimdall:file_sample_start': s.fileSampleStart,
    'heimdall:approval': s.approval,
    'heimdall:label': s.label,
    'heimdall:split': s.split,
    'heimdall:notes': s.notes,
    'heimdall:transmitter': transmitterOf(s),
    'heimdall:gps_unix_ns': s.gpsUnixNs,
    'heimdall:metrics': {
      snr_db: s.metrics.snrDb,
      signal_power_db: s.metrics.signalPowerDb,
      noise_power_db: s.metrics.noisePowerDb,
      freq_offset_hz: s.metrics.freqOffsetHz,
    },
  });
  const capture: Record<string, unknown> = { 'core:sample_start': 0, 'core:frequency': s.freqHz, 'core:datetime': sigmfDatetime(s.startUtc) };
  if (s.gpsUnixNs) capture['heimdall:gps_unix_ns'] = s.gpsUnixNs;
  return { global, captures: [capture], annotations: annotationsOf(s) };
}

function archiveMtime(plan: ExportPlan): Date {
  const t = Date.parse(plan.createdAt);
  return Number.isNaN(t) ? new Date() : new Date(t);
}

async function writeOne(plan: ExportPlan, s: ExportSample, dir: ExportDir, progress: ExportProgressReporter, opts: ExportOptions | undefined): Promise<{ name: string; hash: string }> {
  const range = sampleByteRange(s);
  // The meta (with core:sha512) comes first in the archive, so the data is hashed before it is copied.
  const sha512 = await sampleSha512(s, progress, opts);
  const metaJson = `${JSON.stringify(buildExportSigmfMeta(plan, s, sha512), null, 2)}\n`;
  const file = await dir.createFile(`${s.sampleId}.sigmf`);
  const copied = createHash('sha512');
  try {
    await writeSigmfArchive(file.writable(), s.sampleId, metaJson, { size: range.length, chunks: tapHash(readRange(range, progress), copied) }, { mtime: archiveMtime(plan) });
    await file.close();
  } catch (e) {
    await file.discard();
    throw e;
  }
  if (copied.digest('hex') !== sha512) {
    opts?.sha512Cache?.delete(rangeKey(range));
    throw new StationError('conflict', `The samples of ${s.receiver.name} (${s.dataFile}) changed while they were exported, so their checksum no longer matches. Export again once nothing writes to that capture.`);
  }
  progress.sampleDone();
  return { name: s.sampleId, hash: createHash('sha512').update(metaJson, 'utf8').digest('hex') };
}

export async function exportSigmf(plan: ExportPlan, outDir: string, opts?: ExportOptions): Promise<ExportResult> {
  checkPlan(plan);
  const groups = groupByAcquisition(plan.samples);
  // Bytes read: the copy, plus a hashing pass unless an earlier writer of this job hashed the range.
  const totalBytes = plan.samples.reduce((n, s) => n + sampleByteRange(s).length * (isSha512Cached(s, opts) ? 1 : 2), 0);
  return runAtomicExport('sigmf', outDir, opts, { samples: plan.samples.length, bytes: totalBytes }, async (dir, progress) => {
    for (const g of groups) {
      const streams: { name: string; hash: string }[] = [];
      for (const s of g.samples) streams.push(await writeOne(plan, s, dir, progress, opts));
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
        },
        streams,
      });
      await dir.writeFile(`${g.acquisitionId}.sigmf-collection`, json);
    }
    return plan.samples.length;
  });
}
