/**
 * The web mode as a trader uses it: `trm web` starts a demo market with no account and no data, the
 * page shows live multi-timeframe candles, and switching timeframe and symbol works.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startWorkstation, WorkstationPage, type RunningWorkstation } from './workstation';

let app: RunningWorkstation;

// A fixed market time (Friday 14 March 2025, 10:00 ET) and seed make the demo world reproducible;
// speed 60 plays one market minute per second so new bars appear within seconds.
test.beforeAll(async () => {
  app = await startWorkstation(['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z']);
});

test.afterAll(async () => {
  await app?.stop();
});

test('shows live candles on every timeframe of the demo market', async ({ page }) => {
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  await expect(ui.panes()).toHaveCount(4);
  for (const timeframe of ['1m', '5m', '1h', '1D']) await ui.expectCandlesDrawn(timeframe);
  await expect(page.getByTestId('status-connection')).toContainText(/connected|open/i);
  await expect(page.getByTestId('status-store-size')).toContainText(/\d/);
});

test('a new 1-minute bar appears within seconds and is drawn', async ({ page }) => {
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  const pane = ui.pane('1m');
  await expect.poll(() => ui.barCount(pane)).toBeGreaterThan(5);
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const before = await ui.lastStart(pane);
  const drawnBefore = await ui.canvasDigest(pane);
  await expect
    .poll(() => ui.lastStart(pane), { timeout: 10_000, message: 'a newer 1m bar arrives' })
    .toBeGreaterThan(before);
  const after = await ui.lastStart(pane);
  expect((after - before) % 60_000).toBe(0);
  expect(await ui.canvasDigest(pane)).not.toBe(drawnBefore);
});

test('switching a pane to another timeframe loads and draws that timeframe', async ({ page }) => {
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  const first = ui.panes().first();
  await expect.poll(() => ui.barCount(first)).toBeGreaterThan(5);
  await first.getByTestId('timeframe-select').selectOption('15m');
  await expect(first).toHaveAttribute('data-timeframe', '15m');
  await expect.poll(() => ui.barCount(first)).toBeGreaterThan(5);
  // 15-minute bars start on quarter hours from the 09:30 open.
  await expect.poll(async () => (await ui.lastStart(first)) % (15 * 60_000)).toBe(0);
  await expect
    .poll(async () => {
      const { up, down } = await ui.candlePixels(first);
      return up + down;
    })
    .toBeGreaterThan(100);
});

test('switching the symbol reloads every pane with that symbol', async ({ page }) => {
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  const daily = ui.pane('1D');
  await expect.poll(() => ui.barCount(daily)).toBeGreaterThan(5);
  const spyDrawing = await ui.canvasDigest(daily);
  const picker = page.getByTestId('symbol-picker');
  await expect(picker.locator('option')).toHaveCount(10);
  await picker.selectOption('TLT');
  // Every pane, whatever timeframe it shows (the workspace keeps the one an earlier test chose).
  await expect(ui.panes()).toHaveCount(4);
  for (const pane of await ui.panes().all()) {
    await expect(ui.legend(pane)).toHaveAttribute('data-symbol', 'TLT');
    await expect.poll(() => ui.barCount(pane)).toBeGreaterThan(5);
  }
  await expect.poll(() => ui.canvasDigest(daily)).not.toBe(spyDrawing);
  await expect
    .poll(async () => {
      const { up, down } = await ui.candlePixels(daily);
      return up + down;
    })
    .toBeGreaterThan(100);
});

test('a second workstation on the same database is refused with a clear message', () => {
  const second = spawnSync(process.execPath, ['bin/trm.mjs', 'web', '--port', '0', '--db', app.dbPath], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(second.status).toBe(2);
  expect(second.stderr).toContain(`The database ${app.dbPath} is in use by another TRM Workstation process`);
  expect(second.stderr).toContain('--db');
});
