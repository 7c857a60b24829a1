/**
 * The Live page against simulated KiwiSDRs: waterfalls are drawn from real W/F rows, change over
 * time, show the beacon's column brighter than the noise, and a receiver that refuses us says why.
 * Then the view tools: the kHz-resolution axis, the shared cursor, the spectrum and level plots,
 * and retuning by click and by keyboard, after which the rows are centred on the new dial.
 */
import { expect, test, type Locator } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startSimProcess } from './simProcess';
import { countColour, cursorLineXs, mhz } from './canvasPixels';
import { repoRoot, startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
let sim: Awaited<ReturnType<typeof startSimProcess>>;

test.beforeAll(async () => {
  sim = await startSimProcess(path.join(repoRoot, 'test/e2e/fixtures/kiwi-live-scene.json'));
  station = await startStationProcess();
});
test.afterAll(async () => {
  await station?.stop();
  await sim?.stop();
  if (station) fs.rmSync(station.dataDir, { recursive: true, force: true });
});

/** Mean brightness of each canvas column over the rows drawn so far (luma of the colour map). */
function columnProfile(canvas: Locator) {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    const cols = new Float64Array(width);
    const rows = Math.min(height, Number(c.dataset.rowsDrawn ?? 0));
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        cols[x] = cols[x]! + 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      }
    }
    let hash = 0;
    for (let i = 0; i < data.length; i += 97) hash = (hash * 31 + data[i]!) >>> 0;
    return { cols: Array.from(cols, (v) => v / Math.max(1, rows)), hash, rowsDrawn: Number(c.dataset.rowsDrawn ?? 0) };
  });
}

/** Mean brightness of each column over the newest `rows` rows (the top of the canvas). */
function topRowsProfile(canvas: Locator, rows: number) {
  return canvas.evaluate((c: HTMLCanvasElement, n) => {
    const { data, width } = c.getContext('2d')!.getImageData(0, 0, c.width, n);
    const cols = new Float64Array(width);
    for (let y = 0; y < n; y++) for (let x = 0; x < width; x++) cols[x] = cols[x]! + 0.2126 * data[(y * width + x) * 4]! + 0.7152 * data[(y * width + x) * 4 + 1]! + 0.0722 * data[(y * width + x) * 4 + 2]!;
    return Array.from(cols, (v) => v / n);
  }, rows);
}

function peakColumn(cols: number[]) {
  const sorted = [...cols].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const peak = Math.max(...cols);
  return { at: cols.indexOf(peak), peak, median };
}

/** The centre of the label `text` on a waterfall's axis, as a fraction of the waterfall's width. */
async function labelAt(card: Locator, text: string) {
  const box = (await card.locator('.wf-stack').boundingBox())!;
  const lb = (await card.locator('.freq-label').filter({ hasText: new RegExp(`^${text.replace('.', '\\.')}$`) }).boundingBox())!;
  return (lb.x + lb.width / 2 - box.x) / box.width;
}

/** Waits until a waterfall's newest rows were drawn around `centreHz`, then `rows` more rows. */
async function waitForRowsAround(canvas: Locator, centreHz: number, rows: number) {
  await expect.poll(async () => Math.abs(Number(await canvas.getAttribute('data-start-hz')) + Number(await canvas.getAttribute('data-span-hz')) / 2 - centreHz), { timeout: 20_000 }).toBeLessThan(1);
  const from = Number(await canvas.getAttribute('data-rows-drawn'));
  await expect.poll(async () => Number(await canvas.getAttribute('data-rows-drawn')), { timeout: 15_000 }).toBeGreaterThan(from + rows);
}

