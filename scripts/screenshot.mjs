// `npm run screenshot`: what a trader sees, saved for the README (Debian's Chromium, never a download).
//   docs/screenshot.png  the demo mode on a fresh generated world;
//   docs/charts.png, docs/light.png  the same world dressed as a trader would: indicators on every pane,
//                        a horizontal and a trend line, the watchlist, the crosshair linked; then the light theme;
//   docs/replay.png      replay mode over ../shared/data/intraday, imported into a fresh data folder
//                        with `trm import` (skipped, with a line saying so, where that folder is missing);
//   docs/strategy.png, docs/scorecard.png  a daily replay of ../shared/data/daily with the shipped
//                        strategy model: the strategy column's Why and Scorecard tabs;
//   docs/news.png        a replay of ../shared/data/intraday/SPY_1min_extended_2024.csv from 2024-04-22 (its two
//                        months before are the daily history the regime and technical parts need) with
//                        ../shared/data/news/company_news_2023_2024.csv imported (`trm news import`): the
//                        news panel with headlines scored live, one marked on the charts, the meta panel.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { ensureBuilt, root } from './ensure-built.mjs';

ensureBuilt('screenshot');
const trm = join(root, 'bin', 'trm.mjs');
const intraday = join(root, '..', 'shared', 'data', 'intraday');
const daily = join(root, '..', 'shared', 'data', 'daily');
const spyExtended = join(intraday, 'SPY_1min_extended_2024.csv');
const companyNews = join(root, '..', 'shared', 'data', 'news', 'company_news_2023_2024.csv');

/** Starts `trm web` with these arguments and resolves its address once printed. */
function startWeb(args, env) {
  const child = spawn(process.execPath, [trm, 'web', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /running at (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`trm web exited with ${code}`)));
  });
  return { child, url };
}

async function capture(
  browser,
  args,
  env,
  file,
  waitMs,
  { play = false, tabs = [], symbol = null, before = null } = {},
) {
  const { child, url } = startWeb(args, env);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(await url);
    // A replay waits for the trader to press Play.
    if (play) await page.getByTestId('replay-play').click();
    await page.getByTestId('status-feed').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
    if (symbol) await page.getByTestId('symbol-picker').selectOption(symbol);
    await page.waitForTimeout(waitMs);
    if (before) await before(page);
    mkdirSync(join(root, 'docs'), { recursive: true });
    if (tabs.length === 0 && file) {
      await page.screenshot({ path: join(root, 'docs', file) });
      console.log(`saved docs/${file}`);
    }
    // One picture per tab of the strategy column (the replay paused first, so they show the same moment).
    if (tabs.length > 0 && play) await page.getByTestId('replay-play').click();
    // The meta-score folded to its line: the tabs below it get the room.
    if (tabs.length > 0) await page.getByTestId('meta-fold').click();
    for (const [tab, tabFile, show] of tabs) {
      await page.getByTestId(`signals-tab-${tab}`).click();
      await page.waitForTimeout(1_500);
      if (show) await page.getByTestId(show).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(root, 'docs', tabFile) });
      console.log(`saved docs/${tabFile}`);
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/** Adds indicators through each pane's ƒx menu: [pane timeframe, [kinds]]. */
async function addIndicators(page, timeframe, kinds) {
  const pane = page.locator(`[data-testid=chart-pane][data-timeframe="${timeframe}"]`);
  await pane.getByTestId('indicator-menu').click();
  const popover = page.getByTestId('indicator-popover');
  for (const kind of kinds) await popover.getByTestId(`indicator-add-${kind}`).click();
  await page.keyboard.press('Escape');
}

/** Clicks on a pane's chart at a share of its width and height. */
async function clickChart(page, timeframe, x, y) {
  const host = page.locator(
    `[data-testid=chart-pane][data-timeframe="${timeframe}"] [data-testid=chart-host]`,
  );
  const box = await host.boundingBox();
  await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
}

