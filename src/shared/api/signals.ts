/**
 * The TRM strategy model over the contract: the model that runs, the feature streams, predictions (one
 * per daily decision bar), why a prediction says what it says, the scorecard of past predictions, and
 * retraining (a candidate model is used only after the trader accepts it). Where no model is loaded the
 * calls answer with what to do (`signals.model` says why).
 */
import { z } from 'zod';
import {
  FeatureStreamSchema,
  FeatureValueSchema,
  ModelInfoSchema,
  PredictionExplanationSchema,
  PredictionSchema,
  ScorecardSchema,
  TimestampSchema,
  TrainingProgressSchema,
} from '../domain';
import { NoParams } from './no-params';

export const MAX_PREDICTIONS_PER_REQUEST = 5000;

const JobId = z.string().min(1).max(64);
/** A date as YYYY-MM-DD. */
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const signalsRequests = {
  /** The running model, or null with the reason (no model folder, failed to load). */
  'signals.model': {
    params: NoParams,
    result: z.object({ model: ModelInfoSchema.nullable(), message: z.string().nullable() }),
  },
  /** Every feature stream with its definition and availability, and the latest values (null before the first decision). */
  'signals.features': {
    params: NoParams,
    result: z.object({
      streams: z.array(FeatureStreamSchema),
      latest: z.array(FeatureValueSchema).nullable(),
    }),
  },
  /**
   * Stored predictions, oldest first: the `limit` most recent whose decision bar starts before `before`;
   * fewer (the most recent) when they would pass half the message size limit (each carries every feature
   * stream's value and reason): ask again with `before` for the older ones.
   */
  'signals.predictions': {
    params: z
      .object({
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_PREDICTIONS_PER_REQUEST).default(500),
      })
      .strict(),
    result: z.array(PredictionSchema),
  },
  /** The answer after each recursion cycle and each feature's contribution, for one stored prediction. */
  'signals.explain': {
    params: z.object({ barStart: TimestampSchema }).strict(),
    result: PredictionExplanationSchema,
  },
  /** Realised outcomes of past predictions, hit rate, calibration and equity next to the baselines. */
  'signals.scorecard': { params: NoParams, result: ScorecardSchema },
  /** Starts retraining on the store's daily history (dates inclusive); progress comes by `signals.training`. */
  'signals.retrain': {
    params: z.object({ from: DateText.optional(), to: DateText.optional() }).strict(),
    result: z.object({ jobId: JobId }),
  },
  /** Accept (use from the next decision on) or reject a finished candidate model. */
  'signals.decideCandidate': {
    params: z.object({ jobId: JobId, accept: z.boolean() }).strict(),
    result: z.object({ model: ModelInfoSchema.nullable(), message: z.string().nullable() }),
  },
  /** Go back from an accepted model to the shipped one (models/trm-default), now and at the next start. */
  'signals.useShippedModel': {
    params: NoParams,
    result: z.object({ model: ModelInfoSchema.nullable(), message: z.string().nullable() }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const signalsEvents = {
  /** Each new prediction, after it was stored. */
  'signals.prediction': { arg: NoParams, payload: PredictionSchema },
  /** Progress of every training job, and its end (`done` with the report, or `failed` with the message). */
  'signals.training': { arg: NoParams, payload: TrainingProgressSchema },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
