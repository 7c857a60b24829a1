/**
 * Known source -> recording session -> review -> dataset -> SigMF export, against `serve --demo`.
 * The demo HF beacon near Biella keys 4 s in every 10 s (keyed while ((unixSec - 5) mod 10) < 4);
 * the operator marks two of its transmissions (Space, then the mouse) on the demo's five KiwiSDRs in IQ.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
test.beforeAll(async () => {
  station = await startStationProcess({ args: ['--demo'] });
});
test.afterAll(async () => {
  await station?.stop();
  if (station) fs.rmSync(station.dataDir, { recursive: true, force: true });
});

/** Sleeps until `lead` seconds into the beacon's next keyed period (or this one, if early enough). */
async function waitForBeaconKeyUp(page: Page, lead = 0.4): Promise<void> {
  const phase = (((Date.now() / 1000 - 5) % 10) + 10) % 10;
  const wait = phase <= lead ? lead - phase : 10 - phase + lead;
  await page.waitForTimeout(wait * 1000);
}

/** A cheap fingerprint of each canvas's pixels. */
const canvasSums = (canvases: Locator) =>
  canvases.evaluateAll((cs) =>
    cs.map((el) => {
      const c = el as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i]! * 3 + data[i + 1]! * 5 + data[i + 2]! * 7;
      return sum;
    }),
  );

