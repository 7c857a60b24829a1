/**
 * RFC 3339 UTC times with nanoseconds, as SigMF's core:datetime allows and GPS-stamped samples need
 * (a JavaScript Date keeps only milliseconds).
 */

/** Unix ns -> `2017-11-27T10:41:56.123456789Z`. */
export function rfc3339FromUnixNs(ns: bigint): string {
  const sec = ns >= 0n ? ns / 1_000_000_000n : (ns - 999_999_999n) / 1_000_000_000n;
  const frac = (ns - sec * 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

/** RFC 3339 -> Unix ns, keeping every fractional digit (up to ns); null when it is not such a time. */
export function parseRfc3339Ns(s: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]!.replace(/[t ]/, 'T')}${m[3]!.toUpperCase()}`);
  if (Number.isNaN(ms)) return null;
  const frac = BigInt((m[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + frac;
}

/** SigMF wants RFC 3339 with the `Z` offset: keeps a time already in that form (all its digits), converts others. */
export function sigmfDatetime(utc: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(utc)) return utc;
  const ns = parseRfc3339Ns(utc);
  if (ns !== null) return rfc3339FromUnixNs(ns);
  const t = Date.parse(utc);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
