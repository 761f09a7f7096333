/**
 * Signals: the TRM strategy model's inputs (feature streams) and outputs (predictions), what explains a
 * prediction, the scorecard of past predictions, the model that runs, and retraining. Each type is a
 * runtime schema with its static type inferred from it (it crosses the contract).
 *
 * Conventions: a prediction is made at the close of a daily decision bar and keyed by that bar's
 * `start` (the session's open, epoch ms UTC, as every `1D` bar); probabilities are in STRATEGY_IDS order.
 */
import { z } from 'zod';
import { TimestampSchema } from './bars';

/** The symbol whose daily bars are the model's decision clock: a prediction at each of its daily closes. */
export const DECISION_SYMBOL = 'SPY';

/** The eight allocation strategies, in the order of every probability vector (core/signals/strategies.ts). */
export const STRATEGY_IDS = [
  'ultra_defensive',
  'defensive',
  'balanced_safe',
  'balanced_growth',
  'balanced_aggressive',
  'aggressive_growth',
  'max_growth',
  'tactical_opportunity',
] as const;
export const StrategyIdSchema = z.enum(STRATEGY_IDS);
export type StrategyId = z.infer<typeof StrategyIdSchema>;

/** Each strategy's name as a trader reads it (its allocation is in core/signals/strategies.ts). */
export const STRATEGY_NAMES: Readonly<Record<StrategyId, string>> = {
  ultra_defensive: 'Ultra defensive',
  defensive: 'Defensive',
  balanced_safe: 'Balanced safe',
  balanced_growth: 'Balanced growth',
  balanced_aggressive: 'Balanced aggressive',
  aggressive_growth: 'Aggressive growth',
  max_growth: 'Max growth',
  tactical_opportunity: 'Tactical opportunity',
};

/** The feature streams, in registry order (core/signals/feature-registry.ts defines each one). */
export const FEATURE_IDS = [
  'vix_level',
  'spy_return_5d',
  'spy_return_20d',
  'volume_ratio',
  'breadth',
  'cross_asset_correlation',
  'put_call_ratio',
  'concentration',
  'sector_dispersion',
  'signal_quality',
  'news_sentiment',
  'news_volume',
  'news_catalysts',
  'social_sentiment',
  'earnings_call_tone',
] as const;
export const FeatureIdSchema = z.enum(FEATURE_IDS);
export type FeatureId = z.infer<typeof FeatureIdSchema>;

const Probability = z.number().finite().min(0).max(1);
const Probabilities = z.array(Probability).length(STRATEGY_IDS.length);

/** A feature stream as the feature panel lists it. */
export const FeatureStreamSchema = z.object({
  id: FeatureIdSchema,
  name: z.string(),
  /** Exact definition (formula, window, symbols). */
  description: z.string(),
  /** Where its inputs come from (symbols and timeframe). */
  source: z.string(),
  unit: z.string(),
  /** False when its source is absent (e.g. no put/call data); `reason` then says why. */
  available: z.boolean(),
  reason: z.string().nullable(),
});
export type FeatureStream = z.infer<typeof FeatureStreamSchema>;

/** One feature's value at a decision time. */
export const FeatureValueSchema = z.object({
  id: FeatureIdSchema,
  /** Raw value in the stream's unit, or null when it cannot be computed from data known at that time. */
  value: z.number().finite().nullable(),
  /** (value − training mean) / training sd, clipped to ±5; null when the value is null or the model does not use it. */
  z: z.number().finite().nullable(),
  available: z.boolean(),
  /** Why the value is null (source absent, not enough history), else null. */
  reason: z.string().nullable(),
});
export type FeatureValue = z.infer<typeof FeatureValueSchema>;

