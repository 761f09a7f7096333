/**
 * What a trader coming from TradingView expects of a chart: once the newest bar is dragged out of view, a
 * ">>" button ("Go to the newest bar") shows over the candle pane's bottom-right corner (above the
 * volume), and a click on it brings the live edge back, after which the view follows new bars again and
 * the button is gone. And the drawing
 * keys: Alt+H picks the horizontal line on the pane under the pointer (one click places it), Alt+T the
 * trend line (on the first linked pane when the pointer is on none), and neither fires while typing.
 */
import { expect, test, type Locator } from '@playwright/test';
import { near, openWorkstation, useWorkstation, WorkstationPage } from './workstation';

// A world of its own per test (DEMO_ARGS: speed 60, a new 1-minute bar each second, seed 7).
const workstation = useWorkstation({ stopAfterEach: true });

/** The drawings' colour (renderer/drawings/drawing-layer.ts). */
const AMBER = [0xf0, 0xb4, 0x29] as const;

const host = (pane: Locator): Locator => pane.getByTestId('chart-host');

/** The newest bar's start and the start of the last bar in view, as the pane reports them. */
async function edges(ui: WorkstationPage, pane: Locator): Promise<{ newest: number; inView: number }> {
  return {
    newest: await ui.lastStart(pane),
    inView: Number(await host(pane).getAttribute('data-visible-to')),
  };
}

/** Whether the last bar in view is the newest bar. */
async function atNewest(ui: WorkstationPage, pane: Locator): Promise<boolean> {
  const { newest, inView } = await edges(ui, pane);
  return newest > 0 && inView === newest;
}

/** A point of the pane's candle area, as fractions of its width and height, in page pixels. */
const at = (pane: Locator, fx: number, fy: number) =>
  new WorkstationPage(pane.page()).plotPoint(pane, fx, fy);

/** Amber pixels on the pane's plot areas (not the axes, whose labels move with every tick). */
async function amber(ui: WorkstationPage, pane: Locator): Promise<number> {
  const { inBox } = await ui.countPixels(pane, [near(AMBER)], { plotOnly: true });
  return inBox[0]!;
}

test('the newest-bar button shows once the newest bar is dragged out of view and brings it back', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const app = await workstation.start();
  const ui = await openWorkstation(page, app.url);
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const pane = ui.pane('1m');
  const button = pane.getByRole('button', { name: 'Go to the newest bar' });
  await expect.poll(() => ui.barCount(pane)).toBeGreaterThan(100);

  await test.step('at the live edge no pane shows the button', async () => {
    await expect.poll(() => atNewest(ui, pane), { message: 'the newest bar is in view' }).toBe(true);
    await expect(page.getByTestId('scroll-to-newest')).toHaveCount(0);
  });

  await test.step("dragged into the past, the pane offers the way back, over the candles' bottom-right corner", async () => {
    await ui.dragChart(pane, 400);
    await expect(button).toBeVisible();
    await expect(button).toHaveAttribute('title', 'Go to the newest bar');
    await expect(page.getByTestId('scroll-to-newest'), 'only on the pane dragged').toHaveCount(1);
    const { newest, inView } = await edges(ui, pane);
    expect(inView, 'the newest bar is out of view').toBeLessThan(newest);
    // Inside the candle pane, in its bottom-right quarter: above the volume pane (and the time axis) and
    // left of the price scale, so it covers no volume bar and no label of a pane below.
    const topLeft = await at(pane, 0, 0);
    const bottomRight = await at(pane, 1, 1);
    const box = await button.boundingBox();
    if (!box) throw new Error('the button is not on screen');
    expect(box.x + box.width, 'left of the price scale').toBeLessThanOrEqual(bottomRight.x);
    expect(box.x).toBeGreaterThan((topLeft.x + bottomRight.x) / 2);
    expect(box.y + box.height, 'above the volume pane').toBeLessThanOrEqual(bottomRight.y);
    expect(box.y).toBeGreaterThan((topLeft.y + bottomRight.y) / 2);
    // Bars keep arriving; the view stays in the past and so does the button.
    await expect.poll(() => ui.lastStart(pane), { timeout: 15_000 }).toBeGreaterThan(newest);
    await expect(button).toBeVisible();
  });

  await test.step('a click brings the newest bar back into view, and the button goes', async () => {
    await button.click();
    await expect(button).toHaveCount(0);
    await expect.poll(() => atNewest(ui, pane), { message: 'the newest bar is the last in view' }).toBe(true);
  });

  await test.step('the view follows new bars again', async () => {
    const { newest } = await edges(ui, pane);
    await expect.poll(() => ui.lastStart(pane), { timeout: 15_000 }).toBeGreaterThan(newest);
    await expect.poll(() => atNewest(ui, pane), { message: 'the new bar is the last in view' }).toBe(true);
    await expect(page.getByTestId('scroll-to-newest')).toHaveCount(0);
  });
  expect(ui.pageErrors, 'nothing thrown in the page').toEqual([]);
});

test('Alt+H and Alt+T pick the drawing tools on the pane under the pointer; one click places a line', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = await workstation.start();
  const ui = await openWorkstation(page, app.url);
  const pane = ui.pane('1D');
  await expect.poll(() => ui.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(5);
  const pressed = (tool: 'horizontal' | 'trend') =>
    page.locator(`[data-testid="draw-${tool}"][aria-pressed="true"]`);
  const horizontal = pane.getByTestId('draw-horizontal');
  await page.mouse.move(1, 1);
  const before = await amber(ui, pane);

  await test.step('Alt+H over the daily pane picks its horizontal line; a click places it', async () => {
    const point = await at(pane, 0.4, 0.3);
    await page.mouse.move(point.x, point.y);
    await page.keyboard.press('Alt+h');
    await expect(horizontal).toHaveAttribute('aria-pressed', 'true');
    await expect(host(pane)).toHaveAttribute('data-drawing-tool', 'horizontal');
    await expect(pressed('horizontal'), 'on that pane only').toHaveCount(1);
    await page.mouse.click(point.x, point.y);
    await expect(horizontal).toHaveAttribute('aria-pressed', 'false');
    await page.mouse.move(1, 1);
    await expect.poll(() => amber(ui, pane), { message: 'the line is drawn' }).toBeGreaterThan(before + 200);
  });

  await test.step('Alt+T with the pointer on no pane picks the trend line on the first linked pane', async () => {
    const first = ui.panes().nth(0);
    await page.keyboard.press('Alt+t');
    await expect(first.getByTestId('draw-trend')).toHaveAttribute('aria-pressed', 'true');
    await expect(pressed('trend')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(pressed('trend')).toHaveCount(0);
  });

  await test.step('typing in a field, the keys pick nothing', async () => {
    await page.getByTestId('symbol-search').focus();
    await page.keyboard.press('Alt+h');
    await page.keyboard.press('Alt+t');
    // Nothing to wait for: the key presses were handled (or not) before press() returned.
    await expect(pressed('horizontal')).toHaveCount(0);
    await expect(pressed('trend')).toHaveCount(0);
  });

  await test.step('the help lists both keys', async () => {
    await page.getByTestId('symbol-search').blur();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await expect(help.locator('[data-key="Alt H"]')).toContainText('Horizontal line');
    await expect(help.locator('[data-key="Alt T"]')).toContainText('Trend line');
  });
  expect(ui.pageErrors, 'nothing thrown in the page').toEqual([]);
});
