/**
 * Daily returns of the panel's assets and of the eight strategies' allocations, on the panel's clock.
 * Row i of every series is the return from the close of row i−1 to the close of row i (a fraction:
 * 0.01 = +1 %); row 0 has no previous close and is NaN. Nothing is filled forward: a symbol without a
 * close in row i−1 or row i has no return in row i (NaN), and neither has any allocation holding it.
 */
import type { DailyPanel } from './daily-panel';
import { CASH, STRATEGIES, type Allocation } from './strategies';

/**
 * Close-to-close simple returns of `symbol`: r[i] = close[i] / close[i−1] − 1, NaN in row 0 and where
 * either close is missing. `CASH` earns 0 in every row but the first (no assumed T-bill rate).
 * Throws when the panel does not hold the symbol (the caller built the panel without it).
 */
export function assetReturns(panel: DailyPanel, symbol: string): Float64Array {
  const n = panel.times.length;
  const out = new Float64Array(n);
  if (n > 0) out[0] = Number.NaN;
  if (symbol === CASH) return out;
  const close = panel.close.get(symbol);
  if (!close) throw new Error(`The daily panel has no closes for ${symbol}; build it with ${symbol}'s bars.`);
  for (let i = 1; i < n; i++) out[i] = close[i]! / close[i - 1]! - 1;
  return out;
}

/**
 * Daily returns of holding `allocation` at its target weights over each day (rebalanced to the targets
 * at every close, as a label's forward score assumes): r[i] = Σ_s w_s·r_s[i]. NaN in row 0 and where
 * any asset held with a non-zero weight lacks a return that row. Throws as `assetReturns` does.
 */
export function strategyDailyReturns(panel: DailyPanel, allocation: Allocation): Float64Array {
  const n = panel.times.length;
  const out = new Float64Array(n);
  for (const [symbol, weight] of Object.entries(allocation)) {
    if (weight === 0 || symbol === CASH) continue;
    const r = assetReturns(panel, symbol);
    for (let i = 0; i < n; i++) out[i]! += weight * r[i]!;
  }
  if (n > 0) out[0] = Number.NaN;
  return out;
}

const strategyCache = new WeakMap<DailyPanel, readonly Float64Array[]>();

/**
 * The eight strategies' daily returns (STRATEGY_IDS order), computed once per panel object and shared
 * by every caller that asks again (the panel is read-only by contract).
 */
export function strategyReturnMatrix(panel: DailyPanel): readonly Float64Array[] {
  let cached = strategyCache.get(panel);
  if (!cached) {
    cached = STRATEGIES.map((strategy) => strategyDailyReturns(panel, strategy.allocation));
    strategyCache.set(panel, cached);
  }
  return cached;
}
