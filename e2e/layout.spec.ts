/**
 * The window at the sizes traders use (issue 16): at 1280×800 and 900×700 every pane keeps a chart of at
 * least 200 / 150 px under a one-row header, the legend is drawn over the chart's top-left (O, H, L, C,
 * volume and the bar's time whole, nothing over it: the indicator chips flow under it), the top bar's and
 * the status bar's items are inside the window without overlapping or being cut, the watchlist's header and
 * its first rows are in sight at the top of the right column without scrolling, and the document never
 * scrolls, also with a pane's ƒx menu open (screenshots of both sizes are kept under test-results for a
 * person to look at). Mouse-wheel zoom at the live edge keeps the newest bar the last one in view (TradingView's way);
 * scrolled into history, zoom leaves the view in history.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWorkstation, useWorkstation, type WorkstationPage } from './workstation';

// The demo market (DEMO_ARGS): a new 1m bar a second.
const workstation = useWorkstation({ startBeforeAll: true });

/** Opens the page and waits until every pane holds bars. */
async function open(page: Page): Promise<WorkstationPage> {
  const ui = await openWorkstation(page, workstation.app.url);
  for (let slot = 0; slot < 4; slot++) {
    await expect.poll(() => ui.barCount(ui.panes().nth(slot)), { timeout: 30_000 }).toBeGreaterThan(0);
  }
  return ui;
}

interface Box {
  what: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Text cut inside the element (its content is wider than its box). */
  clipped: boolean;
}

/**
 * The boxes of a bar's visible items, left to right, its spacer left out. An item is clipped when its
 * content is wider than its box, or (with `values`) when one of its values is, except in the items that
 * may end their values in an ellipsis by design.
 */
function barItems(
  bar: Locator,
  spacer: string,
  values: { selector: string; ellipsisAllowed: string } | null = null,
): Promise<Box[]> {
  return bar.evaluate(
    (element, { spacer, values }) =>
      [...element.children]
        .filter((item) => item.getBoundingClientRect().width > 0 && !item.classList.contains(spacer))
        .map((item) => {
          const rect = item.getBoundingClientRect();
          return {
            what: (item as HTMLElement).dataset.testid ?? item.className,
            left: rect.left,
            right: rect.right,
            top: rect.top,
            bottom: rect.bottom,
            clipped:
              item.scrollWidth > item.clientWidth + 1 ||
              (values !== null &&
                !item.matches(values.ellipsisAllowed) &&
                [...item.querySelectorAll(values.selector)].some((v) => v.scrollWidth > v.clientWidth + 1)),
          };
        }),
    { spacer, values },
  );
}

/**
 * The status bar's items. The model's and the sentiment's names may end in an ellipsis when room is short
 * (by design: their tooltips hold them whole).
 */
const statusItems = (page: Page): Promise<Box[]> =>
  barItems(page.getByTestId('status-bar'), 'status-spacer', {
    selector: '.status-value',
    ellipsisAllowed: '[data-testid=status-model], .status-sentiment',
  });

/** The top bar's visible controls. */
const topBarItems = (page: Page): Promise<Box[]> => barItems(page.locator('.top-bar'), 'top-bar-spacer');

const overlap = (a: Box, b: Box): boolean =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

/**
 * What a pane's legend shows whole (each field inside the chart, over its top-left, not cut off at its
 * edge) and whether anything else covers it: the header's tools (one row above the chart) or the indicator
 * chips (which flow under the legend).
 */
function legendShown(
  pane: Locator,
): Promise<{ shown: string[]; headerRows: number; toolsOverLegend: boolean; chipsOverLegend: boolean }> {
  return pane.evaluate((element) => {
    const header = element.querySelector('.pane-header');
    const body = element.querySelector('.pane-body');
    const legend = element.querySelector('[data-testid=chart-legend]');
    const tools = element.querySelector('.pane-tools');
    const chips = element.querySelector<HTMLElement>('[data-testid=indicator-chips]');
    if (!header || !body || !legend || !tools) {
      return { shown: [], headerRows: 0, toolsOverLegend: false, chipsOverLegend: false };
    }
    const box = body.getBoundingClientRect();
    const inside = (node: Element): boolean => {
      const rect = node.getBoundingClientRect();
      return (
        rect.width > 0 &&
        rect.left >= box.left - 0.5 &&
        rect.right <= box.right + 0.5 &&
        rect.top >= box.top - 0.5 &&
        rect.bottom <= box.bottom + 0.5
      );
    };
    const shown: string[] = [];
    for (const field of legend.querySelectorAll('.legend-field')) {
      if (inside(field)) shown.push(field.querySelector('.legend-label')?.textContent ?? '?');
    }
    const time = legend.querySelector('.legend-time');
    if (time && inside(time)) shown.push('time');
    const over = (a: DOMRect, b: DOMRect): boolean =>
      a.width > 0 &&
      b.width > 0 &&
      a.left < b.right &&
      b.left < a.right &&
      a.top < b.bottom &&
      b.top < a.bottom;
    const legendBox = legend.getBoundingClientRect();
    const chipsShown = chips && !chips.hidden ? chips.getBoundingClientRect() : null;
    // One row: every tool's vertical middle lies within the first tool's box.
    const toolBoxes = [...tools.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
    const first = toolBoxes[0];
    const headerRows =
      first && toolBoxes.every((r) => r.top + r.height / 2 > first.top && r.top + r.height / 2 < first.bottom)
        ? 1
        : 2;
    return {
      shown,
      headerRows,
      toolsOverLegend: over(tools.getBoundingClientRect(), legendBox),
      chipsOverLegend: chipsShown !== null && over(chipsShown, legendBox),
    };
  });
}

/** The document is where it started: not scrolled, and no taller than the window. */
function documentScroll(page: Page): Promise<{ scrollTop: number; overflow: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollTop: root.scrollTop, overflow: root.scrollHeight - window.innerHeight };
  });
}

