/**
 * A model's picks followed over a daily panel with costs, next to every baseline over the same days and
 * in the same code, with the classification scores where labels exist: what `trm backtest` prints, what
 * the Retrain report compares, and what the model card quotes.
 *
 * Decisions: at the close of each row from..to−1 the model reads that row's features (z-scored with the
 * manifest's training statistics; an unknown input is fed as its training mean and counted) and the
 * portfolio is set to the pick's allocation. Rows before `from` only warm the features up.
 */
import { STRATEGY_IDS, type BaselineId, type PerformanceMetrics } from '../../shared/domain';
import type { BacktestResult } from '../core/signals/backtest';
import { followSchedule, runBaselines, strategySchedule } from '../core/signals/baselines';
import { argmaxRows, classificationReport, type ClassificationReport } from '../core/signals/classification';
import type { DailyPanel } from '../core/signals/daily-panel';
import { logisticProbabilities } from '../core/signals/logistic';
import type { ModelManifest } from '../core/signals/model-manifest';
import { backtestMetrics } from '../core/signals/performance';
import { prepareDecisionData, rowComplete, rowOnOrAfter, rowOnOrBefore, zRows } from './decision-data';
import { utcDateOf } from '../core/calendar-dates';

/** What a backtest needs of a model: its manifest and a batched run (StrategyModel, or a trained tfjs model). */
export interface RunnableModel {
  readonly manifest: ModelManifest;
  run(input: Float32Array, rows: number): Promise<{ probabilities: Float32Array }>;
}

export interface ModelBacktest {
  /** First and last decision dates. */
  from: string;
  to: string;
  decisions: number;
  model: BacktestResult;
  baselines: Record<BaselineId, BacktestResult>;
  metrics: { model: PerformanceMetrics; baselines: Record<BaselineId, PerformanceMetrics> };
  /** Scores on decision days whose label is known (horizon sessions later); null with none. */
  classification: { model: ClassificationReport; logistic: ClassificationReport | null } | null;
  /** Inputs fed as their training mean, over all decisions. */
  imputed: number;
  /** Share of decision days inside the model's training window (in-sample: not evidence). */
  inSample: number;
}

/**
 * Backtests `model` on `panel` over decision dates from..to (YYYY-MM-DD, inclusive; default: from the
 * first day every input is known to the panel's last day). Throws when the window holds fewer than two
 * sessions or lies outside the panel.
 */
export async function backtestModel(
  panel: DailyPanel,
  model: RunnableModel,
  window: { from?: string | undefined; to?: string | undefined } = {},
): Promise<ModelBacktest> {
  const { manifest } = model;
  const data = prepareDecisionData(panel, manifest.horizon, manifest.features);
  let from = window.from ? rowOnOrAfter(panel, window.from) : 0;
  if (!window.from) while (from < panel.times.length && !rowComplete(data, from)) from++;
  const to = window.to ? rowOnOrBefore(panel, window.to) : panel.times.length - 1;
  if (from >= to) {
    const asked = `${window.from ?? 'the start'} to ${window.to ?? 'the end'}`;
    throw new Error(
      `The backtest needs at least two sessions of data from ${asked}, and the data spans ` +
        `${utcDateOf(panel.times[0]!)} to ${utcDateOf(panel.times.at(-1)!)}: pick dates inside it, or add later daily files.`,
    );
  }
  const decisionRows = Array.from({ length: to - from }, (_, k) => from + k);
  const norm = { mean: manifest.normalisation.mean, sd: manifest.normalisation.sd };
  const { x, imputed } = zRows(data, decisionRows, norm);
  const { probabilities } = await model.run(x, decisionRows.length);
  const picks = argmaxRows(probabilities);
  const pickAt = (i: number): number | null => (i >= from ? picks[i - from]! : null);
  const span = { from, to };
  // Each pick is held for the label horizon in overlapping tranches (baselines.ts strategySchedule).
  const holding = manifest.horizon;
  const modelResult = followSchedule(panel, span, strategySchedule(pickAt, holding));
  const shipped = manifest.baselines;
  const logisticP = shipped ? logisticProbabilities(x, decisionRows.length, shipped.logistic) : null;
  const logisticPicks = logisticP ? argmaxRows(logisticP) : null;
  const majority = shipped ? STRATEGY_IDS.indexOf(shipped.majority) : 0;
  const baselines = runBaselines(panel, span, {
    majorityPick: () => majority,
    logisticPick: (i) => (logisticPicks && i >= from ? logisticPicks[i - from]! : null),
    holding,
  });

  // Classification where the label is known.
  const labelled = decisionRows.flatMap((i, k) => (data.labels[i]! >= 0 ? [k] : []));
  let classification: ModelBacktest['classification'] = null;
  if (labelled.length > 0) {
    const labels = Int8Array.from(labelled, (k) => data.labels[decisionRows[k]!]!);
    const subset = (p: ArrayLike<number>): Float64Array => {
      const out = new Float64Array(labelled.length * 8);
      labelled.forEach((k, r) => {
        for (let c = 0; c < 8; c++) out[r * 8 + c] = p[k * 8 + c]!;
      });
      return out;
    };
    classification = {
      model: classificationReport(labels, subset(probabilities), majority),
      logistic: logisticP ? classificationReport(labels, subset(logisticP), majority) : null,
    };
  }
  const trainedTo = manifest.training.to;
  const trainedFrom = manifest.training.from;
  const inside = decisionRows.filter((i) => {
    const day = utcDateOf(panel.times[i]!);
    return day >= trainedFrom && day <= trainedTo;
  }).length;
  const baselineMetrics = Object.fromEntries(
    Object.entries(baselines).map(([id, result]) => [id, backtestMetrics(result)]),
  ) as Record<BaselineId, PerformanceMetrics>;
  return {
    from: utcDateOf(panel.times[from]!),
    to: utcDateOf(panel.times[to - 1]!),
    decisions: decisionRows.length,
    model: modelResult,
    baselines,
    metrics: { model: backtestMetrics(modelResult), baselines: baselineMetrics },
    classification,
    imputed,
    inSample: inside / decisionRows.length,
  };
}
