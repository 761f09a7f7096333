/**
 * The window at the widths traders use (issue 16): at 1280×800 and 900×700 the status bar's items neither
 * overlap nor get cut, and every pane's legend still shows O, H, L, C, volume and the bar's time with the
 * header's tools beside it (screenshots of both widths are kept under test-results for a person to look
 * at). Mouse-wheel zoom at the live edge keeps the newest bar the last one in view (TradingView's way);
 * scrolled into history, zoom leaves the view in history.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startWorkstation, WorkstationPage, type RunningWorkstation } from './workstation';

// Friday 14 March 2025, 10:00 ET, 60 market seconds a wall second (as web.spec.ts): a new 1m bar a second.
const DEMO_ARGS = ['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'];

let app: RunningWorkstation | undefined;

test.beforeAll(async () => {
  app = await startWorkstation(DEMO_ARGS);
});

test.afterAll(async () => {
  await app?.stop();
});

async function open(page: Page): Promise<WorkstationPage> {
  await page.goto(app!.url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1, { timeout: 60_000 });
  const ui = new WorkstationPage(page);
  await expect(ui.panes()).toHaveCount(4);
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

/** The boxes of the status bar's visible items, left to right. */
function statusItems(page: Page): Promise<Box[]> {
  return page.getByTestId('status-bar').evaluate((bar) =>
    [...bar.children]
      .filter((item) => item.getBoundingClientRect().width > 0 && !item.classList.contains('status-spacer'))
      .map((item) => {
        const rect = item.getBoundingClientRect();
        return {
          what: (item as HTMLElement).dataset.testid ?? item.className,
          left: rect.left,
          right: rect.right,
          top: rect.top,
          bottom: rect.bottom,
          // The item, or a value in it, is cut. The model's and the sentiment's names may end in an
          // ellipsis when room is short (by design: their tooltips hold them whole).
          clipped:
            item.scrollWidth > item.clientWidth + 1 ||
            (!item.matches('[data-testid=status-model], .status-sentiment') &&
              [...item.querySelectorAll('.status-value')].some((v) => v.scrollWidth > v.clientWidth + 1)),
        };
      }),
  );
}

const overlap = (a: Box, b: Box): boolean =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

/**
 * What a pane's legend shows whole (each field inside the pane's header, not cut off at its edge) and
 * whether the header's tools cover any of it.
 */
function legendShown(pane: Locator): Promise<{ shown: string[]; toolsOverLegend: boolean }> {
  return pane.evaluate((element) => {
    const header = element.querySelector('.pane-header');
    const legend = element.querySelector('[data-testid=chart-legend]');
    const tools = element.querySelector('.pane-tools');
    if (!header || !legend) return { shown: [], toolsOverLegend: false };
    const box = header.getBoundingClientRect();
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
    let toolsOverLegend = false;
    if (tools) {
      const t = tools.getBoundingClientRect();
      for (const child of legend.children) {
        const c = child.getBoundingClientRect();
        if (c.width > 0 && c.left < t.right && t.left < c.right && c.top < t.bottom && t.top < c.bottom) {
          toolsOverLegend = true;
        }
      }
    }
    return { shown, toolsOverLegend };
  });
}

for (const [width, height] of [
  [1280, 800],
  [900, 700],
] as const) {
  test(`at ${width}×${height} the status bar fits and every legend shows OHLC, volume and time`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height });
    const ui = await open(page);
    await expect(page.getByTestId('status-market-time')).not.toContainText('—');

    const items = await statusItems(page);
    expect(items.length).toBeGreaterThan(5);
    for (const item of items) expect(item, `${item.what} is cut`).toMatchObject({ clipped: false });
    for (const [i, a] of items.entries()) {
      for (const b of items.slice(i + 1)) expect(overlap(a, b), `${a.what} overlaps ${b.what}`).toBe(false);
    }
    const bar = page.getByTestId('status-bar');
    expect(await bar.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);

    for (let slot = 0; slot < 4; slot++) {
      const legend = await legendShown(ui.panes().nth(slot));
      expect(legend.shown, `pane ${slot}`).toEqual(['O', 'H', 'L', 'C', 'V', 'time']);
      expect(legend.toolsOverLegend, `pane ${slot}: the header's tools cover the legend`).toBe(false);
    }
    await page.screenshot({ path: testInfo.outputPath(`window-${width}x${height}.png`) });
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
