/**
 * The logistic baseline: a multinomial logistic regression (one dense softmax layer over the 8
 * strategies) on the same features as the model, z-scored with its own training rows' statistics.
 * Trained with tfjs (wasm backend): full-batch Adam for a fixed number of epochs from a seeded
 * initialisation, loss = mean softmax cross-entropy + l2·Σw² (the bias is not penalised). The problem is
 * convex, so a fixed schedule lands near the same optimum for any seed; the seed makes it exact.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { STRATEGY_IDS } from '../../shared/domain';
import type { LogisticWeights } from '../core/signals/logistic';

const CLASSES = STRATEGY_IDS.length;
/** Z-scores are clipped to ±Z_CLIP, as the model's inputs are (shared/domain/signals.ts). */
const Z_CLIP = 5;
/**
 * No class gets less than this probability: a class absent from training is pushed far down but must not
 * reach 0 (log-loss) or NaN. Rows are renormalised after the floor.
 */
export const PROBABILITY_FLOOR = 1e-6;

export interface LogisticOptions {
  /** Full-batch Adam steps (default 300). */
  epochs?: number;
  /** Adam's learning rate (default 0.05). */
  learningRate?: number;
  /** L2 penalty on the weights (default 1e-3). */
  l2?: number;
  /** Seed of the initial weights (default 1). */
  seed?: number;
}

/**
 * The fitted model. `weights` [cols][8] and `bias` [8] are folded onto the scale of the inputs given to
 * fitLogistic (W/sd, b − Σ mean·W/sd), so `logisticProbabilities(x, rows, model)` (core/signals/logistic.ts,
 * what ships in a model folder) gives `predict`'s answer wherever no input is unknown or clipped.
 */
export interface LogisticModel extends LogisticWeights {
  /** Per column: the training mean and sd used to z-score inputs (sd 1 for a constant column). */
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /**
   * Class probabilities of `rows` rows of raw features (row-major, the training columns; NaN = unknown,
   * fed as the training mean): rows×8, STRATEGY_IDS order, each row summing to 1.
   */
  predict(x: ArrayLike<number>, rows: number): Float32Array;
}

let backend: Promise<void> | null = null;

function ensureWasmBackend(): Promise<void> {
  backend ??= (async () => {
    if (tf.getBackend() === 'wasm') return;
    if (!(await tf.setBackend('wasm'))) {
      throw new Error('tfjs could not start its wasm backend (@tensorflow/tfjs-backend-wasm).');
    }
    await tf.ready();
  })();
  return backend;
}

/**
 * Fits the regression on the rows of `x` (row-major rows×cols raw features) whose label is 0..7; rows
 * labelled −1 are ignored. Resolves with the fitted model. Rejects when no row is labelled, the sizes
 * do not match, or a label is not a class.
 */
export async function fitLogistic(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  labels: ArrayLike<number>,
  options: LogisticOptions = {},
): Promise<LogisticModel> {
  const { epochs = 300, learningRate = 0.05, l2 = 1e-3, seed = 1 } = options;
  if (x.length !== rows * cols || labels.length !== rows) {
    throw new Error(
      `fitLogistic: ${x.length} values and ${labels.length} labels do not make ${rows}×${cols}.`,
    );
  }
  const train: number[] = [];
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    if (label < 0) continue;
    if (!Number.isInteger(label) || label >= CLASSES)
      throw new Error(`fitLogistic: label ${label} is not a class.`);
    train.push(r);
  }
  if (train.length === 0) throw new Error('fitLogistic: no labelled row to train on.');
  await ensureWasmBackend();

  const { mean, sd } = columnStatistics(x, cols, train);
  const z = zScores(x, cols, train, mean, sd);
  const xs = tf.tensor2d(z, [train.length, cols]);
  const ys = tf.oneHot(
    tf.tensor1d(
      train.map((r) => labels[r]!),
      'int32',
    ),
    CLASSES,
  );
  const weights = tf.variable(tf.randomNormal([cols, CLASSES], 0, 0.01, 'float32', seed));
  const bias = tf.variable(tf.zeros([CLASSES]));
  const optimizer = tf.train.adam(learningRate);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const loss = optimizer.minimize(
        () => {
          const logits = tf.add(tf.matMul(xs, weights), bias);
          return tf.add(tf.losses.softmaxCrossEntropy(ys, logits), tf.mul(l2, tf.sum(tf.square(weights))));
        },
        false,
        [weights, bias],
      );
      loss?.dispose();
    }
    const w = Float32Array.from(weights.dataSync());
    const b = Float32Array.from(bias.dataSync());
    return {
      mean,
      sd,
      ...folded(w, b, mean, sd),
      predict: (input, n) => predictWith(input, n, cols, mean, sd, w, b),
    };
  } finally {
    tf.dispose([xs, ys, weights, bias]);
    optimizer.dispose();
  }
}

