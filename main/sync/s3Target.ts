import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'minio';
import { z } from 'zod';
import { type ConnectionCheck, type S3Settings } from '../../shared/domain/syncSettings';
import { describeS3Error, LocalSyncError } from './syncErrors';

export interface S3ObjectToPut {
  bucket: string;
  key: string;
  /** Either a local file (streamed) or bytes in memory (small objects such as .sigmf-meta). */
  file?: string;
  bytes?: Buffer;
  size: number;
  /** Known for small in-memory objects; for files it is computed while reading them for the PUT. */
  md5?: string | null;
  sha256: string;
  metadata: Record<string, string>;
}

/** What minio's statObject gives back, checked (it is a network reply). */
const statSchema = z.object({
  size: z.number(),
  etag: z.string().optional().default(''),
  metaData: z.record(z.string(), z.unknown()).optional().default({}),
});

const SHA_META = 'heimdall-sha256';

const damaged = (o: S3ObjectToPut, why: string) =>
  new LocalSyncError(`The local sample file for ${o.key} is damaged (${why}), so it was not uploaded. Check the disk; the capture's rows stay local.`);

export function s3Where(s: S3Settings): string {
  return `${s.useTLS ? 'https' : 'http'}://${s.endpoint}${s.port ? `:${s.port}` : ''}`;
}

/**
 * Uploads with verification. Single PUT (object <= threshold): the returned ETag must equal the MD5
 * of the local bytes. Multipart: the object is re-read with statObject and its size and the sha256
 * we stored in its user metadata must match. An object already there with the same size and hash
 * is not uploaded again (a resumed sync after a crash).
 */
