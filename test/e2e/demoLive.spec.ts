/**
 * `serve --demo`: the simulated NW-Italy network on the Live page. Seven OpenWebRX waterfalls show
 * the 2 m transmitter keying up; asserted on pixels, and a screenshot is kept for review.
 */
import { expect, test } from '@playwright/test';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
test.beforeAll(async () => {
  station = await startStationProcess({ args: ['--demo'] });
});
test.afterAll(async () => {
  await station?.stop();
});

test('the demo network: seven OpenWebRX waterfalls show the 2 m transmitter', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await expect(page.getByTestId('receivers-table').getByRole('row')).toHaveCount(11);
  await page.keyboard.press('Alt+2');
  // The KiwiSDRs are HF receivers: leave them out of a 2 m monitor (once the list has loaded).
  const kiwis = page.getByRole('checkbox', { name: /KiwiSDR/ });
  await expect(kiwis).toHaveCount(3);
  for (const kiwi of await kiwis.all()) await kiwi.uncheck();
  await expect(page.getByText('Receivers (7 chosen)')).toBeVisible();
  await page.getByLabel('Frequency (MHz)').fill('145.500');
  await page.getByLabel('Mode').selectOption('nfm');
  await page.getByRole('button', { name: 'Start monitor' }).click();
  const cards = page.getByTestId('live-card');
  await expect(cards).toHaveCount(7);
  const canvases = page.locator('canvas.waterfall');
  await expect(canvases).toHaveCount(7, { timeout: 20_000 });
  // The transmitter keys 4 s in every 10 s: wait until every waterfall has more than 10 s of rows.
  await expect.poll(async () => Math.min(...(await canvases.evaluateAll((cs) => cs.map((c) => Number((c as HTMLCanvasElement).dataset.rowsDrawn ?? 0))))), { timeout: 40_000, intervals: [1000] }).toBeGreaterThan(110);
  const profiles = await canvases.evaluateAll((cs) =>
    cs.map((el) => {
      const c = el as HTMLCanvasElement;
      const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const rows = Math.min(height, Number(c.dataset.rowsDrawn ?? 0));
      const cols = new Float64Array(width);
      for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) cols[x] = cols[x]! + data[(y * width + x) * 4 + 1]!; // green tracks viridis brightness
      return Array.from(cols, (v) => v / rows);
    }),
  );
  for (const cols of profiles) {
    const sorted = [...cols].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // 145.500 MHz in a 2.4 MHz band centred on 145.000 MHz: 5/24 of the width right of centre.
    const expectAt = Math.round(cols.length * (0.5 + 0.5 / 2.4));
    const around = Math.max(...cols.slice(expectAt - 6, expectAt + 7));
    expect(around).toBeGreaterThan(median + 25);
  }
  await page.screenshot({ path: 'test-results/screens/live-demo.png', fullPage: true });
});
