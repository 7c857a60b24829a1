/**
 * GPS time in KiwiSDR IQ frames (and kiwirecorder's `kiwi` chunks) is seconds-of-week + ns; the week
 * is not sent and comes from a clock near the recording (the host clock live, the time in a
 * kiwirecorder file name on import). GPS time runs ahead of UTC by the leap seconds since 1980.
 */
export const GPS_EPOCH_UNIX_S = 315_964_800; // 1980-01-06T00:00:00Z
export const WEEK_S = 604_800;
const WEEK_NS = BigInt(WEEK_S) * 1_000_000_000n;

/** GPS - UTC (s) from each Unix time on (IERS bulletins); 18 s since 2017-01-01. */
const LEAPS: readonly [number, number][] = [
  [1_483_228_800, 18], // 2017-01-01
  [1_435_708_800, 17], // 2015-07-01
  [1_341_100_800, 16], // 2012-07-01
  [1_230_768_000, 15], // 2009-01-01
  [1_136_073_600, 14], // 2006-01-01
  [915_148_800, 13], // 1999-01-01
];
export const GPS_UTC_LEAP_S = 18;

/** GPS - UTC in seconds at a Unix time (for recordings older than 2017, which the public TDoA sets include). */
export function leapSecondsAt(unixS: number): number {
  for (const [from, leap] of LEAPS) if (unixS >= from) return leap;
  return 13;
}

const gpsEpochNs = (leap: number) => BigInt(GPS_EPOCH_UNIX_S - leap) * 1_000_000_000n;

/** GPS week + seconds-of-week + ns -> Unix ns. */
export function gpsWeekToUnixNs(week: number, gpssec: number, gpsnsec: number, leap = GPS_UTC_LEAP_S): bigint {
  return BigInt(week) * WEEK_NS + BigInt(gpssec) * 1_000_000_000n + BigInt(gpsnsec) + gpsEpochNs(leap);
}

/** The GPS week whose gpssec lies nearest the hint (Unix ms), so stamps up to 3.5 days off the hint resolve right. */
export function gpsWeekNear(gpssec: number, hintUnixMs: number): number {
  const hintGpsS = hintUnixMs / 1000 - GPS_EPOCH_UNIX_S + leapSecondsAt(hintUnixMs / 1000);
  let week = Math.floor(hintGpsS / WEEK_S);
  const candidate = week * WEEK_S + gpssec;
  if (candidate - hintGpsS > WEEK_S / 2) week--;
  else if (hintGpsS - candidate > WEEK_S / 2) week++;
  return week;
}

/** GPS seconds-of-week + ns -> Unix ns, choosing the week that puts it nearest the host clock. */
export function gpsToUnixNs(gpssec: number, gpsnsec: number, hostUnixMs: number): bigint {
  return gpsWeekToUnixNs(gpsWeekNear(gpssec, hostUnixMs), gpssec, gpsnsec, leapSecondsAt(hostUnixMs / 1000));
}

/** Unix ns -> GPS week, seconds-of-week + ns. */
export function unixNsToGpsWeek(unixNs: bigint): { week: number; gpssec: number; gpsnsec: number } {
  const gpsNs = unixNs - gpsEpochNs(leapSecondsAt(Number(unixNs / 1_000_000_000n)));
  const week = gpsNs >= 0n ? gpsNs / WEEK_NS : (gpsNs - WEEK_NS + 1n) / WEEK_NS;
  const inWeek = gpsNs - week * WEEK_NS;
  return { week: Number(week), gpssec: Number(inWeek / 1_000_000_000n), gpsnsec: Number(inWeek % 1_000_000_000n) };
}

/** Unix ns -> GPS seconds-of-week + ns (for the simulator). */
export function unixNsToGps(unixNs: bigint): { gpssec: number; gpsnsec: number } {
  const { gpssec, gpsnsec } = unixNsToGpsWeek(unixNs);
  return { gpssec, gpsnsec };
}
