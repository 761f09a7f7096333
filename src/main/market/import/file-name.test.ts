import { describe, expect, it } from 'vitest';
import { hintsFromFileName } from './file-name';

describe('hintsFromFileName', () => {
  it.each([
    ['spy.csv', 'SPY', null],
    ['spy.us.txt', 'SPY', null],
    ['vix.cboe.csv', 'VIX', null],
    ['SPY_1min.csv', 'SPY', '1m'],
    ['SPY_1min_extended_2024.csv', 'SPY', '1m'],
    ['SPY_5m.csv', 'SPY', '5m'],
    ['BTCUSDT_5m.csv', 'BTCUSDT', '5m'],
    ['BRK.B.csv', 'BRK.B', null],
    ['/data/history/qqq_daily.csv', 'QQQ', '1D'],
    ['BTC-USD_1d.csv', 'BTC-USD', '1D'],
  ])('reads %s as symbol %s, timeframe %s', (name, symbol, timeframe) => {
    expect(hintsFromFileName(name)).toEqual({ symbol, timeframe });
  });

  it('finds no symbol in a name that does not start with one', () => {
    expect(hintsFromFileName('2024-prices.csv').symbol).toBeNull();
    expect(hintsFromFileName('.csv').symbol).toBeNull();
  });
});
