/**
 * bench:locate: one TDoA fix end to end on real material, the three kiwirecorder recordings of DCF77
 * (2017-11-27, ~30 s each, read in place) on a 0.05 deg grid over Europe (~1M cells): open the
 * files, build their time bases, read the samples, correlate, grid, contours, heatmap. Beside it in
 * the same run, bench/locate_reference.py: the same method written in numpy, timed the same way
 * (one warm-up, then the median of as many runs). The fixes and the per-pair delays are printed
 * against the great-circle values and against numpy's, so the speed is shown for the same result.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type LocateResult } from '../shared/domain/locate';
import { greatCircleM, predictedDtSec } from '../main/locate/geodesy';
import { locate, type LocateSignal } from '../main/locate/locate';
import { openRecordings } from '../main/recordings/openRecording';
import { type RecordingFile } from '../main/recordings/recordingFile';
import { signalOfRecording } from '../main/locate/locateJob';
import { realDataSet } from './lib/realData';
import { report } from './lib/report';

// V8 keeps optimising the hot loops over the first few fixes after the warm-up: 11 runs put the median past that.
const RUNS = Math.max(5, Number(process.env.BENCH_LOCATE_RUNS ?? 11));
const REGION = { lat0: 35, lat1: 72, lon0: -25, lon1: 45 };
const STEP_DEG = 0.05;
const DCF77 = { name: 'DCF77 Mainflingen', lat: 50.0152, lon: 9.0112 };
const TARGET_MS = 2000;
const TARGET_RATIO = 5;

const set = realDataSet('kiwi-dcf77-2017');
const files = set.dir ? fs.readdirSync(set.dir).filter((f) => /_iq\.wav$/i.test(f)).sort().map((f) => path.join(set.dir!, f)) : [];
if (files.length < 3) {
  console.log(`bench:locate: skipped, ${set.dir ? `${set.dir} holds ${files.length} kiwirecorder IQ recordings, 3 are needed` : set.why}`);
  process.exit(0);
}

interface Timed {
  result: LocateResult;
  /** Phase times, ms. */
  phases: Record<'open' | 'timeBase' | 'read' | 'correlate' | 'map', number>;
  total: number;
}