test('known source, recording session with transmit marks, review, dataset and SigMF export', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No recording sessions yet' })).toBeVisible();

  // --- Known source: the demo beacon, entered in the UI.
  await page.getByRole('tab', { name: /Known sources/ }).click();
  await expect(page.getByRole('heading', { name: 'No known sources yet' })).toBeVisible();
  await page.keyboard.press('n');
  const sourceForm = page.getByTestId('source-form');
  await expect(sourceForm.getByRole('heading', { name: 'Add a known source' })).toBeVisible();
  await sourceForm.getByLabel('Name').fill('40 m CW beacon near Biella');
  await sourceForm.getByLabel('Kind').selectOption('beacon');
  await sourceForm.getByLabel('Frequency (MHz)').fill('7.1');
  // Pasting "lat, lon, alt" into the latitude fills all three.
  await sourceForm.getByLabel('Latitude (°)').fill('45.563, 8.054, 420');
  await expect(sourceForm.getByLabel('Longitude (°)')).toHaveValue('8.054');
  await expect(sourceForm.getByLabel('Altitude (m)')).toHaveValue('420');
  await sourceForm.getByLabel('Error margin (m)').fill('20');
  await sourceForm.getByLabel('Power (dBm)').fill('27');
  await sourceForm.getByLabel(/Validated/).check();
  await sourceForm.getByLabel('Altitude (m)').press('Enter');
  await expect(sourceForm).toHaveCount(0);
  const sourceRow = page.getByTestId('sources-table').getByRole('row', { name: /Biella/ });
  await expect(sourceRow).toContainText('7.1 MHz');
  await expect(sourceRow).toContainText('45.56300, 8.05400 · 420 m');
  await page.screenshot({ path: 'test-results/screens/sessions-sources.png' });

  // The source is on the receivers map too (a red diamond among the receivers).
  await page.keyboard.press('Alt+1');
  const map = page.getByTestId('receiver-map');
  await expect(map).toHaveAttribute('aria-label', /and 1 known source/);
  const red = () =>
    map.evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 107 && data[i + 2] === 107) n++;
      return n;
    });
  await expect.poll(red).toBeGreaterThan(60);
  await page.screenshot({ path: 'test-results/screens/receivers-map-sources.png' });
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();

  // --- Session: 7.1 MHz IQ on the five KiwiSDRs, 25 s.
  await page.getByRole('tab', { name: /Recording sessions/ }).click();
  await page.keyboard.press('n');
  const form = page.getByTestId('session-form');
  await expect(form.getByRole('heading', { name: 'New recording session' })).toBeVisible();
  await form.getByLabel('Source').selectOption({ label: '40 m CW beacon near Biella (7.1 MHz)' });
  await expect(form.getByLabel('Frequency (MHz)')).toHaveValue('7.1');
  await form.getByLabel('Session name').fill('Biella beacon e2e');
  await form.getByLabel('Mode').selectOption('iq');
  const kiwis = form.getByRole('checkbox', { name: /KiwiSDR/ });
  await expect(kiwis).toHaveCount(5);
  for (const k of await kiwis.all()) await k.check();
  await expect(form.getByText('Receivers (5 chosen)')).toBeVisible();
  await form.getByLabel('Duration (s)').fill('25');
  await form.getByLabel('Passband (Hz)').fill('-3000:3000');
  await page.screenshot({ path: 'test-results/screens/sessions-form.png' });
  await form.getByRole('button', { name: 'Create session' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('draft-view')).toBeVisible();

  // --- Record.
  await expect(page.getByText('IQ -3000…3000 Hz')).toBeVisible();
  await page.getByRole('button', { name: /Start recording/ }).click();
  const rec = page.getByTestId('recording-view');
  await expect(rec).toBeVisible({ timeout: 15_000 });
  await expect(rec.getByTestId('rec-card')).toHaveCount(5);
  const canvases = rec.locator('canvas.waterfall');
  await expect(canvases).toHaveCount(5, { timeout: 20_000 });
  const before = await canvasSums(canvases);
  await page.waitForTimeout(1500);
  await expect.poll(async () => (await canvasSums(canvases)).every((s, i) => s !== before[i]), { timeout: 15_000 }).toBe(true);
  await expect(rec.getByTestId('rec-state').filter({ hasText: 'Recording' })).toHaveCount(5, { timeout: 15_000 });

  // Mark one key-up with the space bar...
  const marker = rec.getByTestId('transmit-marker');
  await waitForBeaconKeyUp(page);
  await page.keyboard.down('Space');
  await expect(marker).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(2500);
  await page.keyboard.up('Space');
  await expect(marker).toHaveAttribute('aria-pressed', 'false');
  await expect(rec.getByTestId('mark-count')).toContainText('1 mark');

  // ...and the next one with the mouse.
  await waitForBeaconKeyUp(page);
  const box = (await marker.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect(marker).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(1800);
  await page.screenshot({ path: 'test-results/screens/sessions-recording.png' });
  // The keyed beacon is on the dial: in what the operator sees (a screenshot of each waterfall, the
  // canvas scaled down by CSS), the newest rows are brightest in the middle column, well above the
  // noise: a one-bin carrier must survive being drawn into fewer pixels than bins.
  for (let i = 0; i < 3; i++) {
    const shot = (await canvases.nth(i).screenshot()).toString('base64');
    const c = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const cv = document.createElement('canvas');
      cv.width = img.width;
      cv.height = img.height;
      const ctx = cv.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const rows = 12;
      const { data } = ctx.getImageData(0, 0, cv.width, rows);
      const col = new Float64Array(cv.width);
      for (let y = 0; y < rows; y++) for (let x = 0; x < cv.width; x++) col[x] = col[x]! + data[(y * cv.width + x) * 4]! + data[(y * cv.width + x) * 4 + 1]!;
      let best = 0;
      for (let x = 0; x < cv.width; x++) if (col[x]! > col[best]!) best = x;
      const sorted = Array.from(col).sort((a, b) => a - b);
      return { at: best / cv.width, overNoise: col[best]! / Math.max(1, sorted[sorted.length >> 1]!) };
    }, shot);
    expect(Math.abs(c.at - 0.5), JSON.stringify(c)).toBeLessThan(0.01);
    expect(c.overNoise, JSON.stringify(c)).toBeGreaterThan(2);
  }
  await page.waitForTimeout(700);
  await page.mouse.up();
  // The 25 s may run out about now; the view then goes to the review by itself.
  await expect
    .poll(async () => (await page.getByTestId('review-view').isVisible()) || (await rec.getByTestId('mark-count').textContent().catch(() => ''))?.includes('2 marks'))
    .toBe(true);
  // Let the beacon's key-down get recorded, then stop (unless the 25 s already ran out).
  await page.waitForTimeout(1200);
  const stop = page.getByRole('button', { name: /Stop recording/ });
  if (await stop.isVisible()) await stop.click();

  // --- Review: operator and detector segments, metrics, spectra.
  const review = page.getByTestId('review-view');
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('session-detail')).toHaveAttribute('data-state', 'review');
  const segments = review.getByTestId('segment');
  await expect(review.locator('[data-testid=segment][data-origin=operator]')).toHaveCount(2);
  await expect.poll(() => review.locator('[data-testid=segment][data-origin=detector]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const spectra = review.getByTestId('spectrum');
  await expect(spectra).toHaveCount(5, { timeout: 20_000 });
  for (const s of await spectra.all()) await expect(s).toHaveAttribute('data-drawn', '1');
  // The trace is drawn: many distinct colours, not a blank canvas.
  const colours = await spectra.first().evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(20);
  await expect(review.getByTestId('receiver-review').first()).toContainText(/SNR dB\s*-?\d+\.\d/);

  // Approve the first segment with the keyboard, the others with their buttons.
  await page.keyboard.press('a');
  await expect(segments.first().getByTestId('segment-decision')).toHaveText('✓ approved');
  const count = await segments.count();
  for (let i = 2; i <= count; i++) {
    await review.getByRole('button', { name: `Approve segment ${i}`, exact: true }).click();
    await expect(segments.nth(i - 1).getByTestId('segment-decision')).toHaveText('✓ approved');
  }
  await page.screenshot({ path: 'test-results/screens/sessions-review.png' });
  await review.getByRole('button', { name: /Approve session/ }).click();
  await expect(page.getByTestId('session-detail')).toHaveAttribute('data-state', 'approved');
  await expect(review.getByTestId('decision-panel')).toContainText('Approved');
  await page.getByRole('button', { name: '← All sessions' }).click();
  await expect(page.getByTestId('sessions-table').getByRole('row', { name: /Biella beacon e2e/ })).toContainText('Approved');
  await page.screenshot({ path: 'test-results/screens/sessions-list.png' });

  // --- Dataset from this session.
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();
  await page.getByRole('button', { name: /New dataset/ }).first().click();
  const dsForm = page.getByTestId('dataset-form');
  await dsForm.getByLabel('Name').fill('biella-e2e');
  await dsForm.getByRole('checkbox', { name: /Biella beacon e2e/ }).check();
  await expect(dsForm.getByTestId('preview-sessions')).toHaveText('1');
  await expect(dsForm.getByTestId('preview-samples')).not.toHaveText('0');
  await page.screenshot({ path: 'test-results/screens/datasets-form.png' });
  await dsForm.getByRole('button', { name: 'Create dataset' }).click();
  await expect(dsForm).toHaveCount(0);
  const card = page.getByTestId('dataset-card').filter({ hasText: 'biella-e2e' });
  await expect(card).toBeVisible();

  // --- Export as SigMF into a fresh folder, with a progress bar reaching 100 %.
  const outDir = path.join(station.dataDir, 'e2e-export-sigmf');
  await card.getByRole('button', { name: 'Export biella-e2e' }).click();
  const exp = page.getByTestId('export-dialog');
  await exp.getByRole('radio', { name: /SigMF/ }).check();
  await exp.getByLabel('Output folder').fill(outDir);
  await exp.getByRole('button', { name: 'Start export' }).click();
  const bar = exp.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
  await expect(exp.getByTestId('export-progress')).toHaveAttribute('data-state', 'done');
  await page.screenshot({ path: 'test-results/screens/datasets-export.png' });
  await page.keyboard.press('Escape');
  await expect(exp).toHaveCount(0);
  await expect(card.getByTestId('export-progress')).toHaveAttribute('data-state', 'done');

  const files = fs.readdirSync(outDir, { recursive: true }).map(String);
  const archives = files.filter((f) => f.endsWith('.sigmf'));
  expect(archives.length).toBeGreaterThanOrEqual(5);
  expect(files.some((f) => f.endsWith('.sigmf-collection'))).toBe(true);
  for (const a of archives) expect(fs.statSync(path.join(outDir, a)).size).toBeGreaterThan(1024);
});