/** docs/charts.png and docs/light.png: indicators, drawings, watchlist, linked crosshair; then light. */
async function dressCharts(page) {
  await addIndicators(page, '1m', ['vwap', 'ema']);
  await addIndicators(page, '5m', ['macd']);
  await addIndicators(page, '1h', ['bollinger']);
  await addIndicators(page, '1D', ['sma', 'rsi']);
  const daily = page.locator('[data-testid=chart-pane][data-timeframe="1D"]');
  await daily.getByTestId('draw-horizontal').click();
  await clickChart(page, '1D', 0.5, 0.2);
  await daily.getByTestId('draw-trend').click();
  await clickChart(page, '1D', 0.12, 0.38);
  await clickChart(page, '1D', 0.8, 0.22);
  // A new workspace lists the feed's first eight: wait for their prices.
  await page.locator('[data-testid=watchlist-last]', { hasText: /\d/ }).first().waitFor();
  await page.waitForTimeout(3_000);
  await clickChart(page, '1h', 0.6, 0.3);
  await page.mouse.move(0, 0);
  const hourly = page.locator('[data-testid=chart-pane][data-timeframe="1h"] [data-testid=chart-host]');
  const box = await hourly.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3);
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(root, 'docs', 'charts.png') });
  console.log('saved docs/charts.png');
  await page.mouse.move(0, 0);
  await page.keyboard.press('Shift+T');
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(root, 'docs', 'light.png') });
  console.log('saved docs/light.png');
}

const dir = mkdtempSync(join(tmpdir(), 'trm-screenshot-'));
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  await capture(
    browser,
    ['--db', join(dir, 'demo.sqlite'), '--speed', '30', '--start', '2025-03-14T14:45:00Z'],
    {},
    'screenshot.png',
    8_000,
  );
  await capture(
    browser,
    ['--db', join(dir, 'charts.sqlite'), '--speed', '30', '--start', '2025-03-14T14:45:00Z'],
    { TRM_DATA_DIR: join(dir, 'charts-data') },
    null,
    6_000,
    { before: dressCharts },
  );
  if (existsSync(intraday)) {
    const env = { TRM_DATA_DIR: join(dir, 'data') };
    const imported = spawnSync(process.execPath, [trm, 'import', intraday], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (imported.status !== 0) throw new Error(`trm import exited with ${imported.status}`);
    await capture(browser, ['--mode', 'replay', '--speed', '60'], env, 'replay.png', 10_000, { play: true });
  } else {
    console.log(`docs/replay.png not made: ${intraday} is missing`);
  }
  // The strategy model over daily history: a daily replay of ../shared/data/daily (2021) with the
  // shipped model, paused after a few months, once with Why and once with the Scorecard open.
  if (existsSync(daily)) {
    const env = { TRM_DATA_DIR: join(dir, 'daily-data') };
    const imported = spawnSync(process.execPath, [trm, 'import', daily], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (imported.status !== 0) throw new Error(`trm import exited with ${imported.status}`);
    await capture(
      browser,
      ['--mode', 'replay', '--bars', '1D', '--from', '2021-01-04', '--speed', '234000'],
      env,
      null,
      12_000,
      {
        play: true,
        symbol: 'SPY',
        tabs: [
          ['why', 'strategy.png'],
          ['scorecard', 'scorecard.png', 'signals-equity'],
        ],
      },
    );
  } else {
    console.log(`docs/strategy.png and docs/scorecard.png not made: ${daily} is missing`);
  }
  // News: SPY's 2024 minute bars and the company news of that spring, scored live as the replay plays.
  if (existsSync(spyExtended) && existsSync(companyNews)) {
    const env = { TRM_DATA_DIR: join(dir, 'news-data') };
    for (const command of [
      ['import', spyExtended],
      ['news', 'import', companyNews],
    ]) {
      const imported = spawnSync(process.execPath, [trm, ...command], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (imported.status !== 0) throw new Error(`trm ${command[0]} exited with ${imported.status}`);
    }
    await capture(
      browser,
      ['--mode', 'replay', '--from', '2024-04-22', '--to', '2024-05-17', '--speed', '3000'],
      env,
      'news.png',
      15_000,
      {
        play: true,
        before: async (page) => {
          // Paused, with the newest headline that reads as positive or negative marked on the charts.
          await page.getByTestId('replay-play').click();
          await page.waitForTimeout(1_500);
          const rows = page.locator('[data-testid=news-row]');
          const scored = rows.filter({ has: page.locator('[data-label=positive], [data-label=negative]') });
          const row = (await scored.count()) > 0 ? scored.first() : rows.first();
          await row.locator('.news-row-main').click();
          await page.waitForTimeout(800);
        },
      },
    );
  } else {
    console.log(`docs/news.png not made: ${existsSync(spyExtended) ? companyNews : spyExtended} is missing`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
