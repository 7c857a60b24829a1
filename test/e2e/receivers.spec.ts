import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;

test.beforeAll(async () => {
  station = await startStationProcess();
});
test.afterAll(async () => {
  await station.stop();
  fs.rmSync(station.dataDir, { recursive: true, force: true });
});

test('refuses a request without the token', async ({ request }) => {
  const res = await request.get(`${station.origin}/`);
  expect(res.status()).toBe(401);
  expect(await res.text()).toContain('access token');
  const asset = await request.get(`${station.origin}/assets/whatever.js`);
  expect(asset.status()).toBe(401);
});

test('add a receiver in the UI, reload, it is still there; edit and delete it', async ({ page }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  // The token leaves the address bar once the cookie holds it.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByRole('heading', { name: 'No receivers yet' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/receivers-empty.png' });

  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: 'Add a receiver' })).toBeVisible();
  await dialog.getByLabel('Name').fill('Torino');
  await dialog.getByLabel('Kind').selectOption('openwebrx');
  await dialog.getByLabel('URL').fill('not a url');
  await dialog.getByRole('button', { name: 'Add receiver' }).click();
  await expect(dialog.getByText(/must be an http:\/\/ or https:\/\/ address/).first()).toBeVisible();
  await dialog.getByLabel('URL').fill('http://vst-aero.it:8073/');
  await dialog.getByLabel('Latitude (°)').fill('45.044');
  await dialog.getByLabel('Longitude (°)').fill('7.672');
  await dialog.getByLabel('Altitude (m)').fill('250');
  await dialog.getByRole('button', { name: 'Add receiver' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('receivers-table').getByRole('row', { name: /Torino/ });
  await expect(row).toContainText('45.044, 7.672 · 250 m');

  await page.reload();
  await expect(page.getByTestId('receivers-table').getByRole('row', { name: /Torino/ })).toContainText('http://vst-aero.it:8073/');
  await page.screenshot({ path: 'test-results/screens/receivers-one.png' });

  await page.getByRole('button', { name: 'Edit Torino' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Torino (roof)');
  await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('receivers-table')).toContainText('Torino (roof)');

  await page.getByRole('button', { name: 'Delete Torino (roof)' }).click();
  await expect(page.getByRole('heading', { name: 'No receivers yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('receivers-table')).toContainText('Torino (roof)');
});

test('loads the NW-Italy default set from the empty state', async ({ page }) => {
  await page.goto(station.url);
  await page.getByRole('button', { name: 'Load NW-Italy set' }).first().click();
  await expect(page.getByTestId('receivers-table').getByRole('row')).toHaveCount(8); // header + Torino (already there) + 6 new
  await expect(page.getByText(/6 added, 1 already present/)).toBeVisible();

  // The map draws the offline coastline and one marker per located receiver: count pixels by colour.
  const map = page.getByTestId('receiver-map');
  await expect(map).toHaveAttribute('aria-label', 'Map of 7 receivers');
  const countPixels = () =>
    map.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let marker = 0;
      let coast = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] === 0x3e && d[i + 1] === 0xc7 && d[i + 2] === 0xff) marker++;
        if (d[i]! > 0x20 && d[i]! < 0x70 && d[i + 2]! > d[i]! + 10 && !(d[i] === 0x3e)) coast++; // grey-blue line pixels, antialiased
      }
      return { marker, coast };
    });
  await expect.poll(async () => (await countPixels()).coast).toBeGreaterThan(300);
  expect((await countPixels()).marker).toBeGreaterThan(7 * 40);
  await page.screenshot({ path: 'test-results/screens/receivers-map.png', fullPage: true });
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/receivers-set.png' });
});
