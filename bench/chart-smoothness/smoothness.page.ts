/**
 * The page the chart-smoothness bench opens in Chromium (bundled by esbuild, served on loopback). It
 * exposes two runs on `window.smoothness`, each measured inside the page with performance.now():
 * - `bare`: lightweight-charts alone, one candlestick series given `bars` bars by setData, then `rate`
 *   update()s a second for `seconds` (the newest bar forming, a new bar every `barEvery` updates).
 * - `ours`: our CandleChart (candles + volume, as a pane draws them) loaded with the same bars, then
 *   push() of one bar at the same rate; each flush (once per animation frame) is timed.
 * Both record requestAnimationFrame deltas over the run (a frame's length as the page sees it).
 */
import { CandlestickSeries, createChart, type CandlestickData, type Time } from 'lightweight-charts';
import type { Bar } from '../../src/shared/domain';
import type { ChartSurface } from '../../src/renderer/charts/chart-addon';
import { CandleChart, HISTORY_MAX_BARS, emptySnapshot } from '../../src/renderer/charts/candle-chart';
import { createValueStore } from '../../src/renderer/engine/value-store';
import type { RunOptions, RunResult, SmoothnessApi } from './smoothness-api';

const MINUTE_MS = 60_000;
const START = Date.UTC(2020, 0, 2, 14, 30);

/** A seeded random walk of minute bars (mulberry32): the same bars on every run. */
function makeBars(count: number, seed = 7): Bar[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bars: Bar[] = [];
  let close = 400;
  for (let i = 0; i < count; i++) {
    const open = close;
    close = Math.max(1, open + (random() - 0.5) * 0.8);
    bars.push({
      symbol: 'SPY',
      timeframe: '1m',
      start: START + i * MINUTE_MS,
      open,
      high: Math.max(open, close) + random() * 0.3,
      low: Math.min(open, close) - random() * 0.3,
      close,
      volume: Math.round(1000 + random() * 50_000),
      closed: true,
    });
  }
  return bars;
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * Before a live part: collect the garbage of what came before (the bench starts Chromium with
 * --expose-gc) and let a few frames pass, so a run does not pay for the one before it.
 */
async function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  for (let i = 0; i < 5; i++) await nextFrame();
}

/** Records rAF deltas until stopped. */
function frameRecorder(): { stop: () => number[] } {
  const deltas: number[] = [];
  let last = -1;
  let running = true;
  const tick = (now: number): void => {
    if (!running) return;
    if (last >= 0) deltas.push(now - last);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return {
    stop: () => {
      running = false;
      return deltas;
    },
  };
}

/** Calls `step(i)` `rate` times a second for `seconds` (a 1 ms poll that catches up when late). */
function paced(rate: number, seconds: number, step: (i: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const start = performance.now();
    const total = rate * seconds;
    let done = 0;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (done < due) step(done++);
      if (done >= total) {
        clearInterval(timer);
        resolve(done);
      }
    }, 1);
  });
}

/** The live bar after `previous`: the same bar moved on, or a new one every `barEvery` updates. */
function liveBar(previous: Bar, i: number, barEvery: number): Bar {
  const close = Math.max(1, previous.close + Math.sin(i * 1.7) * 0.05);
  if ((i + 1) % barEvery === 0) {
    const start = previous.start + MINUTE_MS;
    return {
      ...previous,
      start,
      open: previous.close,
      high: close,
      low: close,
      close,
      volume: 100,
      closed: false,
    };
  }
  return {
    ...previous,
    high: Math.max(previous.high, close),
    low: Math.min(previous.low, close),
    close,
    volume: previous.volume + 100,
  };
}

function freshHost(): HTMLElement {
  document.body.replaceChildren();
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;inset:0';
  document.body.appendChild(host);
  return host;
}

const toCandle = (bar: Bar): CandlestickData<Time> => ({
  time: (bar.start / 1000) as Time,
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
});

