/**
 * bench:capture: N simulated KiwiSDRs streaming IQ + waterfall through the real capture path (links in
 * worker threads writing each sample once into the store's reserved captures, DSP windows in the pool,
 * measurements committed as they arrive, captures committed at the end) for BENCH_SECONDS (default
 * 30). The simulators run in a child process in replay mode (frames synthesized once), so they are
 * not the limit; this process measures its main thread's event-loop delay and its own CPU (main +
 * workers). Printed per N: frames offered vs written, W/F rows delivered, event-loop p99, CPU per stream.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCapture } from '../main/capture/captureEngine';
import { reserveRecordings } from '../main/capture/reservedRecordings';
import { createCaptureStore } from '../main/store/captureStore';
import { openDatabase } from '../main/store/database';
import { createDspPool } from '../main/dsp/pool';
import { silentLogger } from '../main/log';
import { report } from './lib/report';
import { tempDirSync } from './lib/tempDir';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const sizes = (process.env.BENCH_RECEIVERS ?? '1,64,256').split(',').map(Number);
const RATE = 12001.135;

async function startSims(n: number, dir: string): Promise<{ urls: string[]; stop(): Promise<void> }> {
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
  return { urls, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

interface Result {
  n: number;
  offered: number;
  written: number;
  lost: number;
  rowsPerSec: number;
  measured: number;
  p99: number;
  cpuPerStream: number;
  complete: number;
}

/** kiwirecorder (KIWIRECORDER=/path/to/kiwirecorder.py) recording IQ from one simulated receiver: its CPU % of a core. */
async function kiwirecorderCpu(url: string, dir: string): Promise<number | null> {
  const script = process.env.KIWIRECORDER;
  if (!script || !fs.existsSync(script) || !fs.existsSync('/usr/bin/time')) return null;
  const u = new URL(url);
  const args = ['-f', '%U %S', 'python3', script, '-s', u.hostname, '-p', u.port, '-f', '7100', '-m', 'iq', '--tlimit', String(seconds), '-d', dir, '--user=bench', '-q'];
  const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise((r) => child.once('exit', r));
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(err.trim());
  return m ? ((Number(m[1]) + Number(m[2])) / seconds) * 100 : null;
}

async function run(n: number, wantSpectrum = true): Promise<Result> {
  const tmp = tempDirSync('heimdall-bench-capture-');
  const sims = await startSims(n, tmp.dir);
  const receivers = sims.urls.map((url, i) => ({ receiverId: `k${i}`, name: `Kiwi ${i}`, kind: 'kiwisdr' as const, url, lat: null, lon: null, alt: null }));
  const h = monitorEventLoopDelay({ resolution: 10 });
  // CPU is counted from the common start on: worker start-up (module loading) is a one-off cost.
  let cpu0 = process.cpuUsage();
  let rows = 0;
  let t0 = 0;
  h.enable();
  // Per-second DSP metrics of every stream go through the pool, as in a real capture.
  const pool = createDspPool();
  let measured = 0;
  const opened = openDatabase(path.join(tmp.dir, 'station'), silentLogger);
  const store = createCaptureStore({ db: opened.db, dataDir: path.join(tmp.dir, 'station'), log: silentLogger, diskMarginBytes: () => 0 });
  const rec = reserveRecordings(store, receivers, { freqHz: 7_100_000, mode: 'iq', sessionId: null, durationSec: seconds });
  const job = startCapture(
    { receivers: rec.receivers, freqHz: 7_100_000, mode: 'iq', identUser: 'heimdall-station bench', durationSec: seconds, outDir: null, alignLeadMs: 3000 + n * 10, wantSpectrum, dsp: { pool } },
    silentLogger,
  );
  job.events.on('measurement', (m) => {
    measured++;
    rec.measured(m);
  });
  setTimeout(() => (cpu0 = process.cpuUsage()), Math.max(0, job.startAtMs - Date.now()));
  job.events.on('message', (m) => {
    // Count rows from the common start on, when every receiver is up.
    if (m.t === 'rows' && Date.now() >= job.startAtMs) {
      t0 ||= Date.now();
      rows += m.times.length;
    }
  });
  const summaries = await job.done;
  const rowSeconds = (Date.now() - t0) / 1000;
  for (const s of summaries) rec.commit(s);
  h.disable();
  const cpu = process.cpuUsage(cpu0);
  opened.close();
  await pool.close();
  await sims.stop();
  // Frames' worth of samples: each receiver is asked for exactly round(seconds x rate) samples.
  const offered = summaries.reduce((a, s) => a + (s.targetSamples ?? Math.round(seconds * RATE)) / 512, 0);
  const written = summaries.reduce((a, s) => a + s.samples / 512, 0);
  const lost = summaries.reduce((a, s) => a + s.framesLost, 0);
  tmp.cleanup();
  return {
    n,
    offered: Math.round(offered),
    written: Math.round(written),
    lost,
    rowsPerSec: rows / rowSeconds / n,
    measured,
    p99: h.percentile(99) / 1e6,
    cpuPerStream: (cpu.user + cpu.system) / 1e6 / seconds / n,
    complete: summaries.filter((s) => s.status === 'complete').length,
  };
}

// Reference: kiwirecorder on the same kind of stream (IQ only), against a simulator of its own.
let reference: { ours: number; theirs: number } | null = null;
if (process.env.KIWIRECORDER) {
  const tmp = tempDirSync('heimdall-bench-kiwirecorder-');
  const sims = await startSims(1, tmp.dir);
  const theirs = await kiwirecorderCpu(sims.urls[0]!, tmp.dir);
  await sims.stop();
  tmp.cleanup();
  if (theirs !== null) reference = { theirs, ours: (await run(16, false)).cpuPerStream * 100 };
}

const results: Result[] = [];
for (const n of sizes) results.push(await run(n));
const base = results.find((r) => r.n === 1) ?? results[0]!;
const dataRateKBs = (RATE * 4) / 1024;
report({ name: 'offered data rate per receiver (IQ int16)', value: dataRateKBs, unit: 'KiB/s', reference: null });
for (const r of results) {
  report({ name: `${r.n} receivers: IQ frames written`, value: r.written, unit: 'frames', reference: r.offered, note: `(reference: frames offered; ${r.lost} lost; ${r.complete}/${r.n} complete)` });
  report({ name: `${r.n} receivers: W/F rows delivered per receiver`, value: r.rowsPerSec, unit: 'rows/s', reference: 23, note: '(reference: 23 rows/s offered)' });
  report({ name: `${r.n} receivers: DSP measurements (1 s windows, in the pool)`, value: r.measured, unit: 'windows', reference: r.n * seconds, note: '(reference: windows recorded)' });
  report({ name: `${r.n} receivers: main-thread event-loop delay p99`, value: r.p99, unit: 'ms', reference: 10, better: 'lower', note: '(reference: the 10 ms target)' });
  report({ name: `${r.n} receivers: CPU per stream (IQ + W/F)`, value: r.cpuPerStream * 100, unit: '% of a core', reference: base.cpuPerStream * 100, better: 'lower', note: '(reference: 1 receiver)' });
}
if (reference) {
  report({ name: 'CPU per IQ stream (16 receivers, IQ only)', value: reference.ours, unit: '% of a core', reference: reference.theirs, better: 'lower', note: '(reference: kiwirecorder, same stream; target ratio >= 20)' });
} else {
  console.log('CPU per IQ stream vs kiwirecorder: reference n/a (set KIWIRECORDER=/path/to/kiwirecorder.py to compare)');
}
