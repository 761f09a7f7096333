import { beforeEach, describe, expect, it } from 'vitest';
import { BarSchema } from '../../shared/domain';
import type { Store } from './store';
import { bar, MINUTE, series, T0, storePerTest } from './test-fixtures/helpers';

let store: Store;
storePerTest((opened) => (store = opened));

describe('BarRepository.upsert', () => {
  it('keeps one row per (symbol, timeframe, start) holding the latest values', () => {
    store.bars.upsert([bar({ close: 470.5, closed: false })]);
    store.bars.upsert([bar({ close: 470.9, high: 471.2, volume: 15_000, closed: true })]);
    store.bars.upsert([bar({ close: 470.9, high: 471.2, volume: 15_000, closed: true })]);

    expect(store.bars.count()).toBe(1);
    expect(store.bars.latest('SPY', '1m')).toEqual(
      bar({ close: 470.9, high: 471.2, volume: 15_000, closed: true }),
    );
  });

  it('keeps VWAP and trade count where the source gave them, and leaves them absent where it did not', () => {
    store.bars.upsert([bar({ vwap: 470.61, tradeCount: 812, closed: true }), bar({ symbol: 'QQQ' })]);
    expect(store.bars.latest('SPY', '1m')).toEqual(bar({ vwap: 470.61, tradeCount: 812, closed: true }));
    const plain = store.bars.latest('QQQ', '1m')!;
    expect('vwap' in plain || 'tradeCount' in plain).toBe(false);
    // An update without them (a source that lacks them) does not keep stale values.
    store.bars.upsert([bar({ closed: true })]);
    expect(store.bars.latest('SPY', '1m')).toEqual(bar({ closed: true }));
  });

  it('treats the same start on another symbol or timeframe as a different bar', () => {
    store.bars.upsert([bar(), bar({ symbol: 'QQQ' }), bar({ timeframe: '5m' })]);
    expect(store.bars.count()).toBe(3);
  });

  it('writes a whole call or nothing', () => {
    const good = series('SPY', 3);
    const broken = bar({ start: T0 + 10 * MINUTE, close: Number.NaN });
    expect(() => store.bars.upsert([...good, broken])).toThrow();
    expect(store.bars.count()).toBe(0);
  });
});

describe('BarRepository.range', () => {
  beforeEach(() => {
    store.bars.upsert([...series('SPY', 100), ...series('QQQ', 100)]);
    store.bars.upsert([bar({ timeframe: '5m', start: T0 + 500 * MINUTE })]);
  });

  it('returns the most recent bars, oldest first', () => {
    const bars = store.bars.range('SPY', '1m', { limit: 10 });
    expect(bars.map((b) => b.start)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (90 + i) * MINUTE));
    expect(bars.every((b) => b.symbol === 'SPY' && b.timeframe === '1m')).toBe(true);
  });

  it('pages backwards with `before` (exclusive), as a chart scrolling into history does', () => {
    const page1 = store.bars.range('SPY', '1m', { limit: 30 });
    const page2 = store.bars.range('SPY', '1m', { limit: 30, before: page1[0]!.start });
    expect(page2.at(-1)!.start).toBe(page1[0]!.start - MINUTE);
    expect(page2.map((b) => b.close)).toEqual(Array.from({ length: 30 }, (_, i) => 140 + i));
  });

  it('returns fewer bars at the start of history, and none before it', () => {
    expect(store.bars.range('SPY', '1m', { limit: 50, before: T0 + 5 * MINUTE })).toHaveLength(5);
    expect(store.bars.range('SPY', '1m', { limit: 50, before: T0 })).toEqual([]);
    expect(store.bars.range('IWM', '1m', { limit: 50 })).toEqual([]);
  });

  it('returns nothing for limit 0 and refuses a negative limit instead of returning everything', () => {
    expect(store.bars.range('SPY', '1m', { limit: 0 })).toEqual([]);
    expect(() => store.bars.range('SPY', '1m', { limit: -1 })).toThrow(RangeError);
  });

  it('reads back valid bars with `closed` as a boolean', () => {
    store.bars.upsert([bar({ symbol: 'BRK.B', start: T0, closed: false })]);
    const bars = [
      ...store.bars.range('SPY', '1m', { limit: 3 }),
      ...store.bars.range('BRK.B', '1m', { limit: 1 }),
    ];
    for (const b of bars) expect(BarSchema.parse(b)).toEqual(b);
    expect(bars.map((b) => b.closed)).toEqual([true, true, true, false]);
  });
});

