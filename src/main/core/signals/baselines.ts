/**
 * The baselines of every model evaluation, as allocation schedules for `followAllocations` (the same
 * backtest, costs and rows as the model):
 * - spy_buy_hold: 100 % SPY bought once at the first close, never traded again;
 * - sixty_forty: 60 % SPY / 40 % IEF, rebalanced on the first session of each month;
 * - equal_weight: 25 % each of SPY, TLT, GLD, SHY, rebalanced monthly;
 * - majority: always the strategy most frequent among the TRAINING labels (the caller passes it);
 * - logistic: the strategy a multinomial logistic regression on the same features ranks first.
 * The majority and logistic baselines follow their picks with `strategySchedule`, as the model is followed.
 */
import type { BaselineId } from '../../../shared/domain';
import { STRATEGIES, type Allocation } from './strategies';
import {
  DEFAULT_COST_BPS,
  followAllocations,
  type BacktestResult,
  type BacktestRows,
  type Rebalance,
} from './backtest';
import type { DailyPanel } from './daily-panel';

/** What to hold, asked at decision closes (see followAllocations), and how often it is asked. */
export interface AllocationSchedule {
  decide: (i: number) => Allocation | null;
  rebalance: Rebalance;
}

export { BASELINE_NAMES } from '../../../shared/domain';

export type FixedBaselineId = 'spy_buy_hold' | 'sixty_forty' | 'equal_weight';

export const FIXED_BASELINE_ALLOCATIONS: Readonly<Record<FixedBaselineId, Allocation>> = {
  spy_buy_hold: { SPY: 1 },
  sixty_forty: { SPY: 0.6, IEF: 0.4 },
  equal_weight: { SPY: 0.25, TLT: 0.25, GLD: 0.25, SHY: 0.25 },
};

/** The schedule of a fixed-weight baseline over a backtest starting at row `from`. */
export function fixedSchedule(id: FixedBaselineId, from: number): AllocationSchedule {
  const allocation = FIXED_BASELINE_ALLOCATIONS[id];
  if (id === 'spy_buy_hold') return { decide: (i) => (i === from ? allocation : null), rebalance: 'daily' };
  return { decide: () => allocation, rebalance: 'monthly' };
}

/**
 * Follows a strategy pick per row (an index into STRATEGY_IDS, or null = no opinion) in `holding`
 * overlapping tranches (Jegadeesh and Titman, 1993, "Returns to Buying Winners and Selling Losers",
 * J. Finance 48(1)): each close's pick takes 1/holding of the portfolio and keeps it for `holding`
 * sessions, so the target at row i is the mean of the allocations picked at rows i−holding+1..i (those
 * with a pick; fewer at the start). With holding = the label horizon, every pick is held for exactly the
 * window its label judged it over; holding = 1 switches the whole portfolio to each day's pick. The target
 * is restored at every close with a pick (the label ranks constant-weight allocations), so drift is
 * traded back at 5 bps × Σ|drift|. A row without any pick in its window keeps what is held. The model,
 * the majority and the logistic baselines are all followed this way.
 */
export function strategySchedule(pick: (i: number) => number | null, holding = 1): AllocationSchedule {
  if (!Number.isInteger(holding) || holding < 1)
    throw new Error(`A holding period is a whole number of sessions, 1 or more (got ${holding}).`);
  return {
    rebalance: 'daily',
    decide: (i) => {
      const mix: Record<string, number> = {};
      let tranches = 0;
      for (let j = i - holding + 1; j <= i; j++) {
        const k = pick(j);
        if (k === null || k < 0) continue;
        const strategy = STRATEGIES[k];
        if (!strategy)
          throw new Error(`Strategy pick ${k} on row ${j} is not one of the ${STRATEGIES.length}.`);
        for (const [symbol, w] of Object.entries(strategy.allocation)) mix[symbol] = (mix[symbol] ?? 0) + w;
        tranches++;
      }
      if (tranches === 0 || pick(i) === null) return null;
      for (const symbol of Object.keys(mix)) mix[symbol]! /= tranches;
      return mix;
    },
  };
}

export interface BaselineInputs {
  /**
   * The strategy most frequent among the training labels, per decision row (one class for one model;
   * each fold's own in a walk-forward).
   */
  majorityPick: (i: number) => number | null;
  /** The logistic model's pick at each decision row (null where it has none). */
  logisticPick: (i: number) => number | null;
  /** Sessions each pick is held for (strategySchedule's tranches); default 1. */
  holding?: number;
}

/** Follows `schedule` over `rows` of `panel` at `costBps` per unit of turnover (every report's backtest). */
export function followSchedule(
  panel: DailyPanel,
  rows: BacktestRows,
  schedule: AllocationSchedule,
  costBps = DEFAULT_COST_BPS,
): BacktestResult {
  return followAllocations(panel, rows, schedule.decide, { costBps, rebalance: schedule.rebalance });
}

/** Runs all five baselines over `rows` with the same costs; results keyed by BaselineId. */
export function runBaselines(
  panel: DailyPanel,
  rows: BacktestRows,
  inputs: BaselineInputs,
  costBps = DEFAULT_COST_BPS,
): Record<BaselineId, BacktestResult> {
  const run = (schedule: AllocationSchedule): BacktestResult =>
    followSchedule(panel, rows, schedule, costBps);
  return {
    spy_buy_hold: run(fixedSchedule('spy_buy_hold', rows.from)),
    sixty_forty: run(fixedSchedule('sixty_forty', rows.from)),
    equal_weight: run(fixedSchedule('equal_weight', rows.from)),
    majority: run(strategySchedule(inputs.majorityPick, inputs.holding)),
    logistic: run(strategySchedule(inputs.logisticPick, inputs.holding)),
  };
}
