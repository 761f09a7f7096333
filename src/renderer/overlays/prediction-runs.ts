/**
 * Which prediction of the strategy model is in force at each bar of a chart, as runs of consecutive bars.
 *
 * A prediction is made at the close of a daily decision bar (`Prediction.time`, epoch ms UTC) and holds
 * until the next prediction is made: a bar whose start is at or after one prediction's time and before the
 * next one's is traded under it. On a 1D chart that is the session after the decision (the decision bar
 * itself was traded under the previous prediction); on an intraday chart every bar of that session. Bars
 * before the first prediction have none. Pure: the chart addon (model-overlay-addon.ts) draws from it.
 */
import { STRATEGY_IDS, type Prediction } from '../../shared/domain';
import { lowerBound } from '../charts/series-bars';

/** A bar as the runs need it: its start (epoch ms UTC). */
export interface BarStart {
  start: number;
}

/** Bars `from`..`to` (indices into the chart's bars, inclusive) traded under `prediction`. */
export interface PredictionRun {
  from: number;
  to: number;
  prediction: Prediction;
}

/**
 * The runs of `bars` (oldest first) under each of `predictions` (oldest first, one per decision bar), in
 * bar order; a prediction under which no bar of the chart was traded has no run. O(P log N): cheap
 * enough to recompute on every change of the series or of the predictions.
 */
export function predictionRuns(
  bars: readonly BarStart[],
  predictions: readonly Prediction[],
): PredictionRun[] {
  const runs: PredictionRun[] = [];
  if (bars.length === 0) return runs;
  for (let i = 0; i < predictions.length; i++) {
    const prediction = predictions[i]!;
    const next = predictions[i + 1];
    const from = lowerBound(bars, prediction.time);
    const to = (next === undefined ? bars.length : lowerBound(bars, next.time)) - 1;
    if (to >= from) runs.push({ from, to, prediction });
  }
  return runs;
}

/**
 * The runs that reach into the bars `from`..`to` (logical indices, may be fractional or outside the bars),
 * for drawing only what is in view: a slice of `runs`, found by binary search.
 */
export function runsInRange(runs: readonly PredictionRun[], from: number, to: number): PredictionRun[] {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (runs[mid]!.to < from) low = mid + 1;
    else high = mid;
  }
  let end = low;
  while (end < runs.length && runs[end]!.from <= to) end++;
  return runs.slice(low, end);
}

/**
 * The model's confidence in a prediction: `pick`, the probability of the strategy it picked, and
 * `second`, the highest probability among the other seven. The gap between them is the pick's margin
 * over the runner-up: a thin band means the model nearly picked another strategy.
 */
export function pickMargin(prediction: Pick<Prediction, 'strategy' | 'probabilities'>): {
  pick: number;
  second: number;
} {
  const picked = STRATEGY_IDS.indexOf(prediction.strategy);
  let second = 0;
  prediction.probabilities.forEach((p, i) => {
    if (i !== picked && p > second) second = p;
  });
  return { pick: prediction.probabilities[picked] ?? 0, second };
}
