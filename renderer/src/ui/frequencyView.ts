/**
 * Pure frequency-view maths for the Live page: mapping between Hz and pixels, zoom and pan inside
 * the frequencies the receivers actually deliver, axis ticks and their labels, and which slice of a
 * waterfall row lands where on screen. No DOM, no React: unit-tested in
 * test/unit/renderer/ui/frequencyView.test.ts.
 */

/** A frequency interval in Hz, lo < hi. */
export interface FreqRange {
  readonly lo: number;
  readonly hi: number;
}

export interface ZoomLimits {
  /** Narrowest span allowed (a few bins of the finest receiver). */
  readonly minSpanHz: number;
  /** Where there is data: the view never leaves it, nor grows wider than it. */
  readonly bounds: FreqRange;
}

export const spanOf = (r: FreqRange): number => r.hi - r.lo;
export const centreOf = (r: FreqRange): number => (r.lo + r.hi) / 2;

export function hzToX(hz: number, r: FreqRange, width: number): number {
  return ((hz - r.lo) / (r.hi - r.lo)) * width;
}

export function xToHz(x: number, r: FreqRange, width: number): number {
  return r.lo + (x / width) * (r.hi - r.lo);
}

export function contains(r: FreqRange, hz: number): boolean {
  return hz >= r.lo && hz <= r.hi;
}

/** Smallest interval holding every range, or null when there is none. */
export function unionRange(ranges: Iterable<FreqRange>): FreqRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of ranges) {
    if (r.lo < lo) lo = r.lo;
    if (r.hi > hi) hi = r.hi;
  }
  return hi > lo ? { lo, hi } : null;
}

/** Keeps a view inside its limits: span first (min..bounds), then shifted back inside the bounds. */
export function clampRange(r: FreqRange, limits: ZoomLimits): FreqRange {
  const maxSpan = spanOf(limits.bounds);
  const minSpan = Math.min(limits.minSpanHz, maxSpan);
  const span = Math.min(Math.max(spanOf(r), minSpan), maxSpan);
  let lo = centreOf(r) - span / 2;
  if (lo < limits.bounds.lo) lo = limits.bounds.lo;
  if (lo + span > limits.bounds.hi) lo = limits.bounds.hi - span;
  return { lo, hi: lo + span };
}

/**
 * Zoom by `factor` (> 1 zooms in) keeping `anchorHz` at the same place on screen, e.g. the
 * frequency under the mouse, then clamped to the limits.
 */
export function zoomAt(r: FreqRange, anchorHz: number, factor: number, limits: ZoomLimits): FreqRange {
  const span = spanOf(r);
  const maxSpan = spanOf(limits.bounds);
  const next = Math.min(Math.max(span / factor, Math.min(limits.minSpanHz, maxSpan)), maxSpan);
  const rel = Math.min(Math.max((anchorHz - r.lo) / span, 0), 1);
  const lo = anchorHz - rel * next;
  return clampRange({ lo, hi: lo + next }, limits);
}

/** Shift the view by deltaHz (positive: towards higher frequencies), clamped to the bounds. */
export function panBy(r: FreqRange, deltaHz: number, limits: ZoomLimits): FreqRange {
  return clampRange({ lo: r.lo + deltaHz, hi: r.hi + deltaHz }, limits);
}

/** Does the view show all of the bounds (within a hair), i.e. is it not zoomed at all? */
export function coversBounds(r: FreqRange, bounds: FreqRange): boolean {
  const tol = spanOf(bounds) * 1e-6;
  return r.lo <= bounds.lo + tol && r.hi >= bounds.hi - tol;
}

/** The 1-2-2.5-5 series: the smallest "round" step >= raw. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const s = m * p;
    if (s >= raw * (1 - 1e-9)) return s;
  }
  return 10 * p;
}

export interface AxisTicks {
  /** Distance between labelled ticks, Hz. */
  step: number;
  /** Labelled tick positions, Hz. */
  majors: number[];
  /** Unlabelled ticks between them, Hz (majors not repeated). */
  minors: number[];
}

