/**
 * Settings (issue 16) as a trader uses them: the Settings panel shows the mode this window runs in and
 * how to start another, and offers no way back to the shipped model while it is the one in use; a lowered per-order limit, checked as it is typed and saved, refuses the next
 * order above it by name; the light theme colours the page and the charts and comes back after a reload,
 * light from the first frame (no dark flash while the workspace loads: the theme hint);
 * a folded news panel stays folded after a reload (kept in the workspace, not in the page).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWorkstation, TradingPage, useWorkstation, WorkstationPage, type ColourBox } from './workstation';

/** The light theme's chart background and page background (charts/chart-theme.ts, styles.css). */
const LIGHT_CHART = [0xff, 0xff, 0xff] as const;
const LIGHT_PAGE = 'rgb(238, 241, 244)';
const DARK_PAGE = 'rgb(10, 13, 18)';
/** Light pixels: every channel at least 200. */
const LIGHT: ColourBox = { min: [200, 200, 200], max: [255, 255, 255] };

// A fresh workstation for each test (demo market, inside a trading session).
const workstation = useWorkstation({ stopAfterEach: true });

/** Waits until the last workspace change is saved in the engine. */
async function saved(page: Page): Promise<void> {
  await expect(page.locator('body')).not.toHaveAttribute('data-workspace', 'pending');
  await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
}

const pageBackground = (page: Page): Promise<string> =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** What the page showed before the kept workspace could arrive: at DOMContentLoaded and at its first frame. */
interface FirstLook {
  /** The page's background at DOMContentLoaded (the page's own scripts have run, React has not drawn). */
  loaded?: string;
  /** <html data-theme> at the first animation frame (before the first paint). */
  frameTheme?: string | null;
  /** The page's background at the first animation frame, when the body was parsed by then. */
  frameBackground?: string | null;
  /** Every theme put on <html> since the page began to load, in order (a flash shows as a detour). */
  themes: string[];
}

/** Records the FirstLook of every page this test loads from now on (window.firstLook). */
async function recordFirstLook(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const look: FirstLook = { themes: [] };
    (window as unknown as { firstLook: FirstLook }).firstLook = look;
    new MutationObserver((mutations) => {
      for (const mutation of mutations)
        look.themes.push((mutation.target as Element).getAttribute('data-theme') ?? '');
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-theme'] });
    document.addEventListener('DOMContentLoaded', () => {
      look.loaded = getComputedStyle(document.body).backgroundColor;
    });
    requestAnimationFrame(() => {
      look.frameTheme = document.documentElement.getAttribute('data-theme');
      look.frameBackground = document.body ? getComputedStyle(document.body).backgroundColor : null;
    });
  });
}

/** The page's FirstLook, its themes with repeats in a row left out (setting the same theme again shows nothing). */
async function firstLook(page: Page): Promise<FirstLook> {
  const look = await page.evaluate(() => (window as unknown as { firstLook: FirstLook }).firstLook);
  return { ...look, themes: look.themes.filter((theme, i) => theme !== look.themes[i - 1]) };
}

const themeHint = (page: Page): Promise<string | null> =>
  page.evaluate(() => localStorage.getItem('trm.theme-hint'));

/**
 * The share of a pane's opaque canvas pixels that are light (every channel at least 200): the light
 * theme's background, also where the model's shading tints it; dark-theme charts have almost none.
 */
async function lightShare(pane: Locator): Promise<number> {
  const { opaque, inBox } = await new WorkstationPage(pane.page()).countPixels(pane, [LIGHT]);
  return opaque === 0 ? 0 : inBox[0]! / opaque;
}

