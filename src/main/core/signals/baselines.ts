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

export const BASELINE_NAMES: Readonly<Record<BaselineId, string>> = {
  spy_buy_hold: 'SPY buy and hold',
  sixty_forty: '60/40 SPY/IEF, monthly',
  equal_weight: 'Equal weight SPY/TLT/GLD/SHY, monthly',
  majority: 'Always the majority strategy',
  logistic: 'Logistic regression',
};

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
 * Follows a strategy pick per row (an index into STRATEGY_IDS, or null = no opinion: keep what is held):
 * at every close with a pick the portfolio is set to that strategy's target weights, so it holds exactly
 * the constant-weight allocation whose forward Sharpe the label ranks (labels.ts), and the model, the
 * majority and the logistic baselines are followed the same way. Undoing a day's drift costs
 * 5 bps × Σ|drift| (about 1 to 3 units a year for the mixed strategies).
 */
export function strategySchedule(pick: (i: number) => number | null): AllocationSchedule {
  return {
    rebalance: 'daily',
    decide: (i) => {
      const k = pick(i);
      if (k === null || k < 0) return null;
      const strategy = STRATEGIES[k];
      if (!strategy)
        throw new Error(`Strategy pick ${k} on row ${i} is not one of the ${STRATEGIES.length}.`);
      return strategy.allocation;
    },
  };
}

export interface BaselineInputs {
  /** The class most frequent among the training labels. */
  majority: number;
  /** The logistic model's pick at each decision row (null where it has none). */
  logisticPick: (i: number) => number | null;
}

/** Runs all five baselines over `rows` with the same costs; results keyed by BaselineId. */
export function runBaselines(
  panel: DailyPanel,
  rows: BacktestRows,
  inputs: BaselineInputs,
  costBps = DEFAULT_COST_BPS,
): Record<BaselineId, BacktestResult> {
  const run = (schedule: AllocationSchedule): BacktestResult =>
    followAllocations(panel, rows, schedule.decide, { costBps, rebalance: schedule.rebalance });
  return {
    spy_buy_hold: run(fixedSchedule('spy_buy_hold', rows.from)),
    sixty_forty: run(fixedSchedule('sixty_forty', rows.from)),
    equal_weight: run(fixedSchedule('equal_weight', rows.from)),
    majority: run(strategySchedule(() => inputs.majority)),
    logistic: run(strategySchedule(inputs.logisticPick)),
  };
}
