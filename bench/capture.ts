/**
 * bench:capture: N simulated KiwiSDRs streaming IQ + waterfall through the real capture path (links in
 * worker threads writing each sample once into the store's reserved captures, DSP windows in the pool,
 * measurements committed as they arrive, captures committed at the end) for BENCH_SECONDS (default
 * 30). The simulators run in a child process in replay mode (frames synthesized once), so they are
 * not the limit. Printed per N (BENCH_RECEIVERS, default 1,64,256):
 * - IQ frames written against frames asked for, and frames lost (by the receivers' sequence numbers);
 * - W/F rows that reached the main thread against the rows the receivers sent (by their row numbers);
 * - main-thread event-loop delay p99 while recording: how late a 10 ms timer fires (Node's histogram
 *   holds the whole timer interval, so the interval is taken off; an idle loop in this process, measured
 *   first, is the reference);
 * - CPU per stream in the steady state (from 1 s after the common start to 1 s before the end), and
 *   where it goes: main thread, capture workers, DSP workers, helper threads (libuv's pool: fsync and
 *   file I/O; V8's: GC), from /proc/self/task; the time the main thread spends committing the captures.
 * With KIWIRECORDER=/path/to/kiwirecorder.py, the CPU of kiwirecorder recording IQ from one simulated
 * receiver (its steady state from /proc, and its whole run with Python's start-up) against 16 of our
 * receivers recording IQ only, with and without the DSP measurements, and beside them Node's own
 * floor for the same streams (bytes received on plain sockets and dropped; the capture hashes) and a
 * bare reader that records them with nothing else (bench/lib/bareKiwiReader.mjs).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCapture } from '../main/capture/captureEngine';
import { reserveRecordings } from '../main/sessions/reservedRecordings';
import { createCaptureStore } from '../main/store/captureStore';
import { openDatabase } from '../main/store/database';
import { createDspPool } from '../main/dsp/pool';
import { silentLogger } from '../main/base/log';
import { captureHashCost, nodeReceiveFloor } from './lib/nodeReceiveFloor';
import { report } from './lib/report';
import { tempDirSync } from './lib/tempDir';
import { processCpuSeconds, runQueueWaitSeconds, threadDelta, threadTimes } from './lib/threadCpu';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const sizes = (process.env.BENCH_RECEIVERS ?? '1,64,256').split(',').map(Number);
const RATE = 12001.135;
const ELD_RESOLUTION_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startSims(n: number, dir: string): Promise<{ urls: string[]; pid: number; stop(): Promise<void> }> {
  const scene = {
    name: `bench ${n}`,
    transmitters: [{ id: 'tx', name: 'beacon', freqHz: 7_101_000, lat: 45.07, lon: 7.69, powerDbm: 10, modulation: 'cw', schedule: { periodSec: 4, onSec: 2 } }],
    receivers: Array.from({ length: n }, (_, i) => ({ id: `k${i}`, name: `Kiwi ${i}`, kind: 'kiwisdr', lat: 44 + (i % 8) * 0.2, lon: 7 + Math.floor(i / 8) * 0.2 })),
  };
  const file = path.join(dir, 'scene.json');
  fs.writeFileSync(file, JSON.stringify(scene));
  const child = spawn(process.execPath, ['bin/heimdall-station.mjs', 'sim', '--scene', file, '--replay', '10'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl+C')) resolve();
    });
    child.once('exit', () => reject(new Error(out)));
  });
  const urls = [...out.matchAll(/^kiwisdr\s+\S+\s+(http:\/\/\S+)/gm)].map((m) => m[1]!);
  return { urls, pid: child.pid!, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

/** How late a 10 ms timer fires on an idle event loop in this process (ms, p99): the floor of the figure. */
async function idleLateness(): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  h.enable();
  await sleep(3000);
  h.disable();
  return Math.max(0, h.percentile(99) / 1e6 - ELD_RESOLUTION_MS);
}

interface RunOptions {
  spectrum: boolean;
  dsp: boolean;
}

interface Result {
  n: number;
  offered: number;
  written: number;
  lost: number;
  rowsOffered: number;
  rowsDelivered: number;
  measured: number;
  windows: number;
  p99: number;
  /** ms per second the main thread was runnable but waited for a CPU (other threads and processes had them). */
  mainWaitMsPerSec: number | null;
  /** CPU seconds per second per stream, steady state: whole process and by thread group. */
  cpu: { total: number; main: number; capture: number; dsp: number; helpers: number };
  simCpu: number | null;
  commitMs: number;
  /** The machine's 1-minute load average at the end of the recording (other work on the same cores). */
  load: number;
  /** The longest the main thread's event loop was held while committing. */
  commitStallMs: number;
  complete: number;
}

