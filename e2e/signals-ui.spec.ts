/**
 * The strategy model in the window, as a trader replaying daily history sees it: `trm import` Yahoo-style
 * daily files of every symbol the features and strategies read (generated here: 420 sessions to the end
 * of 2021), `trm web --mode replay --bars 1D` with the shipped model (models/trm-default), then:
 * predictions arrive as sessions close (strategy panel, history, status bar), Why shows the answer after
 * each recursion cycle and each input's contribution, Features lists all ten streams with put/call
 * unavailable and why, the Scorecard scores past predictions next to the majority rate and the
 * baselines, and Retrain trains a candidate with progress, reports it, and swaps it in only on Accept.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nyseCalendar, type Session } from '../src/main/core/calendar';
import { FEATURE_SYMBOLS } from '../src/main/core/signals/feature-registry';
import { STRATEGY_SYMBOLS } from '../src/main/core/signals/strategies';
import { importWithCli, startWorkstation, type RunningWorkstation } from './workstation';

const MODEL = 'models/trm-default/manifest.json';
test.skip(
  !existsSync(MODEL),
  `signals e2e skipped: no shipped model (${MODEL}); build it with npm run model`,
);

const SESSIONS: Session[] = [];
for (
  let s = nyseCalendar.sessionOn('2021-12-31')!;
  SESSIONS.length < 420;
  s = nyseCalendar.previousSession(s)
)
  SESSIONS.unshift(s);

/** A seeded random walk in Yahoo's daily format; VIX a mean-reverting level with no volume. */
function dailyFile(symbol: string, seed: number): string {
  let state = seed;
  const random = (): number =>
    (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648 - 0.5;
  let price = symbol === 'VIX' ? 18 : 50 + seed;
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (const session of SESSIONS) {
    const open = price;
    price =
      symbol === 'VIX'
        ? Math.max(10, price + 0.2 * (18 - price) + random() * 4)
        : price * (1 + random() * 0.03);
    const high = Math.max(open, price) * 1.004;
    const low = Math.min(open, price) * 0.996;
    const volume = symbol === 'VIX' ? 0 : Math.round(1_000_000 * (1 + random()));
    lines.push(
      `${session.date},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${price.toFixed(2)},${volume}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

let dir: string;
let app: RunningWorkstation;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-signals-'));
  const db = join(dir, 'market.sqlite');
  const symbols = [...new Set([...FEATURE_SYMBOLS, ...STRATEGY_SYMBOLS])];
  const files = symbols.map((symbol, i) => {
    const file = join(dir, `${symbol.toLowerCase()}.csv`);
    writeFileSync(file, dailyFile(symbol, 11 + i * 7));
    return file;
  });
  importWithCli(db, files);
  app = await startWorkstation(['--mode', 'replay', '--bars', '1D'], { db, env: { TRM_DATA_DIR: dir } });
});

test.afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('predictions arrive with the strategy panel, Why, Features and the Scorecard; Retrain swaps a model in only on Accept', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const version = (JSON.parse(readFileSync(MODEL, 'utf8')) as { version: string }).version;
  await page.goto(app.url);
  await expect(page.getByTestId('mode-badge')).toHaveText('REPLAY');
  // The model and where it runs, in the strategy panel and the status bar.
  await expect(page.getByTestId('signals-model')).toContainText(version);
  await expect(page.getByTestId('status-bar')).toContainText(`${version} · CPU`);

  // The history before the range is decided at start; playing adds a prediction per session.
  const history = page.getByTestId('signals-history').locator('[data-bar-start]');
  await expect.poll(() => history.count(), { timeout: 30_000 }).toBeGreaterThan(100);
  const before = Number(await page.getByTestId('signals-decision').getAttribute('data-bar-start'));
  await page.getByTestId('replay-speed-234000').click();
  await page.getByTestId('replay-play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('signals-decision').getAttribute('data-bar-start')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(before);
  await page.getByTestId('replay-play').click();

  // The latest decision: a pick among the eight, eight probabilities summing to 100 %.
  const pick = await page.getByTestId('signals-pick').getAttribute('data-strategy');
  const bars = page.getByTestId('signals-probabilities').locator('[data-strategy]');
  await expect(bars).toHaveCount(8);
  expect(await bars.locator(`xpath=self::*[@data-strategy="${pick}"]`).count()).toBe(1);

  // Why: one row per recursion cycle (steps × cycles of the model), one contribution per input.
  await page.getByTestId('signals-tab-why').click();
  const manifest = JSON.parse(readFileSync(MODEL, 'utf8')) as {
    architecture: { steps: number; cycles: number };
    features: string[];
  };
  await expect(page.getByTestId('signals-cycles').locator('tbody tr')).toHaveCount(
    manifest.architecture.steps * manifest.architecture.cycles,
  );
  await expect(page.getByTestId('signals-contributions').locator('[data-feature]')).toHaveCount(
    manifest.features.length,
  );

  // Features: all fifteen streams (nine market inputs, put/call, five news); put/call has no source and says so.
  await page.getByTestId('signals-tab-features').click();
  const streams = page.getByTestId('signals-features').locator('[data-feature]');
  await expect(streams).toHaveCount(15);
  const putCall = page.getByTestId('signals-features').locator('[data-feature="put_call_ratio"]');
  await expect(putCall).toHaveAttribute('data-available', 'false');
  await expect(putCall).toContainText('no put/call ratio source');

  // Scorecard: scored predictions, hit rate next to the majority rate, the baselines' equity.
  await page.getByTestId('signals-tab-scorecard').click();
  await expect(page.getByTestId('signals-hit-rate')).toContainText('%');
  await expect(page.getByTestId('signals-majority-rate')).toContainText('%');
  await expect(page.getByTestId('signals-metrics').locator('[data-row="spy_buy_hold"]')).toBeVisible();
  // These days lie inside the shipped model's training window, and the scorecard says so.
  await expect(page.getByTestId('signals-in-sample')).toContainText('training window');

  // Retrain: progress, then the report; the running model changes only on Accept.
  await page.getByTestId('signals-tab-retrain').click();
  await page.getByTestId('signals-retrain-start').click();
  await expect(page.getByTestId('signals-report')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('status-bar')).toContainText(version);
  await page.getByTestId('signals-accept').click();
  await expect(page.getByTestId('signals-decided')).toBeVisible();
  await expect(page.getByTestId('status-bar')).not.toContainText(version, { timeout: 10_000 });
  await expect(page.getByTestId('status-bar')).toContainText('· CPU');
  // And back: the shipped model runs again.
  await page.getByTestId('signals-use-shipped').click();
  await expect(page.getByTestId('status-bar')).toContainText(`${version} · CPU`, { timeout: 10_000 });
  await expect(page.getByTestId('signals-shipped-switch')).toHaveCount(0);
});
