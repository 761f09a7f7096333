/**
 * Scrolling back through history, as a trader does it with the mouse: a 1-minute pane opens with the
 * latest 500 bars; dragging it towards the past makes it ask the engine for older pages
 * (`market.bars` with `before`), draw them where the trader is looking, keep that place while live
 * bars keep arriving, and say so, quietly, once the start of the stored history is reached.
 */
import { expect, test } from '@playwright/test';
import {
  recordCalls,
  startWorkstation,
  WorkstationPage,
  type RunningWorkstation,
  type SentCall,
} from './workstation';

let app: RunningWorkstation;

// A fresh demo world holds 20 sessions of minute history (7,800 1-minute bars): far more than the 500
// a pane loads first. Speed 60 plays one market minute per second, so live bars keep coming.
test.beforeAll(async () => {
  app = await startWorkstation(['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z']);
});

test.afterAll(async () => {
  await app?.stop();
});

const olderPages = (calls: SentCall[]): SentCall[] =>
  calls.filter(
    (call) =>
      call.method === 'market.bars' &&
      call.params.timeframe === '1m' &&
      typeof call.params.before === 'number',
  );

test('dragging a 1-minute pane into the past loads older bars and draws them', async ({ page }) => {
  const calls = recordCalls(page);
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  // Live: the world's backfill is done, so the series only grows at its newest end from here.
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const pane = ui.pane('1m');
  await expect.poll(() => ui.barCount(pane)).toBeGreaterThanOrEqual(500);
  const firstOldest = await ui.oldestStart(pane);
  expect(olderPages(calls), 'nothing older asked for before the trader scrolls').toHaveLength(0);

  await ui.zoomOut(pane);
  await expect
    .poll(
      async () => {
        await ui.dragChart(pane, 500);
        return ui.visibleFrom(pane);
      },
      { timeout: 45_000, intervals: [250], message: 'the view reaches bars older than the first load' },
    )
    .toBeLessThan(firstOldest - 60 * 60_000);

  const pages = olderPages(calls);
  expect(pages.length, 'the pane asked for older bars').toBeGreaterThan(0);
  expect(pages[0]?.params.before, 'the first page ends where the first load began').toBe(firstOldest);
  for (const call of pages) expect(call.params.limit).toBeLessThanOrEqual(5000);
  expect(new Set(pages.map((call) => call.params.before)).size, 'no page was asked for twice').toBe(
    pages.length,
  );
  expect(await ui.oldestStart(pane)).toBeLessThan(firstOldest);
  expect(await ui.barCount(pane)).toBeGreaterThan(500);
  // A page that arrives while the trader looks at the past does not move the view.
  let caught = 0;
  for (let drag = 0; drag < 30 && caught < 1; drag++) {
    const count = await ui.barCount(pane);
    await ui.dragChart(pane, 400);
    const place = await ui.visibleFrom(pane);
    if ((await ui.legend(pane).getAttribute('data-history')) !== 'loading') continue;
    await expect.poll(() => ui.barCount(pane)).toBeGreaterThan(count);
    expect(await ui.visibleFrom(pane), 'the same bar is at the left edge').toBe(place);
    caught += 1;
  }
  expect(caught, 'a page arrived while the view was still').toBe(1);

  // The older candles are really drawn, not just held.
  await expect
    .poll(async () => {
      const { up, down } = await ui.candlePixels(pane);
      return Math.min(up, down);
    })
    .toBeGreaterThan(50);
});

test('the place holds while live bars arrive, and the start of the stored history is said once reached', async ({
  page,
}) => {
  const calls = recordCalls(page);
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const pane = ui.pane('1m');
  await expect.poll(() => ui.barCount(pane)).toBeGreaterThanOrEqual(500);
  const edge = pane.getByTestId('history-edge');

  await ui.zoomOut(pane, 8);
  await expect
    .poll(
      async () => {
        await ui.dragChart(pane, 600);
        return (await edge.count()) > 0 ? edge.getAttribute('data-state') : null;
      },
      { timeout: 60_000, intervals: [250], message: 'scrolling back reaches the start of the store' },
    )
    .toBe('start');
  await expect(edge).toHaveText('Start of stored history');
  await expect(ui.legend(pane)).toHaveAttribute('data-history', 'start');
  const held = await ui.barCount(pane);
  expect(held, 'the whole minute history of the demo world').toBeGreaterThan(7000);

  // Scrolling on asks for nothing more.
  const asked = olderPages(calls).length;
  await ui.dragChart(pane, 300);
  await page.waitForTimeout(500);
  expect(olderPages(calls)).toHaveLength(asked);

  // New minutes arrive at the other end; the bars in view stay where they are.
  await ui.dragChart(pane, -200);
  await page.waitForTimeout(300);
  const place = await ui.visibleFrom(pane);
  const newest = await ui.lastStart(pane);
  await expect.poll(() => ui.lastStart(pane), { timeout: 15_000 }).toBeGreaterThan(newest);
  expect(await ui.visibleFrom(pane), 'the view did not move').toBe(place);
  expect(await ui.barCount(pane)).toBeGreaterThan(held);
});
