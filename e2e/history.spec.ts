/**
 * Scrolling back through history, as a trader does it with the mouse: a 1-minute pane opens with the
 * latest 500 bars; dragging it towards the past makes it ask the engine for older pages
 * (`market.bars` with `before`), draw them where the trader is looking, keep that place while live
 * bars keep arriving, and say so, quietly, once the start of the stored history is reached.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  recordCalls,
  startWorkstation,
  WorkstationPage,
  type RunningWorkstation,
  type SentCall,
} from './workstation';

let app: RunningWorkstation;

const host = (pane: Locator): Locator => pane.getByTestId('chart-host');

// A fresh demo world holds 20 sessions of minute history (7,800 1-minute bars): far more than the 500
// a pane loads first. Speed 60 plays one market minute per second, so live bars keep coming. Each test
// has a world of its own: the second, run on the world the first left (after a slow first run, hours of
// market time later), now and then never reached the start of the store in its two minutes.
test.beforeEach(async () => {
  app = await startWorkstation(['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z']);
});

test.afterEach(async () => {
  await app?.stop();
});

const olderPages = (calls: SentCall[]): SentCall[] =>
  calls.filter(
    (call) =>
      call.method === 'market.bars' &&
      call.params.timeframe === '1m' &&
      typeof call.params.before === 'number',
  );

/**
 * Puts the test between the page and the engine: replies to the 1-minute pane's older-page requests
 * are held back while `holding`, so the test can look at the screen before a page lands.
 */
async function gateOlderPages(page: Page) {
  const gate = { holding: true, held: [] as (() => void)[], sent: 0 };
  const waiting = new Set<number>();
  await page.routeWebSocket(/\/ws\?token=/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const envelope = JSON.parse(String(message)) as {
        t?: string;
        id?: number;
        method?: string;
        params?: { timeframe?: string; before?: number };
      };
      if (
        envelope.t === 'call' &&
        envelope.method === 'market.bars' &&
        envelope.params?.timeframe === '1m' &&
        envelope.params.before !== undefined &&
        envelope.id !== undefined
      ) {
        gate.sent += 1;
        waiting.add(envelope.id);
      }
      server.send(message);
    });
    server.onMessage((message) => {
      const { id } = JSON.parse(String(message)) as { id?: number };
      if (id !== undefined && waiting.delete(id) && gate.holding) gate.held.push(() => socket.send(message));
      else socket.send(message);
    });
  });
  return {
    get sent() {
      return gate.sent;
    },
    get held() {
      return gate.held.length;
    },
    release() {
      gate.holding = false;
      for (const deliver of gate.held.splice(0)) deliver();
    },
  };
}

test('dragging a 1-minute pane into the past loads older bars where the trader looks, and draws them', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const calls = recordCalls(page);
  const gate = await gateOlderPages(page);
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  // Live: the world's backfill is done, so the series only grows at its newest end from here.
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const pane = ui.pane('1m');
  // The first load may queue behind the catch-up's last writes on a loaded machine.
  await expect.poll(() => ui.barCount(pane), { timeout: 60_000 }).toBeGreaterThanOrEqual(500);
  const firstOldest = await ui.oldestStart(pane);
  expect(gate.sent, 'nothing older asked for before the trader scrolls').toBe(0);

  // Zoomed out as far as the chart goes: the live bars that arrived while the demo world caught up may
  // have grown the series to a few thousand minutes before the first drag, and each drag must cross
  // hundreds of them to reach the oldest on a loaded machine.
  await ui.zoomOut(pane, 20);
  await expect
    .poll(
      async () => {
        await ui.dragChart(pane, 400);
        return gate.held;
      },
      { timeout: 90_000, intervals: [250], message: 'scrolling back asks for an older page' },
    )
    .toBe(1);
  await expect(ui.legend(pane)).toHaveAttribute('data-history', 'loading');
  await expect(pane.getByTestId('history-edge')).toHaveText('Loading older bars…');

  // Scrolling on while that page is out asks for nothing more.
  await ui.dragChart(pane, 300);
  await ui.dragChart(pane, 300);
  expect(gate.sent, 'one request at a time').toBe(1);

  // The page lands: the bar at the right edge of the view stays the same, older bars fill the left.
  await page.waitForTimeout(300);
  const rightEdge = await host(pane).getAttribute('data-visible-to');
  const count = await ui.barCount(pane);
  gate.release();
  await expect.poll(() => ui.barCount(pane)).toBeGreaterThan(count);
  await expect(ui.legend(pane)).not.toHaveAttribute('data-history', 'loading');
  expect(await host(pane).getAttribute('data-visible-to'), "the trader's place is kept").toBe(rightEdge);
  // Scrolling on shows bars from before the first load.
  await expect
    .poll(
      async () => {
        await ui.dragChart(pane, 400);
        return ui.visibleFrom(pane);
      },
      { timeout: 45_000, intervals: [100], message: 'older bars in view' },
    )
    .toBeLessThan(firstOldest);

  const pages = olderPages(calls);
  expect(pages[0]?.params.before, 'the first page ends where the first load began').toBe(firstOldest);
  for (const call of pages) expect(call.params.limit).toBeLessThanOrEqual(5000);
  expect(new Set(pages.map((call) => call.params.before)).size, 'no page was asked for twice').toBe(
    pages.length,
  );
  expect(await ui.oldestStart(pane)).toBeLessThan(firstOldest);
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
  test.setTimeout(180_000);
  const calls = recordCalls(page);
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.getByTestId('status-feed')).toContainText(/live/i, { timeout: 60_000 });
  const pane = ui.pane('1m');
  await expect.poll(() => ui.barCount(pane), { timeout: 60_000 }).toBeGreaterThanOrEqual(500);
  const edge = pane.getByTestId('history-edge');

  // Zoomed out as far as the chart goes, each drag crosses a few hundred minutes.
  await ui.zoomOut(pane, 20);
  // Dragged until the notice says so, and if it never does, the message says what the pane showed last.
  let state: string | null = null;
  for (const deadline = Date.now() + 120_000; state !== 'start' && Date.now() < deadline;) {
    await ui.dragChart(pane, 650);
    state = await ui.historyNotice(pane);
    if (state !== 'start') await page.waitForTimeout(100);
  }
  expect(
    state,
    `scrolling back reaches the start of the store; the pane last showed ${await ui.describePane(pane)}`,
  ).toBe('start');
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
  expect(ui.pageErrors, 'nothing thrown in the page').toEqual([]);
});