test('a lowered per-order limit refuses the next larger order by name', async ({ page }) => {
  test.setTimeout(150_000);
  const app = await workstation.start();
  await openWorkstation(page, app.url);
  const trading = new TradingPage(page);
  await expect(trading.panel).toHaveAttribute('data-available', 'true', { timeout: 60_000 });

  await page.getByTestId('open-settings').click();
  const settings = page.getByTestId('settings-panel');
  await expect(settings).toBeVisible();

  await test.step('the mode is the engine’s, with the commands that start another', async () => {
    await expect(settings.getByTestId('settings-mode-current')).toHaveText('DEMO');
    // "Start in" preselects the mode that runs.
    await expect(settings.getByTestId('settings-mode-next')).toHaveValue('demo');
    await expect(settings.getByTestId('settings-mode-commands')).toContainText('npm start -- --mode demo');
    await settings.getByTestId('settings-mode-next').selectOption('paper');
    await expect(settings.getByTestId('settings-mode-commands')).toContainText('npm start -- --mode paper');
  });

  await test.step('with the shipped model in use, "Use the shipped model" is off and says why', async () => {
    await expect(settings.getByTestId('settings-model')).toHaveAttribute('data-shipped', 'true');
    const shipped = settings.getByTestId('settings-model-shipped');
    await expect(shipped).toBeDisabled();
    await expect(shipped).toHaveAttribute('title', 'The shipped model is already the one in use');
  });

  const orderLimit = settings.getByTestId('limit-maxOrderNotional');
  await test.step('the limit is checked as it is typed', async () => {
    await expect(orderLimit).not.toHaveValue('');
    await orderLimit.fill('0');
    await expect(settings.getByTestId('limit-maxOrderNotional-problem')).toHaveText('a number above 0');
    await expect(settings.getByTestId('limits-save')).toBeDisabled();
  });

  await test.step('saved, the engine keeps it', async () => {
    await orderLimit.fill('100');
    await expect(settings.getByTestId('limit-maxOrderNotional-problem')).toHaveText('');
    await settings.getByTestId('limits-save').click();
    await expect(settings.getByTestId('limits-notice')).toBeVisible();
    // Opened again, the panel shows the engine's limits: the new one.
    await page.getByTestId('open-settings').click();
    await expect(settings).toHaveCount(0);
    await page.getByTestId('open-settings').click();
    await expect(orderLimit).toHaveValue('100');
  });

  await test.step('an order above it from the ticket is refused naming max_order_notional', async () => {
    await page.keyboard.press('Escape');
    await expect(settings).toHaveCount(0);
    await trading.fillTicket({ side: 'buy', qty: '10', type: 'market' });
    await trading.ticket.getByTestId('ticket-place').click();
    const result = trading.ticket.getByTestId('ticket-result');
    await expect(result).toHaveAttribute('data-outcome', 'denied');
    await expect(result).toHaveAttribute('data-rule', 'max_order_notional');
    // Named as Settings calls the limit, and by the rule id.
    await expect(result).toContainText('Largest order (max_order_notional):');
  });
});

test('the light theme colours the page and the charts, and a reload keeps it', async ({ page }) => {
  test.setTimeout(150_000);
  const app = await workstation.start();
  let ui = await openWorkstation(page, app.url);
  const pane = ui.panes().first();
  await expect.poll(() => ui.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await pageBackground(page)).toBe(DARK_PAGE);
  expect(await lightShare(pane)).toBeLessThan(0.05);

  await page.getByTestId('open-settings').click();
  await page.getByTestId('theme-light').click();
  await expect(page.getByTestId('theme-light')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await pageBackground(page)).toBe(LIGHT_PAGE);
  // Most of the chart is its background, now light; where nothing is drawn it is the palette's white.
  await expect.poll(() => lightShare(pane), { message: 'the chart turns light' }).toBeGreaterThan(0.6);
  expect(await ui.pixelsOfColour(pane, LIGHT_CHART, 2)).toBeGreaterThan(1000);
  // Candles keep their colours.
  await expect
    .poll(async () => {
      const { up, down } = await ui.candlePixels(pane);
      return up + down;
    })
    .toBeGreaterThan(0);
  await saved(page);

  expect(await themeHint(page)).toBe('light');

  // Light from the first frame: the hint is on the page before the workspace arrives from the engine.
  await recordFirstLook(page);
  await page.reload();
  ui = await openWorkstation(page, app.url);
  const look = await firstLook(page);
  expect(look).toMatchObject({ loaded: LIGHT_PAGE, frameTheme: 'light' });
  expect(look.frameBackground ?? LIGHT_PAGE).toBe(LIGHT_PAGE);
  expect(look.themes, 'the themes the page went through while loading').toEqual(['light']);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await pageBackground(page)).toBe(LIGHT_PAGE);
  const again = ui.panes().first();
  await expect.poll(() => ui.barCount(again), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => lightShare(again)).toBeGreaterThan(0.6);

  // The workspace is the truth: a hint that says otherwise (another database's) shows until it arrives,
  // then the workspace's theme wins and the hint follows it.
  await page.evaluate(() => localStorage.setItem('trm.theme-hint', 'dark'));
  await page.reload();
  ui = await openWorkstation(page, app.url);
  expect(await firstLook(page)).toMatchObject({ loaded: DARK_PAGE, themes: ['dark', 'light'] });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await pageBackground(page)).toBe(LIGHT_PAGE);
  await expect.poll(() => themeHint(page)).toBe('light');
});

test('a folded news panel stays folded after a reload', async ({ page }) => {
  const app = await workstation.start();
  await openWorkstation(page, app.url);
  const news = page.getByTestId('news-panel');
  await expect(news).toHaveAttribute('data-folded', 'false');
  await news.getByRole('button', { name: 'Hide the news panel' }).click();
  await expect(news).toHaveAttribute('data-folded', 'true');
  await saved(page);

  await page.reload();
  await openWorkstation(page, app.url);
  await expect(page.getByTestId('news-panel')).toHaveAttribute('data-folded', 'true');
  // And it unfolds again.
  await page.getByRole('button', { name: 'Show the news panel' }).click();
  await expect(page.getByTestId('news-panel')).toHaveAttribute('data-folded', 'false');
});
