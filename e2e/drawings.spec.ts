/**
 * Drawings (issue 16): a trader draws a horizontal line and a trend line on the daily chart with the pane's
 * tools; they are drawn on the canvas (pixels of the drawings' amber), belong to the symbol (gone on
 * another, back on return), are kept (a reload shows them), one can be selected and deleted, and a line
 * drawn on one timeframe shows on another. A selected drawing is dragged to a new place (a horizontal line
 * to a higher price, a trend line by its end), which is kept too; a line not selected is dragged straight
 * away, as in TradingView (the press selects and grabs it).
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Drawing } from '../src/shared/domain';
import { DEMO_ARGS, near, openWorkstation, useWorkstation, WorkstationPage } from './workstation';

/** The drawings' colour and the selected one's (renderer/drawings/drawing-layer.ts). */
const AMBER = [0xf0, 0xb4, 0x29] as const;
const SELECTED = [0xff, 0xe0, 0x8a] as const;

const workstation = useWorkstation();

/** A point of the pane's candle area, as fractions of its width and height, in page pixels. */
const at = (pane: Locator, fx: number, fy: number) =>
  new WorkstationPage(pane.page()).plotPoint(pane, fx, fy);

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

/** The drawing selected on the pane, as the chart host says it is drawn now; null while none is. */
async function selectedDrawing(pane: Locator): Promise<Drawing | null> {
  const json = await pane.getByTestId('chart-host').getAttribute('data-selected-drawing');
  return json === null ? null : (JSON.parse(json) as Drawing);
}

async function selectedPrice(pane: Locator): Promise<number> {
  const drawing = await selectedDrawing(pane);
  if (drawing?.kind !== 'horizontal')
    throw new Error(`no horizontal line is selected: ${JSON.stringify(drawing)}`);
  return drawing.price;
}

/**
 * The middle row (page y) of the pixels of `rgb` on the pane's right price axis: where a line's axis label
 * is (a price line's label is filled with the line's colour); null when there are none.
 */
async function axisLabelY(pane: Locator, rgb: readonly [number, number, number]): Promise<number | null> {
  return pane.getByTestId('chart-host').evaluate((host, rgb) => {
    const hostRect = host.getBoundingClientRect();
    const rows: number[] = [];
    for (const canvas of Array.from(host.querySelectorAll('canvas'))) {
      const rect = canvas.getBoundingClientRect();
      // The right axis: narrow, on the right half; the top one (the candle pane's, not the volume's).
      if (rect.width > hostRect.width * 0.5 || rect.left < hostRect.left + hostRect.width / 2) continue;
      if (rect.top > hostRect.top + 5 || canvas.width === 0 || canvas.height === 0) continue;
      const context = canvas.getContext('2d');
      if (!context) continue;
      const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const near = (k: number) => Math.abs(data[i + k]! - rgb[k]!) <= 6;
        if (data[i + 3]! >= 200 && near(0) && near(1) && near(2)) {
          rows.push(rect.top + (Math.floor(i / 4 / width) * rect.height) / canvas.height);
        }
      }
    }
    if (rows.length < 20) return null;
    rows.sort((a, b) => a - b);
    return rows[Math.floor(rows.length / 2)]!;
  }, rgb);
}

/** Pixels of `rgb` on the pane's canvases within `radius` page pixels of `point` (page pixels). */
async function pixelsNear(
  pane: Locator,
  rgb: readonly [number, number, number],
  point: { x: number; y: number },
  radius = 6,
): Promise<number> {
  return pane.getByTestId('chart-host').evaluate(
    (host, { rgb, point, radius }) => {
      let count = 0;
      for (const canvas of Array.from(host.querySelectorAll('canvas'))) {
        const rect = canvas.getBoundingClientRect();
        const context = canvas.getContext('2d');
        if (!context || rect.width === 0 || rect.height === 0) continue;
        const sx = canvas.width / rect.width;
        const sy = canvas.height / rect.height;
        const left = Math.floor((point.x - radius - rect.left) * sx);
        const top = Math.floor((point.y - radius - rect.top) * sy);
        const w = Math.ceil(2 * radius * sx);
        const h = Math.ceil(2 * radius * sy);
        if (left + w <= 0 || top + h <= 0 || left >= canvas.width || top >= canvas.height) continue;
        const { data } = context.getImageData(left, top, w, h);
        for (let i = 0; i < data.length; i += 4) {
          const near = (k: number) => Math.abs(data[i + k]! - rgb[k]!) <= 6;
          if (data[i + 3]! >= 200 && near(0) && near(1) && near(2)) count++;
        }
      }
      return count;
    },
    { rgb, point, radius },
  );
}

