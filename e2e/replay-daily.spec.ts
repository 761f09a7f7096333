/**
 * Replaying daily history from the window, as a trader with end-of-day files does: `trm import` two
 * Yahoo-style daily files (generated here, 300 sessions to the end of 2021), start
 * `trm web --mode replay --bars 1D`, press Play and watch the 1D chart grow a session at a time; the
 * replay bar steps one session; the intraday panes say plainly that they have no bars.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nyseCalendar, type Session } from '../src/main/core/calendar';
import {
  importWithCli,
  replayClock,
  replayState,
  startWorkstation,
  WorkstationPage,
  type RunningWorkstation,
} from './workstation';

const NEEDS = [
  { file: 'src/main/cli/import.ts', what: '`trm import` (to build the market database)' },
  { file: 'src/main/market/replay/daily-cursor.ts', what: 'daily replay (`--bars 1D`)' },
];
const missing = NEEDS.filter(({ file }) => !existsSync(file));
test.skip(
  missing.length > 0,
  `daily replay e2e skipped: this build has no ${missing.map(({ what }) => what).join(' and ')}`,
);

/** The last 300 NYSE sessions of 2021, oldest first: the replay plays the last 250, after 50 of history. */
const SESSIONS: Session[] = [];
for (
  let s = nyseCalendar.sessionOn('2021-12-31')!;
  SESSIONS.length < 300;
  s = nyseCalendar.previousSession(s)
)
  SESSIONS.unshift(s);
const RANGE = SESSIONS.slice(-250);

/** A Yahoo Finance daily export (`Date,Open,High,Low,Close,Volume`) with up and down days. */
function dailyFile(base: number): string {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  SESSIONS.forEach((session, i) => {
    const open = base + Math.sin(i / 6) * base * 0.05;
    const close = open + (i % 2 === 0 ? 1.5 : -1.2);
    const high = Math.max(open, close) + 0.8;
    const low = Math.min(open, close) - 0.8;
    lines.push(
      `${session.date},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${5_000_000 + i}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

let dir: string;
let app: RunningWorkstation;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-replay-daily-'));
  const db = join(dir, 'market.sqlite');
  const files = [
    { name: 'spy.csv', text: dailyFile(450) },
    { name: 'tlt.csv', text: dailyFile(140) },
  ].map(({ name, text }) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
  importWithCli(db, files);
  app = await startWorkstation(['--mode', 'replay', '--bars', '1D'], { db });
});

test.afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a daily replay plays a session at a time: the 1D chart grows, Step moves one session, intraday panes have no bars', async ({
  page,
}) => {
  expect(app.output()).toContain('replay, speed 23400');
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.getByTestId('mode-badge')).toHaveText('REPLAY');
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');
  expect(await replayClock(page), 'waits at the first session’s open').toBe(RANGE[0]!.open);

  // The 1D pane starts with the history before the range; the intraday panes say they have no bars.
  const daily = ui.pane('1D');
  await ui.expectCandlesDrawn('1D');
  await expect.poll(() => ui.lastStart(daily)).toBe(SESSIONS[49]!.open);
  const before = await ui.barCount(daily);
  await expect(ui.pane('1m').getByTestId('pane-no-bars')).toHaveText('No 1m bars for SPY');
  await expect(ui.pane('1h').getByTestId('pane-no-bars')).toHaveText('No 1h bars for SPY');

  // Step: one session, to its close; the 1D chart gets that session's bar.
  const step = page.getByTestId('replay-step');
  await expect(step).toHaveAttribute('title', 'Step one session, to its close (→)');
  await step.click();
  await expect.poll(() => replayClock(page)).toBe(RANGE[0]!.close);
  await expect.poll(() => ui.lastStart(daily)).toBe(RANGE[0]!.open);
  expect(await ui.barCount(daily)).toBe(before + 1);

  // Play at ten sessions a second: the chart grows session by session, never past the clock.
  await expect(page.getByTestId('replay-speed-23400')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('replay-speed-23400')).toHaveText('1 session/s');
  await page.getByTestId('replay-speed-234000').click();
  await page.getByTestId('replay-play').click();
  await expect(replayState(page)).toHaveAttribute('data-state', 'playing');
  await expect.poll(() => ui.barCount(daily), { timeout: 20_000 }).toBeGreaterThan(before + 20);
  await page.getByTestId('replay-play').click();
  await expect(replayState(page)).toHaveAttribute('data-state', 'paused');
  const paused = await replayClock(page);
  await expect.poll(() => ui.lastStart(daily)).toBeGreaterThan(RANGE[10]!.open);
  expect(await ui.lastStart(daily), 'no bar after the replay clock').toBeLessThan(paused);

  // Max plays to the end: the last session's bar is on the chart.
  await page.getByTestId('replay-speed-max').click();
  await page.getByTestId('replay-play').click();
  await expect(replayState(page)).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect.poll(() => ui.lastStart(daily)).toBe(RANGE.at(-1)!.open);
  await expect(page.getByTestId('replay-clock')).toContainText('31 Dec');
});
