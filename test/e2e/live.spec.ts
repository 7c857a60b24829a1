/**
 * The Live page against simulated KiwiSDRs: waterfalls are drawn from real W/F rows, change over
 * time, show the beacon's column brighter than the noise, and a receiver that refuses us says why.
 */
import { expect, test, type Locator } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startSimProcess } from './simProcess';
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

test('monitor three KiwiSDRs: live waterfalls show the beacon; the locked one says why', async ({ page, request }) => {
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

  await page.getByRole('button', { name: 'Stop monitor' }).click();
  await expect(cards).toHaveCount(0);
});
