import { describe, expect, it } from 'vitest';
import type { SymbolInfo } from '../../shared/domain';
import { FEED_FIRST, MAX_WATCHED, watchedSymbols, withAdded } from './watched-symbols';

const FEED = ['SPY', 'QQQ', 'IWM', 'DIA', 'TLT', 'GLD', 'XLF', 'XLK', 'XLE', 'XLV'];
const feed = FEED.map((symbol) => ({ symbol }) as SymbolInfo);

describe('watched symbols', () => {
  it("lists the feed's first eight while the trader has never set a list", () => {
    expect(FEED_FIRST).toBe(8);
    expect(watchedSymbols(undefined, feed)).toEqual(FEED.slice(0, 8));
    // The feed's symbols are still loading: nothing yet, and nothing invented.
    expect(watchedSymbols(undefined, [])).toEqual([]);
  });

  it("lists the trader's own list, an emptied one too", () => {
    expect(watchedSymbols(['TLT', 'AAPL'], feed)).toEqual(['TLT', 'AAPL']);
    expect(watchedSymbols([], feed)).toEqual([]);
  });

  it('appends only symbols not listed yet, in order, and keeps at most the workspace’s limit', () => {
    expect(withAdded(['SPY', 'QQQ'], ['QQQ', 'AAPL', 'SPY', 'MSFT'])).toEqual(['SPY', 'QQQ', 'AAPL', 'MSFT']);
    const full = Array.from({ length: MAX_WATCHED }, (_, i) => `S${i}`);
    expect(withAdded(full, ['AAPL'])).toEqual(full);
  });
});
