import { csvLine } from '../base/csv';
import { checkPlan, compareSamples, runAtomicExport, sampleByteRange, sampleSha512, isSha512Cached } from './atomicExportDir';
import { type ExportOptions, type ExportPlan, type ExportResult, type ExportSample } from './exportModel';
import { exportDatetime } from './exportSigmf';
import { TDOA_MANIFEST_COLUMNS, tdoaManifestValues } from './exportTdoa';

/**
 * A flat index of the dataset: `manifest.csv` (RFC 4180: CRLF, quoted where needed) and
 * `manifest.jsonl` (one JSON object per line, same keys; numbers as numbers, missing values as null),
 * one row per sample, naming the sample's SigMF archive and the sha512 of its data bytes (the same
 * bytes and hash as the SigMF export's `.sigmf-data` and `core:sha512`).
 */

export const MANIFEST_COLUMNS = [
  'sample_id',
  'acquisition_id',
  'session_id',
  'session_name',
  'split',
  'receiver_id',
  'receiver_name',
  'receiver_lat',
  'receiver_lon',
  'receiver_alt',
  'freq_hz',
  'sample_rate',
  'datatype',
  'start_utc',
  'gps_unix_ns',
  'sample_count',
  'duration_s',
  'snr_db',
  'signal_power_db',
  'noise_power_db',
  'freq_offset_hz',
  'label',
  'approval',
  'source_lat',
  'source_lon',
  'sigmf_file',
  'sha512',
  'segment_id',
  'capture_id',
  // The acquisition's TDoA fix (empty when it was not located): see exportTdoa.ts.
  ...TDOA_MANIFEST_COLUMNS,
] as const;

export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];
export type ManifestRow = Record<ManifestColumn, string | number | null>;

export function manifestRow(s: ExportSample, sha512: string): ManifestRow {
  return {
    sample_id: s.sampleId,
    acquisition_id: s.acquisitionId,
    session_id: s.sessionId,
    session_name: s.sessionName,
    split: s.split,
    receiver_id: s.receiver.id,
    receiver_name: s.receiver.name,
    receiver_lat: s.receiver.lat,
    receiver_lon: s.receiver.lon,
    receiver_alt: s.receiver.alt,
    freq_hz: s.freqHz,
    sample_rate: s.sampleRate,
    datatype: s.datatype,
    start_utc: exportDatetime(s.startUtc),
    // A decimal string: Unix ns do not fit a double.
    gps_unix_ns: s.gpsUnixNs,
    sample_count: s.sampleCount,
    duration_s: s.sampleCount / s.sampleRate,
    snr_db: s.metrics.snrDb,
    signal_power_db: s.metrics.signalPowerDb,
    noise_power_db: s.metrics.noisePowerDb,
    freq_offset_hz: s.metrics.freqOffsetHz,
    label: s.label,
    approval: s.approval,
    source_lat: s.source?.lat ?? null,
    source_lon: s.source?.lon ?? null,
    sigmf_file: `${s.sampleId}.sigmf`,
    sha512,
    segment_id: s.segmentId,
    capture_id: s.captureId,
    ...tdoaManifestValues(s),
  };
}


function jsonValue(v: string | number | null): string | number | null {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

export async function exportManifest(plan: ExportPlan, outDir: string, opts?: ExportOptions): Promise<ExportResult> {
  checkPlan(plan);
  const samples = [...plan.samples].sort(compareSamples);
  const totalBytes = samples.reduce((n, s) => n + (isSha512Cached(s, opts) ? 0 : sampleByteRange(s).length), 0);
  return runAtomicExport('manifest', outDir, opts, { samples: samples.length, bytes: totalBytes }, async (dir, progress) => {
    const csv = await dir.createFile('manifest.csv');
    const jsonl = await dir.createFile('manifest.jsonl');
    try {
      await csv.write(Buffer.from(`${csvLine([...MANIFEST_COLUMNS])}\r\n`, 'utf8'));
      for (const s of samples) {
        const row = manifestRow(s, await sampleSha512(s, progress, opts));
        await csv.write(Buffer.from(`${csvLine(MANIFEST_COLUMNS.map((c) => row[c]))}\r\n`, 'utf8'));
        const obj = Object.fromEntries(MANIFEST_COLUMNS.map((c) => [c, jsonValue(row[c])]));
        await jsonl.write(Buffer.from(`${JSON.stringify(obj)}\n`, 'utf8'));
        progress.sampleDone();
      }
      await csv.close();
      await jsonl.close();
    } catch (e) {
      await Promise.all([csv.discard(), jsonl.discard()]);
      throw e;
    }
    return samples.length;
  });
}
