/**
 * Ground-wave geometry for TDoA: great-circle distance on a sphere of 6371 km, travelled at c. Good
 * to a few us over a few hundred km; past ~700 km at HF the ionosphere biases it by tens of us
 * (LOCALISATION.md), which the grid allows for with a model error per pair.
 */
export const EARTH_RADIUS_M = 6_371_000;
export const SPEED_OF_LIGHT = 299_792_458;
const RAD = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine: exact for short baselines, where acos loses digits). */
export function greatCircleM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ground-wave travel time in seconds. */
export function groundWaveDelaySec(a: LatLon, b: LatLon): number {
  return greatCircleM(a, b) / SPEED_OF_LIGHT;
}

/** Predicted arrival difference (s) at receivers a and b of a transmitter at tx: arrival at a minus at b. */
export function predictedDtSec(tx: LatLon, a: LatLon, b: LatLon): number {
  return groundWaveDelaySec(tx, a) - groundWaveDelaySec(tx, b);
}
