/**
 * Replaying stored history from the window, as a trader does: `trm import` a day file of minute bars,
 * start `trm web --mode replay` on that database, and drive the replay bar with the mouse and the
 * keyboard (space plays and pauses, the right arrow steps one bar). The bar only sends intents and
 * shows the engine's replay state; the charts show history up to the replay clock and nothing after it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWorkstation, WorkstationPage, type RunningWorkstation } from './workstation';

const MINUTE = 60_000;
// Thursday 13 and Friday 14 March 2025, both full sessions (09:30-16:00 New York, EDT = UTC-4).
const SESSIONS = ['2025-03-13', '2025-03-14'];
const FIRST_OPEN = Date.UTC(2025, 2, 13, 13, 30);

// What this needs from the engine, present or not in this build.
const NEEDS = [
  { file: 'src/main/cli/import.ts', what: '`trm import` (to build the market database)' },
  { file: 'src/main/modes/replay.ts', what: 'replay mode (`trm web --mode replay`)' },
];
const missing = NEEDS.filter(({ file }) => !existsSync(file));
test.skip(
  missing.length > 0,
  `replay UI e2e skipped: this build has no ${missing.map(({ what }) => what).join(' and ')}`,
);

/** Minute bars of SPY for the two sessions, in the plain OHLCV dialect with naive New York times. */
function minuteFile(): string {
  const lines = ['datetime,open,high,low,close,volume'];
  let price = 560;
  for (const day of SESSIONS) {
    for (let minute = 0; minute < 390; minute++) {
      const hour = 9 + Math.floor((30 + minute) / 60);
      const min = (30 + minute) % 60;
      const open = price;
      // A deterministic wiggle: up and down bars, never flat.
      price =
        Math.round((price + Math.sin(minute / 7) * 0.4 + (minute % 3 === 0 ? -0.15 : 0.12)) * 100) / 100;
      const high = Math.max(open, price) + 0.05;
      const low = Math.min(open, price) - 0.05;
      lines.push(
        `${day} ${String(hour).padStart(2, '0')}:${String(min).padStart(2, '0')}:00,` +
          `${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${price.toFixed(2)},${1000 + minute * 10}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

let dir: string;
let app: RunningWorkstation;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-replay-ui-'));
  const db = join(dir, 'market.sqlite');
  const file = join(dir, 'SPY_1min.csv');
  writeFileSync(file, minuteFile());
  const imported = spawnSync(process.execPath, ['bin/trm.mjs', 'import', '--db', db, file], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(imported.status, `trm import failed:\n${imported.stderr}`).toBe(0);
  app = await startWorkstation(['--mode', 'replay', '--speed', '60'], { db });
});

test.afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const clock = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('replay-clock').getAttribute('data-time'));
const replayState = (page: Page) => page.getByTestId('replay-state');

/** Focus on nothing in particular, as after clicking the chart: the shortcuts are live. */
const focusNothing = (page: Page) =>
  page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : null));

test('the replay bar plays, pauses, steps, changes speed and seeks; the charts follow the replay clock', async ({
  page,
}) => {
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.getByTestId('mode-badge')).toHaveText('REPLAY');
  const bar = page.getByTestId('replay-controls');
  await expect(bar).toBeVisible();
  await expect(replayState(page)).toHaveAttribute('data-state', /playing|paused/);
  if ((await replayState(page).getAttribute('data-state')) === 'playing') {
    await page.getByTestId('replay-play').click();
  }
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');

  await page.getByTestId('replay-speed-600').click();
  await expect(page.getByTestId('replay-speed-600')).toHaveAttribute('aria-pressed', 'true');

  // Space plays: the replay clock runs (600 market seconds a second).
  await focusNothing(page);
  const before = await clock(page);
  await page.keyboard.press('Space');
  await expect(replayState(page)).toHaveAttribute('data-state', 'playing');
  await expect.poll(() => clock(page)).toBeGreaterThan(before + 5 * MINUTE);

  // Space pauses; the right arrow steps one minute bar.
  await page.keyboard.press('Space');
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');
  const paused = await clock(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => clock(page)).toBe(paused + MINUTE);
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');

  // In an input the keys are the input's: nothing is sent.
  const seek = page.getByTestId('replay-seek-input');
  await seek.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(500);
  expect(await clock(page)).toBe(paused + MINUTE);
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');

  // Seek back to Thursday 11:00 New York: the clock goes there, and no chart shows a later bar.
  const target = Date.UTC(2025, 2, 13, 15, 0);
  await seek.fill('2025-03-13T11:00');
  await page.getByTestId('replay-seek-go').click();
  await expect
    .poll(async () => Math.abs((await clock(page)) - target), { message: 'the clock is at the time sought' })
    .toBeLessThanOrEqual(MINUTE);
  await expect(page.getByTestId('replay-clock')).toContainText('Thu 13 Mar');
  const sought = await clock(page);
  const oneMinute = ui.pane('1m');
  await expect.poll(() => ui.barCount(oneMinute)).toBeGreaterThan(10);
  await expect
    .poll(() => ui.lastStart(oneMinute), { message: 'no bar after the replay clock' })
    .toBeLessThan(sought);
  expect(await ui.oldestStart(oneMinute)).toBeGreaterThanOrEqual(FIRST_OPEN);
});

test('a replay played at max speed ends, says it finished, and plays again from the start', async ({
  page,
}) => {
  await page.goto(app.url);
  await expect(page.getByTestId('replay-controls')).toBeVisible();
  await page.getByTestId('replay-speed-max').click();
  await expect(page.getByTestId('replay-speed-max')).toHaveAttribute('aria-pressed', 'true');
  if ((await replayState(page).getAttribute('data-state')) !== 'playing') {
    await page.getByTestId('replay-play').click();
  }
  await expect(replayState(page)).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(replayState(page)).toHaveText('Finished');
  await expect(page.getByTestId('replay-step'), 'nothing left to step').toBeDisabled();
  const end = await clock(page);

  await page.getByTestId('replay-speed-1').click();
  const play = page.getByTestId('replay-play');
  await expect(play).toHaveText('↺ Play again');
  await play.click();
  await expect(replayState(page)).toHaveAttribute('data-state', 'playing');
  await expect
    .poll(() => clock(page), { message: 'back at the start' })
    .toBeLessThan(FIRST_OPEN + 5 * MINUTE);
  expect(end).toBeGreaterThan(FIRST_OPEN + 5 * MINUTE);
});
