/**
 * 256-entry colour maps packed as little-endian RGBA Uint32 (ready for ImageData). Viridis and
 * cividis are perceptually uniform; cividis also reads the same for red-green colour-blind eyes.
 * Each is interpolated from a handful of anchor colours of the published maps.
 */
export type ColorMapName = 'viridis' | 'cividis' | 'turbo' | 'grayscale';

const anchors: Record<ColorMapName, [number, number, number][]> = {
  viridis: [
    [68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142], [33, 145, 140],
    [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37],
  ],
  cividis: [
    [0, 32, 77], [0, 42, 102], [52, 62, 108], [87, 84, 109], [112, 106, 115], [138, 129, 120],
    [166, 152, 116], [195, 176, 107], [225, 202, 91], [253, 231, 55], [255, 234, 70],
  ],
  turbo: [
    [48, 18, 59], [70, 107, 227], [40, 187, 236], [50, 241, 152], [164, 252, 60], [237, 208, 58],
    [251, 128, 34], [210, 49, 5], [122, 4, 3],
  ],
  grayscale: [
    [0, 0, 0], [255, 255, 255],
  ],
};

const cache = new Map<ColorMapName, Uint32Array>();

export function colorMap(name: ColorMapName): Uint32Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const a = anchors[name];
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (a.length - 1);
    const k = Math.min(Math.floor(x), a.length - 2);
    const f = x - k;
    const [r0, g0, b0] = a[k]!;
    const [r1, g1, b1] = a[k + 1]!;
    const r = Math.round(r0 + (r1 - r0) * f);
    const g = Math.round(g0 + (g1 - g0) * f);
    const b = Math.round(b0 + (b1 - b0) * f);
    lut[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  cache.set(name, lut);
  return lut;
}