export function createS3Target(settings: S3Settings, secretKey: string) {
  const client = new Client({
    endPoint: settings.endpoint,
    port: settings.port ?? undefined,
    useSSL: settings.useTLS,
    accessKey: settings.accessKey,
    secretKey,
    region: settings.region,
    partSize: settings.multipartThresholdBytes,
  });
  const where = s3Where(settings);
  const bucketsReady = new Set<string>();

  async function stat(bucket: string, key: string): Promise<z.infer<typeof statSchema> | null> {
    try {
      return statSchema.parse(await client.statObject(bucket, key));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'NotFound' || code === 'NoSuchKey') return null;
      throw e;
    }
  }

  const matches = (s: z.infer<typeof statSchema>, o: S3ObjectToPut) =>
    s.size === o.size && (s.metaData[SHA_META] === o.sha256 || (!!o.md5 && s.etag.replace(/"/g, '') === o.md5));

  /**
   * Our own multipart loop (minio's putObject resumes by listing uploads, which re-sends parts and
   * which some servers do not implement): parts read from the file one at a time, each part's
   * ETag checked against its MD5, the upload aborted on any error so no half object is left.
   */
  async function multipartPut(o: S3ObjectToPut, meta: Record<string, string>): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta)) headers[k === 'Content-Type' ? k : `x-amz-meta-${k}`] = v;
    const partSize = Math.max(5 * 1024 * 1024, Math.min(settings.multipartThresholdBytes, 64 * 1024 * 1024), Math.ceil(o.size / 10_000));
    const uploadId = await client.initiateNewMultipartUpload(o.bucket, o.key, headers);
    const fh = await fs.promises.open(o.file!, 'r');
    const whole = createHash('sha256');
    try {
      const etags: { part: number; etag: string }[] = [];
      const buf = Buffer.allocUnsafe(partSize);
      for (let offset = 0, part = 1; offset < o.size; part++) {
        const len = Math.min(partSize, o.size - offset);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (bytesRead !== len) throw new LocalSyncError(`The local sample file for ${o.key} is shorter than recorded at capture: it is damaged, so it was not uploaded.`);
        const chunk = buf.subarray(0, len);
        whole.update(chunk);
        const md5 = createHash('md5').update(chunk).digest();
        const r = await client.uploadPart({ bucketName: o.bucket, objectName: o.key, uploadID: uploadId, partNumber: part, headers: { 'Content-Length': len, 'Content-MD5': md5.toString('base64') } }, chunk);
        if (r.etag.replace(/"/g, '') !== md5.toString('hex')) throw new Error(`part ${part} of ${o.key} came back with ETag ${r.etag}, not its MD5`);
        etags.push({ part, etag: r.etag });
        offset += len;
      }
      if (whole.digest('hex') !== o.sha256) throw new LocalSyncError(`The local sample file for ${o.key} no longer matches the hash recorded at capture: it is damaged, so it was not uploaded.`);
      await client.completeMultipartUpload(o.bucket, o.key, uploadId, etags);
    } catch (e) {
      await client.abortMultipartUpload(o.bucket, o.key, uploadId).catch(() => undefined);
      throw e;
    } finally {
      await fh.close();
    }
  }

  /** One PUT whose integrity headers are the capture's hashes (minio's putObject would hash the body twice more). */
  async function verifiedPut(o: S3ObjectToPut, body: Buffer, md5: string, meta: Record<string, string>): Promise<string> {
    const headers: Record<string, string | number> = { 'Content-Length': body.byteLength, 'Content-MD5': Buffer.from(md5, 'hex').toString('base64') };
    for (const [k, v] of Object.entries(meta)) headers[k === 'Content-Type' ? k : `x-amz-meta-${k}`] = v;
    const res = await client.makeRequestStreamAsync({ method: 'PUT', bucketName: o.bucket, objectName: o.key, headers }, body, settings.useTLS ? '' : o.sha256, [200], '');
    res.resume();
    await new Promise<void>((resolve, reject) => res.once('end', resolve).once('error', reject));
    return String(res.headers.etag ?? '').replace(/"/g, '');
  }

  return {
    where,
    client,
    async ensureBucket(bucket: string): Promise<void> {
      if (bucketsReady.has(bucket)) return;
      if (!(await client.bucketExists(bucket))) {
        if (!settings.createBuckets) throw Object.assign(new Error(`bucket ${bucket} missing`), { code: 'NoSuchBucket' });
        try {
          await client.makeBucket(bucket, settings.region);
        } catch (e) {
          // Another station created it in the meantime.
          const code = (e as { code?: unknown }).code;
          if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw e;
        }
      }
      bucketsReady.add(bucket);
    },
    /** sent: false when an identical object was already there; md5 of the bytes when it was computed. */
    async put(o: S3ObjectToPut): Promise<{ sent: boolean; md5: string | null }> {
      const existing = await stat(o.bucket, o.key);
      if (existing && matches(existing, o)) return { sent: false, md5: null };
      const meta = { ...o.metadata, [SHA_META]: o.sha256, 'Content-Type': 'application/octet-stream' };
      if (o.size > settings.multipartThresholdBytes && o.file) {
        await multipartPut(o, meta);
        const s = await stat(o.bucket, o.key);
        if (!s || s.size !== o.size || s.metaData[SHA_META] !== o.sha256) throw new Error(`the uploaded object ${o.key} does not match the local file after a multipart upload (size ${s?.size ?? 'missing'}, expected ${o.size})`);
        return { sent: true, md5: null };
      }
      const body = o.bytes ?? (await fs.promises.readFile(o.file!));
      if (body.byteLength !== o.size) throw damaged(o, `it holds ${body.byteLength} bytes, not the ${o.size} recorded at capture`);
      // Hashed as it was written (a capture's MD5 and sha256): the server checks the bytes against
      // them (Content-MD5, and the signed payload hash over plain HTTP), so nothing is hashed again
      // here. A capture stored before its MD5 was kept at capture is hashed now, once.
      let md5 = o.md5;
      if (!md5) {
        const h = { md5: createHash('md5'), sha256: createHash('sha256') };
        md5 = h.md5.update(body).digest('hex');
        if (h.sha256.update(body).digest('hex') !== o.sha256) throw damaged(o, 'its bytes no longer match the sha256 recorded at capture');
      }
      let etag: string;
      try {
        etag = await verifiedPut(o, body, md5, meta);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 'BadDigest' || code === 'XAmzContentSHA256Mismatch' || code === 'InvalidDigest') throw damaged(o, 'the object store found its bytes differ from the hashes recorded at capture');
        throw e;
      }
      if (etag !== md5) {
        // A server that encrypts answers another ETag (it checked Content-MD5); one that ignores
        // Content-MD5 may have stored other bytes than were captured: only the file can tell.
        if (createHash('md5').update(body).digest('hex') !== md5) {
          await client.removeObject(o.bucket, o.key).catch(() => undefined);
          throw damaged(o, 'its bytes no longer match the MD5 recorded at capture');
        }
      }
      return { sent: true, md5 };
    },
    describe: (e: unknown, bucket: string) => describeS3Error(e, where, bucket),
    async testConnection(bucket: string): Promise<ConnectionCheck> {
      if (!settings.endpoint) return { ok: false, message: 'No object store endpoint is set: enter the MinIO/S3 host in the central store settings (Sync page, or `heimdall-station sync configure`).' };
      try {
        // HEAD requests carry no error body, so bad credentials would look like a missing bucket:
        // a listing proves the keys first (AccessDenied here still means the keys are valid).
        await client.listBuckets().catch((e: unknown) => {
          if ((e as { code?: unknown }).code !== 'AccessDenied') throw e;
        });
        const exists = await client.bucketExists(bucket);
        if (!exists) {
          return settings.createBuckets
            ? { ok: true, message: `Connected to ${where}; bucket ${bucket} is missing and will be created at the first upload.` }
            : { ok: false, message: `Connected to ${where}, but bucket ${bucket} is missing: create it, or enable "create buckets" in the central store settings (Sync page, or \`heimdall-station sync configure\`).` };
        }
        return { ok: true, message: `Connected to ${where}; bucket ${bucket} is there.` };
      } catch (e) {
        return { ok: false, message: describeS3Error(e, where, bucket).message };
      }
    },
  };
}
export type S3Target = ReturnType<typeof createS3Target>;
