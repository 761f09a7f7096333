/**
 * Messages between trainSentimentInWorker (the calling thread) and train-worker.ts, as zod schemas: each
 * side validates what arrives (typed arrays and maps are structured-cloned and arrive as such).
 */
import { z } from 'zod';

const Float32Schema = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const Int8Schema = z.custom<Int8Array>((v) => v instanceof Int8Array, 'expected an Int8Array');

const TextsSchema = z.object({
  tokens: z.array(z.array(z.number().int().nonnegative())),
  labels: Int8Schema,
});

export const SentimentTrainConfigSchema = z.object({
  vocabSize: z.number().int().positive(),
  dim: z.number().int().positive(),
  bigramBuckets: z.number().int().nonnegative(),
  bigramDim: z.number().int().nonnegative(),
  hidden: z.number().int().positive(),
  convFilters: z.number().int().nonnegative(),
  seed: z.number().int(),
  epochs: z.number().int().positive(),
  patience: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  learningRate: z.number().positive(),
  l2: z.number().nonnegative(),
  dropout: z.number().min(0).max(0.99),
  labelSmoothing: z.number().min(0).max(0.5),
  tokenDropout: z.number().min(0).max(0.9),
  wide: z.boolean(),
  emaDecay: z.number().min(0).max(0.9999),
  freezeEmbedding: z.boolean(),
});

const EpochProgressSchema = z.object({
  epoch: z.number().int(),
  epochs: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number(),
  valAccuracy: z.number(),
  etaMs: z.number(),
});

const WeightsSchema = z.object({
  embedding: Float32Schema,
  bigram: Float32Schema,
  query: Float32Schema,
  bigramQuery: Float32Schema,
  wideWord: Float32Schema,
  wideBigram: Float32Schema,
  wideWordScale: Float32Schema,
  wideBigramScale: Float32Schema,
  convW: Float32Schema,
  convB: Float32Schema,
  w1: Float32Schema,
  b1: Float32Schema,
  w2: Float32Schema,
  b2: Float32Schema,
});

export const ToWorkerSchema = z.object({
  type: z.literal('train'),
  train: TextsSchema,
  validation: TextsSchema,
  config: SentimentTrainConfigSchema,
  pretrained: z.map(z.number().int(), Float32Schema).nullable(),
});
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: EpochProgressSchema }),
  z.object({
    type: z.literal('done'),
    trained: z.object({
      config: SentimentTrainConfigSchema,
      weights: WeightsSchema,
      bestEpoch: z.number().int(),
      epochsRun: z.number().int(),
      history: z.array(EpochProgressSchema),
      trainMs: z.number(),
      wide: z
        .object({
          c: z.number(),
          candidates: z.array(z.object({ c: z.number(), accuracy: z.number() })),
          weight: z.number(),
          choices: z.array(z.object({ weight: z.number(), accuracy: z.number(), loss: z.number() })),
        })
        .nullable(),
    }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
