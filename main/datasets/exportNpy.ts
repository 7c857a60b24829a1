import { bytesPerSample } from '../../shared/domain/capture';
import { checkPlan, groupByAcquisition, hostIsLittleEndian, runAtomicExport, type ExportDir, type ExportProgressReporter } from './atomicExportDir';
import { type ExportOptions, type ExportPlan, type ExportResult, type ExportSample, type Split } from './exportModel';
import { ci16ToComplex64, ci16ToComplex64Into, npyBytes, npyHeader } from './npyFormat';
import { inParallel } from './inParallel';
import { readRangeReusing } from './rangeReader';
import { exportDatetime } from './exportSigmf';
import { tdoaJson } from './exportTdoa';

/**
 * The Heimdall training layout: `train/`, `val/`, `test/`, and per acquisition (one training example)
 * `{acquisitionId}_iq.npy` (complex64, shape (R, N): one row per receiver with IQ, ordered by receiver
 * name, N = the shortest of them), `{acquisitionId}_label.npy` (float64 [lat, lon] of the transmitter)
 * and `{acquisitionId}_meta.json`. `dataset.json` at the top lists what was written and what was left
 * out and why (audio-only receivers, acquisitions without a transmitter position, ...).
 * Rows are streamed chunk by chunk: memory stays small whatever the recording length.
 */

const SPLITS: readonly Split[] = ['train', 'val', 'test'];

interface SkippedSample {
  sample: ExportSample;
  reason: string;
}

interface NpyAcquisition {
  acquisitionId: string;
  split: Split;
  samples: ExportSample[];
  rows: ExportSample[];
  n: number;
  skipped: SkippedSample[];
  /** Why the whole acquisition was left out, or null when it is written. */
  skipReason: string | null;
}

const isComplex = (datatype: string) => datatype.startsWith('c');

function planAcquisition(acquisitionId: string, samples: ExportSample[]): NpyAcquisition {
  const first = samples[0]!;
  const skipped: SkippedSample[] = [];
  let rows: ExportSample[] = [];
  for (const s of samples) {
    if (isComplex(s.datatype)) rows.push(s);
    else skipped.push({ sample: s, reason: `real-valued datatype ${s.datatype} (audio without IQ); the IQ array needs complex samples` });
  }
  // One sample rate per array: keep the rate most receivers share (ties: the first receiver's).
  const byRate = new Map<number, ExportSample[]>();
  for (const s of rows) byRate.set(s.sampleRate, [...(byRate.get(s.sampleRate) ?? []), s]);
  if (byRate.size > 1) {
    const keep = [...byRate.values()].reduce((a, b) => (b.length > a.length ? b : a));
    const rate = keep[0]!.sampleRate;
    for (const s of rows) if (s.sampleRate !== rate) skipped.push({ sample: s, reason: `sample rate ${s.sampleRate} Hz differs from the acquisition's ${rate} Hz; resample it to include it` });
    rows = keep;
  }
  const source = samples.find((s) => s.source)?.source ?? null;
  let skipReason: string | null = null;
  if (!source) skipReason = 'no transmitter position: the session names no source, so there is no label';
  else if (rows.length === 0) skipReason = 'no receiver recorded complex (IQ) samples';
  const n = rows.length ? Math.min(...rows.map((s) => s.sampleCount)) : 0;
  if (!skipReason && n === 0) skipReason = 'the shortest IQ recording has no samples';
  return { acquisitionId, split: first.split, samples, rows, n, skipped, skipReason };
}

/** Interleaved complex samples of any SigMF complex datatype -> complex64 (float32 I, Q), integers scaled to +-1 full scale. */
export function complexToComplex64(bytes: Buffer, datatype: string): Float32Array {
  if (datatype === 'ci16_le' && hostIsLittleEndian && bytes.byteOffset % 2 === 0) {
    return ci16ToComplex64(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1));
  }
  const m = /^c(f|i|u)(8|16|32|64)(_le|_be)?$/.exec(datatype);
  if (!m) throw new Error(`${datatype} is not a complex SigMF datatype`);
  const kind = m[1]!;
  const bits = Number(m[2]);
  const le = m[3] !== '_be';
  const size = bits / 8;
  const count = Math.floor(bytes.byteLength / size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const full = 2 ** (bits - 1);
  const read: (off: number) => number =
    kind === 'f'
      ? bits === 64
        ? (o) => view.getFloat64(o, le)
        : (o) => view.getFloat32(o, le)
      : kind === 'i'
        ? bits === 8
          ? (o) => view.getInt8(o) / full
          : bits === 16
            ? (o) => view.getInt16(o, le) / full
            : (o) => view.getInt32(o, le) / full
        : bits === 8
          ? (o) => (view.getUint8(o) - full) / full
          : bits === 16
            ? (o) => (view.getUint16(o, le) - full) / full
            : (o) => (view.getUint32(o, le) - full) / full;
  for (let i = 0; i < count; i++) out[i] = read(i * size);
  return out;
}

