/**
 * Drawings (issue 16): a trader draws a horizontal line and a trend line on the daily chart with the pane's
 * tools; they are drawn on the canvas (pixels of the drawings' amber), belong to the symbol (gone on
 * another, back on return), are kept (a reload shows them), one can be selected and deleted, and a line
 * drawn on one timeframe shows on another.
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_ARGS, near, openWorkstation, useWorkstation, WorkstationPage } from './workstation';

/** The drawings' colour and the selected one's (renderer/drawings/drawing-layer.ts). */
const AMBER = [0xf0, 0xb4, 0x29] as const;
const SELECTED = [0xff, 0xe0, 0x8a] as const;

const workstation = useWorkstation();

/**
 * A point of the pane's candle area (the chart's first pane, above the volume), as fractions of its width
 * and height, in page pixels.
 */
async function at(pane: Locator, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await pane.getByTestId('chart-host').evaluate((host) => {
    const plot = Array.from(host.querySelectorAll('canvas')).find(
      (canvas) => canvas.clientWidth > host.clientWidth * 0.5,
    );
    const rect = plot?.getBoundingClientRect();
    return rect ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height } : null;
  });
  if (!box) throw new Error('the chart is not on screen');
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function clickChart(ui: WorkstationPage, pane: Locator, fx: number, fy: number): Promise<void> {
  const { x, y } = await at(pane, fx, fy);
  await ui.page.mouse.click(x, y);
}

/** Moves the mouse off the charts (the crosshair's labels and the hover cursor go away). */
async function pointerAway(ui: WorkstationPage): Promise<void> {
  await ui.page.mouse.move(1, 1);
}

/**
 * Pixels of `rgb` on the pane's plot areas only, not its axes: the price axis's labels (the line's own, the
 * crosshair's, the last price's) overlap and move with every live tick, the lines across the plot do not.
 */
async function linePixels(pane: Locator, rgb: readonly [number, number, number]): Promise<number> {
  const { inBox } = await new WorkstationPage(pane.page()).countPixels(pane, [near(rgb)], { plotOnly: true });
  return inBox[0]!;
}

const amber = (pane: Locator) => linePixels(pane, AMBER);

