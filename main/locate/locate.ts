/**
 * TDoA fix from N >= 3 GPS-stamped KiwiSDR IQ recordings of one acquisition (LOCALISATION.md):
 * judge the receivers, cut to the common GPS-trusted interval, correlate every pair per block on the
 * GPS time grid (each receiver read at the sample its own time base gives for that instant, so rates
 * that differ by ppm never smear a lag), clean the lags, then a chi2 grid of great-circle delays.
 * Pure computation: the caller supplies the samples and time bases (a worker, a test, a bench).
 */
import { StationError } from '../../shared/errors';
import { type LocateReceiver, type LocateResult } from '../../shared/domain/locate';
import { rfc3339FromUnixNs } from '../recordings/rfc3339';
import { type TimeBase } from '../recordings/timeBase';
import { isolines, type FieldGrid } from './contours';
import { BlockCorrelator, type BlockSpectra } from './crossCorrelation';
import { greatCircleM, predictedDtSec, SPEED_OF_LIGHT, type LatLon } from './geodesy';
import { cleanLags, median, type LagEstimate } from './lagStatistics';
import { cellCentre, chiSquareGrid, gridShape, refineMinimum, type GridPair, type GridSpec } from './likelihoodGrid';
import { displayGrid, heatmapOf, pairField } from './heatmap';
import { autoGrid } from './region';

export interface LocateSignal {
  name: string;
  receiverId: string | null;
  captureId: string | null;
  file: string | null;
  kind: 'kiwisdr' | 'openwebrx';
  /** IQ (complex) samples; audio-only recordings cannot be located. */
  complex: boolean;
  lat: number | null;
  lon: number | null;
  totalSamples: number;
  timeBase: TimeBase;
  /** Samples [start, start + count) as interleaved complex float32 (full scale 1). */
  read(start: number, count: number): Float32Array;
}

export interface LocateRequest {
  signals: LocateSignal[];
  region?: GridSpec | { lat0: number; lat1: number; lon0: number; lon1: number };
  stepDeg?: number;
  blockSec?: number;
  /** Only these GPS-time stretches (Unix ns), e.g. the segments where the transmitter was keyed. */
  windows?: { startNs: bigint; endNs: bigint }[];
  source?: { name: string; lat: number; lon: number } | null;
  freqHz?: number | null;
}

export interface LocateHooks {
  progress?(phase: string, fraction: number): void;
  /** Checked between blocks and grid rows; true ends the job with a 'cancelled' error. */
  cancelled?(): boolean;
}

/** Allowance per pair for what the ground-wave model does not know (ionosphere, terrain): 10 us. */
export const MODEL_SIGMA_SEC = 10e-6;
/**
 * Receivers whose GPS rate is further than this from the median of the others are judged bad.
 * LOCALISATION.md says "a few ppm", but each KiwiSDR samples on its own oscillator and its GPS-measured
 * rate is its truth (the six public DCF77 files already span 14 ppm); only a rate beyond what crystal
 * oscillators do says the stamps themselves are wrong.
 */
export const RATE_TOLERANCE_PPM = 50;
const CONFIDENCE_LEVELS = [
  { confidence: 0.68, deltaChi2: 2.3 },
  { confidence: 0.95, deltaChi2: 5.99 },
];

interface Judged {
  s: LocateSignal;
  pos: LatLon | null;
  rate: number;
  bad: string | null;
  remark: string;
  /** GPS-trusted span, Unix ns. */
  span: { start: bigint; end: bigint } | null;
}

function refusal(message: string): StationError {
  return new StationError('invalid_input', message);
}

function judge(s: LocateSignal): Judged {
  const tb = s.timeBase;
  const base: Judged = { s, pos: s.lat !== null && s.lon !== null ? { lat: s.lat, lon: s.lon } : null, rate: tb.rateHz, bad: null, remark: '', span: null };
  if (s.kind === 'openwebrx') return { ...base, bad: 'OpenWebRX sends no IQ and no GPS time: it cannot take part in a TDoA fix' };
  if (!s.complex) return { ...base, bad: 'the recording is audio, not IQ: a TDoA fix needs IQ' };
  if (!base.pos) return { ...base, bad: 'its position is unknown: give the receiver a latitude and longitude' };
  if (tb.summary.source !== 'gps' || !tb.summary.good) return { ...base, bad: tb.summary.reasons.join('; ') || 'no GPS-true time' };
  const ranges = tb.trustedRanges().filter((r) => r.end - r.start >= 2);
  if (!ranges.length) return { ...base, bad: 'fewer than 2 GPS-trusted samples' };
  // The longest trusted run: a recording with a gap is located on one side of it.
  const r = ranges.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const span = { start: tb.gpsNsAt(r.start)!, end: tb.gpsNsAt(r.end - 1)! };
  const remark = tb.summary.reasons.length ? tb.summary.reasons.join('; ') : '';
  return { ...base, span, remark };
}

