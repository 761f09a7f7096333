import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { emptyQuote, quoteChange, quoteFromDaily, quoteWithBar } from './watch-quote';

const DAY = 86_400_000;
const D0 = Date.UTC(2025, 2, 13, 13, 30);

function daily(symbol: string, index: number, close: number, closed = true): Bar {
  return {
    symbol,
    timeframe: '1D',
    start: D0 + index * DAY,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 1000,
    closed,
  };
}

describe('watch quote', () => {
  it('reads the last price and the change from the previous session’s close', () => {
    const quote = quoteFromDaily('SPY', [daily('SPY', 0, 500), daily('SPY', 1, 505, false)]);
    expect(quote).toMatchObject({ last: 505, previousClose: 500 });
    expect(quoteChange(quote)?.fraction).toBeCloseTo(0.01, 10);
  });

  it('follows the forming bar of the session, rolls over at a new session, and ignores late older bars', () => {
    let quote = quoteFromDaily('SPY', [daily('SPY', 0, 500), daily('SPY', 1, 505, false)]);
    quote = quoteWithBar(quote, daily('SPY', 1, 495, false));
    expect(quoteChange(quote)?.fraction).toBeCloseTo(-0.01, 10);
    quote = quoteWithBar(quote, daily('SPY', 2, 490, false));
    expect(quote).toMatchObject({ last: 490, previousClose: 495 });
    quote = quoteWithBar(quote, daily('SPY', 1, 600));
    expect(quote).toMatchObject({ last: 490, previousClose: 495 });
  });

  it('ignores other symbols and timeframes, and has no change with one session only', () => {
    let quote = quoteWithBar(emptyQuote('QQQ'), daily('SPY', 0, 500));
    quote = quoteWithBar(quote, { ...daily('QQQ', 0, 400), timeframe: '1m' });
    expect(quote.last).toBeNull();
    quote = quoteWithBar(quote, daily('QQQ', 0, 400));
    expect(quote.last).toBe(400);
    expect(quoteChange(quote)).toBeNull();
  });
});
