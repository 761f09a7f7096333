/**
 * The whole of `trm train` (and of the window's Retrain): from a daily panel to a trained strategy model
 * with its evaluation.
 *
 * 1. Features and labels for every row (decision-data.ts); the window's learnable rows.
 * 2. The model: the window's first 85 % of rows train, the last 15 % (after a purge of `horizon` rows)
 *    validate, for early stopping and for choosing the width among `widths` (lowest validation
 *    log-loss). Z-scores are fitted on the training rows only, and so are the baselines (majority class,
 *    logistic regression) shipped with the model.
 * 3. Evaluation (optional): purged k-fold with an embargo of `horizon` rows, and walk-forward retraining
 *    (an expanding window retrained every `walkStep` rows), each fold with its own z-scores, validation
 *    split, TRM and logistic regression; per fold the classification report; the walk-forward's
 *    out-of-sample picks followed with costs next to every baseline over the same days.
 */
import type { FeatureId } from '../../shared/domain';
import type { BacktestResult } from '../core/signals/backtest';
import { followSchedule, runBaselines, strategySchedule } from '../core/signals/baselines';
import {
  argmaxRows,
  classificationReport,
  majorityClass,
  type ClassificationReport,
} from '../core/signals/classification';
import { purgedKFold, walkForward } from '../core/signals/cv-splits';
import type { DailyPanel } from '../core/signals/daily-panel';
import { featureMatrix } from '../core/signals/feature-registry';
import { logisticProbabilities, type LogisticWeights } from '../core/signals/logistic';
import { STRATEGIES } from '../core/signals/strategies';
import { fitNormalisation, type Normalisation } from '../core/signals/zscore';
import {
  labelsOf,
  learnableRows,
  prepareDecisionData,
  rawRows,
  rowOnOrAfter,
  rowOnOrBefore,
  zRows,
  type DecisionData,
} from './decision-data';
import { utcDateOf } from '../core/calendar-dates';
import { fitLogistic } from './logistic-regression';
import type { TrmConfig } from './trm/config';
import type { TrainedTrm, TrmDataset, TrmEpochProgress } from './trm/trainer';

/** Trains one TRM (in this thread, or in a worker). */
export type TrmTrainFn = (
  train: TrmDataset,
  validation: TrmDataset,
  config: Partial<TrmConfig>,
  onProgress: (progress: TrmEpochProgress) => void,
  signal?: AbortSignal,
) => Promise<TrainedTrm>;

export interface PipelineOptions {
  panel: DailyPanel;
  /** Decision window (YYYY-MM-DD, inclusive); default every learnable row. */
  from?: string;
  to?: string;
  horizon: number;
  /** The model's inputs; default the market streams (decision-data.ts). */
  features?: readonly FeatureId[];
  /** Learn and test only on days where these streams are known too (an ablation's arms on the same days). */
  alsoKnown?: readonly FeatureId[];
  widths: number[];
  seed: number;
  /** TRM settings other than width and seed (epochs, steps…). */
  config?: Partial<TrmConfig>;
  evaluate: boolean;
  /** Purged k-fold folds. */
  folds?: number;
  /** Walk-forward: first training window and retraining interval, in rows (≈ 5 years and 2 years). */
  walkFirstTrain?: number;
  walkStep?: number;
  train: TrmTrainFn;
  onProgress?: (progress: PipelineProgress) => void;
  signal?: AbortSignal;
}

export interface PipelineProgress {
  /** What runs now, in words: "width 32", "purged fold 2/5", "walk-forward 3/6". */
  stage: string;
  /** Trainings done and planned in all. */
  done: number;
  total: number;
  epoch: TrmEpochProgress | null;
}

export interface FoldResult {
  kind: 'purged-kfold' | 'walk-forward';
  /** Test rows' first and last decision dates. */
  from: string;
  to: string;
  trainRows: number;
  testRows: number;
  trm: ClassificationReport;
  logistic: ClassificationReport;
}

export interface WalkForwardBacktest {
  from: string;
  to: string;
  /** The model's picks, each held for the label horizon in overlapping tranches (how reports follow picks). */
  model: BacktestResult;
  /** The same picks with the whole portfolio switched each day (what daily switching costs). */
  modelDaily: BacktestResult;
  baselines: Record<string, BacktestResult>;
}

export interface PipelineResult {
  data: DecisionData;
  features: FeatureId[];
  /** The chosen model (trained on the window's first 85 %). */
  trained: TrainedTrm;
  normalisation: Normalisation;
  window: { from: string; to: string; trainRows: number; validationRows: number; validationFrom: string };
  /** Validation log-loss and accuracy per width tried. */
  widths: { width: number; valLoss: number; valAccuracy: number; epochs: number }[];
  majority: number;
  logistic: LogisticWeights;
  labelCounts: number[];
  /**
   * How often each strategy was picked (STRATEGY_IDS order): by the chosen model over the whole window
   * (in-sample), and out of sample by the walk-forward's models (null without evaluation).
   */
  picks: { window: number[]; walkForward: number[] | null };
  folds: FoldResult[];
  walkForward: WalkForwardBacktest | null;
}

