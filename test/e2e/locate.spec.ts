/**
 * Locate the transmitter, against `serve --demo`: a session on the demo's KiwiSDRs records the HF
 * beacon near Biella (keyed 4 s in every 10 s, with a phase spread that gives TDoA its lags), the
 * detector's segments are approved, L locates it; the fix is within 2 km of the known source, and
 * the heatmap's hottest colour and the source's diamond are drawn where they belong, in the review
 * and on the Receivers map.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import { countColourNear, mapPoint } from './canvasPixels';
import { startStationProcess, type StationProcess } from './stationProcess';

const SOURCE = { name: '40 m CW beacon near Biella', lat: 45.563, lon: 8.054 };
/** The heatmap colour of the most likely cell (renderer/src/ui/locate/locateColours.ts HEAT_HOT). */
const HOT: [number, number, number] = [252, 255, 164];
/** The known source's diamond. */
const SOURCE_RED: [number, number, number] = [255, 107, 107];

let station: StationProcess;
test.beforeAll(async () => {
  station = await startStationProcess({ args: ['--demo'] });
});
test.afterAll(async () => {
  await station?.stop();
  if (station) fs.rmSync(station.dataDir, { recursive: true, force: true });
});

/** "1.23 km" / "850 m" -> km. */
function km(text: string | null): number {
  const m = /([\d.]+)\s*(km|m)\b/.exec(text ?? '');
  if (!m) return NaN;
  return m[2] === 'km' ? Number(m[1]) : Number(m[1]) / 1000;
}

/** The fix as the result shows it ("Fix 45.56300, 8.05400"). */
async function shownFix(where: Locator): Promise<{ lat: number; lon: number }> {
  const text = (await where.textContent()) ?? '';
  const m = /Fix\s*(-?\d+\.\d+), (-?\d+\.\d+)/.exec(text);
  expect(m, text).not.toBeNull();
  return { lat: Number(m![1]), lon: Number(m![2]) };
}

/** The hottest heatmap colour around the fix, and the source's red at the source, on a map canvas. */
async function expectFixAndSourceDrawn(map: Locator, fix: { lat: number; lon: number }, hotMin: number) {
  const [fx, fy] = await mapPoint(map, fix.lon, fix.lat);
  const [sx, sy] = await mapPoint(map, SOURCE.lon, SOURCE.lat);
  await expect.poll(() => countColourNear(map, HOT, fx, fy, 40), { message: `hot colour near the fix at ${fx.toFixed(0)},${fy.toFixed(0)}` }).toBeGreaterThanOrEqual(hotMin);
  expect(await countColourNear(map, SOURCE_RED, sx, sy, 6), `source diamond at ${sx.toFixed(0)},${sy.toFixed(0)}`).toBeGreaterThan(40);
  // Far from the fix (a map corner) the hottest colour is nowhere.
  expect(await countColourNear(map, HOT, 30, 30, 25)).toBe(0);
}

async function addKnownSource(page: Page) {
  await page.getByRole('tab', { name: /Known sources/ }).click();
  await page.keyboard.press('n');
  const form = page.getByTestId('source-form');
  await form.getByLabel('Name').fill(SOURCE.name);
  await form.getByLabel('Kind').selectOption('beacon');
  await form.getByLabel('Frequency (MHz)').fill('7.1');
  await form.getByLabel('Latitude (°)').fill(`${SOURCE.lat}, ${SOURCE.lon}`);
  await form.getByLabel('Longitude (°)').press('Enter');
  await expect(form).toHaveCount(0);
  await page.getByRole('tab', { name: /Recording sessions/ }).click();
}

