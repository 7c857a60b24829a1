import { type LocateHeatmap } from '../../../../shared/domain/locate';
import { project, unproject } from '../map/mercator';
import { HEAT_LUT } from './locateColours';

/** The heatmap coloured once into an image whose rows are evenly spaced in Mercator y, and where it goes. */
export interface HeatImage {
  image: HTMLCanvasElement;
  /** Edges in projected radians (x west/east, y south/north). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The likelihood grid is even in latitude, the map in Mercator y: over a few degrees the two differ
 * by pixels at the region's scale and by whole cells once zoomed on the fix, so the rows are
 * resampled to even y here, once, and every frame is a single scaled drawImage.
 */
export function heatmapImage(h: LocateHeatmap): HeatImage | null {
  const bytes = decodeBase64(h.likelihood);
  if (bytes.length !== h.rows * h.cols) return null;
  const latS = h.lat0 - h.stepLat / 2;
  const latN = h.lat0 + (h.rows - 0.5) * h.stepLat;
  const [x0, y0] = project(h.lon0 - h.stepLon / 2, latS);
  const [x1, y1] = project(h.lon0 + (h.cols - 0.5) * h.stepLon, latN);
  const outRows = Math.min(2048, h.rows * 2);
  const image = document.createElement('canvas');
  image.width = h.cols;
  image.height = outRows;
  const ctx = image.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(h.cols, outRows);
  const px = img.data;
  for (let j = 0; j < outRows; j++) {
    // Output row 0 is the north edge; source row 0 is the south one.
    const y = y1 - ((j + 0.5) / outRows) * (y1 - y0);
    const lat = unproject(0, y)[1];
    // The nearest row, not a blend: the most likely cell keeps its 255 (drawing smooths the rest).
    const r = Math.min(h.rows - 1, Math.max(0, Math.round((lat - h.lat0) / h.stepLat)));
    for (let c = 0; c < h.cols; c++) {
      const v = bytes[r * h.cols + c]!;
      const o = (j * h.cols + c) * 4;
      px[o] = HEAT_LUT[v * 4]!;
      px[o + 1] = HEAT_LUT[v * 4 + 1]!;
      px[o + 2] = HEAT_LUT[v * 4 + 2]!;
      px[o + 3] = HEAT_LUT[v * 4 + 3]!;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { image, x0, x1, y0, y1 };
}