/** The cursor the page shows at a point (page pixels): the computed cursor of the element there. */
async function cursorAt(page: Page, point: { x: number; y: number }): Promise<string> {
  return page.evaluate(({ x, y }) => {
    const element = document.elementFromPoint(x, y);
    return element ? getComputedStyle(element).cursor : 'none';
  }, point);
}

/** Reloads the page; returns the page model and the daily pane once it shows SPY with its Pick pane. */
async function reloadDaily(page: Page, url: string): Promise<{ ui: WorkstationPage; pane: Locator }> {
  await page.reload();
  const ui = await openWorkstation(page, url);
  const pane = ui.pane('1D');
  await showsSymbol(ui, pane, 'SPY');
  await ui.pickPaneShown(pane);
  await pointerAway(ui);
  return { ui, pane };
}

/**
 * The pane's first visible moment once it holds still (the same on two reads half a second apart): after
 * a load and the first clicks the daily view still shifts a few bars by itself, which a check that a drag
 * did not pan the chart must not take for a pan.
 */
async function settledViewFrom(ui: WorkstationPage, pane: Locator): Promise<number> {
  let last = Number.NaN;
  await expect
    .poll(
      async () => {
        const now = await ui.visibleFrom(pane);
        const still = now === last;
        last = now;
        return still;
      },
      { intervals: [500] },
    )
    .toBe(true);
  return last;
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
  await ui.pickPaneShown(pane);
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
    ({ ui, pane } = await reloadDaily(page, app.url));
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

test('a trader drags a selected line to a higher price, and a trend line by its end', async ({ page }) => {
  test.setTimeout(150_000);
  const app = await workstation.start(DEMO_ARGS, { db: join(workstation.dir, 'move.sqlite') });
  let ui = await openWorkstation(page, app.url);
  await page.getByTestId('symbol-picker').selectOption('SPY');
  let pane = ui.pane('1D');
  await showsSymbol(ui, pane, 'SPY');
  const host = () => pane.getByTestId('chart-host');
  await ui.pickPaneShown(pane);

  let movedPrice = 0;
  let movedY = 0;
  await test.step('a selected horizontal line dragged up: its axis label shows a higher price', async () => {
    await pane.getByTestId('draw-horizontal').click();
    await clickChart(ui, pane, 0.4, 0.7);
    await clickChart(ui, pane, 0.8, 0.7);
    await expect(host()).toHaveAttribute('data-selected-drawing', /horizontal/);
    const price = await selectedPrice(pane);
    // Gripped where the line is drawn once the view holds still (its axis label's middle): the chart may
    // still settle after the clicks (its view and price scale shift), so where it was clicked may be off it.
    const viewFrom = await settledViewFrom(ui, pane);
    await expect.poll(() => axisLabelY(pane, SELECTED)).not.toBeNull();
    const labelY = (await axisLabelY(pane, SELECTED))!;
    const grip = { x: (await at(pane, 0.8, 0.7)).x, y: labelY };
    const drop = await at(pane, 0.7, 0.3);
    const rise = grip.y - drop.y;
    await page.mouse.move(grip.x, grip.y);
    await expect.poll(() => cursorAt(page, grip)).toBe('ns-resize');

    await page.mouse.down();
    await page.mouse.move(drop.x, drop.y, { steps: 10 });
    await expect(host()).toHaveAttribute('data-drawing-drag', 'ns-resize');
    await page.mouse.up();
    await expect(host()).not.toHaveAttribute('data-drawing-drag', /./);
    await expect.poll(() => selectedPrice(pane)).toBeGreaterThan(price);
    movedPrice = await selectedPrice(pane);
    // The label followed the line up as far as the pointer went; the chart did not pan under the drag.
    await expect
      .poll(async () => labelY - ((await axisLabelY(pane, SELECTED)) ?? labelY))
      .toBeGreaterThan(rise - 6);
    expect(await ui.visibleFrom(pane)).toBe(viewFrom);
    movedY = drop.y;
    await saved(page);
  });

  await test.step('the moved line is kept: after a reload it is at the new price', async () => {
    ({ ui, pane } = await reloadDaily(page, app.url));
    await expect.poll(async () => Math.abs(((await axisLabelY(pane, AMBER)) ?? 0) - movedY)).toBeLessThan(12);
    const { x } = await at(pane, 0.8, 0.7);
    await page.mouse.click(x, movedY);
    await expect(host()).toHaveAttribute('data-selected-drawing', /horizontal/);
    expect(await selectedPrice(pane)).toBe(movedPrice);
  });

  await test.step('Esc during a drag puts the line back', async () => {
    const { x } = await at(pane, 0.8, 0.7);
    await page.mouse.move(x, movedY);
    await page.mouse.down();
    await page.mouse.move(x, movedY + 30, { steps: 6 });
    await expect.poll(() => selectedPrice(pane)).toBeLessThan(movedPrice);
    await page.keyboard.press('Escape');
    await page.mouse.up();
    await expect.poll(() => selectedPrice(pane)).toBe(movedPrice);
    await saved(page);
    await page.keyboard.press('Escape'); // Deselects.
    await expect(host()).not.toHaveAttribute('data-selected-drawing', /./);
  });

  await test.step('a line not selected is dragged straight away: it moves up and is selected', async () => {
    const viewFrom = await settledViewFrom(ui, pane);
    const { x } = await at(pane, 0.8, 0.7);
    await expect.poll(() => axisLabelY(pane, AMBER)).not.toBeNull();
    const grip = { x, y: (await axisLabelY(pane, AMBER))! }; // Where the line is drawn now.
    const drop = await at(pane, 0.8, 0.2);
    await page.mouse.move(grip.x, grip.y);
    // The grab's cursor over it though it is not selected, not a hand.
    await expect.poll(() => cursorAt(page, grip)).toBe('ns-resize');
    await expect(host()).not.toHaveAttribute('data-selected-drawing', /./);
    await page.mouse.down();
    await page.mouse.move(drop.x, drop.y, { steps: 10 });
    await expect(host()).toHaveAttribute('data-drawing-drag', 'ns-resize');
    await page.mouse.up();
    await expect(host()).not.toHaveAttribute('data-drawing-drag', /./);
    await expect.poll(() => selectedPrice(pane)).toBeGreaterThan(movedPrice);
    expect(await ui.visibleFrom(pane), 'the chart did not pan').toBe(viewFrom);
    await saved(page);
    await page.keyboard.press('Escape');
    await expect(host()).not.toHaveAttribute('data-selected-drawing', /./);
  });

  await test.step('a trend line’s end dragged: the line is drawn to the new end, the other end stays', async () => {
    await pane.getByTestId('draw-trend').click();
    // Below the horizontal line (at 0.3), clear of it.
    await clickChart(ui, pane, 0.2, 0.75);
    await clickChart(ui, pane, 0.5, 0.55);
    await clickChart(ui, pane, 0.35, 0.65); // The middle of the line: selects it.
    await expect(host()).toHaveAttribute('data-selected-drawing', /trend/);
    const before = await selectedDrawing(pane);
    if (before?.kind !== 'trend') throw new Error('no trend line is selected');
    const end = await at(pane, 0.5, 0.55);
    const target = await at(pane, 0.7, 0.9);
    await page.mouse.move(end.x, end.y);
    await expect.poll(() => cursorAt(page, end)).toBe('pointer');
    await page.mouse.down();
    await page.mouse.move(target.x, target.y, { steps: 10 });
    await page.mouse.up();
    await expect.poll(async () => (await selectedDrawing(pane)) as unknown).not.toEqual(before);
    const after = await selectedDrawing(pane);
    if (after?.kind !== 'trend') throw new Error('the trend line is no longer selected');
    expect(after.from).toEqual(before.from);
    expect(after.to.time).toBeGreaterThan(before.to.time);
    expect(after.to.price).toBeLessThan(before.to.price);
    await pointerAway(ui);
    // Drawn there: the handle at the new end, nothing left at the old one.
    await expect.poll(() => pixelsNear(pane, SELECTED, target)).toBeGreaterThan(20);
    await expect.poll(() => pixelsNear(pane, SELECTED, end)).toBe(0);
    await saved(page);
  });
});