test('record the demo beacon on its KiwiSDRs, locate it in review within 2 km, and see the fix on the receivers map', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();
  await addKnownSource(page);

  // --- A 15 s IQ session on every KiwiSDR of the demo (the beacon keys up at least once in any 10 s).
  await page.keyboard.press('n');
  const form = page.getByTestId('session-form');
  await form.getByLabel('Source').selectOption({ label: `${SOURCE.name} (7.1 MHz)` });
  await form.getByLabel('Session name').fill('Locate e2e');
  await form.getByLabel('Mode').selectOption('iq');
  const kiwis = form.getByRole('checkbox', { name: /KiwiSDR/ });
  const nKiwis = await kiwis.count();
  expect(nKiwis).toBeGreaterThanOrEqual(3);
  for (const k of await kiwis.all()) await k.check();
  await form.getByLabel('Duration (s)').fill('15');
  await form.getByRole('button', { name: 'Create session' }).click();
  await expect(form).toHaveCount(0);
  await page.getByRole('button', { name: /Start recording/ }).click();
  await expect(page.getByTestId('recording-view')).toBeVisible({ timeout: 15_000 });

  // --- Review: approve the detector's segments, then L.
  const review = page.getByTestId('review-view');
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => review.locator('[data-testid=segment][data-origin=detector]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await review.getByRole('button', { name: 'Approve all pending' }).click();
  await expect(review.getByRole('button', { name: 'Approve all pending' })).toHaveCount(0);
  const panel = review.getByTestId('locate-panel');
  await expect(panel.getByText('None yet.')).toBeVisible();
  await page.keyboard.press('l');
  const progress = panel.getByTestId('locate-progress');
  const result = review.getByTestId('locate-result');
  // The job may finish before its bar is seen; either way it ends in a result.
  await expect(progress.or(result)).toBeVisible();
  await expect(result).toBeVisible({ timeout: 90_000 });
  await expect(panel.getByTestId('locate-error')).toHaveCount(0);

  const distance = km(await result.getByTestId('locate-distance').textContent());
  expect(distance).toBeLessThan(2);
  await expect(result).toContainText(`from ${SOURCE.name}`);
  await expect(result.getByTestId('locate-receivers').locator('tbody tr')).toHaveCount(nKiwis);
  await expect(result.getByTestId('locate-receivers').locator('tbody tr[data-status=good]')).toHaveCount(nKiwis);
  await expect(result.getByTestId('locate-pairs').locator('tbody tr')).toHaveCount((nKiwis * (nKiwis - 1)) / 2);
  await expect(panel.getByTestId('locate-list').getByRole('button')).toHaveCount(1);
  const fix = await shownFix(result.locator('.locate-summary'));

  const map = result.getByTestId('locate-map');
  await page.screenshot({ path: 'test-results/screens/locate-review.png' });
  await result.getByTestId('locate-pairs').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/locate-review-tables.png' });
  // The whole region: the hot core is a few pixels under the markers; zoomed on the fix it is wide.
  await map.screenshot({ path: 'test-results/screens/locate-map.png' });
  // Hovering a receiver says whether it was used (and why not, when it was left out).
  const [ax, ay] = await mapPoint(map, 7.32, 45.737);
  const scale = await map.evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().width / c.width);
  await map.hover({ position: { x: ax * scale, y: ay * scale } });
  await expect(result.getByRole('tooltip')).toContainText('KiwiSDR Aosta (sim) · used');
  await result.getByRole('button', { name: 'Zoom to fix' }).click();
  await expectFixAndSourceDrawn(map, fix, 30);
  await map.screenshot({ path: 'test-results/screens/locate-map-fix.png' });

  // --- A segment whose every recording was rejected cannot be located, and the panel says why.
  const seg1 = review.getByTestId('segment').first();
  for (let i = 0; i < nKiwis; i++) {
    await seg1.getByRole('button', { name: /^Reject KiwiSDR/, pressed: false }).first().click();
    await expect(seg1.getByRole('button', { name: /^Reject KiwiSDR/, pressed: true })).toHaveCount(i + 1);
  }
  await page.keyboard.press('Shift+L');
  const failure = panel.getByTestId('locate-error');
  await expect(failure).toContainText(/^Cannot locate: /, { timeout: 30_000 });
  await expect(failure).toContainText(/reject/i);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/locate-error.png' });
  await expect(panel.getByTestId('locate-list').getByRole('button')).toHaveCount(1);

  // --- The Receivers map overlays the same result.
  await result.getByRole('button', { name: 'Show on receivers map' }).click();
  await expect(page.getByRole('heading', { name: 'Receivers', exact: true })).toBeVisible();
  const bar = page.getByTestId('located-bar');
  await expect(bar.getByLabel('Located')).toHaveValue(/.+/);
  expect(km(await bar.getByTestId('overlay-distance').textContent())).toBeCloseTo(distance, 2);
  const rxMap = page.getByTestId('receiver-map');
  await expect(rxMap).toHaveAttribute('aria-label', /with a located result/);
  await page.getByRole('button', { name: 'Zoom to fix' }).click();
  await expectFixAndSourceDrawn(rxMap, fix, 30);
  await rxMap.screenshot({ path: 'test-results/screens/locate-receivers-map-fix.png' });
  await rxMap.focus();
  await page.keyboard.press('f');
  await page.screenshot({ path: 'test-results/screens/locate-receivers-map.png', fullPage: true });

  // Off by the selector: the heatmap goes; on again: it is back.
  await bar.getByLabel('Located').selectOption('');
  await expect(rxMap).not.toHaveAttribute('aria-label', /with a located result/);
  const [fx, fy] = await mapPoint(rxMap, fix.lon, fix.lat);
  expect(await countColourNear(rxMap, HOT, fx, fy, 40)).toBe(0);
  await bar.getByLabel('Located').selectOption({ index: 1 });
  await expect(rxMap).toHaveAttribute('aria-label', /with a located result/);
  await rxMap.focus();
  await page.keyboard.press('z');
  await expectFixAndSourceDrawn(rxMap, fix, 30);
});
