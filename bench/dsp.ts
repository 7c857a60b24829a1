/**
 * bench:dsp: Welch PSD (complex64, nperseg 1024, Hann, 50 %) and complex FFT N=1024 throughput,
 * beside scipy.signal.welch and numpy.fft on the same samples in the same run (python3 + scipy,
 * when present).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dftPlan } from '../main/dsp/dft';
import { welchComplex } from '../main/dsp/welch';
import { mulberry32 } from '../main/sim/prng';
import { report } from './lib/report';
import { tempDirSync } from './lib/tempDir';

const N = 1 << 20; // complex samples
const rand = mulberry32(7);
const iq = new Float32Array(2 * N);
for (let i = 0; i < iq.length; i++) iq[i] = rand() - 0.5;

function best(fn: () => void, reps: number): number {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

welchComplex(iq, { fs: 12000, nperseg: 1024 }); // warm-up
const welchS = best(() => welchComplex(iq, { fs: 12000, nperseg: 1024 }), 5);
const FFTS = 1000; // fits in the N samples above
const plan = dftPlan(1024);
const input = Float64Array.from(iq.subarray(0, 2048));
const out = new Float64Array(2048);
for (let i = 0; i < 200; i++) plan.transform(input, out);
const fftS = best(() => {
  for (let i = 0; i < FFTS; i++) plan.transform(input, out);
}, 5);

// The same samples through scipy/numpy.
let ref: { welch: number; fft: number } | null = null;
const tmp = tempDirSync('heimdall-bench-dsp-');
fs.writeFileSync(path.join(tmp.dir, 'iq.f32'), Buffer.from(iq.buffer));
const py = `
import sys, json, timeit, numpy as np
from scipy import signal
x = np.fromfile(sys.argv[1], dtype='<f4').view(np.complex64)
w = min(timeit.repeat(lambda: signal.welch(x, fs=12000, window='hann', nperseg=1024, return_onesided=False), number=1, repeat=5))
b = np.ascontiguousarray(x[:${FFTS} * 1024].reshape(${FFTS}, 1024).astype(np.complex128))
f = min(timeit.repeat(lambda: np.fft.fft(b, axis=1), number=1, repeat=5))
print(json.dumps({'welch': w, 'fft': f}))
`;
const r = spawnSync('python3', ['-c', py, path.join(tmp.dir, 'iq.f32')], { encoding: 'utf8' });
if (r.status === 0) ref = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { welch: number; fft: number };
else console.log(`bench:dsp: python3 with numpy + scipy is not available here (${(r.stderr || String(r.error)).trim().split('\n').at(-1)}); references n/a`);
tmp.cleanup();

const msps = (s: number) => N / s / 1e6;
report({ name: 'Welch PSD, complex, nperseg 1024, Hann, 50 %', value: msps(welchS), unit: 'Msamples/s', reference: ref ? msps(ref.welch) : null, note: '(reference: scipy.signal.welch; target ratio >= 3)' });
// 5 N log2 N flops per complex FFT, the usual convention.
const gflops = (s: number) => (FFTS * 5 * 1024 * 10) / s / 1e9;
report({ name: 'complex FFT N=1024', value: gflops(fftS), unit: 'GFLOPS', reference: ref ? gflops(ref.fft) : null, note: '(reference: numpy.fft batched; target ratio >= 0.5)' });

// 64 receivers' IQ as the capture path sees it (12 kS/s complex, 23.4 frames/s of 512 samples)
// fed frame by frame through the DSP pool for ~10 s: the main thread only queues and collects, so
// its event loop must stay responsive.
{
  const { createDspPool, DspPoolFullError } = await import('../main/dsp/pool');
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const streams = 64;
  const frameSamples = 512;
  const framesPerSecond = 23.4;
  const seconds = Number(process.env.BENCH_POOL_SECONDS ?? 10);
  const pool = createDspPool({ maxQueue: 64, whenFull: 'reject' });
  // Frames come from a ring of prepared samples so the producer's own cost stays the socket's, not the bench's.
  const source = iq.subarray(0, 2 * 12000);
  const next = new Float64Array(streams).map((_, s) => (s / streams) * (1000 / framesPerSecond));
  let offered = 0;
  let analysed = 0;
  let dropped = 0;
  let failed = 0;
  // Workers start (and compile) first: one job each, so boot time is not counted as dropped frames.
  await Promise.all(Array.from({ length: pool.size }, () => pool.analyzeFrames(new Float32Array(2 * frameSamples * 8), 12000, frameSamples)));
  // The same measure with nothing to do, so a busy shared machine shows as such (a 10 ms resolution
  // also counts the 10 ms between samples: an idle loop reads ~10 ms).
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 2000));
  idle.disable();
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  // Each tick gathers the frames that came due (as a capture worker batches per display frame) and
  // sends them as one batch per worker: one message per batch, not one per frame.
  const batch = new Float32Array(2 * frameSamples * streams * 4);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now() - t0;
      if (now >= seconds * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      let due = 0;
      for (let s = 0; s < streams; s++) {
        while (next[s]! <= now && due < batch.length / (2 * frameSamples)) {
          next[s] = next[s]! + 1000 / framesPerSecond;
          const off = ((offered * 2 * frameSamples) % (source.length - 2 * frameSamples)) & ~1;
          batch.set(source.subarray(off, off + 2 * frameSamples), 2 * frameSamples * due++);
          offered++;
        }
      }
      const per = Math.ceil(due / pool.size);
      for (let first = 0; first < due; first += per) {
        const count = Math.min(per, due - first);
        pool.analyzeFrames(batch.slice(2 * frameSamples * first, 2 * frameSamples * (first + count)), 12000, frameSamples).then(
          (r) => (analysed += r.length),
          (e: unknown) => (e instanceof DspPoolFullError ? (dropped += count) : (failed += count)),
        );
      }
    }, 10);
  });
  while (pool.pending() > 0) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (performance.now() - t0) / 1000;
  h.disable();
  await pool.close();
  report({
    name: `DSP pool, ${streams} IQ streams of 512-sample frames: main-thread event-loop delay p99`,
    value: h.percentile(99) / 1e6,
    unit: 'ms',
    reference: 20,
    better: 'lower',
    note: `(reference: the 20 ms target; idle loop p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms on this machine; ${pool.size} worker(s), ${analysed}/${offered} frames analysed in ${elapsed.toFixed(1)} s, ${dropped} dropped at a full queue, ${failed} failed)`,
  });
}