function littleEndianBytes(f: Float32Array): Buffer {
  const b = Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  return hostIsLittleEndian ? b : Buffer.from(b).swap32();
}

function receiverEntry(s: ExportSample, row: number | null): Record<string, unknown> {
  return {
    ...(row === null ? {} : { row }),
    id: s.receiver.id,
    name: s.receiver.name,
    url: s.receiver.url,
    lat: s.receiver.lat,
    lon: s.receiver.lon,
    alt: s.receiver.alt,
    sample_id: s.sampleId,
    capture_id: s.captureId,
    segment_id: s.segmentId,
    datatype: s.datatype,
    sample_rate: s.sampleRate,
    freq_hz: s.freqHz,
    start_utc: exportDatetime(s.startUtc),
    gps_unix_ns: s.gpsUnixNs,
    file_sample_start: s.fileSampleStart,
    sample_count: s.sampleCount,
    approval: s.approval,
    metrics: { snr_db: s.metrics.snrDb, signal_power_db: s.metrics.signalPowerDb, noise_power_db: s.metrics.noisePowerDb, freq_offset_hz: s.metrics.freqOffsetHz },
  };
}

function skippedEntry(k: SkippedSample): Record<string, unknown> {
  return { sample_id: k.sample.sampleId, receiver_id: k.sample.receiver.id, receiver_name: k.sample.receiver.name, datatype: k.sample.datatype, reason: k.reason };
}

function earliest(values: (string | null)[], cmp: (a: string, b: string) => number): string | null {
  const v = values.filter((x): x is string => x !== null);
  return v.length ? v.reduce((a, b) => (cmp(b, a) < 0 ? b : a)) : null;
}

const compareNs = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const compareUtc = (a: string, b: string) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : a > b ? 1 : 0);

function acquisitionMeta(plan: ExportPlan, a: NpyAcquisition): Record<string, unknown> {
  const first = a.rows[0]!;
  const src = a.samples.find((s) => s.source)!.source!;
  return {
    acquisition_id: a.acquisitionId,
    dataset_id: plan.datasetId,
    session_id: first.sessionId,
    session_name: first.sessionName,
    split: a.split,
    iq_file: `${a.acquisitionId}_iq.npy`,
    label_file: `${a.acquisitionId}_label.npy`,
    dtype: 'complex64',
    scale: 'integer samples divided by 2^(bits-1): +-1.0 is the receiver ADC full scale',
    shape: [a.rows.length, a.n],
    sample_rate: first.sampleRate,
    freq_hz: first.freqHz,
    mode: first.mode,
    duration_s: a.n / first.sampleRate,
    start_utc: earliest(a.rows.map((s) => exportDatetime(s.startUtc)), compareUtc),
    gps_unix_ns: earliest(a.rows.map((s) => (s.gpsUnixNs && /^\d+$/.test(s.gpsUnixNs) ? s.gpsUnixNs : null)), compareNs),
    label: { lat: src.lat, lon: src.lon, alt: src.alt, error_margin_m: src.errorMarginM, source_id: src.id, source_name: src.name },
    // The TDoA fix of the acquisition (null when it was not located), next to the label it estimates.
    tdoa: first.tdoa ? tdoaJson(first.tdoa) : null,
    sample_ids: a.rows.map((s) => s.sampleId),
    receivers: a.rows.map((s, i) => receiverEntry(s, i)),
    skipped: a.skipped.map(skippedEntry),
  };
}

