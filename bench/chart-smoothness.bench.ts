/**
 * Chart smoothness in Chromium (issue 16): with 500,000 one-minute bars loaded and 100 live updates a
 * second for 10 s, how long frames take and how long one live update costs.
 * - bare: lightweight-charts alone, one candlestick series: setData of 500,000 bars, then update() 100
 *   times a second (the newest bar forming, a new bar every 20 updates): update() p50/p99, frame p50/p99,
 *   frames over 50 ms.
 * - ours: CandleChart as a pane uses it (candles + volume pane) given the same 500,000 bars by load(); it
 *   keeps the newest 6,000 (MAX_SERIES_BARS; older pages come back by scroll-back), then push() of one
 *   bar 100 times a second: the time of one flush (once per animation frame), frame p50/p99, long frames.
 * - ours in history: the same, after the trader scrolled back until the series holds HISTORY_MAX_BARS
 *   (60,000; the view stays in history, so nothing is trimmed and every live bar is a point update over
 *   the whole series: lightweight-charts copies its point list on each update()).
 * The page (chart-smoothness/smoothness.page.ts) is bundled with esbuild, served on loopback with
 * cross-origin isolation (performance.now() then resolves 5 µs instead of 100 µs) and opened in Debian's
 * Chromium at 1280×800. Headless with --disable-gpu, so Chromium draws the canvases in software: frame
 * times are those of a machine without GPU rasterisation, an upper bound for a desktop.
 *
 * `TRM_BENCH_SMOOTHNESS_SECONDS=3` shortens the live part (a quick before/after).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';
import { report, type Metric } from './lib/report';
import type { RunOptions, RunResult, SmoothnessApi } from './chart-smoothness/smoothness-api';

const here = dirname(fileURLToPath(import.meta.url));
const BARS = 500_000;
const RATE = 100;
const SECONDS = Number(process.env.TRM_BENCH_SMOOTHNESS_SECONDS ?? 10);
const BAR_EVERY = 20;
const LONG_FRAME_MS = 50;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'chart-smoothness', 'smoothness.page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'chrome120',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle for the smoothness page');
  return file.text;
}

/** Serves the page and its script on a free loopback port, cross-origin isolated. */
function serve(script: string): Promise<Server> {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;height:100%;' +
    'background:#0d1117}</style></head><body><script type="module" src="/page.js"></script></body></html>';
  const server = createServer((request, response) => {
    const isolated = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    };
    if (request.url === '/page.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript', ...isolated }).end(script);
    } else if (request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html', ...isolated }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Figures {
  workP50: number;
  workP99: number;
  workMax: number;
  frameP50: number;
  frameP99: number;
  longFrames: number;
  frames: number;
}

function figures(result: RunResult): Figures {
  const work = sorted(result.work);
  const frames = sorted(result.frames);
  return {
    workP50: percentile(work, 0.5),
    workP99: percentile(work, 0.99),
    workMax: work[work.length - 1] ?? Number.NaN,
    frameP50: percentile(frames, 0.5),
    frameP99: percentile(frames, 0.99),
    longFrames: frames.filter((ms) => ms > LONG_FRAME_MS).length,
    frames: frames.length,
  };
}

