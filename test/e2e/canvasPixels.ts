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
