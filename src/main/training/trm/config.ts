/**
 * The TRM's configuration: architecture, deep supervision and optimisation, with the defaults we train
 * with. Shapes and the algorithm follow /work/shared/notes/trm.md §3 and §5 (Jolicoeur-Martineau 2025,
 * "Less is More: Recursive Reasoning with Tiny Networks", arXiv 2510.04871).
 */
import { z } from 'zod';

/** Output classes: the eight strategies (STRATEGY_IDS order). */
export const CLASSES = 8;

/** Trunk depth: 2 layers, as the paper's best TRM-MLP (more overfit on small data, trm.md §1.4). */
export const LAYERS = 2;

/** RMSNorm's epsilon (parameter-free RMSNorm, as the official code). */
export const RMS_EPS = 1e-5;

/** Initial halting-head bias: sigmoid(−5) ≈ 0.007, so nothing halts before the head has learned (trm.md §1.3). */
export const HALT_BIAS_INIT = -5;

export const TrmConfigSchema = z.object({
  /** D: width of x, y and z (16..128; choose on validation). */
  width: z.number().int().min(4).max(256),
  /** I: inner width of each SwiGLU; default 2·D. */
  hidden: z.number().int().min(4).max(1024),
  /** T: full recursions per supervision step (the first T − 1 without gradient). */
  cycles: z.number().int().min(1).max(8),
  /** n: latent updates per full recursion. */
  latentSteps: z.number().int().min(1).max(16),
  /**
   * N_sup: most supervision steps per batch in training. The paper uses 16; we default to 4 because on
   * 2 CPU cores one optimizer step at D = 32, batch 256 takes ≈ 60 ms, so 16 makes each epoch about 4x
   * longer (ACT halting shortens it only once the halting head has learned).
   */
  trainSteps: z.number().int().min(1).max(32),
  /** N_inf: supervision steps unrolled at inference (and in the ONNX graph); default N_sup. */
  inferSteps: z.number().int().min(1).max(32),
  /** Peak learning rate (AdamW). */
  lr: z.number().positive(),
  /** Decoupled weight decay: 0.1 (the paper's ARC setting) or 1.0 (its small-data Sudoku/Maze setting). */
  weightDecay: z.number().nonnegative(),
  /** Linear warm-up length in epochs' worth of optimizer steps (scaled to the run, not the paper's 2000 steps). */
  warmupEpochs: z.number().nonnegative(),
  batchSize: z.number().int().min(1).max(65536),
  /** Most epochs; early stopping usually ends sooner. */
  epochs: z.number().int().min(1).max(10000),
  /** Epochs without a better validation log-loss before training stops (the best EMA weights are kept). */
  patience: z.number().int().min(1),
  /** EMA decay of the weights that evaluation and export use. */
  ema: z.number().min(0).max(1),
  /** Probability per sample and step that halting is vetoed until a random minimum step (ACT exploration). */
  haltExploration: z.number().min(0).max(1),
  seed: z.number().int(),
});
export type TrmConfig = z.infer<typeof TrmConfigSchema>;

/** Defaults (trm.md §3.4): T = 3, n = 6, D = 32, I = 2·D, N_sup = N_inf = 4, lr 1e-3, wd 0.1, batch 256. */
export const DEFAULT_TRM_CONFIG: TrmConfig = {
  width: 32,
  hidden: 64,
  cycles: 3,
  latentSteps: 6,
  trainSteps: 4,
  inferSteps: 4,
  lr: 1e-3,
  weightDecay: 0.1,
  warmupEpochs: 2,
  batchSize: 256,
  epochs: 60,
  patience: 8,
  ema: 0.999,
  haltExploration: 0.1,
  seed: 1,
};

/**
 * The full configuration from partial settings: `hidden` defaults to 2·width and `inferSteps` to
 * `trainSteps` when those are not given. Throws an Error naming each field whose value is out of range.
 */
export function resolveTrmConfig(settings: Partial<TrmConfig> = {}): TrmConfig {
  // A field given as undefined takes its default (as if it were left out).
  const partial = Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<TrmConfig>;
  const width = partial.width ?? DEFAULT_TRM_CONFIG.width;
  const trainSteps = partial.trainSteps ?? DEFAULT_TRM_CONFIG.trainSteps;
  const parsed = TrmConfigSchema.safeParse({
    ...DEFAULT_TRM_CONFIG,
    ...partial,
    width,
    hidden: partial.hidden ?? 2 * width,
    trainSteps,
    inferSteps: partial.inferSteps ?? trainSteps,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid TRM configuration (${issues})`);
  }
  return parsed.data;
}