/**
 * What of the watchlist is in sight without scrolling: its header, and how many of its rows lie wholly
 * inside both the window and the right column's and the list's own visible boxes; and whether the column
 * is scrolled.
 */
function watchlistInSight(page: Page): Promise<{ header: boolean; rows: number; columnScrolled: boolean }> {
  return page.evaluate(() => {
    const column = document.querySelector('[data-testid=signals-side]');
    const list = document.querySelector('.watchlist-rows');
    const header = document.querySelector('.watchlist-header');
    if (!column || !header) return { header: false, rows: 0, columnScrolled: false };
    const within = (node: Element, boxes: DOMRect[]): boolean => {
      const rect = node.getBoundingClientRect();
      return (
        rect.height > 0 &&
        boxes.every(
          (box) =>
            rect.top >= box.top - 0.5 &&
            rect.bottom <= box.bottom + 0.5 &&
            rect.left >= box.left - 0.5 &&
            rect.right <= box.right + 0.5,
        )
      );
    };
    const windowBox = new DOMRect(0, 0, window.innerWidth, window.innerHeight);
    const boxes = [windowBox, column.getBoundingClientRect()];
    const rowBoxes = list ? [...boxes, list.getBoundingClientRect()] : boxes;
    return {
      header: within(header, boxes),
      rows: [...document.querySelectorAll('[data-testid=watchlist-row]')].filter((row) =>
        within(row, rowBoxes),
      ).length,
      columnScrolled: column.scrollTop !== 0,
    };
  });
}

/** Height in CSS px of each pane's chart (the candles, volume and time axis under the one-row header). */
function chartHeights(page: Page): Promise<number[]> {
  return page
    .getByTestId('chart-host')
    .evaluateAll((hosts) => hosts.map((host) => Math.round(host.getBoundingClientRect().height)));
}

/** Height in CSS px of each chart's first (price) pane, for the report: the chart's table's first row. */
function priceAreas(page: Page): Promise<number[]> {
  return page
    .getByTestId('chart-host')
    .evaluateAll((hosts) =>
      hosts.map((host) => Math.round(host.querySelector('table tr')?.getBoundingClientRect().height ?? 0)),
    );
}