const VALIDATION_SHARE = 0.15;

/** A training/validation split z-scored with its training rows' statistics. */
interface PreparedSplit {
  norm: Normalisation;
  train: TrmDataset;
  validation: TrmDataset;
}

/** The baselines fitted on a split's training rows. */
interface FittedBaselines {
  majority: number;
  logistic: LogisticWeights;
}

/**
 * Runs the pipeline. Throws with a readable message when the window has no learnable rows or too few for
 * the evaluation asked for; rejects with the trainer's cancellation when `signal` aborts.
 */
export async function runTrainPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { panel, horizon } = options;
  const data = prepareDecisionData(panel, horizon, options.features);
  const first = options.from ? rowOnOrAfter(panel, options.from) : 0;
  const last = options.to ? rowOnOrBefore(panel, options.to) : panel.times.length - 1;
  const rows = onlyKnown(learnableRows(data, first, last), panel, options.alsoKnown ?? []);
  const folds = options.folds ?? 5;
  const walkFirstTrain = options.walkFirstTrain ?? 1260;
  const walkStep = options.walkStep ?? 504;
  const walkSplits =
    options.evaluate && rows.length > walkFirstTrain + horizon
      ? walkForward(rows.length, { firstTrain: walkFirstTrain, step: walkStep, horizon })
      : [];
  if (options.evaluate && rows.length < folds * (horizon + 50))
    throw new Error(
      `The window has ${rows.length} learnable days: too few for ${folds}-fold cross-validation with a ${horizon}-session horizon (use a longer window or --no-evaluate).`,
    );
  const total = options.widths.length + (options.evaluate ? folds + walkSplits.length : 0);
  let done = 0;
  const report = (stage: string, epoch: TrmEpochProgress | null): void =>
    options.onProgress?.({ stage, done, total, epoch });

  // Split time-ordered row positions into training and validation, purging the horizon between them.
  const splitForValidation = (positions: number[]): { train: number[]; validation: number[] } => {
    const cut = Math.floor(positions.length * (1 - VALIDATION_SHARE));
    return { train: positions.slice(0, Math.max(1, cut - horizon)), validation: positions.slice(cut) };
  };

  // Z-scores come from each split's training rows; the widths tried on one split share them.
  const prepare = (trainRows: number[], validationRows: number[]): PreparedSplit => {
    const norm = fitNormalisation(
      rawRows(data, trainRows),
      trainRows.length,
      data.features.length,
      data.features,
    );
    const dataset = (r: number[]): TrmDataset => ({
      x: zRows(data, r, norm).x,
      labels: labelsOf(data, r),
      rows: r.length,
      features: data.features,
    });
    return { norm, train: dataset(trainRows), validation: dataset(validationRows) };
  };
  const trainOn = async (split: PreparedSplit, width: number, stage: string): Promise<TrainedTrm> => {
    report(stage, null);
    const trained = await options.train(
      split.train,
      split.validation,
      { ...options.config, width, seed: options.seed },
      (epoch) => report(stage, epoch),
      options.signal,
    );
    done++;
    return trained;
  };
  const baselinesOn = async ({ train }: PreparedSplit): Promise<FittedBaselines> => ({
    majority: majorityClass(train.labels) ?? 0,
    logistic: await fitLogistic(train.x, train.rows, data.features.length, train.labels, {
      seed: options.seed,
    }),
  });

  // 2. The model, choosing the width on validation.
  const { train: trainRows, validation: validationRows } = splitForValidation(rows);
  const split = prepare(trainRows, validationRows);
  const tried: {
    width: number;
    valLoss: number;
    valAccuracy: number;
    epochs: number;
    trained: TrainedTrm;
  }[] = [];
  for (const width of options.widths) {
    const trained = await trainOn(split, width, `width ${width}`);
    const best = trained.history[trained.bestEpoch - 1];
    tried.push({
      width,
      valLoss: best?.valLoss ?? Infinity,
      valAccuracy: best?.valAccuracy ?? 0,
      epochs: trained.epochsRun,
      trained,
    });
  }
  const chosen = tried.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  const width = chosen.width;
  const chosenBaselines = await baselinesOn(split);

  // 3. Evaluation.
  const foldResults: FoldResult[] = [];
  const evaluateFold = async (
    kind: FoldResult['kind'],
    split: { train: number[]; test: number[] },
    stage: string,
  ) => {
    const trainPositions = split.train;
    const { train, validation } = splitForValidation(trainPositions);
    const prepared = prepare(
      train.map((p) => rows[p]!),
      validation.map((p) => rows[p]!),
    );
    const trained = await trainOn(prepared, width, stage);
    const result = await baselinesOn(prepared);
    const testRows = split.test.map((p) => rows[p]!);
    const { x } = zRows(data, testRows, prepared.norm);
    const labels = labelsOf(data, testRows);
    const trmOut = await trained.predict(x, testRows.length);
    const logisticP = logisticProbabilities(x, testRows.length, result.logistic);
    foldResults.push({
      kind,
      from: utcDateOf(panel.times[testRows[0]!]!),
      to: utcDateOf(panel.times[testRows.at(-1)!]!),
      trainRows: trainPositions.length,
      testRows: testRows.length,
      trm: classificationReport(labels, trmOut.probabilities, result.majority),
      logistic: classificationReport(labels, logisticP, result.majority),
    });
    return {
      testRows,
      trmPicks: argmaxRows(trmOut.probabilities),
      logisticPicks: argmaxRows(logisticP),
      majority: result.majority,
    };
  };

  let walk: WalkForwardBacktest | null = null;
  let walkPicks: number[] | null = null;
  if (options.evaluate) {
    const kfold = purgedKFold(rows.length, folds, horizon, horizon);
    for (const [f, split] of kfold.entries())
      await evaluateFold('purged-kfold', split, `purged fold ${f + 1}/${folds}`);
    // Walk-forward: out-of-sample picks for every test row, then followed with costs.
    const trmPick = new Map<number, number>();
    const logisticPick = new Map<number, number>();
    const majorityPick = new Map<number, number>();
    for (const [f, split] of walkSplits.entries()) {
      const out = await evaluateFold('walk-forward', split, `walk-forward ${f + 1}/${walkSplits.length}`);
      out.testRows.forEach((row, r) => {
        trmPick.set(row, out.trmPicks[r]!);
        logisticPick.set(row, out.logisticPicks[r]!);
        majorityPick.set(row, out.majority);
      });
    }
    if (walkSplits.length > 0) {
      const from = rows[walkSplits[0]!.test[0]!]!;
      const to = rows.at(-1)!;
      const span = { from, to };
      // Each pick held for the label horizon in overlapping tranches, as every report follows picks;
      // also the model switched whole each day, for the card (what daily switching costs).
      const pickOf = (picks: Map<number, number>) => (i: number) => picks.get(i) ?? null;
      const model = followSchedule(panel, span, strategySchedule(pickOf(trmPick), horizon));
      const modelDaily = followSchedule(panel, span, strategySchedule(pickOf(trmPick), 1));
      // Each walk-forward fold's majority is that fold's own training majority.
      const baselines = runBaselines(panel, span, {
        majorityPick: pickOf(majorityPick),
        logisticPick: pickOf(logisticPick),
        holding: horizon,
      });
      walk = {
        from: utcDateOf(panel.times[from]!),
        to: utcDateOf(panel.times[to]!),
        model,
        modelDaily,
        baselines,
      };
      walkPicks = countPicks([...trmPick.values()]);
    }
  }

  const windowX = zRows(data, rows, split.norm).x;
  const windowPicks = countPicks(
    argmaxRows((await chosen.trained.predict(windowX, rows.length)).probabilities),
  );
  const labelCounts = new Array<number>(STRATEGIES.length).fill(0);
  for (const i of trainRows) labelCounts[data.labels[i]!]!++;
  return {
    data,
    features: data.features,
    trained: chosen.trained,
    normalisation: split.norm,
    window: {
      from: utcDateOf(panel.times[rows[0]!]!),
      to: utcDateOf(panel.times[rows.at(-1)!]!),
      trainRows: trainRows.length,
      validationRows: validationRows.length,
      validationFrom: utcDateOf(panel.times[validationRows[0] ?? rows.at(-1)!]!),
    },
    widths: tried.map(({ trained: _trained, ...rest }) => rest),
    majority: chosenBaselines.majority,
    logistic: chosenBaselines.logistic,
    labelCounts,
    picks: { window: windowPicks, walkForward: walkPicks },
    folds: foldResults,
    walkForward: walk,
  };
}

/** The rows where every stream of `ids` has a value. */
function onlyKnown(rows: number[], panel: DailyPanel, ids: readonly FeatureId[]): number[] {
  if (ids.length === 0) return rows;
  const width = ids.length;
  const matrix = featureMatrix(panel, ids);
  return rows.filter((i) => {
    for (let f = 0; f < width; f++) if (!Number.isFinite(matrix[i * width + f]!)) return false;
    return true;
  });
}

/** How many times each class (0..7) appears. */
function countPicks(picks: Iterable<number>): number[] {
  const counts = new Array<number>(STRATEGIES.length).fill(0);
  for (const pick of picks) counts[pick]!++;
  return counts;
}