describe('BarRepository.latest, forming, count, deleteAll', () => {
  it('gives the newest bar of a series, or null', () => {
    store.bars.upsert(series('SPY', 5));
    expect(store.bars.latest('SPY', '1m')?.start).toBe(T0 + 4 * MINUTE);
    expect(store.bars.latest('SPY', '5m')).toBeNull();
  });

  it('lists bars still forming, optionally for some symbols, until they close', () => {
    const spyForming = bar({ symbol: 'SPY', start: T0 + MINUTE, closed: false });
    const qqqForming = bar({ symbol: 'QQQ', timeframe: '1h', closed: false });
    store.bars.upsert([bar(), spyForming, qqqForming]);

    expect(store.bars.forming()).toEqual([qqqForming, spyForming]);
    expect(store.bars.forming(['SPY'])).toEqual([spyForming]);
    expect(store.bars.forming([])).toEqual([]);

    store.bars.upsert([{ ...spyForming, closed: true }]);
    expect(store.bars.forming()).toEqual([qqqForming]);
  });

  it('deletes every bar for a world reset', () => {
    store.bars.upsert(series('SPY', 20));
    expect(store.bars.count()).toBe(20);
    store.bars.deleteAll();
    expect(store.bars.count()).toBe(0);
    expect(store.bars.latest('SPY', '1m')).toBeNull();
  });
});

describe('BarRepository.upsert, many rows', () => {
  it('writes every bar of a large call, whatever its size, as one-row-at-a-time writes would', () => {
    // 256 + 64 + 16 + 4 + 1 rows per statement: sizes that use each statement, and the leftovers.
    for (const count of [1, 3, 255, 256, 257, 341, 600]) {
      store.bars.deleteAll();
      const bars = series('SPY', count).map((b, i) =>
        i % 3 === 0 ? { ...b, vwap: 100 + i, tradeCount: i } : b,
      );
      store.bars.upsert(bars);
      expect(store.bars.count()).toBe(count);
      expect(store.bars.range('SPY', '1m', { limit: count })).toEqual(bars);
    }
  });
});

describe('BarRepository.upsertSeries', () => {
  const columns = (bars: readonly ReturnType<typeof bar>[], derivedFrom = 0, withExtras = false) => ({
    symbol: bars[0]!.symbol,
    timeframe: bars[0]!.timeframe,
    derivedFrom,
    length: bars.length,
    start: Float64Array.from(bars, (b) => b.start),
    open: Float64Array.from(bars, (b) => b.open),
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume),
    ...(withExtras
      ? {
          vwap: Float64Array.from(bars, (b) => b.vwap ?? Number.NaN),
          tradeCount: Float64Array.from(bars, (b) => b.tradeCount ?? Number.NaN),
        }
      : {}),
  });

  it('stores closed bars given as columns, with VWAP and trade count where a row has them', () => {
    const bars = series('SPY', 300).map((b, i) =>
      i % 2 === 0 ? { ...b, vwap: 100.25 + i, tradeCount: 7 } : b,
    );
    store.bars.upsertSeries(columns(bars, 0, true));
    expect(store.bars.range('SPY', '1m', { limit: 1000 })).toEqual(bars);

    const plain = series('QQQ', 70);
    store.bars.upsertSeries(columns(plain));
    expect(store.bars.range('QQQ', '1m', { limit: 1000 })).toEqual(plain);
  });

  it('never lets a bar computed from other bars overwrite one its source gave, nor a coarser one a finer one', () => {
    const given = bar({ timeframe: '5m', close: 470.5 });
    const fromMinutes = bar({ timeframe: '5m', close: 470.7, high: 471 });
    const fromFiveMinutes = bar({ timeframe: '5m', close: 470.9, high: 471 });

    // From 5m bars first, then from minutes (finer) replaces it, then the file's own bar replaces both.
    store.bars.upsertSeries(columns([fromFiveMinutes], 5));
    store.bars.upsertSeries(columns([fromMinutes], 1));
    expect(store.bars.latest('SPY', '5m')?.close).toBe(470.7);
    store.bars.upsertSeries(columns([given], 0));
    expect(store.bars.latest('SPY', '5m')?.close).toBe(470.5);

    // In the other order nothing computed replaces what the source gave.
    store.bars.upsertSeries(columns([fromMinutes], 1));
    store.bars.upsertSeries(columns([fromFiveMinutes], 5));
    expect(store.bars.latest('SPY', '5m')?.close).toBe(470.5);

    // Re-importing the same derived bars updates them (equal rank), and a live bar always wins.
    store.bars.upsertSeries(columns([bar({ timeframe: '1h', close: 470.6 })], 1));
    store.bars.upsertSeries(columns([bar({ timeframe: '1h', close: 470.8, high: 471 })], 1));
    expect(store.bars.latest('SPY', '1h')?.close).toBe(470.8);
    store.bars.upsert([bar({ timeframe: '1h', close: 470.1 })]);
    expect(store.bars.latest('SPY', '1h')?.close).toBe(470.1);
  });

  it('refuses columns shorter than the length it is given, writing nothing', () => {
    const bars = series('SPY', 10);
    expect(() => store.bars.upsertSeries({ ...columns(bars), length: 11 })).toThrow(RangeError);
    expect(store.bars.count()).toBe(0);
  });
});
