/**
 * A throwaway S3 server for tests and benches: HEIMDALL_TEST_S3_ENDPOINT (+ _ACCESS_KEY, _SECRET_KEY)
 * when set, otherwise s3rver in this process on a free port with a temp directory. stop()/start()
 * keep the objects (to simulate the object store going down).
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'minio';

interface S3rverLike {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: http.Server;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverLike;

export interface TestS3 {
  endpoint: string;
  port: number;
  useTLS: boolean;
  accessKey: string;
  secretKey: string;
  embedded: boolean;
  client: Client;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  /** Every object under a prefix (key, size, etag). */
  list(bucket: string, prefix?: string): Promise<{ name: string; size: number; etag: string }[]>;
  getBytes(bucket: string, key: string): Promise<Buffer>;
}

function helpers(freshClient: () => Client) {
  // A stale keep-alive socket (server restarted) makes minio's list stream throw outside any
  // handler, so the inspection helpers use fresh connections.
  return {
    async list(bucket: string, prefix = ''): Promise<{ name: string; size: number; etag: string }[]> {
      const client = freshClient();
      if (!(await client.bucketExists(bucket))) return [];
      const out: { name: string; size: number; etag: string }[] = [];
      // V1 listing (marker based): s3rver's V2 continuation token uses a cipher OpenSSL 3 refuses beyond 1000 keys.
      const stream = client.listObjects(bucket, prefix, true);
      for await (const o of stream as AsyncIterable<{ name?: string; size?: number; etag?: string }>) {
        if (o.name) out.push({ name: o.name, size: o.size ?? 0, etag: (o.etag ?? '').replace(/"/g, '') });
      }
      return out;
    },
    async getBytes(bucket: string, key: string): Promise<Buffer> {
      const client = freshClient();
      const s = await client.getObject(bucket, key);
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

export async function startTestS3(): Promise<TestS3> {
  const env = process.env;
  if (env.HEIMDALL_TEST_S3_ENDPOINT) {
    const u = new URL(env.HEIMDALL_TEST_S3_ENDPOINT.includes('://') ? env.HEIMDALL_TEST_S3_ENDPOINT : `http://${env.HEIMDALL_TEST_S3_ENDPOINT}`);
    const useTLS = u.protocol === 'https:';
    const port = Number(u.port || (useTLS ? 443 : 80));
    const accessKey = env.HEIMDALL_TEST_S3_ACCESS_KEY ?? '';
    const secretKey = env.HEIMDALL_TEST_S3_SECRET_KEY ?? '';
    const fresh = () => new Client({ endPoint: u.hostname, port, useSSL: useTLS, accessKey, secretKey, transportAgent: useTLS ? undefined : new http.Agent({ keepAlive: false }) });
    const client = new Client({ endPoint: u.hostname, port, useSSL: useTLS, accessKey, secretKey });
    return {
      endpoint: u.hostname,
      port,
      useTLS,
      accessKey,
      secretKey,
      embedded: false,
      client,
      stop: () => Promise.reject(new Error('HEIMDALL_TEST_S3_ENDPOINT is an external server: the test cannot stop it')),
      start: () => Promise.resolve(),
      dispose: () => Promise.resolve(),
      ...helpers(fresh),
    };
  }
  // s3rver ships no types; it is loaded through require and used through the small interface above.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-s3-'));
  const accessKey = 'S3RVER';
  const secretKey = 'S3RVER';
  const make = (port: number) => new S3rver({ port, address: '127.0.0.1', directory: dir, silent: !process.env.HEIMDALL_TEST_S3_VERBOSE, resetOnClose: false });
  let server: S3rverLike | null = null;
  let port = 0;
  let lastErr: unknown = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      server = make(port);
      const info = await server.run();
      port = info.port;
      lastErr = null;
      break;
    } catch (e) {
      lastErr = e;
      port = 0;
    }
  }
  if (!server || lastErr) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`s3rver could not start (${lastErr instanceof Error ? lastErr.message : String(lastErr)}). Set HEIMDALL_TEST_S3_ENDPOINT, _ACCESS_KEY and _SECRET_KEY to use an existing S3 server instead.`);
  }
  const client = new Client({ endPoint: '127.0.0.1', port, useSSL: false, accessKey, secretKey });
  const fresh = () => new Client({ endPoint: '127.0.0.1', port: fixedPort, useSSL: false, accessKey, secretKey, transportAgent: new http.Agent({ keepAlive: false }) });
  let running = true;
  const fixedPort = port;
  return {
    endpoint: '127.0.0.1',
    port,
    useTLS: false,
    accessKey,
    secretKey,
    embedded: true,
    client,
    async stop() {
      if (!running || !server) return;
      // Down hard, like a crashed server: in-flight requests are cut, not awaited.
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      running = false;
    },
    async start() {
      if (running) return;
      // Same port, so clients configured for it reconnect; retried briefly while the OS frees it.
      for (let i = 0; ; i++) {
        try {
          server = make(fixedPort);
          await server.run();
          break;
        } catch (e) {
          if (i >= 20) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      running = true;
    },
    async dispose() {
      if (running && server) {
        const closing = server.close().catch(() => undefined);
        server.httpServer?.closeAllConnections();
        await closing;
      }
      running = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
    ...helpers(fresh),
  };
}
