/**
 * Performance of a daily return series: the PerformanceMetrics of the CLI report and the scorecard, and
 * the equity curve they are read from. Conventions: 252 sessions per year; risk-free rate 0; standard
 * deviations are sample ones (n − 1). Formulas: Sharpe (1966/1994) on daily returns scaled by √252;
 * Sortino & Price (1994) with target 0, downside deviation √(Σ min(r, 0)² / n).
 */
import type { PerformanceMetrics } from '../../../shared/domain';

export const SESSIONS_PER_YEAR = 252;

/** A daily sd below this is floating-point rounding of a constant series, not risk. */
const ROUNDING_DUST = 1e-12;

/** One point of an equity curve: the value of 1 dollar invested at the start, after the day ending at `time`. */
export interface EquityPoint {
  /** Epoch ms UTC (the row's `1D` bar start). */
  time: number;
  value: number;
}

/**
 * Metrics of `dailyReturns` (fractions, one per session, net of costs) with `turnoverPerDay` (Σ|Δweight|
 * traded for that day's holdings) and `times` (each day's bar start, epoch ms UTC), all of one length.
 * - cagr: E^(252/n) − 1, E the compounded growth of 1 over the n sessions (elapsed years = n / 252);
 * - vol: sd·√252; sharpe: mean/sd·√252; sortino: mean/downside deviation·√252;
 * - max_drawdown: largest 1 − E_t / max_{s≤t} E_s, the start (1) counting as a peak, positive;
 * - turnover: Σ turnoverPerDay / (n / 252), the mean annual sum of |Δw| (the first purchase counts).
 * A ratio whose denominator is 0 (constant returns, no losing day) and every field of an empty series
 * is NaN, as is anything computed from a NaN return: the caller decides how to show "undefined".
 * Throws when the three arrays differ in length.
 */
export function performanceMetrics(
  dailyReturns: Float64Array,
  turnoverPerDay: Float64Array,
  times: Float64Array,
): PerformanceMetrics {
  const n = dailyReturns.length;
  if (turnoverPerDay.length !== n || times.length !== n) {
    throw new Error(
      `performanceMetrics needs one turnover and one time per daily return (got ${n} returns, ` +
        `${turnoverPerDay.length} turnovers, ${times.length} times).`,
    );
  }
  if (n === 0) {
    const nan = Number.NaN;
    return { cagr: nan, vol: nan, sharpe: nan, sortino: nan, max_drawdown: nan, turnover: nan };
  }
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let sum = 0;
  let downsideSquares = 0;
  let traded = 0;
  for (let i = 0; i < n; i++) {
    const r = dailyReturns[i]!;
    equity *= 1 + r;
    if (equity > peak) peak = equity;
    maxDrawdown = Math.max(maxDrawdown, 1 - equity / peak);
    sum += r;
    if (r < 0) downsideSquares += r * r;
    traded += turnoverPerDay[i]!;
  }
  if (Number.isNaN(sum)) maxDrawdown = Number.NaN;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (dailyReturns[i]! - mean) ** 2;
  // A constant series has sd 0, but summing it leaves rounding dust (~1e-19) that would give a Sharpe of 1e16.
  const rawSd = n > 1 ? Math.sqrt(squares / (n - 1)) : Number.NaN;
  const sd = rawSd < ROUNDING_DUST ? 0 : rawSd;
  const downside = Math.sqrt(downsideSquares / n);
  const annual = Math.sqrt(SESSIONS_PER_YEAR);
  return {
    cagr: equity ** (SESSIONS_PER_YEAR / n) - 1,
    vol: sd * annual,
    sharpe: sd > 0 ? (mean / sd) * annual : Number.NaN,
    sortino: downside > 0 ? (mean / downside) * annual : Number.NaN,
    max_drawdown: maxDrawdown,
    turnover: traded / (n / SESSIONS_PER_YEAR),
  };
}

/**
 * The equity curve of 1 dollar: point i is Π_{k≤i}(1 + dailyReturns[k]) at times[i]. Throws when the
 * arrays differ in length.
 */
export function equityCurve(dailyReturns: Float64Array, times: Float64Array): EquityPoint[] {
  if (times.length !== dailyReturns.length) {
    throw new Error(
      `equityCurve needs one time per daily return (${dailyReturns.length} vs ${times.length}).`,
    );
  }
  const out: EquityPoint[] = [];
  let value = 1;
  for (let i = 0; i < dailyReturns.length; i++) {
    value *= 1 + dailyReturns[i]!;
    out.push({ time: times[i]!, value });
  }
  return out;
}

/** performanceMetrics of a backtest's net returns, turnover and days (backtest.ts's BacktestResult). */
export function backtestMetrics(result: {
  returns: Float64Array;
  turnover: Float64Array;
  times: Float64Array;
}): PerformanceMetrics {
  return performanceMetrics(result.returns, result.turnover, result.times);
}

/**
 * The metrics when every figure is defined (finite), else null: what crosses the contract, whose schema
 * takes finite numbers only ("undefined" shows as no metrics rather than a made-up 0).
 */
export function definedMetrics(metrics: PerformanceMetrics | null | undefined): PerformanceMetrics | null {
  return metrics && Object.values(metrics).every(Number.isFinite) ? metrics : null;
}
