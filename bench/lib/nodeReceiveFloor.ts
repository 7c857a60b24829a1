/**
 * What Node itself costs to take in N KiwiSDR IQ streams, before any of our code runs: a TCP server
 * in this process sends each connection one 2068-byte WebSocket frame (2048 bytes of IQ + SND header
 * + frame header) at the stream's frame rate, and a child Node process receives them on plain
 * sockets and throws the bytes away. Its CPU per stream, in its steady state, is the floor any
 * Node capture path stands on: `data` events (what every Node stream reader, `ws` included, pays) and
 * `onread` into one reused buffer (the cheapest reading Node offers).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';

const FRAME_BYTES = 2068;

/** The child: connects N sockets, waits 2 s for the steady state, measures its own CPU over `seconds`. */
const CHILD = `
const net = require('node:net');
const [port, n, seconds, mode] = process.argv.slice(1);
let bytes = 0;
for (let i = 0; i < Number(n); i++) {
  if (mode === 'onread') net.connect({ port: Number(port), onread: { buffer: Buffer.alloc(65536), callback: (k) => { bytes += k; } } });
  else net.connect({ port: Number(port) }).on('data', (b) => { bytes += b.length; });
}
setTimeout(() => {
  const c0 = process.cpuUsage(), t0 = Date.now(), b0 = bytes;
  setTimeout(() => {
    const c = process.cpuUsage(c0), dt = (Date.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ cpu: (c.user + c.system) / 1e6 / dt, bytesPerSec: (bytes - b0) / dt }));
    process.exit(0);
  }, Number(seconds) * 1000);
}, 2000);
`;

export interface ReceiveFloor {
  /** Fraction of a core per stream. */
  perStream: number;
  /** Bytes per second per stream the child actually took in (the offered rate, if it kept up). */
  bytesPerSecPerStream: number;
}

export async function nodeReceiveFloor(streams: number, framesPerSec: number, seconds: number, mode: 'data' | 'onread'): Promise<ReceiveFloor> {
  const frame = Buffer.alloc(FRAME_BYTES, 0x5a);
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    const t = setInterval(() => s.write(frame), 1000 / framesPerSec);
    timers.add(t);
    s.on('close', () => clearInterval(t));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const child = spawn(process.execPath, ['-e', CHILD, String(port), String(streams), String(seconds), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`the receive-floor child exited with ${code}`);
    const m = JSON.parse(out) as { cpu: number; bytesPerSec: number };
    return { perStream: m.cpu / streams, bytesPerSecPerStream: m.bytesPerSec / streams };
  } finally {
    for (const t of timers) clearInterval(t);
    server.close();
    server.unref();
  }
}

/** Fraction of a core per stream spent on the three hashes taken at capture (sha256, sha512, MD5) of `bytesPerSec`. */
export function captureHashCost(bytesPerSec: number, framesPerSec: number): number {
  const frame = Buffer.alloc(Math.round(bytesPerSec / framesPerSec), 0x5a);
  const streamSeconds = 2000;
  const hashes = (['sha256', 'sha512', 'md5'] as const).map((a) => createHash(a));
  const c0 = process.cpuUsage();
  for (let i = 0; i < framesPerSec * streamSeconds; i++) for (const h of hashes) h.update(frame);
  for (const h of hashes) h.digest();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / streamSeconds;
}