/** Round-numbered ticks inside r, at most maxLabels labelled ones (at least one step is used). */
export function axisTicks(r: FreqRange, maxLabels: number): AxisTicks {
  const span = spanOf(r);
  const step = niceStep(span / Math.max(1, maxLabels));
  const mantissa = Math.round(step / 10 ** Math.floor(Math.log10(step)) * 10) / 10;
  const minorStep = step / (mantissa === 2 ? 4 : 5);
  const majors: number[] = [];
  const minors: number[] = [];
  // Multiples of the step, computed from integers so 145.5e6 stays 145.5e6 (no accumulated error).
  const first = Math.ceil(r.lo / minorStep - 1e-9);
  for (let k = first; k * minorStep <= r.hi * (1 + 1e-12) && k - first < 2000; k++) {
    const hz = k * minorStep;
    const q = hz / step;
    if (Math.abs(q - Math.round(q)) < 1e-6) majors.push(Math.round(q) * step);
    else minors.push(hz);
  }
  return { step, majors, minors };
}

/**
 * Decimals of MHz that show `stepHz` exactly: at least one, and at least three (the kHz) once the
 * step is finer than 100 kHz, the way HF frequencies are read (7.090, not 7.09).
 */
export function mhzDecimals(stepHz: number, min = stepHz >= 1e5 ? 1 : 3): number {
  const mhz = stepHz / 1e6;
  for (let d = min; d < 9; d++) {
    const scaled = mhz * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 9;
}

/** "145.5" for 145.5 MHz with a 500 kHz step, "7.100" with 10 kHz, "7.10025" with 250 Hz. */
export function formatMHz(hz: number, stepHz = 1000): string {
  return (hz / 1e6).toFixed(mhzDecimals(stepHz));
}

/**
 * The resolution a pointer can mean at this zoom: a power of ten at or below one pixel's worth,
 * never below 1 Hz. Clicked frequencies are rounded to it so a retune reads 145.5120, not 145.511973.
 */
export function pointerResolutionHz(r: FreqRange, widthPx: number): number {
  const perPx = spanOf(r) / Math.max(1, widthPx);
  return Math.max(1, 10 ** Math.floor(Math.log10(Math.max(perPx, 1))));
}

export function snapHz(hz: number, resolutionHz: number): number {
  return Math.round(hz / resolutionHz) * resolutionHz;
}

/** One keyboard step of the cursor: a round ~1% of the span (Shift: ten of them). */
export function cursorStepHz(r: FreqRange): number {
  return niceStep(spanOf(r) / 100);
}

/** A horizontal piece of a row to draw: source bins [sx, sx+sw) to destination x [dx, dx+dw). */
export interface RowSlice {
  sx: number;
  sw: number;
  dx: number;
  dw: number;
}

/**
 * Which bins of a row covering [rowStartHz, rowStartHz+rowSpanHz) (bins of equal width) fall in the
 * view, and where they go on a target `width` pixels wide. Writes into `out` (no allocation: this
 * runs every display frame) and returns false when the row has nothing in view.
 */
export function rowSlice(rowStartHz: number, rowSpanHz: number, bins: number, view: FreqRange, width: number, out: RowSlice): boolean {
  const binHz = rowSpanHz / bins;
  const b0 = Math.max(0, Math.min(bins, Math.floor((view.lo - rowStartHz) / binHz + 1e-9)));
  const b1 = Math.max(0, Math.min(bins, Math.ceil((view.hi - rowStartHz) / binHz - 1e-9)));
  if (b1 <= b0) return false;
  const scale = width / (view.hi - view.lo);
  out.sx = b0;
  out.sw = b1 - b0;
  out.dx = (rowStartHz + b0 * binHz - view.lo) * scale;
  out.dw = out.sw * binHz * scale;
  return true;
}

/** A dial frequency in MHz: 4 decimals (100 Hz), more only when the frequency needs them (to 1 Hz). */
export function formatDialMHz(hz: number): string {
  const exact = (Math.round(hz) / 1e6).toFixed(6);
  return exact.replace(/^(-?\d+\.\d{4}\d*?)0+$/, '$1');
}