for (const [width, height, minChart] of [
  [1280, 800, 200],
  [900, 700, 150],
] as const) {
  test(`at ${width}×${height} the charts have room, the bars fit and the window never scrolls`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height });
    const ui = await open(page);
    await expect(page.getByTestId('status-market-time')).not.toContainText('—');
    const heights = await chartHeights(page);
    testInfo.annotations.push({ type: 'chart heights', description: heights.join(', ') });
    testInfo.annotations.push({ type: 'price areas', description: (await priceAreas(page)).join(', ') });

    const items = await statusItems(page);
    expect(items.length).toBeGreaterThan(5);
    for (const item of items) expect(item, `${item.what} is cut`).toMatchObject({ clipped: false });
    for (const [i, a] of items.entries()) {
      for (const b of items.slice(i + 1)) expect(overlap(a, b), `${a.what} overlaps ${b.what}`).toBe(false);
    }
    const bar = page.getByTestId('status-bar');
    expect(await bar.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);

    // The top bar: every control inside the window, none over another, none cut.
    const controls = await topBarItems(page);
    expect(controls.map((c) => c.what)).toEqual(
      expect.arrayContaining([
        'kill-switch-box',
        'import-button',
        'keys-button',
        'open-settings',
        'market-clock',
      ]),
    );
    for (const control of controls) {
      expect(control, `${control.what} is cut`).toMatchObject({ clipped: false });
      expect(control.left, `${control.what} starts left of the window`).toBeGreaterThanOrEqual(0);
      expect(control.right, `${control.what} ends right of the window`).toBeLessThanOrEqual(width);
    }
    for (const [i, a] of controls.entries()) {
      for (const b of controls.slice(i + 1))
        expect(overlap(a, b), `${a.what} overlaps ${b.what}`).toBe(false);
    }

    expect(heights).toHaveLength(4);
    for (const [slot, h] of heights.entries())
      expect(h, `pane ${slot}'s chart`).toBeGreaterThanOrEqual(minChart);

    for (let slot = 0; slot < 4; slot++) {
      const legend = await legendShown(ui.panes().nth(slot));
      expect(legend.shown, `pane ${slot}`).toEqual(['O', 'H', 'L', 'C', 'V', 'time']);
      expect(legend.headerRows, `pane ${slot}: the header's tools take one row`).toBe(1);
      expect(legend.toolsOverLegend, `pane ${slot}: the header's tools cover the legend`).toBe(false);
    }
    // The watchlist at the top of the right column, in sight on first load: its header and 3 rows or more.
    await expect(page.getByTestId('watchlist-row')).toHaveCount(8);
    const watchlist = await watchlistInSight(page);
    testInfo.annotations.push({ type: 'watchlist rows in sight', description: String(watchlist.rows) });
    expect(watchlist.columnScrolled, 'the right column is scrolled').toBe(false);
    expect(watchlist.header, "the watchlist's header is out of sight").toBe(true);
    expect(watchlist.rows, 'watchlist rows in sight').toBeGreaterThanOrEqual(3);

    const still = await documentScroll(page);
    expect(still.scrollTop).toBe(0);
    expect(still.overflow, 'the document is taller than the window').toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`window-${width}x${height}.png`) });

    // An indicator's chip flows under the legend, not over it; opening the menu scrolls nothing.
    const pane = ui.panes().nth(0);
    await pane.getByTestId('indicator-menu').click();
    await expect(page.getByTestId('indicator-popover')).toBeVisible();
    const menuOpen = await documentScroll(page);
    expect(menuOpen.scrollTop, 'opening the menu scrolled the window').toBe(0);
    expect(menuOpen.overflow, 'the open menu made the document taller than the window').toBeLessThanOrEqual(
      0,
    );
    await page.screenshot({ path: testInfo.outputPath(`window-${width}x${height}-indicators.png`) });
    await page.getByTestId('indicator-add-row').first().locator('.indicator-add').click();
    await page.keyboard.press('Escape');
    await expect(pane.getByTestId('indicator-chips')).toBeVisible();
    const withChip = await legendShown(pane);
    expect(withChip.chipsOverLegend, 'the indicator chips cover the legend').toBe(false);
    expect(withChip.shown).toEqual(['O', 'H', 'L', 'C', 'V', 'time']);
    expect((await documentScroll(page)).scrollTop).toBe(0);
    await page.screenshot({ path: testInfo.outputPath(`window-${width}x${height}-chip.png`) });
  });
}

/** The newest bar's start and the last bar in view, read together (a new bar may come in between). */
function edge(pane: Locator): Promise<{ newest: number; lastInView: number }> {
  return pane.evaluate((element) => ({
    newest: Number(element.querySelector<HTMLElement>('[data-testid=chart-legend]')?.dataset.lastStart),
    lastInView: Number(element.querySelector<HTMLElement>('[data-testid=chart-host]')?.dataset.visibleTo),
  }));
}

async function wheel(ui: WorkstationPage, pane: Locator, deltaY: number, notches: number): Promise<void> {
  const box = await pane.getByTestId('chart-host').boundingBox();
  if (!box) throw new Error('the chart is not on screen');
  // Left of the middle: zooming around the pointer would move the newest bar off the right edge.
  await ui.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.35);
  for (let i = 0; i < notches; i++) await ui.page.mouse.wheel(0, deltaY);
}

test('wheel zoom at the live edge keeps the newest bar the last in view; in history it stays in history', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const ui = await open(page);
  const pane = ui.pane('1m');
  const atEdge = async () => {
    const { newest, lastInView } = await edge(pane);
    return lastInView === newest;
  };
  await expect.poll(atEdge).toBe(true);

  for (const [deltaY, notches] of [
    [-120, 6],
    [120, 10],
    [-120, 4],
  ] as const) {
    await wheel(ui, pane, deltaY, notches);
    await expect.poll(atEdge, `after ${notches} notches of ${deltaY}`).toBe(true);
  }

  await ui.dragChart(pane, 400);
  await expect.poll(atEdge).toBe(false);
  const before = await ui.visibleFrom(pane);
  await wheel(ui, pane, -120, 4);
  await expect.poll(atEdge).toBe(false);
  // Zoomed in around the pointer: the view's left edge moved towards newer bars, it did not jump to the end.
  await expect.poll(() => ui.visibleFrom(pane)).toBeGreaterThan(before);
});
