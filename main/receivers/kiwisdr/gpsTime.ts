/**
 * GPS time in KiwiSDR IQ frames is seconds-of-week + ns; the week comes from the host clock.
 * GPS time runs ahead of UTC by the leap seconds since 1980 (18 s since 2017).
 */
export const GPS_EPOCH_UNIX_S = 315_964_800; // 1980-01-06T00:00:00Z
export const GPS_UTC_LEAP_S = 18;
const WEEK_S = 604_800;

/** GPS seconds-of-week + ns -> Unix ns, choosing the week that puts it nearest the host clock. */
export function gpsToUnixNs(gpssec: number, gpsnsec: number, hostUnixMs: number): bigint {
  const hostGpsS = hostUnixMs / 1000 - GPS_EPOCH_UNIX_S + GPS_UTC_LEAP_S;
  let week = Math.floor(hostGpsS / WEEK_S);
  const candidate = week * WEEK_S + gpssec;
  // Near a week boundary the frame may belong to the previous or next week.
  if (candidate - hostGpsS > WEEK_S / 2) week--;
  else if (hostGpsS - candidate > WEEK_S / 2) week++;
  const gpsS = week * WEEK_S + gpssec;
  return BigInt(gpsS + GPS_EPOCH_UNIX_S - GPS_UTC_LEAP_S) * 1_000_000_000n + BigInt(gpsnsec);
}

/** Unix ns -> GPS seconds-of-week + ns (for the simulator). */
export function unixNsToGps(unixNs: bigint): { gpssec: number; gpsnsec: number } {
  const gpsNs = unixNs - BigInt(GPS_EPOCH_UNIX_S - GPS_UTC_LEAP_S) * 1_000_000_000n;
  const weekNs = BigInt(WEEK_S) * 1_000_000_000n;
  const inWeek = ((gpsNs % weekNs) + weekNs) % weekNs;
  return { gpssec: Number(inWeek / 1_000_000_000n), gpsnsec: Number(inWeek % 1_000_000_000n) };
}
