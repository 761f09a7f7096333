import { describe, expect, it } from 'vitest';
import type { Store } from './store';
import { bar, MINUTE, series, T0, storePerTest } from './test-fixtures/helpers';

let store: Store;
storePerTest((opened) => (store = opened));

describe('SymbolRepository', () => {
  it('lists registered symbols by name with the span and timeframes of their stored bars', () => {
    store.symbols.register({
      symbol: 'SPY',
      name: 'SPY',
      kind: 'index-etf',
      calendar: 'XNYS',
      source: 'import',
    });
    store.symbols.register({
      symbol: 'BTCUSDT',
      name: 'BTCUSDT',
      kind: 'crypto',
      calendar: '24x7',
      source: 'import',
    });
    store.bars.upsert([...series('SPY', 30), bar({ timeframe: '1D', start: T0 - 86_400_000 })]);

    expect(store.symbols.list()).toEqual([
      {
        symbol: 'BTCUSDT',
        name: 'BTCUSDT',
        kind: 'crypto',
        calendar: '24x7',
        source: 'import',
        firstBarStart: null,
        lastBarStart: null,
        timeframes: [],
      },
      {
        symbol: 'SPY',
        name: 'SPY',
        kind: 'index-etf',
        calendar: 'XNYS',
        source: 'import',
        firstBarStart: T0 - 86_400_000,
        lastBarStart: T0 + 29 * MINUTE,
        timeframes: ['1m', '1D'],
      },
    ]);
    expect(store.symbols.get('IWM')).toBeNull();
  });

  it('keeps the first registration, and takes a real name where it only had the symbol', () => {
    const base = { symbol: 'GLD', kind: 'commodity-etf', calendar: 'XNYS', source: 'alpaca' } as const;
    store.symbols.register({ ...base, name: 'GLD' });
    store.symbols.register({ ...base, name: 'SPDR Gold Shares', kind: 'stock', source: 'import' });
    store.symbols.register({ ...base, name: 'GLD' });
    expect(store.symbols.get('GLD')).toMatchObject({
      name: 'SPDR Gold Shares',
      kind: 'commodity-etf',
      source: 'alpaca',
    });
  });

  it('refuses a kind, calendar or source it does not know', () => {
    const base = { symbol: 'X', name: 'X', kind: 'stock', calendar: 'XNYS', source: 'import' } as const;
    expect(() => store.symbols.register({ ...base, kind: 'bond' as never })).toThrow(RangeError);
    expect(() => store.symbols.register({ ...base, calendar: 'XLON' as never })).toThrow(RangeError);
    expect(() => store.symbols.register({ ...base, source: 'csv' as never })).toThrow(RangeError);
    expect(store.symbols.list()).toEqual([]);
  });
});
