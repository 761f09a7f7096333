/**
 * The cost-aware backtest every strategy, baseline and model runs through (the same code for all).
 *
 * Timing: a decision is taken at the close of row i, from what is known at that close, and the
 * portfolio is set to it at that close; it earns row i+1's close-to-close returns. The portfolio starts
 * in cash (worth 1) before the close of `rows.from`. Between rebalances weights drift with returns
 * (w_s ← w_s·(1 + r_s) / (1 + r_portfolio)), so a monthly 60/40 really drifts within the month.
 *
 * Costs: costBps per unit of turnover, turnover = Σ_s |w_new,s − w_drifted,s| over the assets (cash does
 * not trade and costs nothing: buying 100 % SPY from cash is 1 unit, switching all of SPY into IEF is 2).
 * The cost of the trade at the close of row i is taken from the portfolio at that close, so it shows in
 * the net return of row i+1: r_net = (1 − c)·(1 + r_gross) − 1.
 */
import type { DailyPanel } from './daily-panel';
import { assetReturns } from './strategy-returns';
import { CASH, type Allocation } from './strategies';

export type Rebalance = 'daily' | 'monthly';

export interface BacktestOptions {
  /** Cost in basis points per unit of turnover (5 = 0.05 % of the value traded). */
  costBps: number;
  /** 'daily': decide is asked at every close; 'monthly': at `from` and the first row of each calendar month. */
  rebalance: Rebalance;
  /** Also return the weights held over each day (tests, reports). */
  recordWeights?: boolean;
}

export const DEFAULT_COST_BPS = 5;
export const DEFAULT_BACKTEST_OPTIONS: BacktestOptions = { costBps: DEFAULT_COST_BPS, rebalance: 'daily' };

/** Panel rows of a backtest: decisions at the closes of from..to−1, returns of rows from+1..to. */
export interface BacktestRows {
  from: number;
  to: number;
}

export interface BacktestResult {
  /** Net daily returns (fractions) of rows from+1..to. */
  returns: Float64Array;
  /** Σ|Δw| traded at the close before each of those days (the trade that set that day's holdings). */
  turnover: Float64Array;
  /** Each day's `1D` bar start (epoch ms UTC): panel.times[from+1..to]. */
  times: Float64Array;
  /** With `recordWeights`: the weights held over each day (after the previous close's trade). */
  weights?: Allocation[];
}

/**
 * Follows `decide` over `rows` of `panel`. decide(i) returns the allocation to hold from the close of
 * row i (weights by symbol, CASH allowed, summing to 1), or null to keep the drifted holdings; it must use
 * only what is known at that close. Throws when the rows are outside the panel, an allocation's weights
 * are not finite or do not sum to 1, a held symbol is not in the panel, or a held symbol has no return
 * on a day it is held (the message names the symbol and the date).
 */
export function followAllocations(
  panel: DailyPanel,
  rows: BacktestRows,
  decide: (i: number) => Allocation | null,
  options: BacktestOptions = DEFAULT_BACKTEST_OPTIONS,
): BacktestResult {
  const { from, to } = rows;
  const n = panel.times.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to >= n || from > to) {
    throw new Error(`Backtest rows ${from}..${to} are not inside the daily panel (rows 0..${n - 1}).`);
  }
  const days = to - from;
  const returns = new Float64Array(days);
  const turnover = new Float64Array(days);
  const times = panel.times.slice(from + 1, to + 1);
  const weightsLog: Allocation[] | undefined = options.recordWeights ? [] : undefined;
  const returnsOf = new Map<string, Float64Array>();
  const returnOf = (symbol: string): Float64Array => {
    let r = returnsOf.get(symbol);
    if (!r) returnsOf.set(symbol, (r = assetReturns(panel, symbol)));
    return r;
  };
  const costPerUnit = options.costBps / 10_000;

  let weights = new Map<string, number>([[CASH, 1]]);
  let lastTurnover = 0;
  for (let i = from; i <= to; i++) {
    if (i > from) {
      let gross = 0;
      for (const [symbol, w] of weights) {
        if (symbol === CASH || w === 0) continue;
        const r = returnOf(symbol)[i]!;
        if (Number.isNaN(r)) throw missingReturn(panel, symbol, i);
        gross += w * r;
      }
      const day = i - from - 1;
      returns[day] = (1 - costPerUnit * lastTurnover) * (1 + gross) - 1;
      turnover[day] = lastTurnover;
      weightsLog?.push(Object.fromEntries(weights));
      const drifted = new Map<string, number>();
      for (const [symbol, w] of weights) {
        const r = symbol === CASH ? 0 : returnOf(symbol)[i]!;
        drifted.set(symbol, w === 0 ? 0 : (w * (1 + r)) / (1 + gross));
      }
      weights = drifted;
    }
    lastTurnover = 0;
    if (i === to) break;
    const asked = options.rebalance === 'daily' || i === from || newMonth(panel.times, i);
    const target = asked ? decide(i) : null;
    if (target) {
      checkAllocation(target, panel.times[i]!);
      lastTurnover = turnoverBetween(weights, target);
      weights = new Map(Object.entries(target));
    }
  }
  return weightsLog ? { returns, turnover, times, weights: weightsLog } : { returns, turnover, times };
}

/** True when row i is the first row of its calendar month (UTC date of the bar start). */
export function isFirstRowOfMonth(times: Float64Array, i: number): boolean {
  return i === 0 || newMonth(times, i);
}

function newMonth(times: Float64Array, i: number): boolean {
  const a = new Date(times[i - 1]!);
  const b = new Date(times[i]!);
  return a.getUTCMonth() !== b.getUTCMonth() || a.getUTCFullYear() !== b.getUTCFullYear();
}

/** Σ|target − held| over every asset in either (cash excluded: it does not trade). */
function turnoverBetween(held: ReadonlyMap<string, number>, target: Allocation): number {
  let sum = 0;
  for (const [symbol, w] of held) if (symbol !== CASH) sum += Math.abs((target[symbol] ?? 0) - w);
  for (const [symbol, w] of Object.entries(target))
    if (symbol !== CASH && !held.has(symbol)) sum += Math.abs(w);
  return sum;
}

function checkAllocation(target: Allocation, time: number): void {
  let sum = 0;
  for (const w of Object.values(target)) sum += w;
  if (!Number.isFinite(sum) || Math.abs(sum - 1) > 1e-9) {
    throw new Error(
      `The allocation chosen on ${isoDate(time)} has weights summing to ${sum}, not 1: ${JSON.stringify(target)}.`,
    );
  }
}

function missingReturn(panel: DailyPanel, symbol: string, i: number): Error {
  return new Error(
    `The portfolio holds ${symbol} on ${isoDate(panel.times[i]!)} but ${symbol} has no daily bar that ` +
      `session or the one before; start the backtest where every held symbol has daily bars.`,
  );
}

const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);