const newThreads = (before: Set<number>) => new Set([...threadTimes().keys()].filter((t) => !before.has(t)));

async function run(n: number, opts: RunOptions): Promise<Result> {
  const tmp = tempDirSync('heimdall-bench-capture-');
  const sims = await startSims(n, tmp.dir);
  const receivers = sims.urls.map((url, i) => ({ receiverId: `k${i}`, name: `Kiwi ${i}`, kind: 'kiwisdr' as const, url, lat: null, lon: null, alt: null }));
  // Thread groups: what exists now (main, V8's helpers, libuv's pool once used), then the DSP pool's
  // workers, then the capture workers (each with the loader thread tsx gives it).
  await fs.promises.stat(tmp.dir);
  const baseline = new Set(threadTimes().keys());
  const pool = opts.dsp ? createDspPool() : null;
  await sleep(200);
  const dspThreads = newThreads(baseline);
  let measured = 0;
  const opened = openDatabase(path.join(tmp.dir, 'station'), silentLogger);
  const store = createCaptureStore({ db: opened.db, dataDir: path.join(tmp.dir, 'station'), log: silentLogger, diskMarginBytes: () => 0 });
  const rec = reserveRecordings(store, receivers, { freqHz: 7_100_000, mode: 'iq', sessionId: null, durationSec: seconds });
  const job = startCapture(
    {
      receivers: rec.receivers,
      freqHz: 7_100_000,
      mode: 'iq',
      identUser: 'heimdall-station bench',
      durationSec: seconds,
      outDir: null,
      alignLeadMs: 3000 + n * 10,
      wantSpectrum: opts.spectrum,
      ...(pool ? { dsp: { pool } } : {}),
    },
    silentLogger,
  );
  job.events.on('measurement', (m) => {
    measured++;
    rec.measured(m);
  });
  let rowsDelivered = 0;
  job.events.on('message', (m) => {
    if (m.t !== 'rows') return;
    // Rows from the common start on, as the workers count the rows offered.
    for (const t of m.times) if (t >= job.startAtMs) rowsDelivered++;
  });
  const startAt = await job.started;
  const captureThreads = newThreads(new Set([...baseline, ...dspThreads]));
  const h = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  await sleep(Math.max(0, startAt - Date.now()));
  h.enable();
  // The steady state: after the first second, before the last one (the workers end with the recording).
  await sleep(1000);
  const a = { cpu: process.cpuUsage(), threads: threadTimes(), sim: processCpuSeconds(sims.pid), wait: runQueueWaitSeconds(), t: performance.now() };
  await sleep((seconds - 2) * 1000);
  const b = { cpu: process.cpuUsage(a.cpu), threads: threadTimes(), sim: processCpuSeconds(sims.pid), wait: runQueueWaitSeconds(), t: performance.now(), load: os.loadavg()[0]! };
  const summaries = await job.done;
  h.disable();
  const hc = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  hc.enable();
  const c0 = performance.now();
  const committed = await rec.commitAll(summaries);
  const failedCommits = committed.filter((c) => c instanceof Error);
  if (failedCommits.length) throw new Error(`${failedCommits.length} capture(s) could not be committed: ${(failedCommits[0] as Error).message}`);
  const commitMs = performance.now() - c0;
  hc.disable();
  const commitStallMs = Math.max(0, hc.max / 1e6 - ELD_RESOLUTION_MS);
  opened.close();
  await pool?.close();
  await sims.stop();
  tmp.cleanup();

  const span = (b.t - a.t) / 1000;
  const perStream = (s: number) => s / span / n;
  const groups = { main: 0, capture: 0, dsp: 0, helpers: 0 };
  for (const d of threadDelta(a.threads, b.threads)) {
    const g = d.tid === process.pid ? 'main' : captureThreads.has(d.tid) ? 'capture' : dspThreads.has(d.tid) ? 'dsp' : 'helpers';
    groups[g] += d.seconds;
  }
  // Frames' worth of samples: each receiver is asked for exactly round(seconds x rate) samples.
  const offered = summaries.reduce((x, s) => x + (s.targetSamples ?? Math.round(seconds * RATE)) / 512, 0);
  const written = summaries.reduce((x, s) => x + s.samples / 512, 0);
  return {
    n,
    offered: Math.round(offered),
    written: Math.round(written),
    lost: summaries.reduce((x, s) => x + s.framesLost, 0),
    rowsOffered: summaries.reduce((x, s) => x + s.spectrumRowsOffered, 0),
    rowsDelivered,
    measured,
    windows: summaries.reduce((x, s) => x + Math.floor(s.samples / Math.round(s.sampleRate ?? RATE)), 0),
    p99: Math.max(0, h.percentile(99) / 1e6 - ELD_RESOLUTION_MS),
    mainWaitMsPerSec: a.wait !== null && b.wait !== null ? ((b.wait - a.wait) * 1000) / span : null,
    cpu: { total: perStream((b.cpu.user + b.cpu.system) / 1e6), main: perStream(groups.main), capture: perStream(groups.capture), dsp: perStream(groups.dsp), helpers: perStream(groups.helpers) },
    simCpu: a.sim !== null && b.sim !== null ? (b.sim - a.sim) / span : null,
    commitMs,
    commitStallMs,
    load: b.load,
    complete: summaries.filter((s) => s.status === 'complete').length,
  };
}