async function writeAcquisition(plan: ExportPlan, a: NpyAcquisition, dir: ExportDir, progress: ExportProgressReporter): Promise<void> {
  const base = `${a.split}/${a.acquisitionId}`;
  const iq = await dir.createFile(`${base}_iq.npy`);
  try {
    await iq.write(npyHeader('<c8', [a.rows.length, a.n]));
    // One pass, no buffer made per chunk, three stages overlapping: the next chunk is read while this
    // one is converted into one of two float32 buffers and the other buffer's chunk is written; the
    // file's hash (only for an upload) is taken off this thread.
    const floats = [new Float32Array(0), new Float32Array(0)];
    const writes: (Promise<void> | null)[] = [null, null];
    let k = 0;
    for (const s of a.rows) {
      const bps = bytesPerSample(s.datatype);
      const range = { file: s.dataFile, start: s.fileSampleStart * bps, length: a.n * bps };
      for await (const chunk of readRangeReusing(range, progress, { align: bps })) {
        const slot = k++ % 2;
        await writes[slot]; // its buffer is free again once its write is done
        if (s.datatype === 'ci16_le' && hostIsLittleEndian && chunk.byteOffset % 2 === 0) {
          if (floats[slot]!.length < chunk.byteLength >> 1) floats[slot] = new Float32Array(chunk.byteLength >> 1);
          const out = ci16ToComplex64Into(new Int16Array(chunk.buffer, chunk.byteOffset, chunk.byteLength >> 1), floats[slot]!);
          writes[slot] = iq.write(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
        } else writes[slot] = iq.write(littleEndianBytes(complexToComplex64(chunk, s.datatype)));
        writes[slot]!.catch(() => undefined); // awaited before the buffer is reused, or below
      }
      progress.sampleDone();
    }
    await Promise.all(writes);
    await iq.close();
  } catch (e) {
    await iq.discard();
    throw e;
  }
  const src = a.samples.find((s) => s.source)!.source!;
  await dir.writeFile(`${base}_label.npy`, npyBytes('<f8', [2], new Float64Array([src.lat, src.lon])));
  await dir.writeFile(`${base}_meta.json`, `${JSON.stringify(acquisitionMeta(plan, a), null, 2)}\n`);
  progress.sampleDone(a.skipped.length);
}

export async function exportNpy(plan: ExportPlan, outDir: string, opts?: ExportOptions): Promise<ExportResult> {
  checkPlan(plan);
  const acquisitions = groupByAcquisition(plan.samples).map((g) => planAcquisition(g.acquisitionId, g.samples));
  const totalBytes = acquisitions.filter((a) => !a.skipReason).reduce((n, a) => n + a.rows.reduce((m, s) => m + a.n * bytesPerSample(s.datatype), 0), 0);
  return runAtomicExport('npy', outDir, opts, { samples: plan.samples.length, bytes: totalBytes }, async (dir, progress) => {
    for (const split of SPLITS) await dir.mkdir(split);
    let written = 0;
    // Several acquisitions in flight: some are written while the others wait on their fsync.
    await inParallel(acquisitions, 4, async (a) => {
      if (a.skipReason) {
        progress.sampleDone(a.samples.length);
        return;
      }
      await writeAcquisition(plan, a, dir, progress);
      written += a.rows.length;
    });
    const summary = {
      format: 'heimdall-npy',
      dataset_id: plan.datasetId,
      dataset_name: plan.datasetName,
      description: plan.description,
      station: plan.stationName,
      created_at: plan.createdAt,
      seed: plan.seed,
      ratios: plan.ratios,
      layout: '{split}/{acquisition_id}_iq.npy complex64 (receivers, samples); _label.npy float64 [lat, lon]; _meta.json',
      acquisitions: acquisitions
        .filter((a) => !a.skipReason)
        .map((a) => ({ acquisition_id: a.acquisitionId, split: a.split, session_id: a.rows[0]!.sessionId, shape: [a.rows.length, a.n], sample_ids: a.rows.map((s) => s.sampleId) })),
      skipped_acquisitions: acquisitions
        .filter((a) => a.skipReason)
        .map((a) => ({ acquisition_id: a.acquisitionId, split: a.split, session_id: a.samples[0]!.sessionId, session_name: a.samples[0]!.sessionName, reason: a.skipReason, sample_ids: a.samples.map((s) => s.sampleId) })),
      skipped_samples: acquisitions.filter((a) => !a.skipReason).flatMap((a) => a.skipped.map((k) => ({ acquisition_id: a.acquisitionId, ...skippedEntry(k) }))),
    };
    await dir.writeFile('dataset.json', `${JSON.stringify(summary, null, 2)}\n`);
    return written;
  });
}
