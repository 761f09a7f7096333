/**
 * Symbols (issue 16): the top bar's symbol search (keyboard and mouse, Esc restores), a symbol per pane or
 * linked (kept across a reload), the linked crosshair and synchronised time across timeframes, and in paper
 * mode the broker's asset list and the stored symbols in the search (a stored symbol the feed does not serve
 * shows its bars; a broker-only symbol with no bars says so in the panes).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { AlpacaTestServer } from '../src/main/test-support/alpaca-server/server';
import { importWithCli, openWorkstation, useWorkstation, type WorkstationPage } from './workstation';

/** Opens the page and waits until the kept workspace is loaded and the panes are drawn. */
function open(page: Page, url: string): Promise<WorkstationPage> {
  // A blank page says why in the test's output.
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  return openWorkstation(page, url);
}

/** Types `query` into a search box and waits until `symbol` is among the matches. */
async function searchFor(page: Page, box: Locator, query: string, symbol: string): Promise<Locator> {
  await box.click();
  await box.fill(query);
  const option = page.locator(`[data-testid=symbol-option][data-symbol="${symbol}"]`);
  await expect(option).toBeVisible();
  return option;
}

/** How many daily bars the imported ACME file holds. */
const sessions = (): number => 19;

/** The New York calendar date of an epoch-ms instant. */
const nyDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(ms));

