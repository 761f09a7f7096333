/**
 * Which symbols the watchlist lists, from the workspace's `watchlist` (shared/domain/workspace.ts): the
 * trader's own list once set (empty included: an emptied list stays empty), and until then the feed's first
 * symbols, so a fresh workspace shows quotes at first sight, as TradingView's default list does. The first
 * change (an add, a remove) keeps the list as shown with that change.
 */
import type { SymbolInfo } from '../../shared/domain';

/** How many of the feed's symbols a never-set list shows (the demo feed's first eight: SPY, QQQ, ...). */
export const FEED_FIRST = 8;

/** The workspace keeps 200 at most (WorkspaceSchema). */
export const MAX_WATCHED = 200;

/** The feed's first FEED_FIRST symbols, in the feed's order. */
export function feedFirst(feed: readonly SymbolInfo[]): string[] {
  return feed.slice(0, FEED_FIRST).map((info) => info.symbol);
}

/**
 * The listed symbols: `kept` when the trader has set a list, else the feed's first.
 *
 * @param kept the workspace's `watchlist`; undefined: never set
 * @param feed the feed's symbols, in its order (empty while they load)
 */
export function watchedSymbols(kept: readonly string[] | undefined, feed: readonly SymbolInfo[]): string[] {
  return kept === undefined ? feedFirst(feed) : [...kept];
}

/** `list` with `symbols` appended, those already listed left out, cut to MAX_WATCHED. */
export function withAdded(list: readonly string[], symbols: readonly string[]): string[] {
  const added = [...list];
  for (const symbol of symbols) if (!added.includes(symbol)) added.push(symbol);
  return added.slice(0, MAX_WATCHED);
}