/** Waits until the pane's chart shows `symbol`'s candles. */
async function showsSymbol(ui: WorkstationPage, pane: Locator, symbol: string): Promise<void> {
  await expect(ui.legend(pane)).toHaveAttribute('data-symbol', symbol, { timeout: 30_000 });
  await expect.poll(() => ui.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(5);
  await expect
    .poll(async () => {
      const { up, down } = await ui.candlePixels(pane);
      return up + down;
    })
    .toBeGreaterThan(50);
}

/** Waits until the workspace's last change is saved. */
async function saved(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
}

test('a trader draws, keeps, switches away from and deletes lines on the daily chart', async ({ page }) => {
  const app = await workstation.start(DEMO_ARGS, { db: join(workstation.dir, 'demo.sqlite') });
  let ui = await openWorkstation(page, app.url);
  await page.getByTestId('symbol-picker').selectOption('SPY');
  let pane = ui.pane('1D');
  await showsSymbol(ui, pane, 'SPY');
  const horizontal = pane.getByTestId('draw-horizontal');
  const trend = pane.getByTestId('draw-trend');
  await pointerAway(ui);
  const before = await amber(pane);
  expect(before, 'nothing amber on a chart without drawings').toBeLessThan(20);

  let withLine = 0;
  await test.step('a horizontal line at the clicked price', async () => {
    await horizontal.click();
    await expect(horizontal).toHaveAttribute('aria-pressed', 'true');
    await expect(pane.getByTestId('chart-host')).toHaveAttribute('data-drawing-tool', 'horizontal');
    await expect(pane.getByTestId('chart-host').locator('canvas').first()).toHaveCSS('cursor', 'crosshair');
    await clickChart(ui, pane, 0.4, 0.3);
    await expect(horizontal).toHaveAttribute('aria-pressed', 'false');
    await pointerAway(ui);
    await expect.poll(() => ui.pixelsOfColour(pane, AMBER)).toBeGreaterThan(200);
    await expect.poll(() => amber(pane)).toBeGreaterThan(before + 200);
    withLine = await amber(pane);
  });

  await test.step('Esc puts down a trend line half drawn', async () => {
    await trend.click();
    await clickChart(ui, pane, 0.2, 0.55);
    const end = await at(pane, 0.5, 0.2);
    await page.mouse.move(end.x, end.y, { steps: 4 });
    // The dashed line follows the pointer.
    await expect.poll(() => amber(pane)).toBeGreaterThan(withLine + 20);
    await page.keyboard.press('Escape');
    await expect(trend).toHaveAttribute('aria-pressed', 'false');
    await pointerAway(ui);
    await expect.poll(() => amber(pane)).toBeLessThan(withLine + 20);
  });

  let withBoth = 0;
  await test.step('a trend line from the first click to the second', async () => {
    await trend.click();
    await expect(trend).toHaveAttribute('aria-pressed', 'true');
    await clickChart(ui, pane, 0.2, 0.55);
    await clickChart(ui, pane, 0.6, 0.15);
    await expect(trend).toHaveAttribute('aria-pressed', 'false');
    await pointerAway(ui);
    await expect.poll(() => amber(pane)).toBeGreaterThan(withLine + 100);
    withBoth = await amber(pane);
    await saved(page);
  });

  await test.step('another symbol has no drawings; back on SPY they are back', async () => {
    await page.getByTestId('symbol-picker').selectOption('TLT');
    await showsSymbol(ui, pane, 'TLT');
    await expect.poll(() => amber(pane)).toBeLessThan(20);
    await page.getByTestId('symbol-picker').selectOption('SPY');
    await showsSymbol(ui, pane, 'SPY');
    await expect.poll(() => amber(pane)).toBeGreaterThan(withBoth * 0.8);
    await saved(page);
  });

  await test.step('a reload shows them again', async () => {
    await page.reload();
    ui = await openWorkstation(page, app.url);
    pane = ui.pane('1D');
    await showsSymbol(ui, pane, 'SPY');
    await pointerAway(ui);
    await expect.poll(() => amber(pane)).toBeGreaterThan(withBoth * 0.8);
  });

  await test.step('a click near the horizontal line selects it; Delete removes it', async () => {
    const full = await amber(pane);
    await clickChart(ui, pane, 0.85, 0.3);
    await expect(pane.getByTestId('draw-remove')).toHaveAttribute('data-removes', 'selected');
    await pointerAway(ui);
    await expect.poll(() => linePixels(pane, SELECTED)).toBeGreaterThan(200);
    await page.keyboard.press('Delete');
    await expect.poll(() => linePixels(pane, SELECTED)).toBeLessThan(20);
    // The trend line stays.
    const left = await amber(pane);
    expect(left).toBeLessThan(full - 200);
    expect(left).toBeGreaterThan(100);
    await saved(page);
  });

  await test.step('the remove button with nothing selected removes the rest, after a confirm', async () => {
    const remove = pane.getByTestId('draw-remove');
    await expect(remove).toHaveAttribute('data-removes', 'all');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await remove.click();
    await expect(remove).toBeEnabled();
    expect(await amber(pane)).toBeGreaterThan(100);
    page.once('dialog', (dialog) => void dialog.accept());
    await remove.click();
    await expect.poll(() => amber(pane)).toBeLessThan(20);
    await expect(remove).toBeDisabled();
  });

  await test.step('a line drawn on the 1h pane shows on the 1D pane too', async () => {
    // Mid-height of the 1h pane: a price of the last weeks, which the daily chart's view includes.
    const hourly = ui.pane('1h');
    await showsSymbol(ui, hourly, 'SPY');
    await hourly.getByTestId('draw-horizontal').click();
    await clickChart(ui, hourly, 0.5, 0.5);
    await pointerAway(ui);
    await expect.poll(() => amber(hourly)).toBeGreaterThan(200);
    await expect.poll(() => amber(pane)).toBeGreaterThan(200);
  });

  await test.step('with no tool picked, dragging the chart still pans it and selects nothing', async () => {
    const from = await ui.visibleFrom(pane);
    await ui.dragChart(pane, 200);
    await expect.poll(() => ui.visibleFrom(pane)).toBeLessThan(from);
    await expect(pane.getByTestId('draw-remove')).toHaveAttribute('data-removes', 'all');
  });
});
