/**
 * Indicators on the chart panes (issue 16): the trader adds SMA 20 to the 1D pane from its ƒx menu and the
 * SMA's colour is drawn on the chart's canvases with a chip naming it; adding RSI 14 puts it in a pane of
 * its own below the candles and the volume; removing the SMA takes its line off; a reload of the page
 * shows the RSI still there (kept in the workspace) and the SMA still gone.
 */
import { expect, test, type Locator } from '@playwright/test';
import { indicatorStyles } from '../src/renderer/indicators/indicator-style';
import { openWorkstation, useWorkstation } from './workstation';

type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
// The first indicator of a kind on a pane gets the kind's first shade.
const SMA_RGB = rgb(indicatorStyles([{ id: 's', kind: 'sma', period: 20 }])[0]!.color);
const RSI_RGB = rgb(indicatorStyles([{ id: 'r', kind: 'rsi', period: 14 }])[0]!.color);
const EMA_RGB = rgb(indicatorStyles([{ id: 'e', kind: 'ema', period: 20 }])[0]!.color);
/** A line two pixels wide across a pane draws well over this many pixels of its colour. */
const DRAWN = 150;
/** Stray pixels of a colour (antialiasing of other colours) stay under this. */
const NOT_DRAWN = 20;

const workstation = useWorkstation();

/** The chart's panes (lightweight-charts draws each in a table row with canvases), top to bottom. */
function chartPaneHeights(pane: Locator): Promise<number[]> {
  return pane.getByTestId('chart-host').evaluate((host) =>
    Array.from(host.querySelectorAll('tr'))
      .filter((row) => row.querySelector('canvas') !== null && row.getBoundingClientRect().height > 20)
      .map((row) => Math.round(row.getBoundingClientRect().height)),
  );
}

/** The y (page px) of the topmost and bottommost pixel of a colour in the pane's canvases, or null. */
function colourRows(pane: Locator, colour: Rgb): Promise<{ top: number; bottom: number } | null> {
  return pane.getByTestId('chart-host').evaluate((host, c) => {
    let top = Infinity;
    let bottom = -Infinity;
    for (const canvas of Array.from(host.querySelectorAll('canvas'))) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) continue;
      const box = canvas.getBoundingClientRect();
      const scale = box.height / canvas.height;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! < 200) continue;
        if (Math.abs(data[i]! - c[0]) > 6 || Math.abs(data[i + 1]! - c[1]) > 6) continue;
        if (Math.abs(data[i + 2]! - c[2]) > 6) continue;
        const y = box.top + Math.floor(i / 4 / canvas.width) * scale;
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
    return Number.isFinite(top) ? { top, bottom } : null;
  }, colour);
}

test('an EMA on the 1m pane follows live bars: its value is at the newest bar as bars arrive', async ({
  page,
}) => {
  const app = await workstation.start();
  const ui = await openWorkstation(page, app.url);
  const minute = ui.pane('1m');
  await ui.expectCandlesDrawn('1m');
  await minute.getByTestId('indicator-menu').click();
  await page.getByTestId('indicator-popover').getByTestId('indicator-add-ema').click();
  await page.keyboard.press('Escape');
  // The pointer off the charts: the chip shows the newest bar's values, not a hovered bar's.
  await page.mouse.move(1, 1);
  const value = minute.getByTestId('indicator-chip-value');
  const barStart = async (): Promise<number> => Number(await value.getAttribute('data-bar-start'));
  await expect.poll(barStart).toBeGreaterThan(0);
  const first = await barStart();
  // The demo runs 60 market seconds a wall second: new 1m bars arrive every second or so.
  await expect.poll(barStart, { timeout: 20_000 }).toBeGreaterThan(first);
  // Updated live, the EMA's newest value is at the pane's newest bar.
  await expect.poll(async () => (await barStart()) === (await ui.lastStart(minute))).toBe(true);
  expect(await ui.pixelsOfColour(minute, EMA_RGB)).toBeGreaterThan(DRAWN);
  await workstation.stop();
});

