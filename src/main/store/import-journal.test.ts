import { describe, expect, it } from 'vitest';
import type { BarSeries } from './bar-repository';
import type { BatchWrite } from '../core/import-records';
import type { Store } from './store';
import { MINUTE, T0, storePerTest } from './test-fixtures/helpers';

let store: Store;
storePerTest((opened) => (store = opened));

function minutes(from: number, count: number): BarSeries {
  const start = Float64Array.from({ length: count }, (_, i) => T0 + (from + i) * MINUTE);
  const price = Float64Array.from({ length: count }, (_, i) => 100 + i);
  return {
    symbol: 'SPY',
    timeframe: '1m',
    derivedFrom: 0,
    length: count,
    start,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: Float64Array.from({ length: count }, () => 10),
  };
}

const batch = (overrides: Partial<BatchWrite>): BatchWrite => ({
  path: '/data/spy.csv',
  symbol: { symbol: 'SPY', name: 'SPY', kind: 'index-etf', calendar: 'XNYS', source: 'import' },
  series: [],
  rows: 0,
  nextLine: 2,
  nextOffset: 10,
  rejections: [],
  unlistedRejections: 0,
  firstUnlistedLine: null,
  complete: false,
  ...overrides,
});

describe('ImportJournal', () => {
  it('records each batch with the bars it wrote, so a rerun knows where to continue', () => {
    store.imports.startFile('/data/spy.csv', { size: 1000, mtimeMs: 5 });
    store.imports.commit(
      batch({
        series: [minutes(0, 10)],
        rows: 10,
        nextLine: 13,
        nextOffset: 400,
        rejections: [{ line: 5, reason: 'high 1 is below low 2' }],
      }),
    );
    store.imports.commit(
      batch({
        series: [minutes(10, 5)],
        rows: 5,
        nextLine: 20,
        nextOffset: 700,
        unlistedRejections: 2,
        firstUnlistedLine: 18,
        complete: true,
      }),
    );

    expect(store.imports.fileState('/data/spy.csv')).toEqual({
      size: 1000,
      mtimeMs: 5,
      nextLine: 20,
      nextOffset: 700,
      rows: 15,
      complete: true,
      rejections: [{ line: 5, reason: 'high 1 is below low 2' }],
      unlistedRejections: 2,
      firstUnlistedLine: 18,
    });
    expect(store.bars.count()).toBe(15);
    expect(store.symbols.get('SPY')?.timeframes).toEqual(['1m']);
  });

  it('starts a file over, forgetting earlier progress and rejections but keeping the bars', () => {
    store.imports.startFile('/data/spy.csv', { size: 1000, mtimeMs: 5 });
    store.imports.commit(batch({ series: [minutes(0, 3)], rows: 3, rejections: [{ line: 2, reason: 'x' }] }));
    store.imports.startFile('/data/spy.csv', { size: 2000, mtimeMs: 6 });
    expect(store.imports.fileState('/data/spy.csv')).toMatchObject({
      size: 2000,
      mtimeMs: 6,
      nextLine: 1,
      nextOffset: 0,
      rows: 0,
      complete: false,
      rejections: [],
    });
    expect(store.bars.count()).toBe(3);
    store.imports.forget('/data/spy.csv');
    expect(store.imports.fileState('/data/spy.csv')).toBeNull();
  });

  it('writes nothing of a batch for a file that was never started', () => {
    expect(() => store.imports.commit(batch({ series: [minutes(0, 3)], rows: 3 }))).toThrow(/not started/);
    expect(store.bars.count()).toBe(0);
    expect(store.symbols.list()).toEqual([]);
  });

  it('stores an unjournaled batch (a temporary file) without a journal entry', () => {
    store.imports.commit(batch({ path: null, series: [minutes(0, 4)], rows: 4 }));
    expect(store.bars.count()).toBe(4);
    expect(store.symbols.get('SPY')).not.toBeNull();
  });
});
