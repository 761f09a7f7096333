/**
 * News in the window, as a trader meets it in a replay: minute bars of SPY and AAPL for three sessions
 * and a recorded-news file in the company-news layout (`datetime,ticker,headline,summary`, New York
 * time) are imported with the CLI (`trm import`, `trm news import`) into a fresh market database;
 * `trm web --mode replay` plays them at high speed and scores each headline live with the shipped
 * sentiment model (models/sentiment-default). The news panel shows them newest first with label and
 * score, never one dated after the replay clock; a burst of 1,000 headlines in ten minutes is merged in
 * few renders and the list stays capped at 500 rows; the filters select what they say; a click on a
 * headline marks its time on the charts (and does not move the replay); the meta panel shows the
 * regime and the entry gate.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  importWithCli,
  replayClock,
  replayState,
  startWorkstation,
  WorkstationPage,
  type RunningWorkstation,
} from './workstation';

const MODEL = 'models/sentiment-default';
test.skip(!existsSync(MODEL), `news UI e2e skipped: the shipped sentiment model ${MODEL} is missing`);

// Tuesday 12 to Thursday 14 March 2024, full sessions (09:30-16:00 New York, EDT = UTC-4).
const SESSIONS = ['2024-03-12', '2024-03-13', '2024-03-14'];
const BURST = 1000;
const PAST_BURST = Date.UTC(2024, 2, 13, 14, 40); // 10:40 New York on the 13th

/** Minute bars of one symbol for SESSIONS, in the plain OHLCV dialect with naive New York times. */
function minuteFile(start: number): string {
  const lines = ['datetime,open,high,low,close,volume'];
  let price = start;
  for (const day of SESSIONS) {
    for (let minute = 0; minute < 390; minute++) {
      const hour = 9 + Math.floor((30 + minute) / 60);
      const min = (30 + minute) % 60;
      const open = price;
      price =
        Math.round((price + Math.sin(minute / 7) * 0.4 + (minute % 3 === 0 ? -0.15 : 0.12)) * 100) / 100;
      lines.push(
        `${day} ${String(hour).padStart(2, '0')}:${String(min).padStart(2, '0')}:00,` +
          `${open.toFixed(2)},${(Math.max(open, price) + 0.05).toFixed(2)},` +
          `${(Math.min(open, price) - 0.05).toFixed(2)},${price.toFixed(2)},${1000 + minute * 10}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const POSITIVE = 'Apple beats earnings estimates, raises dividend and forecasts record revenue growth';
const NEGATIVE = 'Apple shares plunge after regulators open fraud probe and the company cuts its outlook';
const FUTURE = 'Microsoft headline published on the last afternoon, after the replay is paused';

/** Recorded news, company-news layout, New York times, all inside the sessions. */
function newsFile(): string {
  const rows: [string, string, string, string][] = [
    ['2024-03-12 09:45:00', 'AAPL', POSITIVE, 'Quarterly results topped analyst expectations.'],
    ['2024-03-12 10:15:00', 'SPY', 'Stocks rally as inflation cools more than expected', ''],
    ['2024-03-12 11:05:00', 'MSFT', 'Microsoft wins a large cloud contract with the government', ''],
    ['2024-03-12 13:30:00', 'AAPL', NEGATIVE, 'The probe concerns revenue recognition.'],
    ['2024-03-12 14:10:00', 'SPY', 'Stocks slide as bond yields jump to a four-month high', ''],
    ['2024-03-13 09:35:00', 'MSFT', 'Microsoft unveils new AI features for Office', ''],
    ['2024-03-14 14:00:00', 'MSFT', FUTURE, ''],
    ['2024-03-14 15:00:00', 'AAPL', 'Apple headline of the last hour, also after the pause', ''],
  ];
  // The burst: 1,000 headlines in ten minutes of the second session.
  const tickers = ['SPY', 'AAPL', 'MSFT', 'NVDA'];
  for (let i = 0; i < BURST; i++) {
    const minute = 10 + Math.floor(i / 100);
    const second = String(Math.floor(((i % 100) * 60) / 100)).padStart(2, '0');
    rows.push([
      `2024-03-13 10:${minute}:${second}`,
      tickers[i % tickers.length]!,
      `Burst headline ${i}: company ${i % 2 === 0 ? 'raises' : 'cuts'} its full-year guidance`,
      '',
    ]);
  }
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return `datetime,ticker,headline,summary\n${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;
}

let dir: string;
let app: RunningWorkstation;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-news-ui-'));
  const db = join(dir, 'market.sqlite');
  writeFileSync(join(dir, 'SPY_1min.csv'), minuteFile(510));
  writeFileSync(join(dir, 'AAPL_1min.csv'), minuteFile(172));
  writeFileSync(join(dir, 'company_news.csv'), newsFile());
  importWithCli(db, [join(dir, 'SPY_1min.csv'), join(dir, 'AAPL_1min.csv')]);
  const news = spawnSync(
    process.execPath,
    ['bin/trm.mjs', 'news', 'import', '--db', db, join(dir, 'company_news.csv')],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(news.status, `trm news import failed:\n${news.stderr}`).toBe(0);
  app = await startWorkstation(['--mode', 'replay', '--speed', '3000'], { db });
});

test.afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const panel = (page: Page) => page.getByTestId('news-panel');
const rows = (page: Page) => page.getByTestId('news-row');
const numberAttr = async (page: Page, name: string) => Number(await panel(page).getAttribute(name));

/** Publication times and symbols of the rows on screen. */
const shownRows = (page: Page) =>
  rows(page).evaluateAll((elements) =>
    elements.map((e) => ({
      time: Number(e.getAttribute('data-time')),
      symbols: (e.getAttribute('data-symbols') ?? '').split(' ').filter(Boolean),
      headline: e.querySelector('.news-headline')?.textContent ?? '',
    })),
  );

test('replayed news arrives scored, never ahead of the clock; filters, the chart mark and the meta panel work', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.getByTestId('mode-badge')).toHaveText('REPLAY');
  await expect(replayState(page)).toHaveAttribute('data-state', /playing|paused/);
  if ((await replayState(page).getAttribute('data-state')) === 'playing') {
    await page.getByTestId('replay-play').click();
  }
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');

  // The header names the recorded news source and the shipped sentiment model; so does the status bar.
  await expect(panel(page)).toBeVisible();
  await expect(page.getByTestId('news-model')).toHaveText(/^sentiment \S+ · (CPU|CUDA)$/);
  await expect(page.getByTestId('status-sentiment')).toHaveText(/^sentiment \S+ · (CPU|CUDA)$/);
  await expect(page.getByTestId('news-source').first()).toContainText('Recorded news');

  // Play at 3,000×; pause once the clock is past the burst (the last session's news is still ahead).
  await page.getByTestId('replay-play').click();
  await expect
    .poll(() => replayClock(page), { timeout: 60_000, message: 'the replay reaches the burst' })
    .toBeGreaterThan(PAST_BURST);
  await page.getByTestId('replay-play').click();
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');
  const clock = await replayClock(page);
  expect(clock, 'paused before the last session’s news').toBeLessThan(Date.UTC(2024, 2, 14, 18, 0));

  // Every headline up to the clock arrives, scored: 6 before the burst and the burst's 1,000.
  await expect
    .poll(() => numberAttr(page, 'data-received'), { timeout: 90_000, message: 'items heard live' })
    .toBeGreaterThanOrEqual(BURST + 6);
  // The list is capped, and a burst costs few renders: merged per animation frame, not one per item.
  await expect(rows(page)).toHaveCount(500);
  expect(await numberAttr(page, 'data-count')).toBe(500);
  const received = await numberAttr(page, 'data-received');
  const batches = await numberAttr(page, 'data-batches');
  expect(batches, `${received} items in ${batches} updates`).toBeLessThanOrEqual(received / 10);

  // Nothing dated after the replay clock; the last session's headlines are not there.
  const shown = await shownRows(page);
  expect(Math.max(...shown.map((r) => r.time))).toBeLessThanOrEqual(clock);
  await expect(page.getByText(FUTURE)).toHaveCount(0);
  // Newest first.
  const times = shown.map((r) => r.time);
  expect(times).toEqual([...times].sort((a, b) => b - a));

  // Each row has a sentiment label and a score from the model.
  const labels = await page
    .getByTestId('news-sentiment')
    .evaluateAll((elements) =>
      elements.map((e) => [e.getAttribute('data-label'), e.getAttribute('data-score')]),
    );
  for (const [label, score] of labels) {
    expect(['negative', 'neutral', 'positive']).toContain(label);
    expect(Math.abs(Number(score))).toBeLessThanOrEqual(1);
  }

  // The filter: a typed symbol (AAPL holds the first session's two headlines the burst pushed out of All).
  const filterInput = page.getByTestId('news-filter-symbol');
  await filterInput.fill('a pl');
  await filterInput.press('Enter');
  await expect(page.getByTestId('news-filter-problem')).toBeVisible();
  await filterInput.fill('aapl');
  await filterInput.press('Enter');
  await expect(page.getByTestId('news-row').filter({ hasText: POSITIVE })).toHaveCount(1);
  const aapl = await shownRows(page);
  expect(aapl.length).toBeGreaterThan(2);
  for (const row of aapl) expect(row.symbols).toContain('AAPL');
  // The model reads the two plain headlines the right way round.
  const scoreOf = async (headline: string) =>
    Number(
      await rows(page).filter({ hasText: headline }).getByTestId('news-sentiment').getAttribute('data-score'),
    );
  expect(await scoreOf(POSITIVE)).toBeGreaterThan(await scoreOf(NEGATIVE));

  // The symbol on screen (SPY, the decision symbol).
  await page.getByTestId('news-filter-screen').click();
  await expect(page.getByTestId('news-filter-screen')).toHaveAttribute('aria-pressed', 'true');
  await expect(rows(page).filter({ hasText: 'Stocks rally as inflation cools' })).toHaveCount(1);
  for (const row of await shownRows(page)) expect(row.symbols).toContain('SPY');
  await page.getByTestId('news-filter-all').click();
  await expect(rows(page)).toHaveCount(500);

  // A click on a headline marks its time on the charts; the replay does not move; again clears it.
  await ui.expectCandlesDrawn('5m');
  const top = rows(page).first();
  const time = Number(await top.getAttribute('data-time'));
  await top.locator('.news-row-main').click();
  await expect(top.locator('.news-row-main')).toHaveAttribute('aria-pressed', 'true');
  const lines = page.getByTestId('chart-time-line');
  await expect(lines).toHaveCount(4);
  let inView = 0;
  for (const pane of await ui.panes().all()) {
    const line = pane.getByTestId('chart-time-line');
    await expect(line).toHaveAttribute('data-time', String(time));
    const from = await ui.visibleFrom(pane);
    const to = Number(await pane.getByTestId('chart-host').getAttribute('data-visible-to'));
    if (from <= time && time <= to) {
      await expect(line, 'the line shows where its time is in view').toBeVisible();
      inView++;
    }
  }
  expect(inView, 'the time is in view on the longer timeframes at least').toBeGreaterThanOrEqual(2);
  expect(await replayClock(page)).toBe(clock);
  await top.locator('.news-row-main').click();
  await expect(top.locator('.news-row-main')).toHaveAttribute('aria-pressed', 'false');
  for (const line of await lines.all()) await expect(line).toBeHidden();

  // Keyboard: rows take the focus, Enter marks.
  await top.locator('.news-row-main').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(rows(page).nth(1).locator('.news-row-main')).toHaveAttribute('aria-pressed', 'true');

  // Scrolled down, new items arriving at the top do not move the rows in view; a button says how many.
  const list = page.getByTestId('news-list');
  const firstInView = () =>
    list.evaluate((element) => {
      for (const row of Array.from(element.children) as HTMLElement[]) {
        if (row.offsetTop + row.offsetHeight > element.scrollTop) {
          return { id: row.dataset.newsId ?? '', offset: row.offsetTop - element.scrollTop };
        }
      }
      return null;
    });
  await list.evaluate((element) => element.scrollTo(0, 400));
  await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBe(400);
  const before = await firstInView();
  const heard = await numberAttr(page, 'data-received');
  await page.getByTestId('replay-play').click();
  await expect
    .poll(() => numberAttr(page, 'data-received'), { timeout: 60_000, message: 'the last session’s news' })
    .toBeGreaterThanOrEqual(heard + 2);
  await expect(page.getByText(FUTURE)).toHaveCount(1);
  expect(await firstInView()).toEqual(before);
  await expect(page.getByTestId('news-newer')).toHaveText('↑ 2 newer');
  await page.getByTestId('news-newer').click();
  await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBe(0);
  await expect(rows(page).first()).toContainText('Apple headline of the last hour');

  // The meta panel: the score's parts, the regime line and the entry gate.
  const meta = page.getByTestId('meta-panel');
  await expect(meta).toHaveAttribute('data-symbol', 'SPY');
  await expect(meta.getByTestId('meta-gate')).toHaveAttribute('data-open', /^(true|false)$/);
  await expect(meta.getByTestId('meta-gate')).toContainText(/Entry (OPEN|CLOSED)/);
  await expect(meta.getByTestId('meta-regime')).toHaveAttribute(
    'data-regime',
    /^(calm|normal|stressed|none)$/,
  );
  await expect(meta.locator('[data-component]')).toHaveCount(4);
});
