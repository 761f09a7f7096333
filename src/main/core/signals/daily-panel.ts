/**
 * Daily bars of many symbols aligned on one clock: the input of feature streams, labels and backtests.
 * The clock is the decision symbol's sessions (SPY's daily bars): row i is the i-th session SPY has a
 * bar for, and every other symbol's value in row i is its bar of that same session (matched by the `1D`
 * bar start), or NaN where it has none (not yet listed, a missing day). Nothing is filled forward: a
 * stream that needs a value it lacks answers null.
 */

/** The symbol whose daily bars define the decision clock. */
export const CLOCK_SYMBOL = 'SPY';

export interface DailyPanel {
  /** Start of each row's `1D` bar (its session's open, epoch ms UTC), strictly ascending. */
  readonly times: Float64Array;
  /** Upper-case symbols the panel holds (the clock symbol first). */
  readonly symbols: readonly string[];
  /** Per symbol, one close per row (dollars; index points for VIX), NaN where it has no bar that session. */
  readonly close: ReadonlyMap<string, Float64Array>;
  /** Per symbol, one volume per row (shares), NaN where it has no bar. */
  readonly volume: ReadonlyMap<string, Float64Array>;
}

/** The fields of a daily bar the panel keeps. */
export interface DailyBarLike {
  symbol: string;
  /** Start of the `1D` bar (epoch ms UTC). */
  start: number;
  close: number;
  volume: number;
}
