/**
 * An export made without file hashes (the default when it is not uploaded) can still be uploaded:
 * the uploader hashes each file as it sends it, and the bucket holds the same bytes under the
 * sha256 the upload signed with. Against a real S3 implementation (s3rver, or HEIMDALL_TEST_S3_*);
 * no PostgreSQL (the dataset is not registered without one).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDatasetExport } from '../../../main/datasets/datasetUpload';
import { exportSigmf } from '../../../main/datasets/exportSigmf';
import { type ExportPlan } from '../../../main/datasets/exportModel';
import { silentLogger } from '../../../main/base/log';
import { fileSecretStore } from '../../../main/secrets/secretStore';
import { createCaptureStore } from '../../../main/store/captureStore';
import { openDatabase } from '../../../main/store/database';
import { createSyncService, type SyncService } from '../../../main/sync/syncService';
import { startTestS3, type TestS3 } from '../../helpers/s3';
import { simpleExportPlan, simpleExportSample } from '../../fixtures/datasets/simplePlan';
import { tempDir } from '../../helpers/tempDir';

const tmp = tempDir();
let s3: TestS3;
let sync: SyncService;
let close: () => void;

beforeAll(async () => {
  s3 = await startTestS3();
  const dataDir = path.join(tmp.dir, 'station');
  const opened = openDatabase(dataDir, silentLogger);
  const store = createCaptureStore({ db: opened.db, dataDir, log: silentLogger, diskMarginBytes: () => 0 });
  sync = createSyncService({ db: opened.db, dataDir, secrets: fileSecretStore(path.join(dataDir, 'secrets.json')), log: silentLogger, captureStore: store });
  sync.settings.update({ s3: { endpoint: s3.endpoint, port: s3.port, useTLS: s3.useTLS, accessKey: s3.accessKey }, secretKey: s3.secretKey });
  close = () => opened.db.close();
}, 60_000);

afterAll(async () => {
  close?.();
  await s3?.dispose();
  tmp.cleanup();
});

function plan(): ExportPlan {
  const samples = [0, 1, 2].map((r) => {
    const file = path.join(tmp.dir, `cap-${r}.sigmf-data`);
    fs.writeFileSync(file, Buffer.alloc(40_000, r + 1));
    return simpleExportSample(0, r, file, 10_000);
  });
  return simpleExportPlan(samples, { datasetId: '00000000-0000-7000-8000-0000000000bb', datasetName: 'unhashed' });
}

describe('uploading an export made without file hashes', () => {
  it('hashes each file as it goes: every object in the bucket has the bytes and the sha256 of its file', async () => {
    const p = plan();
    const result = await exportSigmf(p, path.join(tmp.dir, 'export'));
    expect(result.files.length).toBe(4); // three archives and the collection
    expect(result.files.every((f) => f.sha256 === null)).toBe(true);
    const progress: number[] = [];
    const prefix = await uploadDatasetExport({ sync, log: silentLogger }, p, result, new AbortController().signal, (done) => progress.push(done));
    expect(progress).toEqual([1, 2, 3, 4]);
    const bucket = sync.resolvedSettings().settings.s3.datasetsBucket;
    const keyPrefix = prefix.replace(`s3://${bucket}/`, '');
    const objects = await s3.list(bucket, keyPrefix);
    expect(objects.map((o) => o.name.slice(keyPrefix.length)).sort()).toEqual(result.files.map((f) => f.path).sort());
    for (const f of result.files) {
      const local = fs.readFileSync(path.join(result.outDir, f.path));
      const key = `${keyPrefix}${f.path}`;
      expect((await s3.getBytes(bucket, key)).equals(local), key).toBe(true);
      const stat = await s3.client.statObject(bucket, key);
      expect(stat.metaData['heimdall-sha256'], key).toBe(createHash('sha256').update(local).digest('hex'));
    }
  }, 60_000);
});
