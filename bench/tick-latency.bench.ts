/**
 * Tick to renderer over the web transport: a feed emits trades at a steady 1,000 per second into a real
 * engine (aggregation, store writer, coalesced fan-out) served by the real WebSocket server, and a page
 * in Chromium listens to `market.barsUpdated` as the renderer does. A tick counts as delivered when the
 * page first holds a bar state at or after it (coalescing folds several ticks into one payload; each of
 * them is then as old as the wait it had). Prints p50, p99 and max in milliseconds.
 *
 * Clocks: Node's and the page's `performance.timeOrigin + performance.now()` both read the machine's
 * clock at sub-millisecond resolution.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';
import type { SymbolInfo } from '../src/shared/domain';
import { nyseCalendar } from '../src/main/core/calendar';
import { Engine } from '../src/main/engine/kernel';
import type { FeedSink, MarketFeed } from '../src/main/market/feed';
import { openEngineStore } from '../src/main/modes/engine-store';
import { systemTimers } from '../src/main/platform/clock';
import { createLogger } from '../src/main/platform/log';
import { startWebServer } from '../src/main/transport/web-server';
import { report } from './lib/report';

const TICKS_PER_SECOND = 1000;
const SECONDS = 10;
const WARMUP_TICKS = 500;
const BASE_PRICE = 100;
/** Price step per tick: each tick's price names it (100.0000, 100.0001, ...). */
const STEP = 0.0001;
const SESSION_OPEN = Date.UTC(2025, 2, 14, 13, 30);

const wallNow = (): number => performance.timeOrigin + performance.now();

/** Emits one trade per millisecond of wall time, catching up in bursts if the loop was late. */
class SteadyTickFeed implements MarketFeed {
  readonly source = 'bench-ticks';
  readonly symbols: SymbolInfo[] = [{ symbol: 'TICK', name: 'Tick benchmark', kind: 'stock' }];
  readonly speed = 1;
  readonly emittedAt: number[] = [];
  private running = false;

  constructor(private readonly total: number) {}

  start(sink: FeedSink): void {
    this.running = true;
    sink.state('live', null);
    const started = wallNow();
    const loop = (): void => {
      if (!this.running) return;
      const due = Math.min(this.total, Math.floor(((wallNow() - started) * TICKS_PER_SECOND) / 1000));
      while (this.emittedAt.length < due) {
        const i = this.emittedAt.length;
        this.emittedAt.push(wallNow());
        sink.trade({ symbol: 'TICK', time: SESSION_OPEN + i, price: BASE_PRICE + i * STEP, size: 1 });
      }
      if (this.emittedAt.length < this.total) setImmediate(loop);
    };
    setImmediate(loop);
  }

  stop(): void {
    this.running = false;
  }
}

/** What the page's script uses of the browser. */
interface PageGlobals {
  arrivals: [number, number][];
  location: { port: string };
  WebSocket: new (url: string) => {
    addEventListener(type: 'open' | 'message', listener: (event: { data: unknown }) => void): void;
    send(data: string): void;
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export default async function tickLatency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-bench-ticks-'));
  const total = WARMUP_TICKS + TICKS_PER_SECOND * SECONDS;
  const log = createLogger('bench', 'warn');
  const feed = new SteadyTickFeed(total);
  const engine = new Engine({
    mode: 'demo',
    feed,
    store: openEngineStore({ dbPath: join(dir, 'ticks.sqlite'), timers: systemTimers, log }),
    calendar: nyseCalendar,
    timers: systemTimers,
    log,
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>tick latency</title>');
  const server = await startWebServer({ service: engine.service, rendererDir: dir, port: 0, log });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    // The page listens exactly as the renderer's client does, and stamps every payload on arrival.
    await page.evaluate(async (token) => {
      // This runs in the page: the browser's globals, typed here by hand (the bench compiles for Node).
      const w = globalThis as unknown as PageGlobals;
      w.arrivals = [];
      const ws = new w.WebSocket(`ws://127.0.0.1:${w.location.port}/ws?token=${token}`);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      ws.addEventListener('message', (event) => {
        const now = performance.timeOrigin + performance.now();
        const message = JSON.parse(String(event.data)) as {
          t: string;
          payload?: { bars: { timeframe: string; close: number }[] };
        };
        if (message.t !== 'event') return;
        for (const bar of message.payload?.bars ?? [])
          if (bar.timeframe === '1m') w.arrivals.push([now, bar.close]);
      });
      ws.send(
        JSON.stringify({ t: 'listen', id: 1, event: 'market.barsUpdated', arg: { symbols: ['TICK'] } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }, server.token);
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, (total / TICKS_PER_SECOND + 1) * 1000));
    const arrivals = await page.evaluate(() => (globalThis as unknown as PageGlobals).arrivals);

    // For each tick, the first arrival that holds it or a later tick.
    const latencies: number[] = [];
    let next = 0;
    for (const [at, close] of arrivals) {
      const newest = Math.round((close - BASE_PRICE) / STEP);
      for (; next <= newest && next < feed.emittedAt.length; next++) {
        if (next >= WARMUP_TICKS) latencies.push(at - feed.emittedAt[next]!);
      }
    }
    const undelivered = feed.emittedAt.length - next;
    latencies.sort((a, b) => a - b);
    report(
      'tick-latency',
      [
        {
          name: `tick to renderer over the web transport at ${TICKS_PER_SECOND} ticks/s, p50`,
          value: percentile(latencies, 50),
          unit: 'ms',
        },
        {
          name: `tick to renderer over the web transport at ${TICKS_PER_SECOND} ticks/s, p99`,
          value: percentile(latencies, 99),
          unit: 'ms',
        },
        {
          name: `tick to renderer over the web transport at ${TICKS_PER_SECOND} ticks/s, max`,
          value: latencies.at(-1) ?? Number.NaN,
          unit: 'ms',
        },
      ],
      {
        ticks: latencies.length,
        undelivered,
        payloads: arrivals.length,
        seconds: SECONDS,
        target: 'p99 <= 16 ms',
      },
    );
  } finally {
    await browser.close();
    engine.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
