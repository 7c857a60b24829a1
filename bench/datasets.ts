/**
 * bench:datasets: dataset export throughput (sample bytes/s) for each format, against copying the
 * same byte ranges with fs.copyFileSync-style reads and writes plus one fsync per file (the floor:
 * an export must at least read and durably write its samples), side by side in this process, with the
 * CPU each export took on its main thread and on the others (/proc).
 * 24 receiver recordings of 60 s of 12 kS/s IQ (ci16, ~2.9 MB each): one session's worth.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportManifest } from '../main/datasets/exportManifest';
import { type ExportSample } from '../main/datasets/exportModel';
import { exportNpy } from '../main/datasets/exportNpy';
import { exportSigmf } from '../main/datasets/exportSigmf';
import { simpleExportPlan, simpleExportSample } from '../test/fixtures/datasets/simplePlan';
import { report } from './lib/report';
import { threadDelta, threadTimes } from './lib/threadCpu';
import { tempDirSync } from './lib/tempDir';

const RECEIVERS = 6;
const ACQUISITIONS = 4;
const SAMPLES = 12_000 * 60;
const BYTES_PER = SAMPLES * 4;

const tmp = tempDirSync('heimdall-bench-datasets-');
try {
  const samples: ExportSample[] = [];
  for (let a = 0; a < ACQUISITIONS; a++) {
    for (let r = 0; r < RECEIVERS; r++) {
      const file = path.join(tmp.dir, `cap-${a}-${r}.sigmf-data`);
      fs.writeFileSync(file, randomBytes(BYTES_PER));
      // The annotation covers the whole recording, as an approved segment's would.
      samples.push(simpleExportSample(a, r, file, SAMPLES, { sessionName: `bench ${a}`, annotations: [{ sampleStart: 0, sampleCount: SAMPLES, label: 'transmission', comment: null, generator: 'operator', freqLowerHz: null, freqUpperHz: null }] }));
    }
  }
  const plan = simpleExportPlan(samples, { datasetName: 'bench', stationName: 'bench' });
  const total = samples.length * BYTES_PER;

  // Reference: read each byte range and write it to a new file, fsync each (same durability as the exports).
  // `times` 2: each chunk written twice, as many bytes as the NumPy export writes (complex64 is twice ci16).
  const copy = (times = 1) => {
    const dir = path.join(tmp.dir, 'copy');
    fs.mkdirSync(dir);
    const t0 = performance.now();
    const buf = Buffer.allocUnsafe(1 << 20);
    for (const s of samples) {
      const src = fs.openSync(s.dataFile, 'r');
      const dst = fs.openSync(path.join(dir, `${s.sampleId}.bin`), 'w');
      for (let n; (n = fs.readSync(src, buf, 0, buf.length, null)) > 0; ) for (let k = 0; k < times; k++) fs.writeSync(dst, buf, 0, n);
      fs.fsyncSync(dst);
      fs.closeSync(dst);
      fs.closeSync(src);
    }
    const mbs = total / 1e6 / ((performance.now() - t0) / 1000);
    fs.rmSync(dir, { recursive: true, force: true });
    return mbs;
  };

  // Side by side: each export right after a reference copy, three rounds, the best of each (the shared
  // disk's noise, and the dirty pages one run leaves the next, hit both alike).
  for (const [name, write] of [
    ['sigmf', exportSigmf],
    ['npy', exportNpy],
    ['manifest', exportManifest],
  ] as const) {
    let ref = 0;
    let ref2 = 0;
    let ours = 0;
    let best = { main: 0, others: 0, wall: Infinity };
    for (let round = 0; round < 3; round++) {
      ref = Math.max(ref, copy());
      if (name === 'npy') ref2 = Math.max(ref2, copy(2));
      const out = path.join(tmp.dir, `out-${name}`);
      const before = threadTimes();
      const t0 = performance.now();
      await write(plan, out);
      const wall = performance.now() - t0;
      let main = 0;
      let others = 0;
      for (const d of threadDelta(before, threadTimes())) {
        if (d.tid === process.pid) main += d.seconds;
        else others += d.seconds;
      }
      if (wall < best.wall) best = { main: main * 1000, others: others * 1000, wall };
      ours = Math.max(ours, total / 1e6 / (wall / 1000));
      fs.rmSync(out, { recursive: true, force: true });
    }
    const where = `the best run: ${best.wall.toFixed(0)} ms, CPU ${best.main.toFixed(0)} ms on the main thread and ${best.others.toFixed(0)} ms on the others (hashing threads, I/O pool, GC)`;
    report({ name: `export ${name}`, value: ours, unit: 'MB/s of samples', reference: ref, note: `(${samples.length} recordings, ${(total / 1e6).toFixed(0)} MB; reference: plain copy + fsync of the same bytes; best of 3 each, alternating; ${where})` });
    if (name === 'npy') report({ name: 'export npy', value: ours, unit: 'MB/s of samples', reference: ref2, note: '(reference: the same plain copy writing every chunk twice: as many bytes as complex64 takes)' });
  }
} finally {
  tmp.cleanup();
}