async function fix(): Promise<Timed> {
  const t0 = performance.now();
  const recs: RecordingFile[] = [];
  try {
    for (const f of files) {
      const [r] = await openRecordings(f);
      if (!r || 'error' in r) throw new Error(`${f}: ${r?.error ?? 'nothing opened'}`);
      recs.push(r);
    }
    const t1 = performance.now();
    const signals: LocateSignal[] = recs.map((rec) => signalOfRecording(rec, { name: rec.receiver.name ?? path.basename(rec.label) }));
    const t2 = performance.now();
    // Phase boundaries from the progress the locate core reports.
    let readEnd = t2;
    let mapStart = t2;
    const result = locate(
      { signals, region: REGION, stepDeg: STEP_DEG, source: DCF77, freqHz: 77_500 },
      {
        progress: (phase, fraction) => {
          if (phase === 'reading samples' && fraction === 1) readEnd = performance.now();
          if (phase === 'grid' && fraction === 0) mapStart = performance.now();
        },
      },
    );
    const t3 = performance.now();
    return { result, total: t3 - t0, phases: { open: t1 - t0, timeBase: t2 - t1, read: readEnd - t2, correlate: mapStart - readEnd, map: t3 - mapStart } };
  } finally {
    for (const r of recs) r.source.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const cold = (await fix()).total; // the warm-up, a fresh process's first fix
const runs: Timed[] = [];
for (let i = 0; i < RUNS; i++) runs.push(await fix());
const ours = median(runs.map((r) => r.total));
const phase = (k: keyof Timed['phases']) => median(runs.map((r) => r.phases[k])).toFixed(1);
const result = runs.at(-1)!.result;

// The numpy reference, on one thread (ours is one), timed inside the script.
interface Reference {
  msPerFix: number;
  runs: number;
  numpy: string;
  position: { lat: number; lon: number };
  pairs: { a: string; b: string; dtUs: number }[];
  contourPoints: number[];
  hyperbolaPoints: number[];
  heatmapSha1: string;
}
let ref: Reference | null = null;
const script = path.join(import.meta.dirname, 'locate_reference.py');
const region = `${REGION.lat0}:${REGION.lat1}:${REGION.lon0}:${REGION.lon1}`;
const py = spawnSync('python3', [script, '--runs', String(RUNS), '--region', region, '--step', String(STEP_DEG), ...files], {
  encoding: 'utf8',
  env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
if (py.status === 0) ref = JSON.parse(py.stdout.trim().split('\n').at(-1)!) as Reference;
else console.log(`bench:locate: the numpy reference did not run (${(py.stderr || String(py.error ?? '')).trim().split('\n').at(-1) || `python3 exited ${py.status}`}); our figures are reported without a ratio`);

const cells = result.grid.cells;
const seconds = result.interval.seconds;
report({
  name: `locate fix, ${result.receivers.length} receivers x ${seconds.toFixed(0)} s, ${STEP_DEG} deg Europe grid (${cells} cells), files to heatmap`,
  value: ours,
  unit: 'ms',
  reference: ref?.msPerFix ?? null,
  better: 'lower',
  note:
    `(reference: bench/locate_reference.py, numpy${ref ? ` ${ref.numpy}` : ''}, the same method, one thread; median of ${RUNS} after a warm-up, each side; target ratio >= ${TARGET_RATIO};` +
    ` ours: open ${phase('open')}, time bases ${phase('timeBase')}, read ${phase('read')}, correlate ${phase('correlate')}, grid + contours + heatmap ${phase('map')} ms; the first fix of the process took ${cold.toFixed(0)} ms)`,
});
report({ name: 'locate fix against the 2 s target', value: ours, unit: 'ms', reference: TARGET_MS, better: 'lower', note: '(reference: the target, a fix in under 2 s)' });

const km = greatCircleM(result.position, DCF77) / 1000;
const refKm = ref ? greatCircleM(ref.position, DCF77) / 1000 : null;
const heat = createHash('sha1').update(result.heatmap.likelihood).digest('hex');
const points = (lines: [number, number][][]) => lines.reduce((n, l) => n + l.length, 0);
const sameHeat = ref?.heatmapSha1 === heat;
const sameLines = !!ref && result.contours.every((c, i) => points(c.lines) === ref!.contourPoints[i]) && result.hyperbolas.every((h, i) => points(h.lines) === ref!.hyperbolaPoints[i]);
report({
  name: 'fix error from DCF77 (50.0152 N, 9.0112 E)',
  value: km,
  unit: 'km',
  reference: refKm,
  better: 'lower',
  note: ref
    ? `(reference: numpy's fix; the two fixes are ${(greatCircleM(result.position, ref.position) / 1000).toFixed(4)} km apart; heatmap bytes ${sameHeat ? 'identical' : 'differ'}; contour and hyperbola points ${sameLines ? 'as many as numpy' : 'not as many as numpy'})`
    : '(reference: numpy n/a)',
});
for (const p of result.pairs) {
  const sig = (name: string) => result.receivers.find((r) => r.name === name)!;
  const a = sig(p.a);
  const b = sig(p.b);
  const truth = predictedDtSec(DCF77, { lat: a.lat!, lon: a.lon! }, { lat: b.lat!, lon: b.lon! }) * 1e6;
  const mine = ref?.pairs.find((q) => q.a === p.a && q.b === p.b);
  // Printed by hand in the figure's shape: a ratio of two delays means nothing, their difference does.
  console.log(
    `dt ${p.a}-${p.b}: ${p.dtUs.toFixed(2)} us (reference ${truth.toFixed(2)}, off by ${(p.dtUs - truth).toFixed(2)} us) ` +
      `(reference: the great-circle delay difference from DCF77; ${p.blocksUsed}/${p.blocksTotal} blocks, rms ${p.rmsUs.toFixed(1)} us; ` +
      `${mine ? `numpy ${mine.dtUs.toFixed(2)} us, ${Math.abs(mine.dtUs - p.dtUs).toPrecision(2)} us from ours` : 'numpy n/a'})`,
  );
}
