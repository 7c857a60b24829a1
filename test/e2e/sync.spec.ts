/** The Sync page: a central store that does not answer is shown in words, and secrets stay write-only. */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import { startStationProcess, type StationProcess } from './stationProcess';

let station: StationProcess;
let deadPort: number;
test.beforeAll(async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  deadPort = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  station = await startStationProcess();
});
test.afterAll(async () => {
  await station.stop();
  fs.rmSync(station.dataDir, { recursive: true, force: true });
});

test('configure an unreachable central store: the test and the status say what is wrong', async ({ page }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/Connected/);
  await page.keyboard.press('Alt+5');
  await expect(page.getByTestId('sync-status')).toContainText('Not configured');
  await page.getByLabel('MinIO / S3 endpoint').fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(deadPort));
  await page.getByLabel('Access key').fill('heimdall');
  await page.getByLabel('Secret key').fill('super-secret-key-123');
  await page.getByLabel('PostgreSQL URL (without password)').fill(`postgres://heimdall@127.0.0.1:${deadPort}/heimdall`);
  await page.getByLabel('PostgreSQL password').fill('pg-secret-456');
  await page.getByLabel('Sync automatically when the network is there').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Central-store settings saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Test connection' }).click();
  const checks = page.getByTestId('connection-test');
  await expect(checks.locator('.check-bad')).toHaveCount(2, { timeout: 20_000 });
  await expect(checks).toContainText(/refused|not reachable|cannot reach|unreachable/i);
  await page.reload();
  await expect(page.getByLabel('Secret key')).toHaveAttribute('placeholder', 'stored; type to replace');
  await expect(page.getByLabel('Secret key')).toHaveValue('');
  expect(await page.content()).not.toContain('super-secret-key-123');
  await page.screenshot({ path: 'test-results/screens/sync-error.png', fullPage: true });
});
