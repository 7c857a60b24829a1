import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../shared/errors';
import { type Logger } from '../base/log';
import { stationSlug } from '../sync/objectKeys';
import { createPgTarget } from '../sync/pgTarget';
import { createS3Target } from '../sync/s3Target';
import { type SyncService } from '../sync/syncService';
import { type ExportPlan, type ExportResult } from './exportModel';

/** An export made without file hashes (ExportOptions.fileHashes) is hashed here, as it is uploaded. */
async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Puts a finished export into the heimdall-datasets bucket (each file checked against its hash,
 * identical objects skipped, so a repeated upload only sends what changed) and registers the
 * dataset in training_datasets / dataset_measurements. Returns the s3:// prefix.
 */
export async function uploadDatasetExport(
  deps: { sync: SyncService; log: Logger },
  plan: ExportPlan,
  result: ExportResult,
  signal: AbortSignal,
  progress: (done: number, total: number) => void,
): Promise<string> {
  const r = deps.sync.resolvedSettings();
  const s3 = createS3Target(r.settings.s3, r.s3SecretKey);
  const bucket = r.settings.s3.datasetsBucket;
  const prefix = `datasets/${stationSlug(plan.datasetName)}-${plan.datasetId.replace(/-/g, '').slice(-8)}/${result.format}`;
  try {
    await s3.ensureBucket(bucket);
    let done = 0;
    for (const f of result.files) {
      if (signal.aborted) throw new StationError('cancelled', 'The upload was cancelled; the local export is complete and can be uploaded again.');
      const file = path.join(result.outDir, f.path);
      await s3.put({
        bucket,
        key: `${prefix}/${f.path.split(path.sep).join('/')}`,
        file,
        size: f.bytes,
        sha256: f.sha256 ?? (await fileSha256(file)),
        metadata: { 'heimdall-dataset-id': plan.datasetId, 'heimdall-format': result.format },
      });
      progress(++done, result.files.length);
    }
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw new StationError('unavailable', `Uploading the dataset failed: ${s3.describe(e, bucket).message} The local export is complete; fix the connection and export with upload again.`);
  }
  if (r.settings.postgres.url) {
    const pg = createPgTarget(r.settings.postgres, r.pgPassword, deps.log);
    try {
      const freqs = plan.samples.map((s) => s.freqHz);
      await pg.registerDataset({
        id: plan.datasetId,
        name: plan.datasetName,
        description: plan.description,
        notes: `exported by ${plan.stationName} as ${result.format} to s3://${bucket}/${prefix}; seed ${plan.seed}, ratios ${plan.ratios.train}/${plan.ratios.val}/${plan.ratios.test}`,
        createdAt: plan.createdAt,
        freqMinHz: freqs.length ? Math.min(...freqs) : null,
        freqMaxHz: freqs.length ? Math.max(...freqs) : null,
        region: null,
        measurementIds: [...new Set(plan.samples.flatMap((s) => s.measurementIds))],
      });
    } catch (e) {
      throw new StationError('unavailable', `The files were uploaded, but registering the dataset in PostgreSQL failed: ${pg.describe(e).message} Export with upload again once the database is reachable.`);
    } finally {
      await pg.close();
    }
  }
  return `s3://${bucket}/${prefix}/`;
}
