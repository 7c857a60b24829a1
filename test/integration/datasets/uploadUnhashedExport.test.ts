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
import { type ExportPlan, type ExportSample } from '../../../main/datasets/exportModel';
import { silentLogger } from '../../../main/log';
import { fileSecretStore } from '../../../main/secrets/secretStore';
import { createCaptureStore } from '../../../main/store/captureStore';
import { openDatabase } from '../../../main/store/database';
import { createSyncService, type SyncService } from '../../../main/sync/syncService';
import { startTestS3, type TestS3 } from '../../helpers/s3';
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
  const samples: ExportSample[] = [0, 1, 2].map((r) => {
    const file = path.join(tmp.dir, `cap-${r}.sigmf-data`);
    fs.writeFileSync(file, Buffer.alloc(40_000, r + 1));
    return {
      sampleId: `acq0_rx${r}`,
      acquisitionId: 'acq0',
      sessionId: '00000000-0000-7000-8000-000000000001',
      sessionName: 'upload',
      segmentId: 'seg-0',
      captureId: `cap-${r}`,
      measurementIds: [],
      receiver: { id: `rx${r}`, name: `Receiver ${r}`, url: `http://rx${r}/`, lat: 45, lon: 7 + r / 10, alt: null },
      split: 'train',
      approval: 'approved',
      label: 'transmission',
      notes: null,
      source: null,
      freqHz: 7_100_000,
      mode: 'iq',
      sampleRate: 12_000,
      datatype: 'ci16_le',
      dataFile: file,
      fileSampleStart: 0,
      sampleCount: 10_000,
      startUtc: '2026-11-22T10:00:00.000000000Z',
      gpsUnixNs: null,
      annotations: [],
      metrics: { snrDb: null, signalPowerDb: null, noisePowerDb: null, freqOffsetHz: null },
    };
  });
  return { datasetId: '00000000-0000-7000-8000-0000000000bb', datasetName: 'unhashed', description: null, createdAt: '2026-11-22T10:00:00.000Z', seed: 1, ratios: { train: 0.7, val: 0.15, test: 0.15 }, stationName: 'test', samples };
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
