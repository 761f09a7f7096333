/**
 * The workspace is kept (issue 16): the symbol and each pane's timeframe a trader chose come back after a
 * reload of the page and after a restart of the workstation on the same database.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_ARGS, openWorkstation, useWorkstation, WorkstationPage } from './workstation';

const CHOSEN = ['15m', '5m', '4h', '1D'];

const workstation = useWorkstation();

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
  const db = join(workstation.dir, 'demo.sqlite');
  let app = await workstation.start(DEMO_ARGS, { db });

  await test.step('a fresh database shows the defaults', async () => {
    const ui = await openWorkstation(page, app.url);
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
    const ui = await openWorkstation(page, app.url);
    await expectWorkspace(ui, 'TLT', CHOSEN);
  });

  await test.step('a restart on the same database shows the same', async () => {
    app = await workstation.start(DEMO_ARGS, { db });
    const ui = await openWorkstation(page, app.url);
    await expectWorkspace(ui, 'TLT', CHOSEN);
  });
});
