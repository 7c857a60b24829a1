/** The Live page's pure maths: frequency zoom/pan, axis ticks and labels, row slices, row dB/SNR. */
import { describe, expect, it } from 'vitest';
import {
  axisTicks,
  clampRange,
  coversBounds,
  cursorStepHz,
  formatDialMHz,
  formatMHz,
  hzToX,
  mhzDecimals,
  niceStep,
  panBy,
  pointerResolutionHz,
  rowSlice,
  snapHz,
  unionRange,
  xToHz,
  zoomAt,
  type RowSlice,
} from '../../../../renderer/src/ui/frequencyView';
import { byteToDb, holdPeak, rowSnrDb, rowToDb } from '../../../../renderer/src/ui/rowMath';

// The demo's 2 m OpenWebRX band: 2.4 MHz centred on 145 MHz.
const band = { lo: 143.8e6, hi: 146.2e6 };
const limits = { bounds: band, minSpanHz: 1000 };

describe('pixels and Hz', () => {
  it('maps both ways', () => {
    expect(hzToX(145e6, band, 1200)).toBeCloseTo(600, 9);
    expect(hzToX(143.8e6, band, 1200)).toBe(0);
    expect(xToHz(1200, band, 1200)).toBe(146.2e6);
    for (const x of [0, 1, 333.3, 1199]) expect(hzToX(xToHz(x, band, 1200), band, 1200)).toBeCloseTo(x, 6);
  });

  it('rounds a click to the resolution a pixel can mean', () => {
    // 2.4 MHz over 400 px = 6 kHz per pixel: kHz resolution.
    expect(pointerResolutionHz(band, 400)).toBe(1000);
    // A KiwiSDR at zoom 10 (29.3 kHz) over 400 px: 73 Hz per pixel -> 10 Hz.
    expect(pointerResolutionHz({ lo: 7.085e6, hi: 7.085e6 + 30e6 / 1024 }, 400)).toBe(10);
    expect(pointerResolutionHz({ lo: 0, hi: 100 }, 1000)).toBe(1);
    expect(snapHz(145_512_345, 1000)).toBe(145_512_000);
    expect(snapHz(145_512_500, 1000)).toBe(145_513_000);
  });

  it('steps the keyboard cursor by round amounts', () => {
    expect(cursorStepHz(band)).toBe(25_000);
    expect(cursorStepHz({ lo: 7.09e6, hi: 7.11e6 })).toBe(200);
  });
});

describe('zoom and pan', () => {
  it('zooms in around the anchor, which stays where it was on screen', () => {
    const anchor = 145.5e6;
    const z = zoomAt(band, anchor, 4, limits);
    expect(z.hi - z.lo).toBeCloseTo(600e3, 3);
    expect(hzToX(anchor, z, 1000)).toBeCloseTo(hzToX(anchor, band, 1000), 6);
  });

  it('zooming out again returns to the whole band and no further', () => {
    const z = zoomAt(zoomAt(band, 145.5e6, 4, limits), 145.5e6, 1 / 4, limits);
    expect(z.lo).toBeCloseTo(band.lo, 3);
    expect(z.hi).toBeCloseTo(band.hi, 3);
    const out = zoomAt(band, 145e6, 1 / 8, limits);
    expect(out).toEqual(band);
    expect(coversBounds(out, band)).toBe(true);
    expect(coversBounds(z, band)).toBe(true);
    expect(coversBounds({ lo: 144e6, hi: 145e6 }, band)).toBe(false);
  });

  it('never zooms below the minimum span', () => {
    const z = zoomAt(band, 145e6, 1e9, limits);
    expect(z.hi - z.lo).toBeCloseTo(1000, 6);
    expect(z.lo).toBeLessThanOrEqual(145e6);
    expect(z.hi).toBeGreaterThanOrEqual(145e6);
  });

  it('an anchor near the edge keeps the view inside the data', () => {
    const z = zoomAt(band, 146.2e6, 2, limits);
    expect(z.hi).toBeCloseTo(146.2e6, 3);
    expect(z.lo).toBeCloseTo(145.0e6, 3);
  });

  it('pans, stopping at the edges of the data', () => {
    const z = { lo: 145e6, hi: 145.4e6 };
    expect(panBy(z, 100e3, limits)).toEqual({ lo: 145.1e6, hi: 145.5e6 });
    expect(panBy(z, 10e6, limits)).toEqual({ lo: 145.8e6, hi: 146.2e6 });
    expect(panBy(z, -10e6, limits)).toEqual({ lo: 143.8e6, hi: 144.2e6 });
  });

  it('clamps a view wider than the data to the data', () => {
    expect(clampRange({ lo: 100e6, hi: 200e6 }, limits)).toEqual(band);
  });

  it('unions the receivers’ ranges', () => {
    expect(unionRange([{ lo: 7.09e6, hi: 7.11e6 }, band])).toEqual({ lo: 7.09e6, hi: 146.2e6 });
    expect(unionRange([])).toBeNull();
  });
});

