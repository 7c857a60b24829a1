/**
 * What a first start shows (issue 16): the empty Receivers page mentions the demo and says the
 * NW-Italy set is on the internet; Add receiver with only a URL asks the receiver for its kind,
 * name and position (KiwiSDR /status, OpenWebRX /status.json) and says plainly when nothing is
 * there; the page loads without a 404 (favicon).
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startSimProcess } from './simProcess';
import { repoRoot, startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
let sim: Awaited<ReturnType<typeof startSimProcess>>;

test.beforeAll(async () => {
  [station, sim] = await Promise.all([startStationProcess(), startSimProcess(path.join(repoRoot, 'test/e2e/fixtures/first-start-scene.json'))]);
});
test.afterAll(async () => {
  await Promise.all([station?.stop(), sim?.stop()]);
  if (station) fs.rmSync(station.dataDir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('first start: the demo is offered, the internet set says so, a URL is enough to add a receiver', async ({ page }) => {
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto(station.url);
  await expect(page.getByRole('heading', { name: 'No receivers yet' })).toBeVisible();
  await expect(page.getByTestId('demo-hint')).toContainText('npm start -- --demo');
  await expect(page.getByTestId('demo-hint')).toContainText('no network needed');
  await expect(page.getByText(/seven real OpenWebRX receivers, reached over the internet/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load NW-Italy set (internet)' })).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screens/first-start.png', fullPage: true });
  expect(missing).toEqual([]);

  const kiwi = sim.receivers.find((r) => r.kind === 'kiwisdr')!;
  const owrx = sim.receivers.find((r) => r.kind === 'openwebrx')!;

  // Nothing listening: the URL field says so, nothing is added.
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog');
  const port = await closedPort();
  await dialog.getByLabel('URL').fill(`http://127.0.0.1:${port}/`);
  await dialog.getByRole('button', { name: 'Add receiver' }).click();
  await expect(dialog.getByText(`The receiver at http://127.0.0.1:${port}/ is unreachable: connection refused, nothing listens there (ECONNREFUSED).`, { exact: false })).toBeVisible();

  // "Ask the receiver" fills the form before saving; the operator can still change it.
  await dialog.getByLabel('URL').fill(owrx.url);
  await dialog.getByRole('button', { name: 'Ask the receiver' }).click();
  await expect(dialog.getByLabel('Name')).toHaveValue('Genova');
  await expect(dialog.getByLabel('Kind')).toHaveValue('openwebrx');
  await expect(dialog.getByLabel('Latitude (°)')).toHaveValue('44.395');
  await expect(dialog.getByText(/OpenWebRX “Genova”/)).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/first-start-asked.png' });
  await dialog.getByRole('button', { name: 'Add receiver' }).click();
  await expect(dialog).toBeHidden();

  // Only the URL: saved with what the KiwiSDR says about itself.
  await page.keyboard.press('n');
  await dialog.getByLabel('URL').fill(kiwi.url);
  await dialog.getByRole('button', { name: 'Add receiver' }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByTestId('receivers-table');
  await expect(table.getByRole('row', { name: /KiwiSDR Asti \(sim\)/ })).toContainText('KiwiSDR');
  await expect(table.getByRole('row', { name: /KiwiSDR Asti \(sim\)/ })).toContainText('44.900, 8.207 · 120 m');
  await expect(table.getByRole('row', { name: /Genova/ })).toContainText('OpenWebRX');
  await expect(table.getByRole('row', { name: /Genova/ })).toContainText('44.395, 8.956 · 100 m');
  await page.screenshot({ path: 'test-results/screens/first-start-added.png', fullPage: true });
});
