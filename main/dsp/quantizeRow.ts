/**
 * dB rows -> display bytes: 0 at or below minDb, 255 at or above maxDb, linear between, rounded to
 * the nearest step. The UI stream carries Uint8 rows, so this is the last step before a row leaves
 * the DSP worker. Non-finite values (a bin of exact silence gives -Infinity) clamp like any other.
 */
export function quantizeRow(db: Float32Array | Float64Array, minDb: number, maxDb: number, out: Uint8Array = new Uint8Array(db.length)): Uint8Array {
  if (!(maxDb > minDb)) throw new Error(`the display range needs maxDb > minDb (got ${minDb}..${maxDb} dB)`);
  if (out.length < db.length) throw new Error(`the output row holds ${out.length} bytes, the spectrum has ${db.length} bins`);
  const scale = 255 / (maxDb - minDb);
  for (let i = 0; i < db.length; i++) {
    const v = (db[i]! - minDb) * scale;
    // NaN fails both comparisons and lands on 0, like silence.
    out[i] = v >= 255 ? 255 : v > 0 ? Math.round(v) : 0;
  }
  return out;
}

/** The dB value a display byte stands for (its bin centre), for legends and tests. */
export function byteToDb(byte: number, minDb: number, maxDb: number): number {
  return minDb + (byte * (maxDb - minDb)) / 255;
}
