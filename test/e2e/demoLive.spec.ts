/**
 * `serve --demo`: the simulated NW-Italy network on the Live page. Seven OpenWebRX waterfalls show
 * the 2 m transmitter keying up; then the view tools a user reaches for: the frequency axis, the
 * shared cursor, wheel zoom and reset, the spectrum with peak hold, the level series, pause, and
 * tuning by click and by keyboard. Asserted on pixels; screenshots are kept for review.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { countColour, cursorLineXs, mhz } from './canvasPixels';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
test.beforeAll(async () => {
  station = await startStationProcess({ args: ['--demo'] });
});
test.afterAll(async () => {
  await station?.stop();
});

const SCREENS = 'test-results/screens';

/** Per waterfall overlay: x (CSS px) of the dial marker (the red column in the top 18 px), or null. */
function dialMarkerXs(page: Page) {
  return page.locator('canvas.wf-overlay').evaluateAll((cs) =>
    cs.map((el) => {
      const c = el as HTMLCanvasElement;
      const dpr = c.width / c.getBoundingClientRect().width;
      const rows = Math.round(18 * dpr);
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, rows);
      const counts = new Uint32Array(c.width);
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 230 && data[i + 1]! > 70 && data[i + 1]! < 120 && data[i + 2]! > 70 && data[i + 2]! < 120 && data[i + 3]! > 200) counts[(i / 4) % c.width]!++;
      let best = 0;
      for (let x = 1; x < c.width; x++) if (counts[x]! > counts[best]!) best = x;
      return counts[best]! >= rows - 1 ? (best + 0.5) / dpr : null;
    }),
  );
}

/** Mean brightness (green channel: viridis) of each column of a waterfall canvas over its drawn rows. */
function columnProfile(canvas: Locator) {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const rows = Math.min(height, Number(c.dataset.rowsDrawn ?? 0));
    const cols = new Float64Array(width);
    for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) cols[x] = cols[x]! + data[(y * width + x) * 4 + 1]!;
    let hash = 0;
    for (let i = 0; i < data.length; i += 97) hash = (hash * 31 + data[i]!) >>> 0;
    // Which rows differ from a later read tells what moved: for the pause check's message.
    const rowHashes: number[] = [];
    for (let y = 0; y < height; y += 16) {
      let h = 0;
      for (let x = 0; x < width; x += 7) h = (h * 31 + data[(y * width + x) * 4 + 1]!) >>> 0;
      rowHashes.push(h);
    }
    return { cols: Array.from(cols, (v) => v / Math.max(1, rows)), hash, rowHashes, info: `${width}x${height} drawn ${c.dataset.rowsDrawn} back ${c.dataset.rowsBack} visible ${c.dataset.visibleRows} lo ${c.dataset.startHz}` };
  });
}