describe('axis ticks and labels', () => {
  it('chooses 1-2-2.5-5 steps', () => {
    expect(niceStep(0.6e6)).toBe(1e6);
    expect(niceStep(0.45e6)).toBe(0.5e6);
    expect(niceStep(220e3)).toBe(250e3);
    expect(niceStep(150)).toBe(200);
    expect(niceStep(1000)).toBe(1000);
  });

  it('puts labelled ticks on round frequencies inside the range', () => {
    const t = axisTicks(band, 5);
    expect(t.step).toBe(500e3);
    expect(t.majors).toEqual([144e6, 144.5e6, 145e6, 145.5e6, 146e6]);
    expect(t.majors.map((hz) => formatMHz(hz, t.step))).toEqual(['144.0', '144.5', '145.0', '145.5', '146.0']);
    // Minor ticks every 100 kHz, never on a major.
    expect(t.minors).toContain(143.9e6);
    expect(t.minors).not.toContain(145e6);
    expect(t.minors.length).toBe(20);
  });

  it('labels a KiwiSDR span (29.3 kHz around 7.100 MHz) to the kHz', () => {
    const span = 30e6 / 1024;
    const r = { lo: 7.1e6 - span / 2, hi: 7.1e6 + span / 2 };
    const t = axisTicks(r, 4);
    expect(t.step).toBe(10e3);
    expect(t.majors.map((hz) => formatMHz(hz, t.step))).toEqual(['7.090', '7.100', '7.110']);
  });

  it('adds decimals only when the step needs them', () => {
    expect(mhzDecimals(1e6)).toBe(1);
    expect(mhzDecimals(500e3)).toBe(1);
    expect(mhzDecimals(250e3)).toBe(2);
    expect(mhzDecimals(1000)).toBe(3);
    expect(mhzDecimals(500e3, 3)).toBe(3);
    expect(mhzDecimals(500)).toBe(4);
    expect(mhzDecimals(250)).toBe(5);
    expect(mhzDecimals(10)).toBe(5);
    expect(formatMHz(7_100_250, 250)).toBe('7.10025');
  });

  it('writes the dial to 100 Hz, or to the Hz when it has them', () => {
    expect(formatDialMHz(145_500_000)).toBe('145.5000');
    expect(formatDialMHz(145_512_500)).toBe('145.5125');
    expect(formatDialMHz(7_105_120)).toBe('7.10512');
    expect(formatDialMHz(7_105_123.4)).toBe('7.105123');
  });
});

describe('row slices', () => {
  const out: RowSlice = { sx: 0, sw: 0, dx: 0, dw: 0 };

  it('draws the whole row across the canvas when the view is the row', () => {
    expect(rowSlice(band.lo, 2.4e6, 1024, band, 1024, out)).toBe(true);
    expect(out).toEqual({ sx: 0, sw: 1024, dx: 0, dw: 1024 });
  });

  it('draws only the bins in a zoomed view, stretched, starting left of the canvas for a partial bin', () => {
    const view = { lo: 145e6, hi: 145.6e6 }; // bins 512..768 of 1024
    expect(rowSlice(band.lo, 2.4e6, 1024, view, 1024, out)).toBe(true);
    expect(out.sx).toBe(512);
    expect(out.sw).toBe(256);
    expect(out.dx).toBeCloseTo(0, 9);
    expect(out.dw).toBeCloseTo(1024, 9);
    // A view edge inside a bin: that bin starts left of the canvas.
    expect(rowSlice(0, 1024, 1024, { lo: 10.5, hi: 20.5 }, 100, out)).toBe(true);
    expect(out).toMatchObject({ sx: 10, sw: 11 });
    expect(out.dx).toBeCloseTo(-5, 9);
    expect(out.dw).toBeCloseTo(110, 9);
  });

  it('leaves the rest blank when a row covers only part of the view (older rows after a retune)', () => {
    // Row 7.085..7.115 MHz, view 7.100..7.130 MHz: the row fills the left half.
    expect(rowSlice(7.085e6, 30e3, 1000, { lo: 7.1e6, hi: 7.13e6 }, 600, out)).toBe(true);
    expect(out.sx).toBe(500);
    expect(out.sw).toBe(500);
    expect(out.dx).toBeCloseTo(0, 9);
    expect(out.dw).toBeCloseTo(300, 9);
    expect(rowSlice(7.085e6, 30e3, 1000, { lo: 7.2e6, hi: 7.3e6 }, 600, out)).toBe(false);
  });
});

describe('row dB, peak hold and SNR', () => {
  it('maps bytes linearly onto minDb..maxDb', () => {
    expect(byteToDb(0, -120, -20)).toBe(-120);
    expect(byteToDb(255, -120, -20)).toBe(-20);
    const out = new Float64Array(3);
    rowToDb(Uint8Array.from([9, 9, 0, 51, 255]), 2, 3, -120, -20, out);
    expect(Array.from(out)).toEqual([-120, -100, -20]);
  });

  it('holds peaks', () => {
    const peak = Float64Array.from([NaN, -50, -90]);
    holdPeak(peak, Float64Array.from([-80, -60, -70]), 3);
    expect(Array.from(peak)).toEqual([-80, -50, -70]);
  });

  it('estimates SNR as strongest minus median bin', () => {
    const hist = new Uint32Array(256);
    const row = new Uint8Array(1024).fill(40);
    for (let i = 0; i < 1024; i += 2) row[i] = 44; // noise 40/44: median 40 (lower median)
    row[300] = 240;
    // (240 - 40) bytes over a 75 dB range of 255 bytes.
    expect(rowSnrDb(row, 0, 1024, -120, -45, hist)).toBeCloseTo((200 * 75) / 255, 9);
    // Offset into a batch of rows.
    const batch = new Uint8Array(2048).fill(10);
    batch.set(row, 1024);
    expect(rowSnrDb(batch, 1024, 1024, -120, -45, hist)).toBeCloseTo((200 * 75) / 255, 9);
    expect(rowSnrDb(new Uint8Array(16).fill(7), 0, 16, -100, 0, hist)).toBe(0);
  });
});