function checkRates(all: Judged[]): void {
  const good = all.filter((j) => !j.bad);
  for (const j of good) {
    const others = good.filter((o) => o !== j).map((o) => o.rate);
    if (others.length < 2) continue;
    const m = median(others);
    const ppm = ((j.rate - m) / m) * 1e6;
    if (Math.abs(ppm) > RATE_TOLERANCE_PPM) j.bad = `its GPS rate ${j.rate.toFixed(3)} Hz is ${ppm.toFixed(1)} ppm off the others' ${m.toFixed(3)} Hz: its time stamps are not to be trusted`;
  }
}

function refuseBelowThree(all: Judged[], stage: string): void {
  const good = all.filter((j) => !j.bad);
  if (good.length >= 3) return;
  const bad = all.filter((j) => j.bad).map((j) => `${j.s.name}: ${j.bad}`);
  throw refusal(
    `Cannot locate: ${good.length} of ${all.length} receivers are usable ${stage}, and a TDoA fix needs at least 3 GPS-stamped KiwiSDR IQ recordings of the same moment.` +
      (bad.length ? ` Left out: ${bad.join('; ')}.` : ''),
  );
}

const bigMax = (xs: bigint[]) => xs.reduce((a, b) => (a > b ? a : b));
const bigMin = (xs: bigint[]) => xs.reduce((a, b) => (a < b ? a : b));

