/**
 * What a watchlist row shows of a symbol, kept from its daily bars: the last price (the close of the newest
 * 1D bar, forming or closed) and the previous session's close (the 1D bar before it), from which the change
 * is read as the legend reads it (charts/legend-bar.ts: change from the previous bar's close).
 */
import type { Bar } from '../../shared/domain';
import { barChange, type BarChange } from '../charts/legend-bar';

export interface WatchQuote {
  symbol: string;
  /** Start of the newest daily bar held, epoch ms UTC; null before any. */
  sessionStart: number | null;
  /** Dollars; null before any bar. */
  last: number | null;
  /** The previous session's close, dollars; null when only one session is known. */
  previousClose: number | null;
}

export const emptyQuote = (symbol: string): WatchQuote => ({
  symbol,
  sessionStart: null,
  last: null,
  previousClose: null,
});

/** The quote from a symbol's newest daily bars (ascending; other symbols and timeframes are ignored). */
export function quoteFromDaily(symbol: string, bars: readonly Bar[]): WatchQuote {
  return bars.reduce((quote, bar) => quoteWithBar(quote, bar), emptyQuote(symbol));
}

/**
 * The quote after a daily bar of its symbol: the same session's bar updates the last price, a newer
 * session's bar moves the last close to the previous close; an older one (a late answer) changes nothing.
 */
export function quoteWithBar(quote: WatchQuote, bar: Bar): WatchQuote {
  if (bar.symbol !== quote.symbol || bar.timeframe !== '1D') return quote;
  if (quote.sessionStart === null || bar.start > quote.sessionStart)
    return { ...quote, sessionStart: bar.start, last: bar.close, previousClose: quote.last };
  if (bar.start === quote.sessionStart)
    return quote.last === bar.close ? quote : { ...quote, last: bar.close };
  return quote;
}

/** The change of the last price from the previous session's close, or null while either is unknown. */
export function quoteChange(quote: WatchQuote): BarChange | null {
  return quote.last === null ? null : barChange({ close: quote.last, previousClose: quote.previousClose });
}
