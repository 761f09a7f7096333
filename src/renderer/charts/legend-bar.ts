/**
 * What the legend shows of one bar, taken from the bars the chart holds (never from the chart's
 * hover data, which lags a symbol switch and can carry a candle without its volume): the bar's OHLCV
 * and the close of the bar before it, from which the legend's change is read.
 */
import type { Bar } from '../../shared/domain';
import { lowerBound } from './series-bars';

/** One bar as the legend shows it: start (epoch ms UTC), prices in dollars, volume in shares. */
export interface LegendBar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Close of the bar before this one in the series, or null for the first bar held. */
  previousClose: number | null;
}

/** The bar at `index` of ascending `bars` as the legend shows it, or null when there is none. */
export function legendBarAt(bars: readonly Bar[], index: number): LegendBar | null {
  const bar = bars[index];
  if (bar === undefined) return null;
  return {
    start: bar.start,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    previousClose: bars[index - 1]?.close ?? null,
  };
}

/**
 * The bar starting exactly at `start` (epoch ms) in ascending `bars`, or null when the series holds no
 * such bar (a hover over the previous symbol's data while the new one loads, or over empty space).
 */
export function legendBarStarting(bars: readonly Bar[], start: number): LegendBar | null {
  const index = lowerBound(bars, start);
  return bars[index]?.start === start ? legendBarAt(bars, index) : null;
}

/** The newest bar of ascending `bars` as the legend shows it, or null for an empty series. */
export const newestLegendBar = (bars: readonly Bar[]): LegendBar | null => legendBarAt(bars, bars.length - 1);

/** A bar's change from the previous bar's close (as TradingView's legend reads it). */
export interface BarChange {
  /** close − previous close, dollars. */
  amount: number;
  /** The amount as a fraction of the previous close (0.0123 = +1.23 %). */
  fraction: number;
}

/**
 * The change of `bar` from the close before it: null for the first bar of a series (no previous close)
 * or a previous close that is not a positive price.
 */
export function barChange(bar: Pick<LegendBar, 'close' | 'previousClose'>): BarChange | null {
  const previous = bar.previousClose;
  if (previous === null || !(previous > 0)) return null;
  const amount = bar.close - previous;
  return { amount, fraction: amount / previous };
}
