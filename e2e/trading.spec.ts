/**
 * Trading in the web mode as a trader does it (issue 15's "Done when"): in the demo market a market buy
 * from the ticket's keyboard fills and shows as a position and a fill; a limit buy below the market works
 * until cancelled; the P&L moves with the market; the kill switch halts trading and the next order is
 * refused by name, in the window and through `trm order` against the running workstation; and after a
 * restart on the same database everything is as it was, still halted, until the trader resumes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Order } from '../src/shared/domain';
import { runCli, startWorkstation, TradingPage, type RunningWorkstation } from './workstation';

// Friday 14 March 2025, 10:00 ET: inside a trading session; 60 market seconds a wall second, so a
// market order fills on the next 1-minute bar within about a second and prices move visibly.
const DEMO_ARGS = ['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'];

let dir: string;
let app: RunningWorkstation | undefined;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-e2e-trading-'));
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the workstation and waits until its trading panel offers trading. */
async function open(page: Page, url: string): Promise<TradingPage> {
  await page.goto(url);
  const trading = new TradingPage(page);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  await expect(trading.panel).toHaveAttribute('data-available', 'true', { timeout: 60_000 });
  await expect(trading.panel).toHaveAttribute('data-folded', 'false');
  await expect(page.getByTestId('blotter')).toHaveAttribute('data-loaded', 'true');
  return trading;
}