/**
 * kiwirecorder (KIWIRECORDER=/path/to/kiwirecorder.py) recording IQ from one simulated receiver:
 * CPU % of a core over its whole run (Python's start-up included) and in its steady state (from
 * /proc, sampled every 500 ms, from 3 s after its start to its last sample).
 */
async function kiwirecorderCpu(url: string, dir: string): Promise<{ whole: number; steady: number } | null> {
  const script = process.env.KIWIRECORDER;
  if (!script || !fs.existsSync(script)) return null;
  const u = new URL(url);
  const t0 = performance.now();
  const child = spawn('python3', [script, '-s', u.hostname, '-p', u.port, '-f', '7100', '-m', 'iq', '--tlimit', String(seconds), '-d', dir, '--user=bench', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const samples: { t: number; cpu: number }[] = [];
  const timer = setInterval(() => {
    const cpu = processCpuSeconds(child.pid!);
    if (cpu !== null) samples.push({ t: performance.now(), cpu });
  }, 500);
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const steady = samples.filter((s) => s.t - t0 >= 3000);
  const first = steady[0];
  const last = steady.at(-1);
  if (!first || !last || last.t - first.t < 5000) return null;
  const whole = samples.at(-1)!.cpu / ((samples.at(-1)!.t - t0) / 1000);
  return { whole: whole * 100, steady: ((last.cpu - first.cpu) / ((last.t - first.t) / 1000)) * 100 };
}

/** bench/lib/bareKiwiReader.mjs on n simulated receivers: the least Node can spend recording them. */
async function bareReader(n: number): Promise<{ perStream: number; framesPerSec: number } | null> {
  const tmp = tempDirSync('heimdall-bench-bare-');
  const sims = await startSims(n, tmp.dir);
  try {
    const child = spawn(process.execPath, [path.join(root, 'bench/lib/bareKiwiReader.mjs'), sims.urls.join(','), String(Math.min(seconds, 20)), tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    return code === 0 ? (JSON.parse(out) as { perStream: number; framesPerSec: number }) : null;
  } finally {
    await sims.stop();
    tmp.cleanup();
  }
}

const idle = await idleLateness();
// Reference: kiwirecorder on the same kind of stream (IQ only), against a simulator of its own.
let reference: { kiwi: { whole: number; steady: number }; iqOnly: Result; iqDsp: Result; bare: { perStream: number; framesPerSec: number } | null } | null = null;
if (process.env.KIWIRECORDER) {
  const tmp = tempDirSync('heimdall-bench-kiwirecorder-');
  const sims = await startSims(1, tmp.dir);
  const kiwi = await kiwirecorderCpu(sims.urls[0]!, tmp.dir);
  await sims.stop();
  tmp.cleanup();
  if (kiwi) reference = { kiwi, iqOnly: await run(16, { spectrum: false, dsp: false }), iqDsp: await run(16, { spectrum: false, dsp: true }), bare: await bareReader(16) };
}

const results: Result[] = [];
for (const n of sizes) results.push(await run(n, { spectrum: true, dsp: true }));
const base = results.find((r) => r.n === 1) ?? results[0]!;
const pct = (x: number) => x * 100;
report({ name: 'offered data rate per receiver (IQ int16)', value: (RATE * 4) / 1024, unit: 'KiB/s', reference: null });
for (const r of results) {
  report({ name: `${r.n} receivers: IQ frames written`, value: r.written, unit: 'frames', reference: r.offered, note: `(reference: frames asked for; ${r.lost} lost; ${r.complete}/${r.n} complete)` });
  report({ name: `${r.n} receivers: W/F rows delivered to the main thread`, value: r.rowsDelivered, unit: 'rows', reference: r.rowsOffered, note: `(reference: rows the receivers sent, by their row numbers: ${(r.rowsOffered / r.n / seconds).toFixed(1)} rows/s per receiver of the 23 a KiwiSDR sends)` });
  report({ name: `${r.n} receivers: DSP measurements (1 s windows, in the pool)`, value: r.measured, unit: 'windows', reference: r.windows, note: '(reference: whole windows recorded)' });
  report({ name: `${r.n} receivers: main-thread event-loop delay p99 while recording`, value: r.p99, unit: 'ms', reference: idle, better: 'lower', note: `(reference: an idle loop in this process; target < 10 ms; the main thread waited for a CPU ${r.mainWaitMsPerSec === null ? 'n/a' : `${r.mainWaitMsPerSec.toFixed(1)} ms per second`}, load average ${r.load.toFixed(1)})` });
  report({ name: `${r.n} receivers: CPU per stream (IQ + W/F + DSP, steady state)`, value: pct(r.cpu.total), unit: '% of a core', reference: pct(base.cpu.total), better: 'lower', note: `(reference: 1 receiver; main ${pct(r.cpu.main).toPrecision(2)}, capture workers ${pct(r.cpu.capture).toPrecision(2)}, DSP workers ${pct(r.cpu.dsp).toPrecision(2)}, helper threads ${pct(r.cpu.helpers).toPrecision(2)}; the simulator: ${r.simCpu === null ? 'n/a' : `${pct(r.simCpu).toFixed(0)} % of a core`})` });
  report({ name: `${r.n} receivers: committing the captures at the end`, value: r.commitMs, unit: 'ms', reference: null, note: `(the event loop held ${r.commitStallMs.toFixed(0)} ms at most meanwhile)` });
}
if (reference) {
  const { kiwi, iqOnly, iqDsp, bare } = reference;
  report({ name: 'kiwirecorder CPU per IQ stream, whole run (Python start-up included)', value: kiwi.whole, unit: '% of a core', reference: null });
  report({ name: 'CPU per IQ stream, recording only (16 receivers, steady state)', value: pct(iqOnly.cpu.total), unit: '% of a core', reference: kiwi.steady, better: 'lower', note: `(reference: kiwirecorder's steady state, same stream; target ratio >= 20; main ${pct(iqOnly.cpu.main).toPrecision(2)}, capture workers ${pct(iqOnly.cpu.capture).toPrecision(2)}, helper threads ${pct(iqOnly.cpu.helpers).toPrecision(2)})` });
  report({ name: 'CPU per IQ stream, recording + DSP measurements (16 receivers, steady state)', value: pct(iqDsp.cpu.total), unit: '% of a core', reference: kiwi.steady, better: 'lower', note: `(reference: kiwirecorder's steady state; main ${pct(iqDsp.cpu.main).toPrecision(2)}, capture workers ${pct(iqDsp.cpu.capture).toPrecision(2)}, DSP workers ${pct(iqDsp.cpu.dsp).toPrecision(2)}, helper threads ${pct(iqDsp.cpu.helpers).toPrecision(2)})` });
  // Where the floor is: what Node pays to take in the same bytes and to hash them, before our code.
  const target = kiwi.steady / 20;
  const fps = RATE / 512;
  for (const mode of ['data', 'onread'] as const) {
    const f = await nodeReceiveFloor(16, fps, Math.min(seconds, 20), mode);
    report({ name: `Node's floor: 16 IQ streams' bytes received on plain sockets (${mode === 'data' ? "'data' events" : 'onread, one reused buffer'}) and discarded`, value: pct(f.perStream), unit: '% of a core per stream', reference: kiwi.steady, better: 'lower', note: `(reference: kiwirecorder's steady state; the target, 1/20 of it, is ${target.toPrecision(2)} %; ${(f.bytesPerSecPerStream / 1024).toFixed(1)} KiB/s per stream taken in)` });
  }
  report({ name: 'hashing one IQ stream at capture (sha256 + sha512 + MD5)', value: pct(captureHashCost(RATE * 4, fps)), unit: '% of a core per stream', reference: kiwi.steady, better: 'lower', note: `(reference: kiwirecorder's steady state; the target is ${target.toPrecision(2)} %)` });
  if (bare) report({ name: 'a bare Node reader recording 16 IQ streams (raw sockets, own WebSocket framing, 64 KiB writes, the 3 hashes)', value: pct(bare.perStream), unit: '% of a core per stream', reference: kiwi.steady, better: 'lower', note: `(reference: kiwirecorder's steady state; the target is ${target.toPrecision(2)} %; ${bare.framesPerSec.toFixed(1)} frames/s per stream; bench/lib/bareKiwiReader.mjs: what the capture path would cost with nothing but the recording itself)` });
} else {
  console.log('CPU per IQ stream vs kiwirecorder: skipped (set KIWIRECORDER=/path/to/kiwirecorder.py to compare)');
}