export default async function chartSmoothness(): Promise<void> {
  const server = await serve(await bundlePage());
  // --expose-gc: the page collects one run's garbage before the next run's live part.
  const browser = await chromium.launch({
    ...chromiumLaunchOptions,
    args: [...chromiumLaunchOptions.args, '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'smoothness' in globalThis);
    const isolated = await page.evaluate(
      () => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated,
    );
    const options: RunOptions = { bars: BARS, rate: RATE, seconds: SECONDS, barEvery: BAR_EVERY };
    // Each callback runs in the page (serialised): it reaches the page's API through its own globalThis.
    type PageGlobal = { smoothness: SmoothnessApi };
    const bare = await page.evaluate(
      (o) => (globalThis as unknown as PageGlobal).smoothness.bare(o),
      options,
    );
    const ours = await page.evaluate(
      (o) => (globalThis as unknown as PageGlobal).smoothness.ours(o),
      options,
    );
    const history = await page.evaluate((o) => (globalThis as unknown as PageGlobal).smoothness.ours(o), {
      ...options,
      scrollBack: true,
    });
    if (errors.length > 0) throw new Error(`the smoothness page failed: ${errors.join('; ')}`);
    const b = figures(bare);
    const o = figures(ours);
    const h = figures(history);
    const metrics: Metric[] = [
      { name: 'bare lightweight-charts: setData of 500,000 bars', value: bare.loadMs, unit: 'ms' },
      { name: 'bare: load to first frame drawn', value: bare.firstFrameMs, unit: 'ms' },
      { name: 'bare: update() p50 (500,000 bars)', value: b.workP50, unit: 'ms' },
      { name: 'bare: update() p99', value: b.workP99, unit: 'ms' },
      { name: 'bare: frame p50 at 100 updates/s', value: b.frameP50, unit: 'ms' },
      { name: 'bare: frame p99', value: b.frameP99, unit: 'ms' },
      { name: `bare: frames over ${LONG_FRAME_MS} ms in ${SECONDS} s`, value: b.longFrames, unit: 'frames' },
      { name: 'CandleChart: load() of 500,000 bars', value: ours.loadMs, unit: 'ms' },
      { name: 'CandleChart: bars held after load', value: ours.seriesBars, unit: 'bars' },
      { name: 'CandleChart: load to first frame drawn', value: ours.firstFrameMs, unit: 'ms' },
      { name: 'CandleChart: flush p50 (once a frame)', value: o.workP50, unit: 'ms' },
      { name: 'CandleChart: flush p99', value: o.workP99, unit: 'ms' },
      { name: 'CandleChart: frame p50 at 100 pushes/s', value: o.frameP50, unit: 'ms' },
      { name: 'CandleChart: frame p99', value: o.frameP99, unit: 'ms' },
      {
        name: `CandleChart: frames over ${LONG_FRAME_MS} ms in ${SECONDS} s`,
        value: o.longFrames,
        unit: 'frames',
      },
      {
        name: 'CandleChart in history: bars held after scroll-back',
        value: history.seriesBars,
        unit: 'bars',
      },
      { name: 'CandleChart in history: flush p50', value: h.workP50, unit: 'ms' },
      { name: 'CandleChart in history: flush p99', value: h.workP99, unit: 'ms' },
      { name: 'CandleChart in history: frame p50', value: h.frameP50, unit: 'ms' },
      { name: 'CandleChart in history: frame p99', value: h.frameP99, unit: 'ms' },
      {
        name: `CandleChart in history: frames over ${LONG_FRAME_MS} ms in ${SECONDS} s`,
        value: h.longFrames,
        unit: 'frames',
      },
    ];
    report('chart-smoothness', metrics, {
      rendering: 'headless Chromium, --disable-gpu: canvases drawn in software',
      // The machine's load while measuring: on a shared 2-core machine the page's thread waits its turn.
      loadAverage1m: loadavg()[0],
      browser: browser.version(),
      viewport: '1280x800',
      crossOriginIsolated: isolated,
      bars: BARS,
      updatesPerSecond: RATE,
      seconds: SECONDS,
      newBarEvery: BAR_EVERY,
      bare: { ...b, offered: bare.offered, updates: bare.work.length, seriesBars: bare.seriesBars },
      ours: { ...o, offered: ours.offered, flushes: ours.work.length, seriesBars: ours.seriesBars },
      oursInHistory: {
        ...h,
        offered: history.offered,
        flushes: history.work.length,
        seriesBars: history.seriesBars,
      },
    });
  } finally {
    await browser.close();
    server.close();
  }
}