export const PredictionSchema = z.object({
  /** Start of the daily decision bar (its session's open). */
  barStart: TimestampSchema,
  /** When the prediction was made: the decision bar's close on the market clock. */
  time: TimestampSchema,
  modelVersion: z.string(),
  strategy: StrategyIdSchema,
  probabilities: Probabilities,
  /** The model's halting head: its learned estimate that the pick equals the label (not a probability of profit). */
  haltProbability: Probability,
  features: z.array(FeatureValueSchema),
  /** How many of the model's inputs were missing and fed as their training mean (z = 0). */
  imputed: z.number().int().nonnegative(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

/** Why the model said what it said (one click on a prediction). */
export const PredictionExplanationSchema = z.object({
  barStart: TimestampSchema,
  /** The answer after each recursion cycle, in order (supervision step, then cycle within it). */
  cycles: z.array(
    z.object({
      step: z.number().int().positive(),
      cycle: z.number().int().positive(),
      probabilities: Probabilities,
      haltProbability: Probability,
    }),
  ),
  /**
   * Occlusion: each input feature replaced by its training mean (z = 0); `delta` is the change in the
   * predicted strategy's probability that this causes, negated (positive = the feature pushed toward the pick).
   */
  contributions: z.array(
    z.object({ id: FeatureIdSchema, z: z.number().finite().nullable(), delta: z.number().finite() }),
  ),
});
export type PredictionExplanation = z.infer<typeof PredictionExplanationSchema>;

/** Performance of an equity curve: the same fields in the CLI's `--json` report and in the scorecard. */
export const PerformanceMetricsSchema = z.object({
  /** Compound annual growth rate (fraction, 0.07 = 7 %/year). */
  cagr: z.number().finite(),
  /** Annualised volatility of daily returns (fraction). */
  vol: z.number().finite(),
  /** Annualised mean / sd of daily returns, risk-free rate 0. */
  sharpe: z.number().finite(),
  /** Annualised mean / downside deviation of daily returns (target 0). */
  sortino: z.number().finite(),
  /** Largest peak-to-trough fall of the equity curve (fraction, positive: 0.33 = −33 %). */
  max_drawdown: z.number().finite(),
  /** Mean annual turnover: sum of |Δweight| per rebalance, summed per year. */
  turnover: z.number().finite(),
});
export type PerformanceMetrics = z.infer<typeof PerformanceMetricsSchema>;

export const BASELINE_IDS = ['spy_buy_hold', 'sixty_forty', 'equal_weight', 'majority', 'logistic'] as const;
export const BaselineIdSchema = z.enum(BASELINE_IDS);
export type BaselineId = z.infer<typeof BaselineIdSchema>;

/** Each baseline's name (their allocations are in core/signals/baselines.ts). */
export const BASELINE_NAMES: Readonly<Record<BaselineId, string>> = {
  spy_buy_hold: 'SPY buy and hold',
  sixty_forty: '60/40 SPY/IEF, monthly',
  equal_weight: 'Equal weight SPY/TLT/GLD/SHY, monthly',
  majority: 'Always the majority strategy',
  logistic: 'Logistic regression',
};

const EquityPoint = z.object({ time: TimestampSchema, value: z.number().finite() });

/** Past predictions against what happened, and the equity of following the model next to the baselines. */
export const ScorecardSchema = z.object({
  modelVersion: z.string().nullable(),
  /** Label horizon in sessions: a prediction is scored once this many sessions followed it. */
  horizon: z.number().int().positive(),
  predictions: z.number().int().nonnegative(),
  scored: z.number().int().nonnegative(),
  /** Share of scored predictions whose pick was the realised best strategy; null before any is scored. */
  hitRate: z.number().finite().nullable(),
  /** Share of the most frequent realised best strategy among the scored ones. */
  majorityRate: z.number().finite().nullable(),
  majorityStrategy: StrategyIdSchema.nullable(),
  /**
   * Share of the scored predictions whose decision day lies inside the model's training window: those
   * are in-sample (the model saw their outcome while training) and are not evidence; null before any.
   */
  inSample: z.number().finite().min(0).max(1).nullable(),
  /** Why fewer predictions are scored than expected (e.g. a strategy ETF without daily bars), else null. */
  note: z.string().nullable(),
  /** Reliability of the top probability: bins of predicted confidence against the observed hit rate. */
  calibration: z.array(
    z.object({
      from: z.number(),
      to: z.number(),
      predicted: z.number(),
      observed: z.number(),
      count: z.number().int(),
    }),
  ),
  equity: z.object({ model: z.array(EquityPoint), baselines: z.record(z.string(), z.array(EquityPoint)) }),
  metrics: z.object({
    model: PerformanceMetricsSchema.nullable(),
    baselines: z.record(z.string(), PerformanceMetricsSchema.nullable()),
  }),
});
export type Scorecard = z.infer<typeof ScorecardSchema>;

export const INFERENCE_PROVIDERS = ['cuda', 'cpu'] as const;

/** The model the engine runs. */
export const ModelInfoSchema = z.object({
  version: z.string(),
  provider: z.enum(INFERENCE_PROVIDERS),
  /** The training window (daily bar dates, YYYY-MM-DD). */
  trainedFrom: z.string(),
  trainedTo: z.string(),
  features: z.array(FeatureIdSchema),
  /** Recursion: T cycles of n latent updates, `steps` supervision steps at inference. */
  cycles: z.number().int().positive(),
  latentSteps: z.number().int().positive(),
  steps: z.number().int().positive(),
  width: z.number().int().positive(),
  horizon: z.number().int().positive(),
  /** True for the model shipped with the workstation, false for one a trader accepted from Retrain. */
  shipped: z.boolean(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const TRAINING_PHASES = ['preparing', 'training', 'evaluating', 'done', 'failed'] as const;

/** Progress of a training job (the Retrain action, `trm train`). */
export const TrainingProgressSchema = z.object({
  jobId: z.string(),
  phase: z.enum(TRAINING_PHASES),
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  loss: z.number().finite().nullable(),
  accuracy: z.number().finite().nullable(),
  valLoss: z.number().finite().nullable(),
  valAccuracy: z.number().finite().nullable(),
  /** Estimated ms left, or null before an estimate exists. */
  etaMs: z.number().finite().nonnegative().nullable(),
  /** What is happening in words, or what failed. */
  message: z.string().nullable(),
  /** When done: the candidate's backtest next to the running model's, on the same data. */
  report: z
    .object({
      candidateVersion: z.string(),
      /** First and last decision dates the comparison covers (days the candidate did not train on). */
      from: z.string(),
      to: z.string(),
      /** Null where a figure is undefined (e.g. no volatility over too short a window). */
      candidate: PerformanceMetricsSchema.nullable(),
      current: PerformanceMetricsSchema.nullable(),
      baselines: z.record(z.string(), PerformanceMetricsSchema.nullable()),
      /** The candidate's accuracy on those days, next to the share of the training majority class. */
      accuracy: z.number().finite(),
      balancedAccuracy: z.number().finite(),
      majorityRate: z.number().finite(),
    })
    .nullable(),
});
export type TrainingProgress = z.infer<typeof TrainingProgressSchema>;

/** A progress report with no figures yet (a job starting, or one that failed with `message`). */
export function trainingProgress(
  jobId: string,
  phase: TrainingProgress['phase'],
  message: string | null = null,
): TrainingProgress {
  return {
    jobId,
    phase,
    epoch: 0,
    epochs: 0,
    loss: null,
    accuracy: null,
    valLoss: null,
    valAccuracy: null,
    etaMs: null,
    message,
    report: null,
  };
}
