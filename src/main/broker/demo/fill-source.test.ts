import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { FillSource, minuteOf } from './fill-source';

const M = Date.UTC(2026, 2, 2, 15, 0);

function bar(start: number, fields: Partial<Bar> = {}): Bar {
  return {
    symbol: 'SPY',
    timeframe: '1m',
    start,
    open: 10,
    high: 11,
    low: 9,
    close: 10,
    volume: 100,
    closed: true,
    ...fields,
  };
}

describe('FillSource', () => {
  it('turns a trade into a one-price bar marked a print, lasting an instant; bars are not prints', () => {
    const input = new FillSource().fromTrade({ symbol: 'SPY', time: M + 5, price: 12.5, size: 40 });
    expect(input).toEqual({
      symbol: 'SPY',
      bar: { start: M + 5, open: 12.5, high: 12.5, low: 12.5, close: 12.5, volume: 40, print: true },
      barMs: 0,
      source: 'trade',
    });
    // A minute's bar spans both sides of the spread: not a print.
    expect(new FillSource().fromBars([bar(M)])[0]!.bar.print).toBe(false);
  });

  it('passes closed 1m bars of minutes without trades, drops forming bars, other timeframes and traded minutes', () => {
    const source = new FillSource();
    source.fromTrade({ symbol: 'SPY', time: M + 30_000, price: 10, size: 1 });
    const out = source.fromBars([
      bar(M), // traded minute
      bar(M, { symbol: 'QQQ' }), // another symbol's minute had no trades
      bar(M + 60_000, { closed: false }),
      bar(M, { timeframe: '5m' }),
      bar(M + 60_000),
    ]);
    expect(out.map((i) => [i.symbol, i.bar.start, i.barMs, i.source])).toEqual([
      ['QQQ', M, 60_000, 'minute'],
      ['SPY', M + 60_000, 60_000, 'minute'],
    ]);
    // The traded minute stays skipped when its bar comes again (a correction, a repeat).
    expect(source.fromBars([bar(M)])).toEqual([]);
    source.reset();
    expect(source.fromBars([bar(M)])).toHaveLength(1);
  });

  it('passes closed 1D bars only for symbols without minute data (a daily replay)', () => {
    const source = new FillSource();
    const day = (symbol: string, fields: Partial<Bar> = {}) => bar(M, { symbol, timeframe: '1D', ...fields });
    source.fromTrade({ symbol: 'SPY', time: M + 30_000, price: 10, size: 1 });
    const out = source.fromBars([
      day('SPY'), // restates its trades
      day('QQQ', { closed: false }),
      day('IWM'), // its 1m bar comes later in the same batch: still a restatement
      bar(M, { symbol: 'IWM' }),
      day('TLT'),
    ]);
    expect(out.map((i) => [i.symbol, i.source, i.barMs])).toEqual([
      ['IWM', 'minute', 60_000],
      ['TLT', 'session', null],
    ]);
  });

  it('aligns minutes to the UTC minute', () => {
    expect(minuteOf(M + 59_999)).toBe(M);
    expect(minuteOf(M + 60_000)).toBe(M + 60_000);
  });
});
