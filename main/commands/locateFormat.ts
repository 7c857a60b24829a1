/** How a TDoA fix reads in a terminal: the fix, the distance to the known source, each pair, each receiver. */
import { type LocateResult } from '../../shared/domain/locate';

const deg = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)} ${v >= 0 ? pos : neg}`;
export const latLonText = (lat: number, lon: number) => `${deg(lat, 'N', 'S')}, ${deg(lon, 'E', 'W')}`;
const km = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} km`;
const us = (v: number, width = 9) => `${v.toFixed(1).padStart(width)} us`;

/** North-south and east-west extent of the 95 % region, km (its lines' bounding box). */
function regionExtentKm(r: LocateResult): { ns: number; ew: number } | null {
  const c = r.contours.find((x) => x.confidence >= 0.9) ?? r.contours.at(-1);
  const pts = c?.lines.flat() ?? [];
  if (!pts.length) return null;
  const lats = pts.map((p) => p[0]);
  const lons = pts.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const perDeg = (Math.PI / 180) * 6371;
  return { ns: (Math.max(...lats) - Math.min(...lats)) * perDeg, ew: (Math.max(...lons) - Math.min(...lons)) * perDeg * Math.cos((midLat * Math.PI) / 180) };
}

export function locateText(r: LocateResult, tookMs: number): string[] {
  const out: string[] = [];
  const good = r.receivers.filter((x) => x.status === 'good');
  const bad = r.receivers.filter((x) => x.status === 'bad');
  out.push(`fix: ${latLonText(r.position.lat, r.position.lon)}  (${r.position.lat.toFixed(5)}, ${r.position.lon.toFixed(5)})`);
  if (r.source) out.push(`known source: ${r.source.name} at ${latLonText(r.source.lat, r.source.lon)}, ${km(r.source.distanceKm)} from the fix`);
  const extent = regionExtentKm(r);
  if (extent) out.push(`95 % region: ${km(extent.ns)} north-south, ${km(extent.ew)} east-west`);
  out.push(`grid: ${r.grid.lat0.toFixed(2)}..${r.grid.lat1.toFixed(2)} lat, ${r.grid.lon0.toFixed(2)}..${r.grid.lon1.toFixed(2)} lon, step ${r.grid.stepDeg} deg (${r.grid.cells} cells)`);
  out.push(`interval: ${r.interval.seconds.toFixed(1)} s from ${r.interval.startUtc}${r.freqHz ? ` at ${r.freqHz} Hz` : ''}`);
  out.push('pairs (dt = arrival at the first minus at the second):');
  const nameWidth = Math.max(...r.pairs.map((p) => `${p.a} - ${p.b}`.length), 10);
  for (const p of r.pairs) {
    out.push(
      `  ${`${p.a} - ${p.b}`.padEnd(nameWidth)}  dt ${us(p.dtUs)}  rms ${us(p.rmsUs, 6)}  ${p.blocksUsed}/${p.blocksTotal} blocks  peak ${p.peak.toFixed(2)}  at the fix ${us(p.predictedUs)}  baseline ${p.baselineKm.toFixed(0)} km`,
    );
  }
  out.push(`receivers used (${good.length}):`);
  for (const x of good) out.push(`  ${x.name}${x.lat !== null && x.lon !== null ? ` at ${latLonText(x.lat, x.lon)}` : ''}${x.rateHz ? `, ${x.rateHz.toFixed(3)} samples/s on GPS` : ''}${x.reason ? ` (${x.reason})` : ''}`);
  if (bad.length) {
    out.push(`receivers left out (${bad.length}):`);
    for (const x of bad) out.push(`  ${x.name}: ${x.reason}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push(`took ${(tookMs / 1000).toFixed(2)} s (the fix itself ${(r.elapsedMs / 1000).toFixed(2)} s)`);
  return out;
}
