/**
 * The market service through the engine, with a feed the test drives bar by bar: closed bars are written
 * as they close, forming bars live in memory and reach the store as snapshots, `market.bars` merges them,
 * a restart resumes them (even from a snapshot older than the stored minutes), and each symbol
 * aggregates on its own calendar.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, SymbolInfo, Timeframe } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import type { FeedSink, MarketFeed } from '../market/feed';
import { createMemoryLogger } from '../platform/log';
import { openStore, type Store } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { ohlcvOf } from '../test-support/ohlcv-of';
import { Engine } from './kernel';

const MINUTE = 60_000;
const OPEN = Date.UTC(2025, 2, 14, 13, 30); // Friday 14 March 2025, 09:30 New York

/** A feed the test drives: `sink` is the engine's, once started. */
class DrivenFeed implements MarketFeed {
  readonly source = 'driven';
  readonly speed = 1;
  sink: FeedSink | null = null;
  constructor(readonly symbols: readonly SymbolInfo[]) {}
  start(sink: FeedSink): void {
    this.sink = sink;
    sink.state('live', null);
  }
  stop(): void {
    this.sink = null;
  }
}

function minute(symbol: string, start: number, price: number, volume = 100): Bar {
  return {
    symbol,
    timeframe: '1m',
    start,
    open: price,
    high: price + 1,
    low: price - 1,
    close: price + 0.5,
    volume,
    closed: true,
  };
}

let dir: string;
const cleanup: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-market-'));
});

afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
  rmSync(dir, { recursive: true, force: true });
});

const SPY: SymbolInfo = { symbol: 'SPY', name: 'SPDR S&P 500', kind: 'index-etf' };

function engine(
  timers: ManualTimers,
  symbols: readonly SymbolInfo[] = [SPY],
  db = join(dir, 'market.sqlite'),
): { engine: Engine; feed: DrivenFeed; sink: FeedSink; store: Store; crash: () => void } {
  const store = openStore(db, {
    writer: { setTimer: (fn, ms) => timers.setTimeout(fn, ms), clearTimer: (h) => timers.clearTimeout(h) },
  });
  const feed = new DrivenFeed(symbols);
  const e = new Engine({
    mode: 'demo',
    feed,
    store,
    calendar: nyseCalendar,
    timers,
    log: createMemoryLogger(),
  });
  e.start();
  let stop = (): void => e.stop();
  cleanup.push(() => stop());
  /** Dies as a SIGKILL would after the writer's last flush: no snapshot, no stop. */
  const crash = (): void => {
    store.barWriter.flush();
    store.close();
    stop = () => undefined;
  };
  return { engine: e, feed, sink: feed.sink!, store, crash };
}

const bars = (
  e: Engine,
  symbol: string,
  timeframe: Timeframe,
  limit = 1000,
  before?: number,
): Promise<Bar[]> =>
  Promise.resolve(
    e.service.handlers['market.bars']({
      symbol,
      timeframe,
      limit,
      ...(before === undefined ? {} : { before }),
    }),
  );

