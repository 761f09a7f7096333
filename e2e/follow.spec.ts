/**
 * "Follow automatically" places orders by itself, so turning it on asks first (issue 16's new-user
 * trial: one stray click on its label turned it on): a click on the label opens a confirm that says what
 * following does; Cancel leaves it off (also in the engine, across a reload); Confirm turns it on; turning
 * it off asks nothing.
 */
import { expect, test } from '@playwright/test';
import { openWorkstation, TradingPage, useWorkstation } from './workstation';

const workstation = useWorkstation();

test('turning strategy following on asks for a confirmation; turning it off does not', async ({ page }) => {
  test.setTimeout(150_000);
  const app = await workstation.start();
  await openWorkstation(page, app.url);
  const trading = new TradingPage(page);
  await expect(trading.panel).toHaveAttribute('data-available', 'true', { timeout: 60_000 });
  const toggle = page.getByTestId('follow-toggle');
  const dialog = page.getByTestId('follow-dialog');
  await expect(toggle).not.toBeChecked();

  await test.step('a click on the label asks first; Cancel leaves following off', async () => {
    await page.getByText('Follow automatically', { exact: true }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('places the orders that move the account to the strategy’s weights');
    await expect(dialog).toContainText('within the risk limits');
    await expect(toggle).not.toBeChecked();
    await dialog.getByTestId('follow-cancel').click();
    await expect(dialog).toHaveCount(0);
    await expect(toggle).not.toBeChecked();
    // The engine was never told: a reload reads its state.
    await openWorkstation(page, app.url);
    await expect(trading.panel).toHaveAttribute('data-available', 'true', { timeout: 60_000 });
    await expect(toggle).not.toBeChecked();
  });

  await test.step('Esc cancels too; Confirm turns following on', async () => {
    await toggle.click();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(toggle).not.toBeChecked();
    await toggle.click();
    await dialog.getByTestId('follow-confirm').click();
    await expect(toggle).toBeChecked();
    await expect(dialog).toHaveCount(0);
  });

  await test.step('turning it off asks nothing, and the engine keeps it off', async () => {
    await toggle.click();
    await expect(toggle).not.toBeChecked();
    await expect(dialog).toHaveCount(0);
    await openWorkstation(page, app.url);
    await expect(trading.panel).toHaveAttribute('data-available', 'true', { timeout: 60_000 });
    await expect(toggle).not.toBeChecked();
  });
});
