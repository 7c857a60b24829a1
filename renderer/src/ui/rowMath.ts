/**
 * Pure maths on one waterfall row (bytes 0..255 mapping linearly onto minDb..maxDb): dB values for
 * the spectrum, peak hold, and an SNR estimate. Every function writes into buffers the caller owns,
 * so nothing is allocated per row.
 */

export function byteToDb(b: number, minDb: number, maxDb: number): number {
  return minDb + (b * (maxDb - minDb)) / 255;
}

/** row[offset .. offset+bins) as dB into out[0 .. bins). */
export function rowToDb(row: Uint8Array, offset: number, bins: number, minDb: number, maxDb: number, out: Float64Array): void {
  const k = (maxDb - minDb) / 255;
  for (let i = 0; i < bins; i++) out[i] = minDb + row[offset + i]! * k;
}

/** peak[i] = max(peak[i], cur[i]); a NaN peak (just reset) takes the current value. */
export function holdPeak(peak: Float64Array, cur: Float64Array, bins: number): void {
  for (let i = 0; i < bins; i++) {
    const p = peak[i]!;
    const c = cur[i]!;
    if (!(p >= c)) peak[i] = c;
  }
}

/**
 * SNR of a row in dB: its strongest bin minus its median bin (the noise floor when a few carriers
 * occupy less than half the band). A 256-entry histogram gives the median in O(bins), no sorting;
 * `hist` is scratch space of at least 256 entries.
 */
export function rowSnrDb(row: Uint8Array, offset: number, bins: number, minDb: number, maxDb: number, hist: Uint32Array): number {
  if (bins <= 0) return 0;
  hist.fill(0, 0, 256);
  let peak = 0;
  for (let i = 0; i < bins; i++) {
    const v = row[offset + i]!;
    hist[v]!++;
    if (v > peak) peak = v;
  }
  // Lower median: the value below which fewer than half of the bins lie.
  const half = (bins - 1) >> 1;
  let seen = 0;
  let median = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen > half) {
      median = v;
      break;
    }
  }
  return ((peak - median) * (maxDb - minDb)) / 255;
}
