/**
 * Daily bars of many symbols aligned on one clock: the input of feature streams, labels and backtests.
 * The clock is the decision symbol's sessions (SPY's daily bars): row i is the i-th session SPY has a
 * bar for, and every other symbol's value in row i is its bar of that same session (matched by the `1D`
 * bar start), or NaN where it has none (not yet listed, a missing day). Nothing is filled forward: a
 * stream that needs a value it lacks answers null.
 */

import { DECISION_SYMBOL } from '../../../shared/domain';
import type { DailyNewsColumns } from '../news/daily-news';

/** The symbol whose daily bars define the decision clock (the contract's DECISION_SYMBOL). */
export const CLOCK_SYMBOL = DECISION_SYMBOL;

export interface DailyPanel {
  /** Start of each row's `1D` bar (its session's open, epoch ms UTC), strictly ascending. */
  readonly times: Float64Array;
  /** Upper-case symbols the panel holds (the clock symbol first). */
  readonly symbols: readonly string[];
  /** Per symbol, one close per row (dollars; index points for VIX), NaN where it has no bar that session. */
  readonly close: ReadonlyMap<string, Float64Array>;
  /** Per symbol, one volume per row (shares), NaN where it has no bar. */
  readonly volume: ReadonlyMap<string, Float64Array>;
  /** News aggregated per row (core/news/daily-news.ts), when a news source was read; the news streams need it. */
  readonly news?: DailyNewsColumns;
}

/** The fields of a daily bar the panel keeps. */
export interface DailyBarLike {
  symbol: string;
  /** Start of the `1D` bar (epoch ms UTC). */
  start: number;
  close: number;
  volume: number;
}

/**
 * Aligns daily bars on the clock symbol's sessions. Rows are the clock symbol's distinct bar starts,
 * ascending; every other symbol's close and volume are placed on the row with exactly its bar's `start`,
 * NaN on rows where it has no bar; its bars on sessions the clock symbol lacks are dropped. Symbols are
 * upper-cased; when one symbol has two bars with the same start, the later one in the input wins.
 * `symbols` lists the clock symbol first, then the others sorted.
 * @throws Error when the input holds no bar of the clock symbol.
 */
export function buildDailyPanel(bars: Iterable<DailyBarLike>, clock: string = CLOCK_SYMBOL): DailyPanel {
  const clockSymbol = clock.toUpperCase();
  const bySymbol = new Map<string, DailyBarLike[]>();
  for (const bar of bars) {
    const symbol = bar.symbol.toUpperCase();
    let list = bySymbol.get(symbol);
    if (list === undefined) bySymbol.set(symbol, (list = []));
    list.push(bar);
  }
  const clockBars = bySymbol.get(clockSymbol);
  if (clockBars === undefined || clockBars.length === 0) {
    throw new Error(
      `cannot build the daily panel: no daily bars of ${clockSymbol}, whose sessions are the decision clock ` +
        `(import or fetch ${clockSymbol} daily history first)`,
    );
  }
  const times = Float64Array.from(new Set(clockBars.map((b) => b.start))).sort();
  const rowOf = new Map<number, number>();
  times.forEach((t, row) => rowOf.set(t, row));

  const symbols = [clockSymbol, ...[...bySymbol.keys()].filter((s) => s !== clockSymbol).sort()];
  const close = new Map<string, Float64Array>();
  const volume = new Map<string, Float64Array>();
  for (const symbol of symbols) {
    const c = new Float64Array(times.length).fill(NaN);
    const v = new Float64Array(times.length).fill(NaN);
    for (const bar of bySymbol.get(symbol) ?? []) {
      const row = rowOf.get(bar.start);
      if (row === undefined) continue;
      c[row] = bar.close;
      v[row] = bar.volume;
    }
    close.set(symbol, c);
    volume.set(symbol, v);
  }
  return { times, symbols, close, volume };
}

/** Index of the last row whose bar start is ≤ time (epoch ms UTC), or −1 when every row is later. */
export function panelRowAtOrBefore(panel: DailyPanel, time: number): number {
  const { times } = panel;
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The rows with from ≤ start ≤ to (epoch ms UTC), e.g. a training window. The arrays are views of the
 * original panel's (no copy), so the slice costs nothing and must be treated as read-only like the panel.
 */
export function slicePanel(panel: DailyPanel, from: number, to: number): DailyPanel {
  const first = panelRowAtOrBefore(panel, from - 1) + 1;
  const end = panelRowAtOrBefore(panel, to) + 1;
  const last = Math.max(first, end);
  const cut = (byRow: ReadonlyMap<string, Float64Array>): Map<string, Float64Array> =>
    new Map([...byRow].map(([symbol, values]) => [symbol, values.subarray(first, last)]));
  const { news } = panel;
  return {
    times: panel.times.subarray(first, last),
    symbols: panel.symbols,
    close: cut(panel.close),
    volume: cut(panel.volume),
    ...(news && {
      news: {
        count: news.count.subarray(first, last),
        scored: news.scored.subarray(first, last),
        sentimentSum: news.sentimentSum.subarray(first, last),
        catalystCount: news.catalystCount.subarray(first, last),
      },
    }),
  };
}