test('the demo network: seven OpenWebRX waterfalls show the 2 m transmitter', async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1600, height: 1100 });
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  // A header row and the demo's twelve receivers.
  await expect(page.getByTestId('receivers-table').getByRole('row')).toHaveCount(13);
  await page.keyboard.press('Alt+2');
  // The KiwiSDRs are HF receivers: leave them out of a 2 m monitor (once the list has loaded).
  const kiwis = page.getByRole('checkbox', { name: /KiwiSDR/ });
  await expect(kiwis).toHaveCount(5);
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
  await page.screenshot({ path: `${SCREENS}/live-demo.png`, fullPage: true });

  // --- Frequency axis: round MHz labels under every waterfall, where those frequencies are drawn.
  const stacks = page.locator('.wf-stack');
  const axes = page.locator('.freq-axis');
  await expect(axes).toHaveCount(7);
  for (let i = 0; i < 7; i++) {
    const box = (await stacks.nth(i).boundingBox())!;
    for (const [text, frac] of [[/^145\.0$/, 0.5], [/^145\.5$/, 0.5 + 0.5 / 2.4]] as const) {
      const label = axes.nth(i).locator('.freq-label', { hasText: text });
      await expect(label).toBeVisible();
      const lb = (await label.boundingBox())!;
      expect(Math.abs(lb.x + lb.width / 2 - (box.x + box.width * frac))).toBeLessThan(2);
      expect(lb.height).toBeGreaterThanOrEqual(15); // large type
    }
  }
  await expect(axes.first()).toContainText('MHz');

  // --- Shared cursor: hovering one waterfall draws the line at the same frequency on all seven.
  const first = stacks.first();
  const fb = (await first.boundingBox())!;
  const hoverX = fb.width * (0.5 + 0.5 / 2.4);
  await first.hover({ position: { x: hoverX, y: fb.height / 2 } });
  await expect.poll(async () => (await cursorLineXs(page)).filter((x) => x !== null).length).toBe(7);
  const xs = (await cursorLineXs(page)) as number[];
  for (const x of xs) expect(Math.abs(x - hoverX)).toBeLessThan(1.5);
  await expect(page.getByTestId('cursor-readout')).toContainText(/145\.50\d\d MHz/);
  const aquila = cards.filter({ hasText: 'Aquila di Giaveno' });
  await aquila.screenshot({ path: `${SCREENS}/live-demo-card-cursor.png` });

  // --- Spectrum (uPlot) of the selected receiver: the newest row is drawn; peak hold adds a trace.
  const spectrum = page.getByTestId('spectrum-plot');
  const spectrumCanvas = spectrum.locator('canvas');
  await expect.poll(() => countColour(spectrumCanvas, [62, 199, 255]), { timeout: 5000 }).toBeGreaterThan(400);
  await page.getByRole('button', { name: 'Peak hold' }).click();
  await expect(page.getByRole('button', { name: 'Peak hold' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => countColour(spectrumCanvas, [255, 176, 32]), { timeout: 5000 }).toBeGreaterThan(200);
  // Over one transmitter cycle the peak holds the carrier even while it is off.
  await page.waitForTimeout(10_500);
  await page.locator('.live-top').screenshot({ path: `${SCREENS}/live-demo-spectrum-peak.png` });
  await page.getByRole('button', { name: 'Reset peak' }).click();
  // Another receiver in the spectrum: click its name.
  await cards.filter({ hasText: 'Torino' }).getByRole('button', { name: 'Torino', exact: true }).click();
  await expect(spectrum).toHaveAttribute('data-receiver-id', (await cards.filter({ hasText: 'Torino' }).getAttribute('data-receiver-id'))!);
  await expect(page.getByRole('button', { name: 'Peak hold' })).toHaveAttribute('aria-pressed', 'false');

  // --- S-meter / SNR series: every receiver has samples and both traces are drawn.
  const levels = page.getByTestId('level-series');
  await expect(levels).toHaveCount(7);
  await expect.poll(async () => Math.min(...(await levels.evaluateAll((ls) => ls.map((l) => Number((l as HTMLElement).dataset.samples ?? 0)))))).toBeGreaterThan(20);
  expect(await countColour(levels.first().locator('canvas'), [126, 224, 129])).toBeGreaterThan(30); // SNR
  expect(await countColour(levels.first().locator('canvas'), [62, 199, 255])).toBeGreaterThan(30); // S-meter
  await expect(aquila.locator('.levels-now')).toHaveText(/SNR \d+ dB/);

  // --- Zoom with the wheel around the mouse: the transmitter stays under the pointer on every waterfall.
  await first.scrollIntoViewIfNeeded();
  const zb = (await first.boundingBox())!;
  await first.hover({ position: { x: hoverX, y: fb.height / 2 } });
  // A wheel right after the page scrolled keeps scrolling the page; a moment later it zooms.
  await page.waitForTimeout(500);
  await page.mouse.wheel(0, -400);
  await expect(page.getByTestId('span-readout')).toHaveText(/^Span /);
  const lo = Number(await axes.first().getAttribute('data-lo-hz'));
  const hi = Number(await axes.first().getAttribute('data-hi-hz'));
  expect(hi - lo).toBeLessThan(1.2e6);
  expect(lo).toBeLessThan(145.5e6);
  expect(hi).toBeGreaterThan(145.5e6);
  await expect(axes.first().locator('.freq-label').first()).toBeVisible();
  await page.waitForTimeout(300);
  for (let i = 0; i < 7; i++) {
    const { cols } = await columnProfile(canvases.nth(i));
    const sorted = [...cols].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const at = Math.round((hoverX / fb.width) * cols.length);
    expect(Math.max(...cols.slice(at - 8, at + 9))).toBeGreaterThan(median + 25);
  }
  // Every waterfall, axis and the spectrum show the same window.
  for (let i = 1; i < 7; i++) await expect(axes.nth(i)).toHaveAttribute('data-lo-hz', String(lo));
  await page.screenshot({ path: `${SCREENS}/live-demo-zoomed.png` });
  // Drag pans the zoomed view; "0" (or Reset zoom) returns to the full band.
  await page.mouse.down();
  await page.mouse.move(zb.x + hoverX - 60, zb.y + zb.height / 2, { steps: 5 });
  await page.mouse.up();
  expect(Number(await axes.first().getAttribute('data-lo-hz'))).toBeGreaterThan(lo);
  await expect(page.getByTestId('monitor-summary')).toContainText('145.5000 MHz'); // a drag is not a click
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(page.getByTestId('span-readout')).toHaveText('Full span 2.400 MHz');
  await page.keyboard.press('+');
  await expect(page.getByTestId('span-readout')).toHaveText('Span 1.200 MHz');
  await page.keyboard.press('0');
  await expect(page.getByTestId('span-readout')).toHaveText('Full span 2.400 MHz');

  // --- Time: pause freezes the picture (rows still arrive), taller rows show less time.
  await page.mouse.move(5, 5);
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  // The picture freezes at the first frame painted after the pause (rows queued before it still land
  // in that frame): take the reference once that frame is surely painted.
  await page.waitForTimeout(300);
  const frozen = await columnProfile(canvases.first());
  await page.waitForTimeout(1200);
  const later = await columnProfile(canvases.first());
  const moved = later.rowHashes.map((h, i) => (h === frozen.rowHashes[i] ? '.' : 'x')).join('');
  expect(later.hash, `paused picture changed: ${frozen.info} -> ${later.info}; rows (every 16th) changed: ${moved}`).toBe(frozen.hash);
  await page.getByRole('button', { name: 'Older' }).click();
  await expect(canvases.first()).toHaveAttribute('data-rows-back', /^[1-9]\d*$/);
  await page.keyboard.press('p');
  await expect(canvases.first()).toHaveAttribute('data-rows-back', '0');
  await page.keyboard.press(']');
  await expect(canvases.first()).toHaveAttribute('data-visible-rows', '128');
  await page.keyboard.press('[');
  await expect(canvases.first()).toHaveAttribute('data-visible-rows', '256');

  // --- Click-to-tune: click 145.600 MHz on a waterfall; the monitor retunes and the dial follows.
  const a0 = Number(await axes.first().getAttribute('data-lo-hz'));
  const a1 = Number(await axes.first().getAttribute('data-hi-hz'));
  await first.click({ position: { x: ((145.6e6 - a0) / (a1 - a0)) * fb.width, y: fb.height / 2 } });
  await expect(page.getByTestId('monitor-summary')).toContainText(/145\.60\d\d MHz/);
  const tuned = mhz(await page.getByTestId('monitor-summary').textContent());
  expect(Math.abs(tuned - 145.6)).toBeLessThanOrEqual(0.002);
  await expect(page.getByTestId('dial-readout')).toContainText(`${tuned.toFixed(4)} MHz`);
  await expect(page.getByLabel('Frequency (MHz)')).toHaveValue(tuned.toFixed(4));
  await expect(page.getByRole('button', { name: /Back to 145\.5000 MHz/ })).toBeVisible();
  // The dial marker moved to the new frequency on every waterfall (this band stays where it was).
  await page.mouse.move(5, 5);
  await expect.poll(async () => (await dialMarkerXs(page)).filter((x) => x !== null && Math.abs(x - ((tuned * 1e6 - a0) / (a1 - a0)) * fb.width) < 2).length, { timeout: 15_000 }).toBe(7);
  await expect(cards.first().getByText('Live')).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: `${SCREENS}/live-demo-retuned.png` });

  // --- Keyboard only: focus a waterfall, walk the cursor 4 steps of 25 kHz down, Enter tunes there.
  await first.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('cursor-readout')).toContainText(`${tuned.toFixed(3)}`);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('cursor-readout')).toContainText('145.5000 MHz');
  await expect(first).toHaveAttribute('aria-valuetext', /145\.5/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('monitor-summary')).toContainText('145.5000 MHz');
  await expect(page.getByTestId('dial-readout')).toContainText('145.5000 MHz');
  await page.screenshot({ path: `${SCREENS}/live-demo-keyboard.png` });

  // The help overlay lists the Live page's keys.
  await page.locator('.spectrum-tools h2').click(); // focus off the waterfall
  await page.keyboard.press('?');
  const help = page.getByRole('dialog');
  await expect(help).toContainText('Tune the monitor to the cursor');
  await expect(help).toContainText('Reset the frequency zoom');
  await help.screenshot({ path: `${SCREENS}/live-help.png` });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});
