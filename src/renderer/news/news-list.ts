/**
 * The news list the panel holds: newest first, one row per item id, at most MAX_NEWS_ROWS (the DOM never
 * grows without bound), and the filter the trader chose. Pure: no React, no DOM.
 */
import type { ScoredNews } from '../../shared/domain';
import { SYMBOL_PATTERN, SYMBOL_RULE } from '../../shared/domain/timeframes';

/** Rows the panel keeps; older items drop off the end (they stay in the store: `news.list` reads them). */
export const MAX_NEWS_ROWS = 500;

/** Newest first; items published at the same time in a fixed order (by id), so a refresh never reorders them. */
export function newestFirst(a: ScoredNews, b: ScoredNews): number {
  return b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Held rows with new ones merged in: newest first, an item already held replaced by its newer copy
 * (the same id scored later, say), cut to `cap` rows.
 * @param held newest first (as this function returns it)
 * @param incoming any order
 */
export function mergeNews(
  held: readonly ScoredNews[],
  incoming: readonly ScoredNews[],
  cap = MAX_NEWS_ROWS,
): ScoredNews[] {
  if (incoming.length === 0) return held.length <= cap ? (held as ScoredNews[]) : held.slice(0, cap);
  const byId = new Map<string, ScoredNews>();
  for (const item of held) byId.set(item.id, item);
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort(newestFirst).slice(0, cap);
}

/** Which news the panel shows: everything, the symbol on screen, or a symbol the trader typed. */
export type NewsFilter = { kind: 'all' } | { kind: 'screen' } | { kind: 'symbol'; symbol: string };

/** The symbol a filter selects (null: all news), given the symbol on screen (null when none is). */
export function filterSymbol(filter: NewsFilter, screenSymbol: string | null): string | null {
  if (filter.kind === 'screen') return screenSymbol;
  if (filter.kind === 'symbol') return filter.symbol;
  return null;
}

/**
 * Whether a row belongs under the filter's symbol: it names it. Market-wide items (no symbols) show
 * under "All" only, as `news.list` with a symbol leaves them out, so live items and the stored ones agree.
 */
export function showsUnder(item: ScoredNews, symbol: string | null): boolean {
  return symbol === null || item.symbols.includes(symbol);
}

/** A typed symbol, upper-cased and checked: the symbol, or what is wrong with it in plain words. */
export function parseTypedSymbol(text: string): { symbol: string } | { problem: string } {
  const symbol = text.trim().toUpperCase();
  if (symbol === '') return { problem: 'Type a symbol, e.g. AAPL.' };
  if (!SYMBOL_PATTERN.test(symbol)) return { problem: `“${text.trim()}”: ${SYMBOL_RULE}.` };
  return { symbol };
}
