/**
 * The scorecard of stored predictions (pure: predictions and a daily panel in, the contract's Scorecard
 * out). Each prediction old enough to have `horizon` sessions after it is scored against its realised
 * label (core/signals/labels' labelAt, the training target); the equity of following the picks and of
 * the fixed baselines over the same rows come from the same backtest, costs and metrics as the CLI
 * report (followAllocations at 5 bps per unit of turnover, strategySchedule/fixedSchedule,
 * performanceMetrics), so the numbers agree with `trm backtest` on the same rows.
 */
import { STRATEGY_IDS, type PerformanceMetrics, type Prediction, type Scorecard } from '../../shared/domain';
import { utcDateOf } from '../core/calendar-dates';
import type { BacktestResult } from '../core/signals/backtest';
import {
  FIXED_BASELINE_ALLOCATIONS,
  fixedSchedule,
  strategySchedule,
  type AllocationSchedule,
  type FixedBaselineId,
  followSchedule,
} from '../core/signals/baselines';
import { CLOCK_SYMBOL, type DailyPanel } from '../core/signals/daily-panel';
import { labelAt } from '../core/signals/labels';
import { backtestMetrics, definedMetrics, equityCurve } from '../core/signals/performance';
import { CASH, STRATEGY_SYMBOLS } from '../core/signals/strategies';

/** The baselines the scorecard shows next to the model (those that need no training-window fit). */
export const SCORECARD_BASELINES: readonly FixedBaselineId[] = [
  'spy_buy_hold',
  'sixty_forty',
  'equal_weight',
];

/** Every symbol the scorecard reads: the clock, the strategies' ETFs and the baselines'. */
export const SCORECARD_SYMBOLS: readonly string[] = [
  ...new Set([
    CLOCK_SYMBOL,
    ...STRATEGY_SYMBOLS,
    ...SCORECARD_BASELINES.flatMap((id) => Object.keys(FIXED_BASELINE_ALLOCATIONS[id])),
  ]),
].filter((symbol) => symbol !== CASH);

/** Bins of the top probability in the calibration curve: [0, 0.2), [0.2, 0.4), … [0.8, 1]. */
export const CALIBRATION_BINS = 5;

export interface ScorecardInputs {
  modelVersion: string | null;
  /** Label horizon in sessions. */
  horizon: number;
  /** The predictions to score, oldest first (one per decision bar). */
  predictions: readonly Prediction[];
  /** Daily panel from the first prediction's bar on (null: nothing to score). */
  panel: DailyPanel | null;
  /** The model's training window (YYYY-MM-DD, inclusive), to tell in-sample predictions apart. */
  trainedFrom?: string;
  trainedTo?: string;
}

/**
 * Scores `predictions` on `panel`: hit rate (pick = realised label) next to the majority rate (the share
 * of the most frequent realised label), calibration of the top probability (non-empty bins only), and
 * the equity and metrics of following the picks from the first prediction's close to the panel's last
 * row, next to the fixed baselines over the same rows. A curve that cannot be followed (a held ETF
 * without daily bars, e.g. in the demo universe) is empty with null metrics; so are metrics that are
 * undefined (fewer than two days).
 */
export function computeScorecard({
  modelVersion,
  horizon,
  predictions,
  panel,
  trainedFrom,
  trainedTo,
}: ScorecardInputs): Scorecard {
  const empty: Scorecard = {
    modelVersion,
    horizon,
    predictions: predictions.length,
    scored: 0,
    hitRate: null,
    majorityRate: null,
    majorityStrategy: null,
    inSample: null,
    note: null,
    calibration: [],
    equity: { model: [], baselines: {} },
    metrics: { model: null, baselines: {} },
  };
  if (panel === null || panel.times.length === 0 || predictions.length === 0) return empty;

  // A strategy holding an ETF the store has no daily bars of has no returns: nothing can be labelled.
  const missing = STRATEGY_SYMBOLS.filter((symbol) => !panel.close.has(symbol));
  const labelled = missing.length === 0;
  const note = labelled
    ? null
    : `Predictions cannot be scored here: the strategies hold ${missing.join(', ')}, and this market has no daily bars of ${missing.length === 1 ? 'it' : 'them'} (the demo market generates only some ETFs; a replay or paper account with them scores every prediction ${horizon} sessions after it was made).`;
  let inside = 0;
  const rowOf = new Map<number, number>();
  panel.times.forEach((t, row) => rowOf.set(t, row));
  const pickAt = new Map<number, number>();
  const labelCounts = new Array<number>(STRATEGY_IDS.length).fill(0);
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ confidence: 0, hits: 0, count: 0 }));
  let scored = 0;
  let hits = 0;
  for (const prediction of predictions) {
    const row = rowOf.get(prediction.barStart);
    if (row === undefined) continue;
    const pick = STRATEGY_IDS.indexOf(prediction.strategy);
    pickAt.set(row, pick);
    const label = labelled ? labelAt(panel, row, horizon) : null;
    if (label === null) continue;
    scored++;
    const date = utcDateOf(prediction.barStart);
    if (trainedFrom !== undefined && trainedTo !== undefined && date >= trainedFrom && date <= trainedTo)
      inside++;
    labelCounts[label]!++;
    const hit = label === pick ? 1 : 0;
    hits += hit;
    const top = Math.max(...prediction.probabilities);
    const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(top * CALIBRATION_BINS))]!;
    bin.confidence += top;
    bin.hits += hit;
    bin.count++;
  }
  let majority = 0;
  for (let k = 1; k < labelCounts.length; k++) if (labelCounts[k]! > labelCounts[majority]!) majority = k;

  const firstRow = Math.min(...pickAt.keys());
  const rows = { from: Number.isFinite(firstRow) ? firstRow : 0, to: panel.times.length - 1 };
  const follow = (schedule: AllocationSchedule): BacktestResult | null => {
    try {
      return followSchedule(panel, rows, schedule);
    } catch {
      return null;
    }
  };
  // Each pick held for the label horizon in overlapping tranches, as the CLI report follows picks.
  const model = follow(strategySchedule((i) => pickAt.get(i) ?? null, horizon));
  const equity: Scorecard['equity'] = { model: curveOf(model), baselines: {} };
  const metrics: Scorecard['metrics'] = { model: metricsOf(model), baselines: {} };
  for (const id of SCORECARD_BASELINES) {
    const result = follow(fixedSchedule(id, rows.from));
    equity.baselines[id] = curveOf(result);
    metrics.baselines[id] = metricsOf(result);
  }

  return {
    ...empty,
    scored,
    hitRate: scored > 0 ? hits / scored : null,
    majorityRate: scored > 0 ? labelCounts[majority]! / scored : null,
    majorityStrategy: scored > 0 ? STRATEGY_IDS[majority]! : null,
    inSample: scored > 0 ? inside / scored : null,
    note,
    calibration: bins.flatMap((bin, k) =>
      bin.count === 0
        ? []
        : [
            {
              from: k / CALIBRATION_BINS,
              to: (k + 1) / CALIBRATION_BINS,
              predicted: bin.confidence / bin.count,
              observed: bin.hits / bin.count,
              count: bin.count,
            },
          ],
    ),
    equity,
    metrics,
  };
}

function curveOf(result: BacktestResult | null): { time: number; value: number }[] {
  if (result === null) return [];
  const curve = equityCurve(result.returns, result.times);
  return curve.every((point) => Number.isFinite(point.value)) ? curve : [];
}

/** The metrics when every figure is defined (the contract's shape), else null. */
function metricsOf(result: BacktestResult | null): PerformanceMetrics | null {
  return result === null ? null : definedMetrics(backtestMetrics(result));
}
