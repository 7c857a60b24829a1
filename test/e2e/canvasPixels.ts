/** Pixel readers shared by the Live e2e specs: what the page drew, read back from its canvases. */
import { type Locator, type Page } from '@playwright/test';

/** Per waterfall overlay: x (CSS px from its left edge) of the white cursor line, or null. */
export function cursorLineXs(page: Page) {
  return page.locator('canvas.wf-overlay').evaluateAll((cs) =>
    cs.map((el) => {
      const c = el as HTMLCanvasElement;
      const row = c.getContext('2d')!.getImageData(0, Math.floor(c.height * 0.7), c.width, 1).data;
      const xs: number[] = [];
      for (let x = 0; x < c.width; x++) if (row[x * 4]! > 240 && row[x * 4 + 1]! > 240 && row[x * 4 + 2]! > 240 && row[x * 4 + 3]! > 150) xs.push(x);
      return xs.length ? (((xs[0]! + xs[xs.length - 1]!) / 2 + 0.5) / c.width) * c.getBoundingClientRect().width : null;
    }),
  );
}

/** Pixels of a canvas within 24 of an RGB colour (uPlot series are drawn in known colours). */
export function countColour(canvas: Locator, rgb: [number, number, number]) {
  return canvas.evaluate((el, [r, g, b]) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) < 24 && Math.abs(data[i + 1]! - g) < 24 && Math.abs(data[i + 2]! - b) < 24 && data[i + 3]! > 200) n++;
    return n;
  }, rgb);
}

/** The MHz figure in a readout such as "Dial 145.5000 MHz". */
export const mhz = (text: string | null) => Number(/(\d+\.\d+) MHz/.exec(text ?? '')?.[1]);

/** Pixels within `radius` canvas px of (x, y) that are within `tol` of an RGB colour and nearly opaque. */
export function countColourNear(canvas: Locator, rgb: readonly [number, number, number], x: number, y: number, radius: number, tol = 24) {
  return canvas.evaluate(
    (el, { rgb: [r, g, b], x, y, radius, tol }) => {
      const c = el as HTMLCanvasElement;
      const x0 = Math.max(0, Math.floor(x - radius));
      const y0 = Math.max(0, Math.floor(y - radius));
      const x1 = Math.min(c.width, Math.ceil(x + radius + 1));
      const y1 = Math.min(c.height, Math.ceil(y + radius + 1));
      if (x1 <= x0 || y1 <= y0) return 0;
      const { data } = c.getContext('2d')!.getImageData(x0, y0, x1 - x0, y1 - y0);
      let n = 0;
      for (let j = 0; j < y1 - y0; j++) {
        for (let i = 0; i < x1 - x0; i++) {
          if (Math.hypot(x0 + i + 0.5 - x, y0 + j + 0.5 - y) > radius) continue;
          const o = (j * (x1 - x0) + i) * 4;
          if (Math.abs(data[o]! - r) < tol && Math.abs(data[o + 1]! - g) < tol && Math.abs(data[o + 2]! - b) < tol && data[o + 3]! > 200) n++;
        }
      }
      return n;
    },
    { rgb: [...rgb] as [number, number, number], x, y, radius, tol },
  );
}

/**
 * Where a place lands on a map canvas (canvas px): Web Mercator through the view the map publishes
 * in data-view ("cx cy scale", projected radians), as the map itself draws it.
 */
export async function mapPoint(canvas: Locator, lon: number, lat: number): Promise<[number, number]> {
  const [view, w, h] = await canvas.evaluate((el) => [el.getAttribute('data-view') ?? '', (el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height] as const);
  const [cx, cy, scale] = view.split(' ').map(Number) as [number, number, number];
  const rad = Math.PI / 180;
  const x = lon * rad;
  const y = Math.log(Math.tan(Math.PI / 4 + (lat * rad) / 2));
  return [w / 2 + (x - cx) * scale, h / 2 - (y - cy) * scale];
}
