/**
 * The strategy model on the charts (issue 16): in the demo, whose model predicts at each daily close, the
 * 1D pane is shaded behind its candles in the colours of the strategies predicted (the colour blended at
 * the shading's opacity over the chart's background, counted on the canvas), its confidence pane draws the
 * pick's probability and the band to the runner-up, and the prediction markers sit above the bars. Each of
 * the three switches in the strategy panel removes its pixels, and a reload keeps them off. The 1h pane is
 * shaded too (each bar by the prediction in force in its session), without a confidence pane.
 */
import { existsSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { STRATEGY_IDS } from '../src/shared/domain';
import { BAND_ALPHA, SHADING_ALPHA, blend, hexRgb, type Rgb } from '../src/renderer/overlays/overlay-colours';
import { STRATEGY_STYLE } from '../src/renderer/signals/strategy-style';
import { openWorkstation, useWorkstation, type WorkstationPage } from './workstation';

const MODEL = 'models/trm-default/manifest.json';
test.skip(
  !existsSync(MODEL),
  `overlays e2e skipped: no shipped model (${MODEL}); build it with npm run model`,
);

/** The dark chart background (charts/chart-theme.ts CHART_PALETTES.dark.background, #0d1117). */
const BACKGROUND: Rgb = [0x0d, 0x11, 0x17];

const STRATEGY_RGB = STRATEGY_IDS.map((id) => hexRgb(STRATEGY_STYLE[id].color));
const SHADES = STRATEGY_RGB.map((rgb) => blend(rgb, SHADING_ALPHA, BACKGROUND));
const BANDS = STRATEGY_RGB.map((rgb) => blend(rgb, BAND_ALPHA, BACKGROUND));

const workstation = useWorkstation();

/** Pixels of any of `colours` in the pane's canvases (within 2 per channel: canvas rounding). */
async function pixels(ui: WorkstationPage, pane: Locator, colours: readonly Rgb[]): Promise<number> {
  let total = 0;
  for (const rgb of colours) total += await ui.pixelsOfColour(pane, rgb, 2);
  return total;
}

/** Flips a switch and waits until the workspace holding it is saved. */
async function flip(page: Page, name: 'markers' | 'shading' | 'confidence', on: boolean): Promise<void> {
  const toggle = page.getByTestId(`overlay-toggle-${name}`);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', String(on));
  await expect(page.locator('body')).toHaveAttribute('data-workspace', 'idle');
}

test('shading, confidence and markers are drawn on the 1D pane, each switch removes its own, a reload keeps them off', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const app = await workstation.start();
  const ui = await openWorkstation(page, app.url);
  // The demo's model has predicted the days before the start.
  await expect
    .poll(() => page.getByTestId('signals-history').locator('[data-bar-start]').count(), { timeout: 60_000 })
    .toBeGreaterThan(5);
  const daily = ui.pane('1D');
  await ui.expectCandlesDrawn('1D');
  const host = daily.getByTestId('chart-host');
  await expect.poll(async () => Number(await host.getAttribute('data-model-runs'))).toBeGreaterThan(5);
  await expect(host).toHaveAttribute('data-model-confidence', 'on');

  // Shading: the strategies' colours at the shading's opacity fill the price pane behind the candles.
  await expect.poll(() => pixels(ui, daily, SHADES), { timeout: 15_000 }).toBeGreaterThan(2000);
  // Confidence: the band in the strategies' colours at its opacity; the line in their own colours.
  await expect.poll(() => pixels(ui, daily, BANDS)).toBeGreaterThan(300);
  const band = await pixels(ui, daily, BANDS);
  const linesAndMarkers = await pixels(ui, daily, STRATEGY_RGB);
  console.log(
    `1D pane: shading ${await pixels(ui, daily, SHADES)}, band ${band}, line and markers ${linesAndMarkers} pixels`,
  );
  expect(linesAndMarkers).toBeGreaterThan(100);

  // Intraday panes: each bar shaded by the prediction in force in its session; no confidence pane (the
  // predictions are daily: it would be a flat line).
  const hourly = ui.pane('1h');
  await expect(hourly.getByTestId('chart-host')).toHaveAttribute('data-model-confidence', 'off');
  await expect.poll(() => pixels(ui, hourly, SHADES)).toBeGreaterThan(2000);

  await test.step('confidence off: its pane, band and line go; the shading stays', async () => {
    await flip(page, 'confidence', false);
    await expect(host).toHaveAttribute('data-model-confidence', 'off');
    // A few edge pixels of the markers' dots may share the band's blend: far fewer than the band's.
    await expect.poll(() => pixels(ui, daily, BANDS)).toBeLessThan(band / 10);
    // What remains in the strategies' own colours is the markers.
    await expect.poll(() => pixels(ui, daily, STRATEGY_RGB)).toBeLessThan(linesAndMarkers - 100);
    expect(await pixels(ui, daily, SHADES)).toBeGreaterThan(2000);
  });

  await test.step('pointing at a marker: its day and pick as the tooltip, and the pointer cursor', async () => {
    const host = daily.getByTestId('chart-host');
    // The page points of the price pane's pixels in the strategies' own colours (the markers now).
    const points = await host.evaluate((element, colours) => {
      const found: { x: number; y: number }[] = [];
      const canvas = Array.from(element.querySelectorAll('canvas')).sort(
        (a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight,
      )[0];
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return found;
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / canvas.clientWidth;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4 * 7) {
        if (data[i + 3]! < 200) continue;
        const near = colours.some(([r, g, b]) => {
          return (
            Math.abs(data[i]! - r) <= 2 && Math.abs(data[i + 1]! - g) <= 2 && Math.abs(data[i + 2]! - b) <= 2
          );
        });
        if (!near) continue;
        const pixel = i / 4;
        found.push({
          x: box.x + (pixel % canvas.width) / scale,
          y: box.y + Math.floor(pixel / canvas.width) / scale,
        });
      }
      return found;
    }, STRATEGY_RGB);
    expect(points.length).toBeGreaterThan(0);
    let title = '';
    for (const point of points.slice(-12)) {
      await page.mouse.move(point.x, point.y);
      // The chart reports the move on its next frame.
      await page.waitForTimeout(100);
      title = (await host.getAttribute('title')) ?? '';
      if (title !== '') break;
    }
    expect(title).toMatch(/^\w{3} \d{1,2} \w{3} \d{4}: .+ \(click for why\)$/);
    expect(await host.evaluate((element) => element.style.cursor)).toBe('pointer');
    await page.mouse.move(1, 1);
    await expect(host).toHaveAttribute('title', '');
  });

  await test.step('markers off: no dot in a strategy colour is left', async () => {
    expect(await pixels(ui, daily, STRATEGY_RGB)).toBeGreaterThan(10);
    await flip(page, 'markers', false);
    await expect.poll(() => pixels(ui, daily, STRATEGY_RGB)).toBeLessThan(5);
  });

  await test.step('shading off: the background is plain again', async () => {
    await flip(page, 'shading', false);
    await expect.poll(() => pixels(ui, daily, SHADES)).toBeLessThan(50);
  });

  await test.step('a reload keeps all three off', async () => {
    await page.reload();
    expect(errors).toEqual([]);
    const again = await openWorkstation(page, app.url);
    for (const name of ['markers', 'shading', 'confidence']) {
      await expect(page.getByTestId(`overlay-toggle-${name}`)).toHaveAttribute('aria-pressed', 'false');
    }
    const pane = again.pane('1D');
    await expect.poll(() => again.barCount(pane), { timeout: 30_000 }).toBeGreaterThan(5);
    await expect(pane.getByTestId('chart-host')).toHaveAttribute('data-model-confidence', 'off');
    await expect.poll(() => pixels(again, pane, SHADES)).toBeLessThan(50);
    expect(await pixels(again, pane, BANDS)).toBeLessThan(band / 10);
  });

  await test.step('the legend names each strategy beside its colour', async () => {
    await page.getByTestId('overlay-legend-toggle').click();
    await expect(page.getByTestId('overlay-legend').locator('[data-strategy]')).toHaveCount(8);
    await expect(page.getByTestId('overlay-legend')).toContainText(STRATEGY_STYLE.max_growth.name);
  });
});
