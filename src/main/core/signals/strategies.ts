/**
 * The eight allocation strategies the TRM model chooses between, defined once: target weights over ETFs
 * of `../shared/data/daily` plus cash. Every ETF used has daily history from 2004-11-18 (GLD's first
 * day; the bond ETFs start 2002-07-30), so every strategy can be followed over the whole data set.
 * Cash earns nothing (an honest floor: no assumed T-bill rate).
 *
 * Ordered from least to most equity risk, with `tactical_opportunity` last: long bonds and gold, the
 * allocation that tends to win when equities fall hard and rates drop.
 */
import { STRATEGY_IDS, STRATEGY_NAMES, type StrategyId } from '../../../shared/domain';

/** The cash sleeve's key in an allocation. */
export const CASH = 'CASH';

/** Target weights by symbol (upper-case tickers, or CASH); each allocation sums to 1. */
export type Allocation = Readonly<Record<string, number>>;

export interface Strategy {
  id: StrategyId;
  name: string;
  allocation: Allocation;
}

const allocations: Readonly<Record<StrategyId, Allocation>> = {
  ultra_defensive: { SHY: 0.5, IEF: 0.2, [CASH]: 0.3 },
  defensive: { SHY: 0.3, IEF: 0.3, GLD: 0.1, SPY: 0.2, [CASH]: 0.1 },
  balanced_safe: { SPY: 0.35, IEF: 0.35, GLD: 0.1, SHY: 0.2 },
  balanced_growth: { SPY: 0.45, EFA: 0.1, IEF: 0.3, GLD: 0.15 },
  balanced_aggressive: { SPY: 0.5, QQQ: 0.15, EFA: 0.1, IEF: 0.2, GLD: 0.05 },
  aggressive_growth: { SPY: 0.5, QQQ: 0.3, IWM: 0.2 },
  max_growth: { QQQ: 0.6, IWM: 0.25, SPY: 0.15 },
  tactical_opportunity: { TLT: 0.4, GLD: 0.4, SHY: 0.2 },
};

/** The strategies in STRATEGY_IDS order (the order of every probability vector). */
export const STRATEGIES: readonly Strategy[] = STRATEGY_IDS.map((id) => ({
  id,
  name: STRATEGY_NAMES[id],
  allocation: allocations[id],
}));

/** Every ETF some strategy holds, sorted. */
export const STRATEGY_SYMBOLS: readonly string[] = [
  ...new Set(STRATEGIES.flatMap((s) => Object.keys(s.allocation).filter((symbol) => symbol !== CASH))),
].sort();
