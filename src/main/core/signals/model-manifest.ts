/**
 * `manifest.json`, written next to `model.onnx` in a model folder (`models/trm-default/`, a Retrain
 * candidate): what the training wrote and inference needs to use the graph correctly: the input
 * features in order with their training-window z-score statistics, the strategies in output order, the
 * recursion's shape and the graph's input and output names. Training writes it, inference validates it on
 * load (a folder from another version fails with a clear message).
 */
import { z } from 'zod';
import { FeatureIdSchema, StrategyIdSchema } from '../../../shared/domain';

export const MODEL_FORMAT = 'trm-onnx-1';

/** Clip of z-scores (training and inference): |z| ≤ 5. */
export const Z_CLIP = 5;

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ModelManifestSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  /** e.g. "trm-20211231-a1b2c3" (training end date and a hash of the weights). */
  version: z.string().min(1),
  createdAt: z.string(),
  /** The model's inputs, in the order of the graph's feature axis. */
  features: z.array(FeatureIdSchema).min(1),
  /** Training-window statistics per input: z = clip((value − mean) / sd, ±Z_CLIP). */
  normalisation: z.object({ mean: z.array(z.number()), sd: z.array(z.number().positive()) }),
  /** Output order of the class axis (STRATEGY_IDS). */
  strategies: z.array(StrategyIdSchema).length(8),
  /** Label horizon in sessions. */
  horizon: z.number().int().positive(),
  architecture: z.object({
    /** D: width of x, y and z. */
    width: z.number().int().positive(),
    /** I: inner width of each SwiGLU. */
    hidden: z.number().int().positive(),
    layers: z.number().int().positive(),
    /** T: full recursions per supervision step. */
    cycles: z.number().int().positive(),
    /** n: latent updates per full recursion. */
    latentSteps: z.number().int().positive(),
    /** Supervision steps unrolled in the graph (N_inf). */
    steps: z.number().int().positive(),
  }),
  /**
   * Graph I/O names. Input: float32 [B, F] z-scores. Outputs: `probabilities` [B, 8] and `halt` [B] of
   * the last step; `cycleProbabilities` [B, steps·cycles, 8] and `cycleHalt` [B, steps·cycles], the
   * answer after every full recursion.
   */
  io: z.object({
    input: z.string(),
    probabilities: z.string(),
    halt: z.string(),
    cycleProbabilities: z.string(),
    cycleHalt: z.string(),
  }),
  /**
   * Baselines fitted on the same training window, shipped so a backtest on later data compares against
   * them without refitting: the most frequent training label, and the multinomial logistic regression's
   * weights ([F][8], bias [8]) on the same z-scored inputs. Written by `trm train`.
   */
  baselines: z
    .object({
      majority: StrategyIdSchema,
      logistic: z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) }),
    })
    .optional(),
  training: z.object({
    from: DateText,
    to: DateText,
    samples: z.number().int().nonnegative(),
    seed: z.number().int(),
    epochs: z.number().int().nonnegative(),
  }),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