describe('market service', () => {
  it('counts the feed’s paced daily bars in the bar rate (a daily replay), not history caught up on', () => {
    const timers = manualTimers(OPEN);
    const { engine: e, sink } = engine(timers, [SPY, { symbol: 'QQQ', name: 'QQQ', kind: 'index-etf' }]);
    const day = (symbol: string, start: number): Bar => ({ ...minute(symbol, start, 500), timeframe: '1D' });
    sink.historyBars([day('SPY', OPEN - 7 * 86_400_000), day('QQQ', OPEN - 7 * 86_400_000)]);
    timers.advance(1000);
    expect(e.status().barsPerSecond, 'history is not the feed’s pace').toBe(0);
    sink.historyBars([day('SPY', OPEN - 86_400_000), day('QQQ', OPEN - 86_400_000)], { paced: true });
    timers.advance(1000);
    // Two bars in the last five whole seconds.
    expect(e.status().barsPerSecond).toBeCloseTo(2 / 5, 12);
  });

  it('answers market.bars with the forming bar from memory, newest last, within the limit', async () => {
    const timers = manualTimers();
    const { engine: e, sink } = engine(timers);
    const minutes = [0, 1, 2, 3, 4, 5, 6].map((i) => minute('SPY', OPEN + i * MINUTE, 100 + i));
    for (const m of minutes) sink.minuteBar(m);
    const fives = await bars(e, 'SPY', '5m');
    expect(fives.map((b) => [b.start, b.closed])).toEqual([
      [OPEN, true],
      [OPEN + 5 * MINUTE, false],
    ]);
    expect(fives[1]).toMatchObject({ ...ohlcvOf(minutes.slice(5)), closed: false });
    expect(await bars(e, 'SPY', '5m', 1), 'the forming bar is the newest').toEqual([fives[1]]);
    expect(await bars(e, 'SPY', '5m', 5, OPEN + 5 * MINUTE), 'nothing at or after `before`').toEqual([
      fives[0],
    ]);
    const day = await bars(e, 'SPY', '1D');
    expect(day).toEqual([{ ...day[0], ...ohlcvOf(minutes), closed: false }]);
    expect(await bars(e, 'SPY', '1m')).toHaveLength(7);
  });

  it('writes closed bars as they close and forming bars as a snapshot about once a second', () => {
    const timers = manualTimers();
    const { sink, store } = engine(timers);
    for (let i = 0; i < 7; i++) sink.minuteBar(minute('SPY', OPEN + i * MINUTE, 100));
    timers.advance(300); // the writer's interval: closed bars are in
    expect(store.bars.range('SPY', '1m', { limit: 10 })).toHaveLength(7);
    expect(store.bars.range('SPY', '5m', { limit: 10 }).map((b) => b.closed)).toEqual([true]);
    expect(store.bars.forming(), 'no forming bar written per update').toEqual([]);
    timers.advance(1_000);
    const forming = store.bars.forming();
    expect(forming.map((b) => b.timeframe).sort()).toEqual(['15m', '1D', '1h', '4h', '5m']);
    expect(forming.find((b) => b.timeframe === '1D')!.volume).toBe(700);
  });

  it('publishes forming bars once per turn of the event loop, closed bars at once', () => {
    const timers = manualTimers();
    const { engine: e, sink } = engine(timers);
    const published: Bar[][] = [];
    e.bus.subscribe('market.bars', (b) => published.push([...b]));
    for (let i = 0; i < 12; i++) sink.minuteBar(minute('SPY', OPEN + i * MINUTE, 100));
    expect(published.every((batch) => batch.every((b) => b.closed))).toBe(true);
    expect(published.length).toBe(12);
    timers.drain();
    expect(published).toHaveLength(13);
    expect(published.at(-1)!.map((b) => `${b.timeframe} ${b.closed}`)).toEqual([
      '5m false',
      '15m false',
      '1h false',
      '4h false',
      '1D false',
    ]);
  });

  it('resumes forming bars after a restart, and after a crash that left the snapshot behind', async () => {
    const db = join(dir, 'resume.sqlite');
    const minutes = Array.from({ length: 40 }, (_, i) =>
      minute('SPY', OPEN + i * MINUTE, 100 + (i % 7), 10 + i),
    );
    // A clean stop after 17 minutes (the snapshot is written on stop).
    const first = manualTimers();
    const a = engine(first, [SPY], db);
    for (const m of minutes.slice(0, 17)) a.sink.minuteBar(m);
    a.engine.stop();
    // 12 more minutes, a snapshot after 6 of them, then a crash: the last writes are minutes only.
    const second = manualTimers(first.now() + 60_000);
    const b = engine(second, [SPY], db);
    for (const m of minutes.slice(17, 23)) b.sink.minuteBar(m);
    second.advance(1_500);
    for (const m of minutes.slice(23, 29)) b.sink.minuteBar(m);
    b.crash();
    // Back again: the rest of the morning.
    const third = manualTimers(second.now() + 60_000);
    const c = engine(third, [SPY], db);
    for (const m of minutes.slice(29)) c.sink.minuteBar(m);
    const day = (await bars(c.engine, 'SPY', '1D'))[0]!;
    expect(day).toMatchObject({ ...ohlcvOf(minutes), closed: false });
    for (const timeframe of ['5m', '15m'] as const) {
      const length = timeframe === '5m' ? 5 : 15;
      for (const bar of (await bars(c.engine, 'SPY', timeframe)).filter((x) => x.closed)) {
        const inside = minutes.filter((m) => m.start >= bar.start && m.start < bar.start + length * MINUTE);
        expect(bar, `${timeframe} ${new Date(bar.start).toISOString()}`).toMatchObject(ohlcvOf(inside));
      }
    }
  });

  it('aggregates each symbol on its own calendar: a 24/7 symbol beside an NYSE one', async () => {
    const timers = manualTimers();
    const btc: SymbolInfo = { symbol: 'BTC/USD', name: 'Bitcoin', kind: 'crypto', calendar: '24x7' };
    const { engine: e, sink } = engine(timers, [SPY, btc]);
    const saturday = Date.UTC(2025, 2, 15, 23, 58);
    for (let i = 0; i < 4; i++) sink.minuteBar(minute('BTC/USD', saturday + i * MINUTE, 80_000 + i));
    sink.minuteBar(minute('SPY', Date.UTC(2025, 2, 17, 13, 30), 500));
    const days = await bars(e, 'BTC/USD', '1D');
    expect(days.map((d) => [new Date(d.start).toISOString(), d.closed, d.volume])).toEqual([
      ['2025-03-15T00:00:00.000Z', true, 200],
      ['2025-03-16T00:00:00.000Z', false, 200],
    ]);
    expect((await bars(e, 'SPY', '1D')).map((d) => d.start)).toEqual([Date.UTC(2025, 2, 17, 13, 30)]);
  });
});
