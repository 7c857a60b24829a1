import { type LocateReceiver, type StoredLocate } from '../../../../shared/domain/locate';
import { projectLatLon, type ProjectedLine } from '../map/drawLines';
import { heatmapImage, type HeatImage } from './heatmapImage';
import { pairColour, pairDash } from './locateColours';
import { shortNames } from './shortNames';

export interface PreparedHyperbola {
  key: string;
  a: string;
  b: string;
  /** "Aosta–Asti" */
  label: string;
  colour: string;
  dash: number[];
  lines: ProjectedLine[];
}

/** A stored result made ready to draw: heatmap coloured once, lines projected once. */
export interface PreparedLocate {
  result: StoredLocate;
  heat: HeatImage | null;
  contours: { confidence: number; lines: ProjectedLine[] }[];
  hyperbolas: PreparedHyperbola[];
  receivers: Array<LocateReceiver & { label: string }>;
  /** [lon, lat] of everything that matters: receivers, fix, source. */
  regionPoints: [number, number][];
  /** [lon, lat] around the fix: the outer contour and the source. */
  fixPoints: [number, number][];
}

export const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

export function prepareLocate(result: StoredLocate): PreparedLocate {
  const short = shortNames(result.receivers.map((r) => r.name));
  const label = (n: string) => short.get(n) ?? n;
  const fix: [number, number] = [result.position.lon, result.position.lat];
  const src: [number, number][] = result.source ? [[result.source.lon, result.source.lat]] : [];
  const outer = [...result.contours].sort((x, y) => y.confidence - x.confidence)[0];
  const contourPoints = (outer?.lines ?? []).flat().map(([lat, lon]): [number, number] => [lon, lat]);
  const located = result.receivers.filter((r) => r.lat !== null && r.lon !== null);
  return {
    result,
    heat: heatmapImage(result.heatmap),
    contours: result.contours.map((c) => ({ confidence: c.confidence, lines: c.lines.map(projectLatLon) })),
    hyperbolas: result.hyperbolas.map((h, i) => ({
      key: pairKey(h.a, h.b),
      a: h.a,
      b: h.b,
      label: `${label(h.a)}–${label(h.b)}`,
      colour: pairColour(i),
      dash: pairDash(i),
      lines: h.lines.map(projectLatLon),
    })),
    receivers: result.receivers.map((r) => ({ ...r, label: label(r.name) })),
    regionPoints: [...located.map((r): [number, number] => [r.lon!, r.lat!]), fix, ...src],
    fixPoints: [fix, ...src, ...contourPoints],
  };
}
