/**
 * Hashes computed in worker threads while the exporting thread reads, converts and writes: an export
 * hashes every byte it writes (sha256 for its file list) and the samples it packs (sha512 for SigMF),
 * and on one thread those hashes cost more than the copy itself. Two workers (one per hash of a file
 * and its samples) take them; each chunk is copied to them once. Started on first use, shared by
 * every export in the process, never keeping it alive, and stopped after a while without work.
 */
import { Worker } from 'node:worker_threads';

/** Plain JavaScript (no TypeScript loader needed in the worker, in the sources or the bundle). */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.t === 'open') hashes.set(m.id, createHash(m.algorithm));
  else if (m.t === 'update') {
    hashes.get(m.id).update(new Uint8Array(m.bytes, 0, m.length));
    parentPort.postMessage({ t: 'hashed', bytes: m.bytes, length: m.length }, [m.bytes]);
  } else if (m.t === 'digest') {
    const h = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ t: 'digest', id: m.id, hex: h.digest('hex') });
  }
});
`;

const WORKERS = 2;
/** Bytes posted and not yet hashed, per worker, before update() makes the writer wait. */
const MAX_IN_FLIGHT = 32 << 20;
/**
 * Chunks travel in buffers of this size that go back and forth between the threads: a fresh buffer
 * per chunk costs its page faults again each time (more than the copy, on a virtual machine).
 */
const PIECE = 1 << 20;
const IDLE_MS = 30_000;

export interface OffThreadHash {
  /** Queues a copy of `chunk` (the caller may reuse it at once); resolves when the worker has room for more. */
  update(chunk: Uint8Array): Promise<void>;
  /** Hex digest of everything updated, once the worker has hashed it all. */
  digest(): Promise<string>;
}

interface Lane {
  worker: Worker;
  /** Buffers back from the worker, ready for the next chunk. */
  free: ArrayBuffer[];
  inFlight: number;
  waiting: (() => void)[];
  digests: Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>;
  open: number;
}

let lanes: Lane[] | null = null;
let nextId = 1;
/** Per algorithm, so the files in flight spread their costly hashes (sha512) over the workers. */
const nextLane = new Map<string, number>();
let idleTimer: NodeJS.Timeout | null = null;

function startLane(): Lane {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const lane: Lane = { worker, free: [], inFlight: 0, waiting: [], digests: new Map(), open: 0 };
  worker.on('message', (m: { t: 'hashed'; bytes: ArrayBuffer; length: number } | { t: 'digest'; id: number; hex: string }) => {
    if (m.t === 'hashed') {
      lane.inFlight -= m.length;
      if (lane.free.length < MAX_IN_FLIGHT / PIECE) lane.free.push(m.bytes);
      if (lane.inFlight <= MAX_IN_FLIGHT) for (const w of lane.waiting.splice(0)) w();
      return;
    }
    lane.digests.get(m.id)?.resolve(m.hex);
    lane.digests.delete(m.id);
    if (--lane.open === 0) armIdle();
  });
  const fail = (e: Error) => {
    for (const d of lane.digests.values()) d.reject(new Error(`the export's hashing thread stopped (${e.message}); export again`));
    lane.digests.clear();
    for (const w of lane.waiting.splice(0)) w();
    if (lanes?.includes(lane)) lanes = null;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return lane;
}

function armIdle(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (!lanes || lanes.some((l) => l.open > 0)) return;
    const old = lanes;
    lanes = null;
    for (const l of old) void l.worker.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/** A hash of `algorithm` computed off this thread (sha256, sha512, ...). */
export function offThreadHash(algorithm: string): OffThreadHash {
  lanes ??= Array.from({ length: WORKERS }, startLane);
  if (idleTimer) clearTimeout(idleTimer);
  const k = nextLane.get(algorithm) ?? 0;
  nextLane.set(algorithm, k + 1);
  const lane = lanes[k % lanes.length]!;
  const id = nextId++;
  lane.open++;
  lane.worker.postMessage({ t: 'open', id, algorithm });
  let finished: Promise<string> | null = null;
  return {
    update(chunk) {
      if (finished) return Promise.reject(new Error('update() after digest()'));
      // Copied now (the caller may reuse its chunk as soon as this returns) into buffers moved to the worker.
      for (let off = 0; off < chunk.byteLength; off += PIECE) {
        const length = Math.min(PIECE, chunk.byteLength - off);
        const bytes = lane.free.pop() ?? new ArrayBuffer(PIECE);
        new Uint8Array(bytes, 0, length).set(chunk.subarray(off, off + length));
        lane.inFlight += length;
        lane.worker.postMessage({ t: 'update', id, bytes, length }, [bytes]);
      }
      return lane.inFlight <= MAX_IN_FLIGHT ? Promise.resolve() : new Promise<void>((r) => lane.waiting.push(r));
    },
    digest() {
      finished ??= new Promise<string>((resolve, reject) => {
        lane.digests.set(id, { resolve, reject });
        lane.worker.postMessage({ t: 'digest', id });
      });
      return finished;
    },
  };
}
