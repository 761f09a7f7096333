/**
 * Messages between trainTrmInWorker (the calling thread) and train-worker.ts, as zod schemas: each side
 * validates what arrives (typed arrays are structured-cloned, so they arrive as typed arrays).
 */
import { z } from 'zod';
import { FeatureIdSchema } from '../../../shared/domain';
import { TrmConfigSchema } from './config';
import { BUFFERS, TRAINABLE_WEIGHTS, type WeightName } from './weights';

const Float32Schema = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const Int8Schema = z.custom<Int8Array>((v) => v instanceof Int8Array, 'expected an Int8Array');

const DatasetSchema = z.object({
  x: Float32Schema,
  labels: Int8Schema,
  rows: z.number().int().nonnegative(),
  features: z.array(FeatureIdSchema),
});

const WeightsSchema = z.object(
  Object.fromEntries([...TRAINABLE_WEIGHTS, ...BUFFERS].map((name) => [name, Float32Schema])) as Record<
    WeightName,
    typeof Float32Schema
  >,
);

const EpochProgressSchema = z.object({
  epoch: z.number().int(),
  epochs: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  etaMs: z.number(),
});

const StepMetricsSchema = z.object({ step: z.number().int(), accuracy: z.number(), logLoss: z.number() });

export const TrainedTrmDataSchema = z.object({
  config: TrmConfigSchema,
  features: z.array(FeatureIdSchema),
  weights: WeightsSchema,
  rawWeights: WeightsSchema,
  epochsRun: z.number().int(),
  bestEpoch: z.number().int(),
  samples: z.number().int(),
  history: z.array(EpochProgressSchema),
  validationSteps: z.array(StepMetricsSchema),
  optimizerSteps: z.number().int(),
  trainMs: z.number(),
});

export const ToWorkerSchema = z.object({
  type: z.literal('train'),
  dataset: DatasetSchema,
  validation: DatasetSchema,
  config: TrmConfigSchema.partial(),
});
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: EpochProgressSchema }),
  z.object({ type: z.literal('done'), trained: TrainedTrmDataSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
