/** `locate --png <file>`: the fix drawn on the offline base map, as a PNG. */
import fs from 'node:fs';
import path from 'node:path';
import { type LocateResult } from '../../shared/domain/locate';
import { StationError } from '../../shared/errors';
import { drawLocateMap, loadBasemap, type Basemap } from '../locate/locateMapImage';
import { encodePng } from '../locate/pngEncode';
import { resourcesDir } from '../base/paths';

/** Writes the map; returns the line that says where it is and how to read it. */
export function writeLocatePng(file: string, result: LocateResult): string {
  let basemap: Basemap | null = null;
  let note = '';
  try {
    basemap = loadBasemap(path.join(resourcesDir(), 'basemap', 'world-50m.json'));
  } catch (e) {
    note = ` (without coastlines: the base map could not be read, ${(e as Error).message})`;
  }
  const img = drawLocateMap(result, basemap);
  try {
    fs.writeFileSync(file, encodePng(img.width, img.height, img.rgb));
  } catch (e) {
    throw new StationError('unavailable', `The map could not be written to ${file} (${(e as Error).message}). Choose a writable path for --png.`);
  }
  return `map: ${file} (${img.width} x ${img.height} px${note}): likelihood heatmap (yellow = most likely), white 68 % and grey 95 % contours, one coloured hyperbola per pair, receivers green (used) or red rings (left out), the known source a cyan ring, the fix a magenta dot`;
}