export function locate(req: LocateRequest, hooks: LocateHooks = {}): LocateResult {
  const t0 = performance.now();
  const warnings: string[] = [];
  const check = () => {
    if (hooks.cancelled?.()) throw new StationError('cancelled', 'The locate job was cancelled; nothing was stored.');
  };
  const judged = req.signals.map(judge);
  checkRates(judged);
  refuseBelowThree(judged, 'by their recordings');

  const blockSec = req.blockSec ?? 1;
  const good = judged.filter((j) => !j.bad);
  // The common GPS-trusted interval, and within it the windows asked for.
  const start = bigMax(good.map((j) => j.span!.start));
  const end = bigMin(good.map((j) => j.span!.end));
  const blockNs = BigInt(Math.round(blockSec * 1e9));
  const common = end - start;
  if (common < blockNs) {
    throw refusal(`Cannot locate: the recordings share ${(Number(common) / 1e9).toFixed(2)} s of GPS-trusted time; at least ${blockSec} s is needed. Record the receivers together, from a common start.`);
  }
  if (common < 10_000_000_000n) warnings.push(`the recordings share only ${(Number(common) / 1e9).toFixed(1)} s of GPS-trusted time; 10 s or more gives a steadier fix`);
  const windows = (req.windows?.length ? req.windows : [{ startNs: start, endNs: end }])
    .map((w) => ({ startNs: w.startNs > start ? w.startNs : start, endNs: w.endNs < end ? w.endNs : end }))
    .filter((w) => w.endNs - w.startNs >= blockNs);
  if (!windows.length) throw refusal('Cannot locate: none of the chosen stretches lies in the GPS-trusted time the recordings share (each needs at least one block).');
  const blockTimes: bigint[] = [];
  for (const w of windows) for (let t = w.startNs; t + blockNs <= w.endNs; t += blockNs) blockTimes.push(t);
  const coveredSec = (blockTimes.length * Number(blockNs)) / 1e9;

  // Lags the geometry allows per pair: the baseline at c, plus a margin.
  const rateAll = median(good.map((j) => j.rate));
  const blockLen = Math.round(blockSec * rateAll);
  const pairBound = (a: Judged, b: Judged) => (greatCircleM(a.pos!, b.pos!) / SPEED_OF_LIGHT) * rateAll * 1.1 + 3;
  let maxLag = 0;
  for (let i = 0; i < good.length; i++) for (let j = i + 1; j < good.length; j++) maxLag = Math.max(maxLag, Math.ceil(pairBound(good[i]!, good[j]!)));
  const correlator = new BlockCorrelator(blockLen, maxLag);
  // Two independent noises of L samples correlate at about 1/sqrt(L) (0.009 for 1 s at 12 kHz); a
  // block with no transmission in it gives a random lag within the baseline, which 3-sigma cleaning
  // cannot tell from a real one when most blocks are quiet (a keyed transmitter is off most of the
  // time). Below 6/sqrt(L) a block says nothing and is left out.
  const peakFloor = 6 / Math.sqrt(blockLen);

  // Samples: each receiver's stretch covering every block, read once.
  hooks.progress?.('reading samples', 0);
  const lastT = blockTimes.at(-1)! + blockNs;
  const samples = good.map((j, k) => {
    check();
    const from = Math.floor(j.s.timeBase.sampleAt(blockTimes[0]!)) - maxLag - 2;
    const to = Math.ceil(j.s.timeBase.sampleAt(lastT)) + maxLag + 2;
    const a = Math.max(0, from);
    const x = j.s.read(a, Math.min(j.s.totalSamples, to) - a);
    hooks.progress?.('reading samples', (k + 1) / good.length);
    return { first: a, x };
  });
  for (let k = 0; k < good.length; k++) {
    const x = samples[k]!.x;
    let energy = 0;
    for (let i = 0; i < x.length && energy === 0; i++) energy += x[i]! * x[i]!;
    if (energy === 0) good[k]!.bad = 'every sample is zero';
  }

  // Per block, per pair: the lag on the GPS time grid.
  type PairRun = { a: number; b: number; bound: number; lags: number[]; peaks: number[] };
  const pairs: PairRun[] = [];
  for (let i = 0; i < good.length; i++) for (let j = i + 1; j < good.length; j++) if (!good[i]!.bad && !good[j]!.bad) pairs.push({ a: i, b: j, bound: pairBound(good[i]!, good[j]!), lags: [], peaks: [] });
  for (let bi = 0; bi < blockTimes.length; bi++) {
    check();
    // Blocks are aligned at their centres: receivers' rates differ by ppm, so over a block their
    // samples drift apart by (block x ppm); aligned at the start, the measured lag would be that of
    // the middle, off by half the drift (12 us for 25 ppm over 1 s); aligned at the middle it is exact.
    const T = blockTimes[bi]! + blockNs / 2n;
    const spectra: (BlockSpectra | null)[] = [];
    const frac: number[] = [];
    for (let k = 0; k < good.length; k++) {
      const j = good[k]!;
      const n = j.s.timeBase.sampleAt(T) - blockLen / 2;
      const i0 = Math.floor(n);
      frac.push(n - i0);
      const local = i0 - samples[k]!.first;
      const usable = !j.bad && j.s.timeBase.trusts(i0 - maxLag, i0 + blockLen + maxLag) && local - maxLag >= 0 && 2 * (local + blockLen + maxLag) <= samples[k]!.x.length;
      spectra.push(usable ? correlator.spectra(samples[k]!.x, local) : null);
    }
    for (const p of pairs) {
      const A = spectra[p.a];
      const B = spectra[p.b];
      if (!A || !B) {
        p.lags.push(NaN);
        p.peaks.push(0);
        continue;
      }
      const r = correlator.pair(A, B, p.bound);
      // a's sample i0a + t is at T + (t - frac_a)/fs; matching b's i0b + t - lag gives t_a - t_b = (lag + frac_b - frac_a)/fs.
      p.lags.push(r.interior && r.peak >= peakFloor ? (r.lag + frac[p.b]! - frac[p.a]!) / rateAll : NaN);
      p.peaks.push(r.peak);
    }
    hooks.progress?.('correlating', (bi + 1) / blockTimes.length);
  }

  // Clean each pair; a receiver none of whose pairs correlates is left out.
  const estimates = pairs.map((p) => ({ p, est: cleanLags(p.lags) }));
  const minKept = Math.max(1, Math.ceil(blockTimes.length * 0.3));
  const usablePair = (e: (typeof estimates)[number]) => e.est !== null && e.est.kept >= minKept;
  for (let k = 0; k < good.length; k++) {
    const mine = estimates.filter((e) => e.p.a === k || e.p.b === k);
    if (!good[k]!.bad && mine.length && !mine.some(usablePair)) {
      good[k]!.bad = 'its samples do not correlate with any other receiver (too weak, or no modulation reaches it)';
    }
  }
  refuseBelowThree(judged, 'after correlation');
  // Pairs between receivers still good, re-indexed onto the final list.
  const final = good.filter((j) => !j.bad);
  const gridPairs: GridPair[] = [];
  const pairInfo: { a: Judged; b: Judged; est: LagEstimate; peak: number }[] = [];
  for (const e of estimates) {
    if (!usablePair(e)) continue;
    const a = final.indexOf(good[e.p.a]!);
    const b = final.indexOf(good[e.p.b]!);
    if (a < 0 || b < 0) continue;
    const est = e.est!;
    gridPairs.push({ i: a, j: b, dtSec: est.mean, sigmaSec: Math.sqrt((est.sd * est.sd) / est.kept + MODEL_SIGMA_SEC * MODEL_SIGMA_SEC) });
    pairInfo.push({ a: final[a]!, b: final[b]!, est, peak: median(est.keptIndex.map((i) => e.p.peaks[i]!)) });
  }
  if (gridPairs.length < 2) throw refusal('Cannot locate: fewer than 2 receiver pairs gave a consistent delay; the signal may be too weak or unmodulated.');

  // The grid, its minimum, contours, hyperbolas and the heatmap.
  const positions = final.map((j) => j.pos!);
  const spec = req.region && 'step' in req.region ? req.region : autoGrid(positions, req.region ?? null, req.stepDeg);
  const { rows, cols } = gridShape(spec);
  hooks.progress?.('grid', 0);
  const grid = chiSquareGrid(positions, gridPairs, spec, (row, n) => {
    if (row % 32 === 0) {
      check();
      hooks.progress?.('grid', row / n);
    }
  });
  const fix = refineMinimum(positions, gridPairs, cellCentre(grid, grid.minIndex), spec.step);
  const fullField: FieldGrid = { rows, cols, values: grid.chi2, at: (r, c) => [spec.lat0 + r * spec.step, spec.lon0 + c * spec.step] };
  const contours = CONFIDENCE_LEVELS.map((l) => ({ confidence: l.confidence, lines: isolines(fullField, grid.minChi2 + l.deltaChi2) }));
  const display = displayGrid(grid);
  const hyperbolas = pairInfo.map((p, k) => ({ a: p.a.s.name, b: p.b.s.name, lines: isolines(pairField(display, positions, gridPairs[k]!), 0) }));
  const heatmap = heatmapOf(display, grid.minChi2);
  if (fix.at.lat <= spec.lat0 + spec.step || fix.at.lat >= spec.lat1 - spec.step || fix.at.lon <= spec.lon0 + spec.step || fix.at.lon >= spec.lon1 - spec.step) {
    warnings.push('the most likely point lies on the edge of the searched region: widen the region');
  }

  const receivers: LocateReceiver[] = judged.map((j) => ({
    receiverId: j.s.receiverId,
    name: j.s.name,
    lat: j.s.lat,
    lon: j.s.lon,
    captureId: j.s.captureId,
    file: j.s.file,
    status: j.bad ? 'bad' : 'good',
    reason: j.bad ?? j.remark,
    rateHz: j.s.timeBase.summary.source === 'gps' ? j.rate : null,
  }));
  const result: LocateResult = {
    position: fix.at,
    contours,
    hyperbolas,
    pairs: pairInfo.map((p) => ({
      a: p.a.s.name,
      b: p.b.s.name,
      dtUs: p.est.mean * 1e6,
      rmsUs: p.est.sd * 1e6,
      blocksUsed: p.est.kept,
      blocksTotal: p.est.total,
      peak: p.peak,
      baselineKm: greatCircleM(p.a.pos!, p.b.pos!) / 1000,
      predictedUs: predictedDtSec(fix.at, p.a.pos!, p.b.pos!) * 1e6,
    })),
    receivers,
    grid: { lat0: spec.lat0, lat1: spec.lat0 + (rows - 1) * spec.step, lon0: spec.lon0, lon1: spec.lon0 + (cols - 1) * spec.step, stepDeg: spec.step, cells: rows * cols },
    heatmap,
    interval: { startUtc: rfc3339FromUnixNs(blockTimes[0]!), seconds: coveredSec },
    freqHz: req.freqHz ?? null,
    source: req.source ? { ...req.source, distanceKm: greatCircleM(fix.at, req.source) / 1000 } : null,
    elapsedMs: performance.now() - t0,
    warnings,
  };
  hooks.progress?.('done', 1);
  return result;
}