test('SMA and RSI are added to the 1D pane and drawn, the SMA removed, the RSI kept across a reload', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const app = await workstation.start();
  let ui = await openWorkstation(page, app.url);
  let daily = ui.pane('1D');
  await ui.expectCandlesDrawn('1D');
  await expect.poll(() => ui.barCount(daily)).toBeGreaterThan(30);
  expect(await ui.pixelsOfColour(daily, SMA_RGB)).toBeLessThan(NOT_DRAWN);
  // Counted once the Pick pane is in: it arrives with the predictions and would count as the RSI's.
  await ui.pickPaneShown(daily);
  const panesBefore = (await chartPaneHeights(daily)).length;

  await test.step('the ƒx menu adds SMA 20: its line is drawn and a chip names it', async () => {
    await daily.getByTestId('indicator-menu').click();
    const popover = page.getByTestId('indicator-popover');
    await expect(popover).toBeVisible();
    // VWAP resets each session: not offered on a daily pane, and the menu says why.
    await expect(popover.getByTestId('indicator-add-vwap')).toBeDisabled();
    await expect(popover.locator('[data-kind=vwap]').getByTestId('indicator-problem')).toContainText(
      'intraday',
    );
    await popover.getByTestId('indicator-add-sma').click();
    await expect(daily.getByTestId('indicator-chip-label')).toHaveText(['SMA 20']);
    // The chip shows the SMA at the newest bar.
    await expect(daily.getByTestId('indicator-chip-value')).toHaveText(/^\d+\.\d{2}$/);
    await expect.poll(() => ui.pixelsOfColour(daily, SMA_RGB)).toBeGreaterThan(DRAWN);
  });

  await test.step('RSI 14 gets a pane of its own below the others', async () => {
    await page.getByTestId('indicator-popover').getByTestId('indicator-add-rsi').click();
    await expect(daily.getByTestId('indicator-chip-label')).toHaveText(['SMA 20', 'RSI 14']);
    await expect.poll(() => ui.pixelsOfColour(daily, RSI_RGB)).toBeGreaterThan(DRAWN);
    await expect.poll(async () => (await chartPaneHeights(daily)).length).toBe(panesBefore + 1);
    // The RSI is drawn below every pixel of the SMA (which is over the candles).
    const sma = await colourRows(daily, SMA_RGB);
    const rsi = await colourRows(daily, RSI_RGB);
    expect(sma).not.toBeNull();
    expect(rsi!.top).toBeGreaterThan(sma!.bottom);
  });

  await test.step('removing the SMA takes its line and chip off; Escape closes the menu', async () => {
    const popover = page.getByTestId('indicator-popover');
    await popover
      .locator('[data-testid=indicator-item][data-kind=sma]')
      .getByTestId('indicator-remove')
      .click();
    await expect(daily.getByTestId('indicator-chip-label')).toHaveText(['RSI 14']);
    await expect.poll(() => ui.pixelsOfColour(daily, SMA_RGB)).toBeLessThan(NOT_DRAWN);
    expect(await ui.pixelsOfColour(daily, RSI_RGB)).toBeGreaterThan(DRAWN);
    await page.keyboard.press('Escape');
    await expect(popover).toHaveCount(0);
    await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
  });

  await test.step('a reload shows the RSI still there and the SMA still gone', async () => {
    await page.reload();
    ui = await openWorkstation(page, app.url);
    daily = ui.pane('1D');
    await ui.expectCandlesDrawn('1D');
    await expect(daily.getByTestId('indicator-chip-label')).toHaveText(['RSI 14']);
    await expect.poll(() => ui.pixelsOfColour(daily, RSI_RGB)).toBeGreaterThan(DRAWN);
    expect(await ui.pixelsOfColour(daily, SMA_RGB)).toBeLessThan(NOT_DRAWN);
    // The other panes have no indicators.
    await expect(page.getByTestId('indicator-chip')).toHaveCount(1);
  });
});