/** The weights on the raw input scale: logit_c = b_c + Σ_j (x_j − mean_j)/sd_j·W_jc. */
function folded(w: Float32Array, b: Float32Array, mean: Float64Array, sd: Float64Array): LogisticWeights {
  const weights = Array.from(mean, (_, j) =>
    Array.from({ length: CLASSES }, (_, c) => w[j * CLASSES + c]! / sd[j]!),
  );
  const bias = Array.from({ length: CLASSES }, (_, c) => {
    let v = b[c]!;
    for (let j = 0; j < mean.length; j++) v -= mean[j]! * weights[j]![c]!;
    return v;
  });
  return { weights, bias };
}

/** Softmax of z·W + b in plain JS (a few thousand rows × 8: no tensors to manage). */
function predictWith(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  mean: Float64Array,
  sd: Float64Array,
  w: Float32Array,
  b: Float32Array,
): Float32Array {
  if (x.length !== rows * cols) throw new Error(`predict: ${x.length} values do not make ${rows}×${cols}.`);
  const out = new Float32Array(rows * CLASSES);
  const logits = new Float64Array(CLASSES);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < CLASSES; c++) logits[c] = b[c]!;
    for (let j = 0; j < cols; j++) {
      const zj = zScore(x[r * cols + j]!, mean[j]!, sd[j]!);
      if (zj === 0) continue;
      for (let c = 0; c < CLASSES; c++) logits[c]! += zj * w[j * CLASSES + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < CLASSES; c++) max = Math.max(max, logits[c]!);
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += logits[c] = Math.exp(logits[c]! - max);
    let floored = 0;
    for (let c = 0; c < CLASSES; c++) floored += logits[c] = Math.max(logits[c]! / sum, PROBABILITY_FLOOR);
    for (let c = 0; c < CLASSES; c++) out[r * CLASSES + c] = logits[c]! / floored;
  }
  return out;
}

/** Mean and sd (population) of each column over the given rows, skipping NaN; sd 1 where it is 0 or unknown. */
function columnStatistics(
  x: ArrayLike<number>,
  cols: number,
  rows: readonly number[],
): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(cols);
  const sd = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    let count = 0;
    for (const r of rows) {
      const v = x[r * cols + j]!;
      if (!Number.isFinite(v)) continue;
      sum += v;
      count++;
    }
    const m = count > 0 ? sum / count : 0;
    let squares = 0;
    for (const r of rows) {
      const v = x[r * cols + j]!;
      if (Number.isFinite(v)) squares += (v - m) ** 2;
    }
    const s = count > 0 ? Math.sqrt(squares / count) : 0;
    mean[j] = m;
    sd[j] = s > 0 ? s : 1;
  }
  return { mean, sd };
}

function zScores(
  x: ArrayLike<number>,
  cols: number,
  rows: readonly number[],
  mean: Float64Array,
  sd: Float64Array,
): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, k) => {
    for (let j = 0; j < cols; j++) out[k * cols + j] = zScore(x[r * cols + j]!, mean[j]!, sd[j]!);
  });
  return out;
}

/** (v − mean) / sd clipped to ±5; 0 (the training mean) for an unknown value. */
function zScore(v: number, mean: number, sd: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.max(-Z_CLIP, Math.min(Z_CLIP, (v - mean) / sd));
}