test('monitor three KiwiSDRs: live waterfalls show the beacon; the locked one says why', async ({ page, request }) => {
  test.setTimeout(150_000);
  expect(sim.receivers).toHaveLength(3);
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  // Add the simulated receivers through the UI form.
  for (const r of sim.receivers) {
    await page.keyboard.press('n');
    const d = page.getByRole('dialog');
    await d.getByLabel('Name').fill(r.name);
    await d.getByLabel('Kind').selectOption('kiwisdr');
    await d.getByLabel('URL').fill(r.url);
    await d.getByRole('button', { name: 'Add receiver' }).click();
    await expect(d).toBeHidden();
  }
  void request;
  // Health at a glance: the simulators answer /status.
  await page.getByRole('button', { name: 'Check health now' }).click();
  const table = page.getByTestId('receivers-table');
  await expect(table.getByRole('row', { name: /Kiwi Torino/ })).toContainText('online');
  await expect(table.getByRole('row', { name: /Kiwi Torino/ })).toContainText('100%');
  await page.screenshot({ path: 'test-results/screens/receivers-health.png', fullPage: true });
  await page.keyboard.press('Alt+2');
  await page.getByLabel('Frequency (MHz)').fill('7.100');
  await page.getByLabel('Mode').selectOption('usb');
  await page.getByRole('button', { name: 'Start monitor' }).click();

  const cards = page.getByTestId('live-card');
  await expect(cards).toHaveCount(3);
  const torino = cards.filter({ hasText: 'Kiwi Torino (sim)' });
  await expect(torino.getByText('Live')).toBeVisible({ timeout: 15_000 });
  await expect(cards.filter({ hasText: 'Kiwi Locked (sim)' }).getByText(/refused the password/)).toBeVisible();

  const canvas = torino.locator('canvas.waterfall');
  await expect.poll(async () => (await columnProfile(canvas)).rowsDrawn, { timeout: 15_000 }).toBeGreaterThan(40);
  const first = await columnProfile(canvas);
  await page.waitForTimeout(1000);
  const second = await columnProfile(canvas);
  expect(second.hash).not.toBe(first.hash); // the waterfall moves
  // The beacon sits 1 kHz above the 7.100 MHz dial: find its column from the row geometry the page got.
  const cols = second.cols;
  const sorted = [...cols].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const peak = Math.max(...cols);
  const peakAt = cols.indexOf(peak);
  expect(peak).toBeGreaterThan(median + 40);
  // zoom 10 over 30 MHz = 29.3 kHz span centred on the dial: 1 kHz up is ~35 bins right of centre.
  expect(Math.abs(peakAt - (512 + (1000 / (30e6 / 1024)) * 1024))).toBeLessThan(8);
  await page.screenshot({ path: 'test-results/screens/live-kiwi.png', fullPage: true });

  // --- Manual levels: a floor 15 dB under the beacon turns the noise dark on every row already
  // drawn (the history is recoloured), the beacon stays bright; Auto brings the noise back.
  const medianOf = (c: number[]) => [...c].sort((a, b) => a - b)[c.length >> 1]!;
  await page.getByRole('button', { name: 'Auto', exact: true }).click();
  await page.getByLabel('Level floor (dB)').fill('-100');
  await page.getByLabel('Level top (dB)').fill('-60');
  await expect.poll(async () => medianOf((await columnProfile(canvas)).cols), { timeout: 5000 }).toBeLessThan(median - 10);
  const manual = (await columnProfile(canvas)).cols;
  expect(Math.max(...manual)).toBeGreaterThan(medianOf(manual) + 40);
  await page.screenshot({ path: 'test-results/screens/live-kiwi-levels.png' });
  await page.getByRole('button', { name: 'Manual', exact: true }).click();
  await expect(page.getByLabel('Level floor (dB)')).toHaveCount(0);
  await expect.poll(async () => medianOf((await columnProfile(canvas)).cols), { timeout: 5000 }).toBeGreaterThan(median - 5);

  // --- The axis: HF read to the kHz, 7.100 in the middle (the rows are centred on the dial).
  const genova = cards.filter({ hasText: 'Kiwi Genova (sim)' });
  const genovaCanvas = genova.locator('canvas.waterfall');
  await expect(torino.locator('.freq-label').filter({ hasText: /^7\.100$/ })).toBeVisible();
  expect(Math.abs((await labelAt(torino, '7.100')) - 0.5)).toBeLessThan(0.005);
  expect(Math.abs((await labelAt(torino, '7.110')) - (0.5 + 10e3 / (30e6 / 1024)))).toBeLessThan(0.005);
  await expect(torino.locator('.freq-axis')).toHaveAttribute('aria-label', /7\.0\d+ to 7\.1\d+ MHz/);

  // --- The shared cursor: hover the beacon on Torino, the line is at the same x on Genova.
  const tStack = torino.locator('.wf-stack');
  const tb = (await tStack.boundingBox())!;
  const beaconX = tb.width * (0.5 + 1000 / (30e6 / 1024));
  await tStack.hover({ position: { x: beaconX, y: tb.height * 0.5 } });
  await expect.poll(async () => (await cursorLineXs(page)).filter((x) => x !== null).length).toBe(2);
  const [xT, xG] = (await cursorLineXs(page)) as number[];
  expect(Math.abs(xT! - beaconX)).toBeLessThan(1.5);
  expect(Math.abs(xG! - xT!)).toBeLessThan(1.5);
  await expect(page.getByTestId('cursor-readout')).toContainText(/7\.10[01]\d* MHz/);
  await page.screenshot({ path: 'test-results/screens/live-kiwi-cursor.png' });

  // --- Spectrum and levels: uPlot canvases with the traces drawn; the KiwiSDR S-meter is in dBm.
  await expect.poll(() => countColour(page.getByTestId('spectrum-plot').locator('canvas'), [62, 199, 255]), { timeout: 5000 }).toBeGreaterThan(400);
  await expect(page.locator('.spectrum')).toContainText('newest row (dBm)');
  const levels = page.getByTestId('level-series');
  await expect(levels).toHaveCount(2);
  await expect.poll(async () => Math.min(...(await levels.evaluateAll((ls) => ls.map((l) => Number((l as HTMLElement).dataset.samples ?? 0))))), { timeout: 10_000 }).toBeGreaterThan(6);
  await expect.poll(() => countColour(levels.first().locator('canvas'), [62, 199, 255])).toBeGreaterThan(20);
  await expect(torino.locator('.levels-now')).toHaveText(/SNR \d+ dB/);

  // --- Click-to-tune on Genova at 7.105 MHz: the monitor retunes, the rows follow the dial.
  const gStack = genova.locator('.wf-stack');
  const gb = (await gStack.boundingBox())!;
  const lo = Number(await genova.locator('.freq-axis').getAttribute('data-lo-hz'));
  const hi = Number(await genova.locator('.freq-axis').getAttribute('data-hi-hz'));
  await gStack.click({ position: { x: ((7.105e6 - lo) / (hi - lo)) * gb.width, y: gb.height * 0.5 } });
  // 10 Hz clicks at this zoom.
  await expect.poll(async () => Math.abs(mhz(await page.getByTestId('monitor-summary').textContent()) - 7.105)).toBeLessThan(0.0001);
  const tuned = mhz(await page.getByTestId('monitor-summary').textContent());
  await expect(page.getByTestId('dial-readout')).toContainText(`${tuned.toFixed(4)}`);
  await expect(page.getByRole('button', { name: /Back to 7\.1000 MHz/ })).toBeVisible();
  await waitForRowsAround(genovaCanvas, tuned * 1e6, 40);
  // The beacon (7.101 MHz) is now ~4 kHz below the centre of the newest rows.
  const binHz = 30e6 / 1024 / 1024;
  const after = peakColumn(await topRowsProfile(genovaCanvas, 30));
  expect(after.peak).toBeGreaterThan(after.median + 40);
  expect(Math.abs(after.at - (512 + (7.101e6 - tuned * 1e6) / binHz))).toBeLessThan(8);
  // ...and the axis moved with them: 7.110 MHz is now 5 kHz right of the centre.
  expect(Math.abs((await labelAt(genova, '7.110')) - (0.5 + (7.11e6 - tuned * 1e6) / (30e6 / 1024)))).toBeLessThan(0.005);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: 'test-results/screens/live-kiwi-retuned.png' });

  // --- Keyboard only: focus Torino's waterfall; Shift+Left moves the cursor 5 kHz; Enter tunes.
  await tStack.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('cursor-readout')).toContainText(`${tuned.toFixed(4)} MHz`);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.getByTestId('cursor-readout')).toContainText('7.1000 MHz');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('monitor-summary')).toContainText('7.1000 MHz');
  await waitForRowsAround(torino.locator('canvas.waterfall'), 7.1e6, 40);
  const back = peakColumn(await topRowsProfile(torino.locator('canvas.waterfall'), 30));
  expect(Math.abs(back.at - (512 + 1000 / binHz))).toBeLessThan(8);
  await page.screenshot({ path: 'test-results/screens/live-kiwi-keyboard.png' });

  await page.getByRole('button', { name: 'Stop monitor' }).click();
  await expect(cards).toHaveCount(0);
});
