import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../shared/domain';
import { openStore, type Store } from './store';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 2, 14, 13, 30);

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-bar-scan-'));
  store = openStore(join(dir, 'market.sqlite'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function bar(symbol: string, start: number, timeframe: Timeframe = '1m', closed = true): Bar {
  return { symbol, timeframe, start, open: 10, high: 11, low: 9, close: 10.5, volume: 100, closed };
}

describe('BarScan', () => {
  it('reads closed minutes of the chosen symbols by start, then symbol, ties included', () => {
    // Written in a scrambled order; read back in delivery order.
    store.bars.upsert([
      bar('SPY', T0 + MINUTE),
      bar('AAPL', T0 + MINUTE),
      { ...bar('QQQ', T0), vwap: 10.2, tradeCount: 7 },
      bar('SPY', T0),
      bar('AAPL', T0),
      bar('IWM', T0), // not chosen
      bar('SPY', T0, '5m'), // not a minute
      bar('SPY', T0 + 2 * MINUTE, '1m', false), // still forming: not history
    ]);
    const read = store.barScan.minuteBars(['SPY', 'QQQ', 'AAPL'], T0, T0 + 10 * MINUTE);
    expect(read.map((b) => `${b.start - T0} ${b.symbol}`)).toEqual([
      '0 AAPL',
      '0 QQQ',
      '0 SPY',
      `${MINUTE} AAPL`,
      `${MINUTE} SPY`,
    ]);
    expect(read[1]).toEqual({ ...bar('QQQ', T0), vwap: 10.2, tradeCount: 7 });
    expect(read[0]).not.toHaveProperty('vwap');
    expect(store.barScan.minuteBars(['SPY'], T0 + MINUTE, T0 + 2 * MINUTE).map((b) => b.start)).toEqual([
      T0 + MINUTE,
    ]);
  });

  it('says where minutes are: extents, a window with any, the last before a time, the symbols', () => {
    store.bars.upsert([
      bar('SPY', T0),
      bar('SPY', T0 + 90 * MINUTE),
      bar('QQQ', T0, '1D'),
      bar('BTC/USD', T0),
    ]);
    expect(store.barScan.minuteExtent('SPY')).toEqual({ first: T0, last: T0 + 90 * MINUTE });
    expect(store.barScan.minuteExtent('QQQ')).toBeNull();
    expect(store.barScan.hasMinutes(['SPY', 'QQQ'], T0 + MINUTE, T0 + 90 * MINUTE)).toBe(false);
    expect(store.barScan.hasMinutes(['SPY', 'QQQ'], T0 + MINUTE, T0 + 91 * MINUTE)).toBe(true);
    expect(store.barScan.lastMinuteStartBefore('SPY', T0 + 90 * MINUTE)).toBe(T0);
    expect(store.barScan.lastMinuteStartBefore('SPY', T0)).toBeNull();
    expect(store.barScan.symbols()).toEqual(['BTC/USD', 'QQQ', 'SPY']);
  });

  it('deletes every timeframe from a time on, and nothing before it', () => {
    store.bars.upsert([
      bar('SPY', T0),
      bar('SPY', T0 + MINUTE),
      bar('SPY', T0, '1D', false),
      bar('SPY', T0 + 5 * MINUTE, '5m'),
      bar('QQQ', T0 + 2 * MINUTE),
    ]);
    expect(store.barScan.deleteFrom(T0 + MINUTE)).toBe(3);
    expect(store.bars.count()).toBe(2);
    expect(store.bars.range('SPY', '1D', { limit: 5 })).toHaveLength(1);
  });
});
