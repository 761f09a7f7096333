/**
 * Closed bars of one symbol and timeframe as columns: what an import's parser produces (market/import)
 * and the store writes in one go (store/bar-repository.ts `upsertSeries`). Row i is (start[i], open[i],
 * ... volume[i]); `length` rows are used from each column. Columns, not Bar objects: a batch crosses from
 * the parser's worker thread as transferable buffers, and the store binds the numbers as they are.
 */
import type { Timeframe } from '../../shared/domain';

export interface BarSeries {
  symbol: string;
  timeframe: Timeframe;
  /**
   * 0: as the source gave them; else the length in minutes of the bars they were aggregated from. A row
   * replaces a stored bar only when this is at most the stored bar's (see migration 0004).
   */
  derivedFrom: number;
  length: number;
  /** Epoch ms UTC of each bar's bucket start. */
  start: Float64Array;
  /** Dollars. */
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Shares (or units of the asset). */
  volume: Float64Array;
  /** Dollars; NaN where the source gave none. Omit the column when no row has one. */
  vwap?: Float64Array;
  /** Trades per bar; NaN where the source gave none. Omit the column when no row has one. */
  tradeCount?: Float64Array;
}
