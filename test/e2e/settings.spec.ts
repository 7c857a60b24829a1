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

test('settings are saved through the API and survive a reload', async ({ page }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const save = page.getByRole('button', { name: 'Save settings' });
  await expect(save).toBeDisabled();
  await page.getByLabel('Callsign').fill('ik1abc');
  await page.getByLabel('Waterfall colour map').selectOption('cividis');
  await save.click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Callsign')).toHaveValue('IK1ABC');
  await expect(page.getByLabel('Waterfall colour map')).toHaveValue('cividis');
  await expect(page.getByText(station.dataDir)).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/settings.png' });
});
