/**
 * Keyboard shortcuts (issue 16): `?` shows the help listing every shortcut and Esc closes it; a digit
 * over a pane sets that pane's timeframe; letters typed onto the chart search a symbol (TradingView's
 * way: "NVDA⏎" picks NVDA, and "s" opens no ticket); Shift+T flips the theme; `,` opens Settings; Shift+B
 * brings the order ticket up buying with the quantity focused, and a digit typed there is a quantity, not
 * a timeframe; Esc there clears the ticket and leaves it; `/` focuses the symbol search.
 */
import { expect, test } from '@playwright/test';
import { SHORTCUTS } from '../src/renderer/shortcuts/shortcut-table';
import { openWorkstation, useWorkstation } from './workstation';

const workstation = useWorkstation();

test('the keyboard drives the help, timeframes, theme, settings and the ticket', async ({ page }) => {
  test.setTimeout(150_000);
  const app = await workstation.start();
  const ui = await openWorkstation(page, app.url);

  await test.step('? lists the shortcuts; Esc closes the list', async () => {
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await expect(help).toBeVisible();
    await expect(help.getByTestId('shortcut-row')).toHaveCount(SHORTCUTS.length);
    await expect(help).toContainText('Timeframe 1h');
    await expect(help).toContainText('Search a symbol');
    await expect(help.locator('[data-key="Shift B"]')).toBeVisible();
    await expect(help.locator('[data-key="Delete"]')).toContainText('Remove the selected drawing');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
  });

  await test.step('4 over a pane sets its timeframe to 1h; the other panes keep theirs', async () => {
    const second = ui.panes().nth(1);
    await expect(second).toHaveAttribute('data-timeframe', '5m');
    await second.getByTestId('chart-host').hover();
    await page.keyboard.press('4');
    await expect(second).toHaveAttribute('data-timeframe', '1h');
    await expect(ui.panes().nth(0)).toHaveAttribute('data-timeframe', '1m');
    // The last pane clicked takes the key when the pointer is over none.
    await ui.panes().nth(3).getByTestId('chart-host').click();
    await page.getByTestId('market-clock').hover();
    await page.keyboard.press('3');
    await expect(ui.panes().nth(3)).toHaveAttribute('data-timeframe', '15m');
  });

  await test.step('letters typed onto the chart search a symbol: NVDA⏎ picks NVDA; s opens no ticket', async () => {
    const search = page.getByTestId('symbol-search');
    await expect(search).toHaveAttribute('data-value', 'SPY');
    await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-pressed', 'true');
    await ui.panes().first().getByTestId('chart-host').click();
    await page.keyboard.type('NVDA');
    await expect(search).toBeFocused();
    await expect(search).toHaveValue('NVDA');
    await page.keyboard.press('Enter');
    await expect(search).toHaveAttribute('data-value', 'NVDA');
    await expect(ui.legend(ui.panes().first())).toHaveAttribute('data-symbol', 'NVDA');
    await expect(search).not.toBeFocused();

    // "s" is the first letter of SPY, not the Sell ticket; Caps Lock's "S" (no Shift) is a letter too.
    await page.getByTestId('market-clock').click();
    await page.keyboard.press('S');
    await expect(search).toBeFocused();
    await expect(search).toHaveValue('S');
    await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('ticket-qty')).not.toBeFocused();
    await page.keyboard.type('py');
    await expect(search).toHaveValue('SPY');
    await page.keyboard.press('Enter');
    await expect(search).toHaveAttribute('data-value', 'SPY');
    await expect(page.getByTestId('ticket-qty')).toHaveValue('');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  await test.step('Shift+T flips the theme and back', async () => {
    await page.getByTestId('market-clock').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.keyboard.press('Shift+T');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.keyboard.press('Shift+T');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  await test.step(', opens Settings; Esc closes it', async () => {
    await page.keyboard.press(',');
    await expect(page.getByTestId('settings-panel')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-panel')).toHaveCount(0);
  });

  await test.step('Shift+B brings the ticket up buying; digits typed there are the quantity', async () => {
    await page.getByTestId('ticket-side-sell').click();
    await page.getByTestId('market-clock').click();
    await page.keyboard.press('Shift+B');
    await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('ticket-qty')).toBeFocused();
    const timeframes = await ui.panes().evaluateAll((panes) => panes.map((p) => p.dataset.timeframe));
    await page.keyboard.type('25');
    await expect(page.getByTestId('ticket-qty')).toHaveValue('25');
    expect(await ui.panes().evaluateAll((panes) => panes.map((p) => p.dataset.timeframe))).toEqual(
      timeframes,
    );
    await expect(page.getByTestId('ticket-result')).toHaveCount(0);
  });

  await test.step('Esc in the ticket clears it and leaves it: a later digit is a timeframe again', async () => {
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('ticket-qty')).toHaveValue('');
    await expect(page.getByTestId('ticket-qty')).not.toBeFocused();
    await expect(page.getByTestId('order-ticket').locator(':focus')).toHaveCount(0);
    await ui.panes().nth(2).getByTestId('chart-host').hover();
    await page.keyboard.press('6');
    await expect(page.getByTestId('ticket-qty')).toHaveValue('');
    await expect(ui.panes().nth(2)).toHaveAttribute('data-timeframe', '1D');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('ticket-result')).toHaveCount(0);
  });

  await test.step('/ focuses the symbol search without typing a slash into it', async () => {
    await page.getByTestId('market-clock').click();
    await page.keyboard.press('/');
    const search = page.getByTestId('symbol-search');
    await expect(search).toBeFocused();
    await expect(search).not.toHaveValue(/\//);
    await page.keyboard.press('Escape');
  });
});