test.describe('demo', () => {
  const workstation = useWorkstation({ startBeforeAll: true });

  test('the top bar searches symbols: keyboard, mouse, and Esc restores', async ({ page }) => {
    const ui = await open(page, workstation.app.url);
    const box = page.getByTestId('symbol-search');
    const picker = page.getByTestId('symbol-picker');
    const start = await picker.inputValue();
    await expect(box).toHaveValue(start);

    // The exact symbol comes first; Enter picks it.
    const option = await searchFor(page, box, 'tlt', 'TLT');
    await expect(page.getByTestId('symbol-option').first()).toHaveAttribute('data-symbol', 'TLT');
    await expect(option).toHaveAttribute('data-source', 'feed');
    await expect(option).toContainText('live');
    await box.press('Enter');
    await expect(picker).toHaveValue('TLT');
    await expect(box).toHaveValue('TLT');
    for (const pane of await ui.panes().all())
      await expect(ui.legend(pane)).toHaveAttribute('data-symbol', 'TLT');

    // Esc gives the symbol back untouched.
    await searchFor(page, box, 'XL', 'XLF');
    await box.press('Escape');
    await expect(box).toHaveValue('TLT');
    await expect(page.getByRole('listbox')).toHaveCount(0);
    await expect(picker).toHaveValue('TLT');

    // ↓ moves through the matches; a click chooses.
    await searchFor(page, box, 'X', 'XLK');
    const active = async () =>
      page.locator('[data-testid=symbol-option][aria-selected=true]').getAttribute('data-symbol');
    const first = await active();
    await box.press('ArrowDown');
    expect(await active()).not.toBe(first);
    await page.locator('[data-testid=symbol-option][data-symbol="XLK"]').click();
    await expect(picker).toHaveValue('XLK');
    for (const pane of await ui.panes().all())
      await expect(ui.legend(pane)).toHaveAttribute('data-symbol', 'XLK');

    // Typed and Enter at once, before the matches show: the best match of what was typed.
    await box.click();
    await box.fill('qqq');
    await box.press('Enter');
    await expect(picker).toHaveValue('QQQ');

    await picker.selectOption(start);
    await expect(box).toHaveValue(start);
  });

  test('a pane keeps a symbol of its own while the others follow the top bar, across a reload', async ({
    page,
  }) => {
    let ui = await open(page, workstation.app.url);
    await page.getByTestId('symbol-picker').selectOption('SPY');
    const second = ui.panes().nth(1);
    const option = await searchFor(page, second.getByTestId('pane-symbol-search'), 'QQQ', 'QQQ');
    await option.click();

    const expectLayout = async (view: WorkstationPage): Promise<void> => {
      for (const [slot, symbol] of ['SPY', 'QQQ', 'SPY', 'SPY'].entries()) {
        const pane = view.panes().nth(slot);
        await expect(view.legend(pane)).toHaveAttribute('data-symbol', symbol);
        await expect(pane.getByTestId('pane-symbol')).toHaveAttribute(
          'data-linked',
          slot === 1 ? 'false' : 'true',
        );
        await expect.poll(() => view.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(0);
      }
      await expect(view.panes().nth(1).getByTestId('pane-symbol-search')).toHaveValue('QQQ');
    };
    await expectLayout(ui);

    // The top bar moves the linked panes only.
    await page.getByTestId('symbol-picker').selectOption('TLT');
    await expect(ui.legend(ui.panes().nth(0))).toHaveAttribute('data-symbol', 'TLT');
    await expect(ui.legend(second)).toHaveAttribute('data-symbol', 'QQQ');
    await page.getByTestId('symbol-picker').selectOption('SPY');
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');

    await page.reload();
    ui = await open(page, workstation.app.url);
    await expectLayout(ui);

    // "Linked" gives the pane back to the top bar.
    const box = ui.panes().nth(1).getByTestId('pane-symbol-search');
    await box.click();
    await page.getByTestId('search-action-linked').click();
    await expect(ui.legend(ui.panes().nth(1))).toHaveAttribute('data-symbol', 'SPY');
    await expect(ui.panes().nth(1).getByTestId('pane-symbol')).toHaveAttribute('data-linked', 'true');
  });

  test('the crosshair is linked across timeframes, and a double-click brings the moment into view', async ({
    page,
  }) => {
    const ui = await open(page, workstation.app.url);
    const toggle = page.getByTestId('link-crosshair');
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    const minutePane = ui.pane('1m');
    const dailyPane = ui.pane('1D');
    await expect.poll(() => ui.barCount(dailyPane), { timeout: 30_000 }).toBeGreaterThan(5);
    await expect.poll(() => ui.barCount(minutePane), { timeout: 30_000 }).toBeGreaterThan(5);
    const dailyHost = dailyPane.getByTestId('chart-host');
    const minuteHost = minutePane.getByTestId('chart-host');
    // Away from every chart first, so the daily pane is drawn without a crosshair.
    await page.mouse.move(1, 1);
    const before = await ui.canvasDigest(dailyPane);

    const box = await minuteHost.boundingBox();
    if (!box) throw new Error('the 1m chart is not on screen');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3, { steps: 4 });
    await expect(minuteHost).toHaveAttribute('data-crosshair-time', /\d+/);
    await expect(dailyHost).toHaveAttribute('data-crosshair-time', /\d+/);
    await expect(dailyHost).toHaveAttribute('data-crosshair-from', '0');
    // Both read at once: live bars scroll the 1m chart under the still pointer, so the minute pointed at
    // (and the day shown in the 1D pane with it) can move on between two separate reads.
    await expect
      .poll(
        async () => {
          const [minute, daily] = await page.evaluate(() =>
            ['1m', '1D'].map((timeframe) =>
              Number(
                document.querySelector<HTMLElement>(
                  `[data-testid=chart-pane][data-timeframe="${timeframe}"] [data-testid=chart-host]`,
                )?.dataset.crosshairTime,
              ),
            ),
          );
          if (!Number.isFinite(minute) || !Number.isFinite(daily)) return 'no crosshair on a pane';
          const [minuteDay, dailyDay] = [nyDate(minute!), nyDate(daily!)];
          return minuteDay === dailyDay ? 'same day' : `1m on ${minuteDay}, 1D on ${dailyDay}`;
        },
        { message: 'the 1D pane shows the day of the minute pointed at' },
      )
      .toBe('same day');
    await expect.poll(() => ui.canvasDigest(dailyPane)).not.toBe(before);
    // The 1D legend shows the day pointed at.
    await expect(ui.legend(dailyPane)).toHaveAttribute('data-hovered', 'true');

    // Leaving the pane clears the other panes' crosshairs, and their legends show the newest bar again.
    await page.mouse.move(1, 1);
    await expect(dailyHost).not.toHaveAttribute('data-crosshair-time', /\d+/);
    await expect(ui.legend(dailyPane)).toHaveAttribute('data-hovered', 'false');

    // A drag (panning the 1m chart) that ends outside every chart, over the top bar: the chart holds the
    // mouse meanwhile, and the pointer's leave is not heard as it goes; released there, no pane keeps a
    // crosshair nor a legend on the bar pointed at last.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3, { steps: 4 });
    await expect(dailyHost).toHaveAttribute('data-crosshair-time', /\d+/);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.35, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.6, 8, { steps: 8 });
    await page.mouse.up();
    for (const host of await page.getByTestId('chart-host').all()) {
      await expect(host).not.toHaveAttribute('data-crosshair-time', /\d+/);
    }
    await expect(ui.legend(dailyPane)).toHaveAttribute('data-hovered', 'false');
    // The dragged pane too: its legend is back on the newest bar, not the bar the drag left it on.
    await expect(ui.legend(minutePane)).toHaveAttribute('data-hovered', 'false');

    // Synchronised time: the 1h pane scrolls to the moment double-clicked in the 1D pane, zoom kept.
    const hourPane = ui.pane('1h');
    const hourHost = hourPane.getByTestId('chart-host');
    await expect.poll(() => ui.barCount(hourPane), { timeout: 30_000 }).toBeGreaterThan(5);
    const dailyBox = await dailyHost.boundingBox();
    if (!dailyBox) throw new Error('the 1D chart is not on screen');
    await page.mouse.dblclick(dailyBox.x + dailyBox.width * 0.3, dailyBox.y + dailyBox.height * 0.3);
    await expect(hourHost).toHaveAttribute('data-synced-time', /\d+/);
    const clicked = Number(await dailyHost.getAttribute('data-crosshair-time'));
    const synced = Number(await hourHost.getAttribute('data-synced-time'));
    // The hour bar brought into view is on the day clicked (or the oldest hour held, when it is older).
    const oldestHour = await ui.oldestStart(hourPane);
    if (oldestHour <= clicked) expect(nyDate(synced)).toBe(nyDate(clicked));
    else expect(synced).toBe(oldestHour);
    expect(await ui.visibleFrom(hourPane)).toBeLessThanOrEqual(Math.max(synced, oldestHour));

    // Unlinked: the other panes keep no crosshair.
    await page.mouse.move(1, 1);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.3, { steps: 4 });
    await expect(minuteHost).toHaveAttribute('data-crosshair-time', /\d+/);
    await expect(dailyHost).not.toHaveAttribute('data-crosshair-time', /\d+/);
    await toggle.click();
  });
});

