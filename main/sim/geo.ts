/** WGS-84 geodesy: enough to turn (lat, lon, alt) pairs into straight-line distances. */
const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);

export function toEcef(latDeg: number, lonDeg: number, altM: number): [number, number, number] {
  const lat = (latDeg * Math.PI) / 180;
  const lon = (lonDeg * Math.PI) / 180;
  const n = A / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
  return [(n + altM) * Math.cos(lat) * Math.cos(lon), (n + altM) * Math.cos(lat) * Math.sin(lon), (n * (1 - E2) + altM) * Math.sin(lat)];
}

export function distance3d(a: { lat: number; lon: number; altM: number }, b: { lat: number; lon: number; altM: number }): number {
  const p = toEcef(a.lat, a.lon, a.altM);
  const q = toEcef(b.lat, b.lon, b.altM);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

export const SPEED_OF_LIGHT = 299_792_458;