async function bare(options: RunOptions): Promise<RunResult> {
  const chart = createChart(freshHost(), { autoSize: true });
  const series = chart.addSeries(CandlestickSeries);
  const { loadMs, last: newest } = (() => {
    const bars = makeBars(options.bars);
    const candles = bars.map(toCandle);
    const start = performance.now();
    series.setData(candles);
    return { loadMs: performance.now() - start, last: bars[bars.length - 1] as Bar };
  })();
  const loadStart = performance.now() - loadMs;
  await nextFrame();
  const firstFrameMs = performance.now() - loadStart;
  await settle();
  const work: number[] = [];
  let last = newest;
  const frames = frameRecorder();
  const offered = await paced(options.rate, options.seconds, (i) => {
    last = liveBar(last, i, options.barEvery);
    const candle = toCandle(last);
    const t0 = performance.now();
    series.update(candle);
    work.push(performance.now() - t0);
  });
  await nextFrame();
  const result = {
    loadMs,
    firstFrameMs,
    seriesBars: series.data().length,
    work,
    frames: frames.stop(),
    offered,
  };
  chart.remove();
  return result;
}

async function ours(options: RunOptions): Promise<RunResult> {
  const view = createValueStore(emptySnapshot('1m'));
  const chart = new CandleChart(freshHost(), view);
  // Time each flush: the chart schedules `this.flush` by name, so a wrapper on the instance is what runs.
  const work: number[] = [];
  const inner = chart as unknown as { flush: () => void };
  const flush = inner.flush;
  inner.flush = () => {
    const t0 = performance.now();
    flush();
    work.push(performance.now() - t0);
  };
  chart.reset('SPY', '1m');
  // The bars made here are the store's: out of scope before the live part, as the window never holds them.
  const { loadMs, firstFrameMs, newest } = await (async () => {
    const bars = makeBars(options.bars);
    const loadStart = performance.now();
    chart.load(bars);
    const loaded = performance.now() - loadStart;
    await nextFrame();
    const firstFrame = performance.now() - loadStart;
    await nextFrame();
    if (options.scrollBack === true) await scrollBack(chart, bars, HISTORY_MAX_BARS);
    return { loadMs: loaded, firstFrameMs: firstFrame, newest: bars[bars.length - 1] as Bar };
  })();
  let last = newest;
  await settle();
  work.length = 0;
  const frames = frameRecorder();
  const offered = await paced(options.rate, options.seconds, (i) => {
    last = liveBar(last, i, options.barEvery);
    chart.push([last]);
  });
  await nextFrame();
  const result = {
    loadMs,
    firstFrameMs,
    seriesBars: view.get().barCount,
    work,
    frames: frames.stop(),
    offered,
  };
  chart.dispose();
  return result;
}

/**
 * Scroll to the oldest bar held again and again, the chart loading the page before it from `bars` each
 * time (as a pane's older-bars source does), until the series holds `target` bars or stops growing. The
 * view stays in history, so live bars are point updates over the whole series and nothing is trimmed.
 */
async function scrollBack(chart: CandleChart, bars: readonly Bar[], target: number): Promise<void> {
  const surfaces: ChartSurface[] = [];
  const detach = chart.attach((surface) => {
    surfaces.push(surface);
    return { seriesChanged: () => {}, dispose: () => {} };
  });
  chart.setOlderSource((_symbol, _timeframe, page) => {
    const end = bars.findIndex((bar) => bar.start >= page.before);
    const upTo = end < 0 ? bars.length : end;
    return Promise.resolve(bars.slice(Math.max(0, upTo - page.limit), upTo));
  });
  const held = (): number => surfaces[0]?.bars().length ?? 0;
  let stalled = 0;
  while (held() < target && stalled < 20) {
    const before = held();
    surfaces[0]?.chart.timeScale().setVisibleLogicalRange({ from: 0, to: 150 });
    await nextFrame();
    await nextFrame();
    stalled = held() > before ? 0 : stalled + 1;
  }
  chart.setOlderSource(null);
  detach();
}

const api: SmoothnessApi = { bare, ours };
(window as unknown as { smoothness: SmoothnessApi }).smoothness = api;
