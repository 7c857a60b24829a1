/**
 * Cleaning the per-block lags of one pair (LOCALISATION.md): keep those within 1 ms of the median,
 * then drop beyond 3 sigma until nothing moves. What is left gives the pair's delay and its spread.
 */
export interface LagEstimate {
  /** Mean of the kept lags, seconds. */
  mean: number;
  /** Standard deviation of the kept lags, seconds (0 with a single block). */
  sd: number;
  kept: number;
  total: number;
  /** Index (into the input) of each kept lag. */
  keptIndex: number[];
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/** @param lags per-block lags in seconds (NaN for blocks without a usable peak) */
export function cleanLags(lags: readonly number[], windowSec = 1e-3): LagEstimate | null {
  const valid = lags.map((v, i) => ({ v, i })).filter((x) => Number.isFinite(x.v));
  if (!valid.length) return null;
  const med = median(valid.map((x) => x.v));
  let kept = valid.filter((x) => Math.abs(x.v - med) <= windowSec);
  for (let round = 0; round < 50 && kept.length > 2; round++) {
    const { mean, sd } = meanSd(kept.map((x) => x.v));
    if (sd === 0) break;
    const next = kept.filter((x) => Math.abs(x.v - mean) <= 3 * sd);
    if (next.length === kept.length) break;
    kept = next;
  }
  if (!kept.length) return null;
  const { mean, sd } = meanSd(kept.map((x) => x.v));
  return { mean, sd, kept: kept.length, total: lags.length, keptIndex: kept.map((x) => x.i) };
}