test.describe('paper', () => {
  const KEYS = { keyId: 'PKE2ESYMBOLS00001', secret: 'e2eSymbolsSecret0123456789abcdef' };
  let server: AlpacaTestServer;
  const workstation = useWorkstation();
  test.beforeAll(async () => {
    server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall', live: true });
    // The market database already holds ACME's daily bars (imported earlier); the feed does not serve ACME.
    const dir = workstation.dir;
    const db = join(dir, 'market.sqlite');
    const file = join(dir, 'acme.csv');
    const sessions = [4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 19, 20, 21, 22, 25, 26, 27, 28, 29];
    const rows = sessions.map((day) => {
      const open = 10 + day / 10;
      return `2021-01-${String(day).padStart(2, '0')},${open.toFixed(2)},${(open + 0.5).toFixed(2)},${(open - 0.3).toFixed(2)},${(open + 0.1).toFixed(2)},${1000 + day}`;
    });
    writeFileSync(file, ['Date,Open,High,Low,Close,Volume', ...rows].join('\n') + '\n');
    importWithCli(db, [file]);
    await workstation.start(['--mode', 'paper'], { db, env: { ...server.env(), TRM_DATA_DIR: dir } });
  });
  // useWorkstation stops the workstation and removes its folder.
  test.afterAll(async () => {
    await server?.close();
  });

  test('a stored symbol the feed does not serve stays chosen and shows its bars', async ({ page }) => {
    const ui = await open(page, workstation.app.url);
    const box = page.getByTestId('symbol-search');
    const option = await searchFor(page, box, 'ACM', 'ACME');
    await expect(option).toHaveAttribute('data-source', 'store');
    await expect(option).toContainText('stored · no live data');
    await box.press('Enter');
    await expect(page.getByTestId('symbol-picker')).toHaveValue('ACME');
    const daily = ui.pane('1D');
    await expect(ui.legend(daily)).toHaveAttribute('data-symbol', 'ACME');
    await expect.poll(() => ui.barCount(daily), { timeout: 30_000 }).toBe(sessions());
    // A reload keeps it: nothing falls back to the feed's symbols.
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
    await page.reload();
    await open(page, workstation.app.url);
    await expect(page.getByTestId('symbol-picker')).toHaveValue('ACME');
    await expect.poll(() => ui.barCount(ui.pane('1D')), { timeout: 30_000 }).toBe(sessions());
  });

  test("the search lists the broker's assets; a broker-only symbol says it has no bars", async ({ page }) => {
    const ui = await open(page, workstation.app.url);
    const box = page.getByTestId('symbol-search');
    const option = await searchFor(page, box, 'berkshire', 'BRK.B');
    await expect(option).toHaveAttribute('data-source', 'broker');
    await expect(option).toContainText('no live data');
    await option.click();
    await expect(page.getByTestId('symbol-picker')).toHaveValue('BRK.B');
    await expect(ui.legend(ui.pane('1m'))).toHaveAttribute('data-symbol', 'BRK.B');
    await expect(ui.pane('1m').getByTestId('pane-no-bars')).toHaveText('No 1m bars for BRK.B', {
      timeout: 30_000,
    });
    // A feed symbol from the same search is live.
    const spy = await searchFor(page, box, 'SPY', 'SPY');
    await expect(spy).toHaveAttribute('data-source', 'feed');
    await box.press('Escape');
  });
});
