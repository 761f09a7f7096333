/**
 * The watchlist (issue 16): a new workspace lists the feed's first eight symbols; rows show the last price
 * and the change from the previous session's close (the same figure as the 1D legend), coloured and
 * updating live; symbols are added with the search (the new row scrolled into sight, highlighted for a
 * moment) and removed with ×; a click makes a row's symbol the linked one; the list and its folding come
 * back after a reload, and a list the trader emptied stays empty (offering the feed's symbols with one
 * button).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWorkstation, useWorkstation, type WorkstationPage } from './workstation';

const workstation = useWorkstation({ startBeforeAll: true });

const open = (page: Page): Promise<WorkstationPage> => openWorkstation(page, workstation.app.url);

const row = (page: Page, symbol: string): Locator =>
  page.locator(`[data-testid=watchlist-row][data-symbol="${symbol}"]`);
const rows = (page: Page): Locator => page.getByTestId('watchlist-row');

test('watch symbols with live last price and change; add, remove, pick, fold, and keep them', async ({
  page,
}) => {
  const ui = await open(page);
  const watchlist = page.getByTestId('watchlist');
  await expect(watchlist).toBeVisible();

  await test.step("a new workspace lists the feed's first eight symbols", async () => {
    await expect(rows(page)).toHaveCount(8);
    await expect(rows(page).first()).toHaveAttribute('data-symbol', 'SPY');
    await expect(page.getByTestId('watchlist-suggest')).toHaveCount(0);
  });

  await test.step('each row shows a price and a coloured change, as the 1D legend reads it', async () => {
    const spy = row(page, 'SPY');
    await expect(spy.getByTestId('watchlist-last')).toHaveText(/^\d[\d,]*\.\d\d$/);
    await expect(spy.getByTestId('watchlist-change')).toHaveText(/^[+−]\d+\.\d\d%$/);
    // Both read at one moment: a live bar may turn the change's sign between two reads.
    const { direction, colour } = await spy.evaluate((el) => ({
      direction: el.getAttribute('data-direction'),
      colour: getComputedStyle(el.querySelector('[data-testid=watchlist-change]')!).color,
    }));
    if (direction === 'up') expect(colour).toBe('rgb(38, 166, 154)');
    if (direction === 'down') expect(colour).toBe('rgb(239, 83, 80)');
    // The linked symbol is SPY: the 1D pane's legend (newest bar, not hovered) shows the same change.
    await page.getByTestId('symbol-picker').selectOption('SPY');
    await page.mouse.move(1, 1);
    const legendChange = ui.legend(ui.pane('1D')).getByTestId('legend-change');
    const change = spy.getByTestId('watchlist-change');
    await expect(legendChange).toHaveText(/%/);
    // Both follow the same forming daily bar: equal once both have the same update.
    await expect
      .poll(async () => (await legendChange.textContent()) === (await change.textContent()), {
        timeout: 20_000,
      })
      .toBe(true);
  });

  await test.step('prices update live', async () => {
    const last = row(page, 'SPY');
    const first = await last.getAttribute('data-last');
    await expect.poll(() => last.getAttribute('data-last'), { timeout: 30_000 }).not.toBe(first);
  });

  await test.step('remove with ×, add with the search', async () => {
    await row(page, 'QQQ').getByTestId('watchlist-remove').click();
    await expect(row(page, 'QQQ')).toHaveCount(0);
    await expect(rows(page)).toHaveCount(7);
    const add = page.getByTestId('watchlist-add');
    await add.click();
    await add.fill('QQQ');
    await expect(page.locator('[data-testid=symbol-option][data-symbol="QQQ"]')).toBeVisible();
    // The list shows about six rows and scrolls inside itself; it is at its top before the add.
    const list = watchlist.locator('.watchlist-rows');
    expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
    await add.press('Enter');
    await expect(rows(page)).toHaveCount(8);
    await expect(rows(page).last()).toHaveAttribute('data-symbol', 'QQQ');
    // The new row, at the bottom, is scrolled into sight and highlighted for a moment.
    await expect(row(page, 'QQQ')).toHaveAttribute('data-just-added', 'true');
    await expect(row(page, 'QQQ')).toBeInViewport({ ratio: 1 });
    expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await expect(row(page, 'QQQ')).not.toHaveAttribute('data-just-added', 'true');
    await expect(row(page, 'QQQ').getByTestId('watchlist-last')).toHaveText(/^\d/);
  });

  await test.step('a click on a row makes it the linked symbol', async () => {
    await row(page, 'TLT').locator('.watchlist-pick').click();
    await expect(page.getByTestId('symbol-picker')).toHaveValue('TLT');
    await expect(ui.legend(ui.pane('1D'))).toHaveAttribute('data-symbol', 'TLT');
  });

  await test.step('folded and the list come back after a reload', async () => {
    await page.getByTestId('watchlist-fold').click();
    await expect(watchlist).toHaveAttribute('data-folded', 'true');
    await expect(rows(page)).toHaveCount(0);
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
    await page.reload();
    await open(page);
    await expect(page.getByTestId('watchlist')).toHaveAttribute('data-folded', 'true');
    await page.getByTestId('watchlist-fold').click();
    await expect(rows(page)).toHaveCount(8);
    await expect(rows(page).last()).toHaveAttribute('data-symbol', 'QQQ');
  });

  await test.step('a list the trader emptied stays empty after a reload, and offers the feed again', async () => {
    while ((await rows(page).count()) > 0) {
      const count = await rows(page).count();
      await rows(page).first().getByTestId('watchlist-remove').click();
      await expect(rows(page)).toHaveCount(count - 1);
    }
    await expect(page.locator('body')).not.toHaveAttribute('data-workspace', 'pending');
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
    await page.reload();
    await open(page);
    await expect(page.getByTestId('watchlist-suggest')).toContainText('Add SPY');
    await expect(rows(page)).toHaveCount(0);
    await page.getByTestId('watchlist-suggest').click();
    await expect(rows(page)).toHaveCount(8);
    await expect(rows(page).first()).toHaveAttribute('data-symbol', 'SPY');
  });
});