test('a trader places, fills, cancels, halts and restarts demo orders, in the window and the CLI', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const db = join(dir, 'demo.sqlite');
  app = await startWorkstation(DEMO_ARGS, { db });
  let ui = await open(page, app.url);

  // The ticket takes the chart's symbol.
  await expect(ui.ticket.getByTestId('ticket-symbol')).not.toHaveValue('');
  const symbol = await ui.ticket.getByTestId('ticket-symbol').inputValue();
  await expect(page.getByTestId('mode-badge')).toHaveText(/DEMO/);
  await expect(ui.page.getByTestId('trading-state')).toHaveAttribute('data-state', 'active');

  let marketBuyId = '';
  let fillPrice = 0;
  await test.step('a market buy from the keyboard fills, and shows as a position and a fill', async () => {
    // Keyboard only: focus the ticket, B, the quantity, Enter.
    await ui.ticket.getByTestId('ticket-qty').focus();
    await page.keyboard.press('b');
    await expect(ui.ticket.getByTestId('ticket-side-buy')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    marketBuyId = await ui.placed();
    // Placed, the quantity is emptied and the ticket let go of the focus: a later 1 is no new order.
    await expect(ui.ticket.getByTestId('ticket-qty')).toHaveValue('');
    await expect(ui.ticket.locator(':focus')).toHaveCount(0);
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await expect(ui.ticket.getByTestId('ticket-qty')).toHaveValue('');
    await expect(ui.ticket.getByTestId('ticket-result')).toHaveAttribute('data-client-order-id', marketBuyId);

    await ui.tab('history');
    await expect(ui.order(marketBuyId)).toHaveAttribute('data-status', 'filled', { timeout: 30_000 });
    await expect(ui.order(marketBuyId)).toContainText(symbol);
    await expect(ui.position(symbol)).toHaveAttribute('data-qty', '3');

    await ui.tab('fills');
    await expect(ui.fills()).toHaveCount(1);
    await expect(ui.fills().first()).toContainText(symbol);
    await expect(ui.fills().first()).toContainText('Buy 3');
    fillPrice = ui.number(await ui.fills().first().locator('td').nth(3).innerText());
    expect(fillPrice).toBeGreaterThan(0);
  });

  let limitBuyId = '';
  await test.step('a limit buy below the market works until cancelled', async () => {
    // 7 % under the fill: far from filling in a few seconds, inside the risk engine's 10 % price band.
    const limit = (fillPrice * 0.93).toFixed(2);
    await ui.fillTicket({ side: 'buy', qty: '2', type: 'limit', limitPrice: limit });
    await ui.ticket.getByTestId('ticket-place').click();
    limitBuyId = await ui.placed();

    await ui.tab('working');
    await expect(ui.order(limitBuyId)).toHaveAttribute('data-status', 'new');
    await expect(ui.order(limitBuyId)).toContainText(`L ${Number(limit).toFixed(2)}`);
    await ui.order(limitBuyId).getByTestId('blotter-cancel').click();
    await expect(ui.order(limitBuyId)).toHaveCount(0);
    await ui.tab('history');
    await expect(ui.order(limitBuyId)).toHaveAttribute('data-status', 'canceled');
    await expect(ui.order(limitBuyId)).toContainText('cancelled');
    await expect(ui.position(symbol)).toHaveAttribute('data-qty', '3');
  });

  await test.step('the P&L moves with the market', async () => {
    const equity = ui.page.getByTestId('account-equity');
    await expect(equity).not.toHaveAttribute('data-value', '');
    const before = await equity.innerText();
    await expect
      .poll(() => equity.innerText(), { timeout: 30_000, message: 'the equity changes as prices move' })
      .not.toBe(before);
    const unrealised = ui.position(symbol).locator('td').nth(4);
    const seen = await unrealised.innerText();
    await expect
      .poll(() => unrealised.innerText(), { timeout: 30_000, message: 'the unrealised P&L changes' })
      .not.toBe(seen);
  });

  await test.step('the kill switch halts trading and the next order is refused by name', async () => {
    await ui.page.getByTestId('kill-switch').click();
    await ui.page.getByTestId('kill-switch-confirm').click();
    await expect(ui.page.getByTestId('trading-state')).toHaveAttribute('data-state', 'halted');
    await expect(ui.page.getByTestId('trading-state')).toHaveText('HALTED');

    await ui.fillTicket({ side: 'buy', qty: '1', type: 'market' });
    await ui.ticket.getByTestId('ticket-place').click();
    const result = ui.ticket.getByTestId('ticket-result');
    await expect(result).toHaveAttribute('data-outcome', 'denied');
    await expect(result).toHaveAttribute('data-rule', 'trading_state');
    await expect(result).toContainText('trading_state');
  });

  await test.step('the CLI against the running workstation: refused while halted; lists the orders', () => {
    const refused = runCli(['order', 'place', '--symbol', symbol, '--side', 'buy', '--qty', '1', '--db', db]);
    expect(refused.status, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('trading_state');

    const listed = runCli(['orders', '--status', 'all', '--db', db, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const orders = JSON.parse(listed.stdout) as Order[];
    const byClientId = new Map(orders.map((order) => [order.clientOrderId, order]));
    expect(byClientId.get(marketBuyId)).toMatchObject({ symbol, side: 'buy', qty: 3, status: 'filled' });
    expect(byClientId.get(limitBuyId)).toMatchObject({ symbol, side: 'buy', qty: 2, status: 'canceled' });
  });

  await test.step('after a restart on the same database everything is as it was, still halted', async () => {
    await app?.stop();
    app = undefined;
    app = await startWorkstation(DEMO_ARGS, { db });
    ui = await open(page, app.url);

    await expect(ui.page.getByTestId('trading-state')).toHaveAttribute('data-state', 'halted');
    await expect(ui.page.getByTestId('kill-switch')).toContainText('HALTED');
    await ui.tab('history');
    await expect(ui.order(marketBuyId)).toHaveAttribute('data-status', 'filled');
    await expect(ui.order(limitBuyId)).toHaveAttribute('data-status', 'canceled');
    await ui.tab('fills');
    await expect(ui.fills()).toHaveCount(1);
    await expect(ui.fills().first()).toContainText('Buy 3');
    await expect(ui.position(symbol)).toHaveAttribute('data-qty', '3');
  });

  await test.step('resuming trading lets a new order fill', async () => {
    await ui.page.getByTestId('kill-switch').click();
    await expect(ui.page.getByTestId('trading-state')).toHaveAttribute('data-state', 'active');
    await ui.fillTicket({ side: 'buy', qty: '2', type: 'market' });
    await ui.ticket.getByTestId('ticket-place').click();
    const afterRestartId = await ui.placed();
    await ui.tab('history');
    await expect(ui.order(afterRestartId)).toHaveAttribute('data-status', 'filled', { timeout: 30_000 });
    await expect(ui.position(symbol)).toHaveAttribute('data-qty', '5');
    await ui.tab('fills');
    await expect(ui.fills()).toHaveCount(2);
  });
});
