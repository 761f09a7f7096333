/**
 * The workspace is kept (issue 16): the symbol and each pane's timeframe a trader chose come back after a
 * reload of the page and after a restart of the workstation on the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWorkstation, WorkstationPage, type RunningWorkstation } from './workstation';

// Friday 14 March 2025, 10:00 ET, 60 market seconds a wall second (as web.spec.ts).
const DEMO_ARGS = ['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'];
const CHOSEN = ['15m', '5m', '4h', '1D'];

let dir: string;
let app: RunningWorkstation | undefined;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-e2e-workspace-'));
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the page and waits until the kept workspace is loaded and the panes are drawn from it. */
async function open(page: Page, url: string): Promise<WorkstationPage> {
  await page.goto(url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
  const ui = new WorkstationPage(page);
  await expect(ui.panes()).toHaveCount(4);
  return ui;
}

/** What the screen shows: the picker's symbol, each pane's timeframe and the symbol its legend names. */
async function expectWorkspace(ui: WorkstationPage, symbol: string, timeframes: string[]): Promise<void> {
  await expect(ui.page.getByTestId('symbol-picker')).toHaveValue(symbol);
  for (const [slot, timeframe] of timeframes.entries()) {
    const pane = ui.panes().nth(slot);
    await expect(pane).toHaveAttribute('data-timeframe', timeframe);
    await expect(pane.getByTestId('timeframe-select')).toHaveValue(timeframe);
    await expect(ui.legend(pane)).toHaveAttribute('data-symbol', symbol);
    await expect.poll(() => ui.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(0);
  }
}

test('the symbol and the panes’ timeframes come back after a reload and after a restart', async ({
  page,
}) => {
  const db = join(dir, 'demo.sqlite');
  app = await startWorkstation(DEMO_ARGS, { db });

  await test.step('a fresh database shows the defaults', async () => {
    const ui = await open(page, app!.url);
    await expect
      .poll(() => ui.panes().evaluateAll((panes) => panes.map((p) => p.dataset.timeframe)))
      .toEqual(['1m', '5m', '1h', '1D']);
    await expect(page.getByTestId('symbol-picker')).not.toHaveValue('TLT');
  });

  await test.step('the trader picks a symbol and two panes’ timeframes; they are saved', async () => {
    const ui = new WorkstationPage(page);
    await page.getByTestId('symbol-picker').selectOption('TLT');
    await ui.panes().nth(0).getByTestId('timeframe-select').selectOption('15m');
    await ui.panes().nth(2).getByTestId('timeframe-select').selectOption('4h');
    await expectWorkspace(ui, 'TLT', CHOSEN);
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
  });

  await test.step('a reload shows the same', async () => {
    await page.reload();
    const ui = await open(page, app!.url);
    await expectWorkspace(ui, 'TLT', CHOSEN);
  });

  await test.step('a restart on the same database shows the same', async () => {
    await app!.stop();
    app = await startWorkstation(DEMO_ARGS, { db });
    const ui = await open(page, app.url);
    await expectWorkspace(ui, 'TLT', CHOSEN);
  });
});
