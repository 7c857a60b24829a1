/** Colours of the locate layers, shared by the review map, the receivers map and their legends. */

/** Inferno-like stops: dark violet (unlikely) to pale yellow (the most likely cells). */
const HEAT_STOPS: Array<[number, [number, number, number]]> = [
  [0, [20, 11, 52]],
  [0.25, [101, 21, 110]],
  [0.5, [188, 55, 84]],
  [0.75, [249, 142, 9]],
  [1, [252, 255, 164]],
];

/** The colour of a likelihood byte of 255 (the e2e looks for it near the fix). */
export const HEAT_HOT: readonly [number, number, number] = HEAT_STOPS[HEAT_STOPS.length - 1]![1];

/** Opacity of a likelihood 0..1: fading to nothing, so the grid's edge leaves no seam on the map. */
const heatAlpha = (t: number) => Math.min(1, 1.4 * t);

/**
 * 256 RGBA entries for the likelihood bytes: 0 (beyond the 99.9 % region) transparent, then more
 * opaque as the likelihood rises, so the base map shows through where the fix cannot be.
 */
export const HEAT_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let v = 1; v < 256; v++) {
    const t = v / 255;
    const k = HEAT_STOPS.findIndex(([s]) => s >= t);
    const [s1, c1] = HEAT_STOPS[k]!;
    const [s0, c0] = HEAT_STOPS[Math.max(0, k - 1)]!;
    const f = s1 === s0 ? 0 : (t - s0) / (s1 - s0);
    for (let i = 0; i < 3; i++) lut[v * 4 + i] = Math.round(c0[i]! + (c1[i]! - c0[i]!) * f);
    lut[v * 4 + 3] = Math.round(255 * heatAlpha(t));
  }
  return lut;
})();

/** CSS gradient of the same ramp, for the legend. */
export const HEAT_GRADIENT_CSS = `linear-gradient(90deg, ${HEAT_STOPS.map(([s, [r, g, b]]) => `rgba(${r},${g},${b},${Math.max(0.15, heatAlpha(s))}) ${s * 100}%`).join(', ')})`;

/** The known source: the red diamond of the receivers map. */
export const SOURCE_COLOUR = '#ff6b6b';
export const FIX_COLOUR = '#ffffff';
export const CONTOUR_COLOUR = '#ffffff';
export const GOOD_RECEIVER = '#3ddc84';
export const BAD_RECEIVER = '#8a97a6';
export const HALO = '#0b0f14';

/** One colour per receiver pair; beyond ten pairs the colours repeat with a dash (see pairDash). */
const PAIR_COLOURS = ['#5ec8ff', '#b197ff', '#6ee7a0', '#ff8fd0', '#d4e86a', '#ffb86b', '#7aa2ff', '#4fe0d0', '#e6e6e6', '#c58cff'];
export const pairColour = (i: number): string => PAIR_COLOURS[i % PAIR_COLOURS.length]!;
export const pairDash = (i: number): number[] => (Math.floor(i / PAIR_COLOURS.length) % 2 === 1 ? [7, 4] : []);
