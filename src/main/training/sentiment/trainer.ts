/**
 * Trains the sentiment model (model.ts) in tfjs on the wasm backend: Adam on softmax cross-entropy
 * (optionally label-smoothed) plus an L2 penalty on the dense layers, dropout on the ReLU layer,
 * seeded shuffling, early stopping on validation accuracy (ties: lower validation loss). Single-
 * threaded wasm and seeded draws make a run reproducible bit for bit on the same machine.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../core/synthetic/random';
import { fitWidePath, withWidePath } from './wide-path';
import {
  batchTensors,
  CLASSES,
  ensureWasm,
  forward,
  initWeights,
  padBatch,
  predictLogits,
  WEIGHT_NAMES,
  weightShapes,
  WIDE_WEIGHTS,
  FIXED_WEIGHTS,
  type SentimentModelShape,
  type SentimentWeights,
  type WeightName,
} from './model';

export interface SentimentTrainConfig extends SentimentModelShape {
  seed: number;
  /** Most epochs (early stopping ends sooner). */
  epochs: number;
  /** Epochs without a better validation accuracy before stopping. */
  patience: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on w1 and w2, added to the mean loss as l2·Σw². */
  l2: number;
  /** Dropout rate on the ReLU layer. */
  dropout: number;
  /** Label smoothing ε: targets (1 − ε)·onehot + ε/3. */
  labelSmoothing: number;
  /** Share of tokens and bigrams left out of each training text's means, drawn per step (0: none). */
  tokenDropout: number;
  /** Decay of the weights' moving average (0: none; the average is what is kept). */
  emaDecay: number;
  /** Keep the word embedding at its initial (pretrained) values. */
  freezeEmbedding: boolean;
}

/**
 * The shipped model's configuration, chosen on the validation split (see MODEL_CARD.md: what was tried):
 * 100-d words (the wink vectors' width), 65,536 bigram buckets × 4, 64 convolution filters, ReLU 64.
 */
export const DEFAULT_TRAIN_CONFIG: Omit<SentimentTrainConfig, 'vocabSize'> = {
  dim: 100,
  bigramBuckets: 65536,
  bigramDim: 4,
  hidden: 64,
  convFilters: 64,
  wide: false,
  seed: 1,
  epochs: 14,
  patience: 4,
  batchSize: 64,
  learningRate: 1e-3,
  l2: 1e-4,
  dropout: 0.3,
  labelSmoothing: 0.05,
  tokenDropout: 0.3,
  emaDecay: 0.99,
  freezeEmbedding: false,
};

/** Tokenised texts and their class indices (SENTIMENT_LABELS order). */
export interface TokenisedTexts {
  tokens: number[][];
  labels: Int8Array;
}

export interface SentimentEpochProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Estimated ms left if every remaining epoch runs. */
  etaMs: number;
}

export interface TrainedSentiment {
  config: SentimentTrainConfig;
  /** Weights of the best validation epoch. */
  weights: SentimentWeights;
  bestEpoch: number;
  epochsRun: number;
  history: SentimentEpochProgress[];
  trainMs: number;
  /**
   * With `wide`: the fitted TF-IDF wide path (C and the validation accuracy of each candidate) and the
   * weight k it was added at (logits = deep + k·wide), chosen on validation accuracy among WIDE_PATH_WEIGHTS.
   */
  wide: {
    c: number;
    candidates: { c: number; accuracy: number }[];
    weight: number;
    choices: { weight: number; accuracy: number; loss: number }[];
  } | null;
}

/**
 * What trainSentiment takes besides the texts and configuration (trainSentimentInWorker and the
 * pipeline's TrainFunction too, with Float32Array rows, which cross to a worker).
 */
export interface SentimentTrainOptions<Row extends ArrayLike<number> = ArrayLike<number>> {
  /** Pretrained embedding rows by token id (dim numbers each); other rows start random. */
  pretrained?: ReadonlyMap<number, Row>;
  /** Runs after each epoch. */
  onProgress?: (progress: SentimentEpochProgress) => void;
}

/** Weights of the fitted wide path tried on validation (0: the deep path alone). */
export const WIDE_PATH_WEIGHTS = [0, 0.5, 1, 2] as const;

/**
 * Trains the model: with `config.wide`, first fits the wide path as a TF-IDF logistic regression
 * (wide-path.ts), then trains the deep path alone (trainDeep), then adds the wide path at the weight
 * that scores best on validation (ties: the smaller weight) — a product of the two models, each fitted
 * on its own. Without it, the deep path alone.
 */
export async function trainSentiment(
  train: TokenisedTexts,
  validation: TokenisedTexts,
  config: SentimentTrainConfig,
  options: SentimentTrainOptions = {},
): Promise<TrainedSentiment> {
  checkTexts('training texts', train, config.vocabSize);
  checkTexts('validation texts', validation, config.vocabSize);
  if (!config.wide) return trainDeep(train, validation, config, options);
  const started = Date.now();
  const wide = fitWidePath(train, validation, config);
  const deep = await trainDeep(train, validation, { ...config, wide: false }, options);
  const choices: { weight: number; accuracy: number; loss: number }[] = [];
  let best: { weight: number; accuracy: number; loss: number; weights: SentimentWeights } | null = null;
  for (const weight of WIDE_PATH_WEIGHTS) {
    const weights = withWidePath(deep.weights, wide, weight);
    const metrics = logitMetrics(await predictLogits(weights, config, validation.tokens), validation.labels);
    choices.push({ weight, ...metrics });
    if (best === null || metrics.accuracy > best.accuracy) best = { weight, ...metrics, weights };
  }
  return {
    ...deep,
    config,
    weights: best!.weights,
    trainMs: Date.now() - started,
    wide: { c: wide.c, candidates: wide.candidates, weight: best!.weight, choices },
  };
}

/** Checks tokenised texts; throws an Error naming the first problem. */
export function checkTexts(what: string, data: TokenisedTexts, vocabSize: number): void {
  if (data.tokens.length === 0) throw new Error(`${what}: no texts`);
  if (data.tokens.length !== data.labels.length)
    throw new Error(`${what}: ${data.tokens.length} texts but ${data.labels.length} labels`);
  data.labels.forEach((label, i) => {
    if (label < 0 || label >= CLASSES) throw new Error(`${what}: label ${label} of text ${i} is not 0..2`);
  });
  data.tokens.forEach((ids, i) => {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
        throw new Error(`${what}: token id ${id} of text ${i} is outside the vocabulary (${vocabSize})`);
    }
  });
}

/** Mean cross-entropy and accuracy of logits (rows × 3) against labels. */
export function logitMetrics(logits: Float32Array, labels: Int8Array): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    const row = logits.subarray(r * CLASSES, r * CLASSES + CLASSES);
    const max = Math.max(...row);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    loss += -(row[labels[r]!]! - max - Math.log(sum));
    if (row.indexOf(max) === labels[r]) correct++;
  }
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}

/**
 * Trains the deep path on `train` (a model without the wide path), choosing the epoch on `validation`.
 * `onProgress` runs after each epoch.
 * @throws Error when the data or configuration is invalid.
 */
async function trainDeep(
  train: TokenisedTexts,
  validation: TokenisedTexts,
  config: SentimentTrainConfig,
  options: SentimentTrainOptions = {},
): Promise<TrainedSentiment> {
  // The texts were checked by trainSentiment, its only caller.
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new Error(`dropout must be in [0, 1)`);
  await ensureWasm();
  const shape: SentimentModelShape = config;
  const shapes = weightShapes(shape);
  const initial = initWeights(shape, config.seed, options.pretrained);
  const vars = Object.fromEntries(
    WEIGHT_NAMES.map((name) => [
      name,
      tf.variable(tf.tensor(initial[name], shapes[name]), true, `s_${name}`),
    ]),
  ) as Record<WeightName, tf.Variable>;
  // The wide path is fitted apart (trainSentiment); the deep path never trains it.
  const trainable = WEIGHT_NAMES.filter(
    (n) =>
      vars[n].size > 0 &&
      !FIXED_WEIGHTS.has(n) &&
      !WIDE_WEIGHTS.has(n) &&
      (n !== 'embedding' || !config.freezeEmbedding),
  );
  const optimizer = tf.train.adam(config.learningRate);
  // An exponential moving average of the weights, updated after every step: what validation scores and
  // what is kept (smoother than the last step's weights; decay 0 keeps the raw weights).
  const ema =
    config.emaDecay > 0
      ? (Object.fromEntries(
          WEIGHT_NAMES.map((name) => [name, tf.variable(vars[name].clone(), false, `s_ema_${name}`)]),
        ) as Record<WeightName, tf.Variable>)
      : null;
  let steps = 0;
  const random = Random.fromSeed(config.seed + 1);
  const order = Array.from(train.tokens.keys());
  const history: SentimentEpochProgress[] = [];
  let best: { accuracy: number; loss: number; epoch: number; weights: SentimentWeights } | null = null;
  const started = Date.now();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      // Fisher-Yates with the seeded stream.
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < order.length; start += config.batchSize) {
        const rows = order.slice(start, start + config.batchSize);
        const batch = padBatch(
          rows.map((r) => train.tokens[r]!),
          config.bigramBuckets,
        );
        if (config.tokenDropout > 0) {
          for (const m of [batch.mask, batch.bigramMask]) {
            for (let k = 0; k < m.length; k++)
              if (m[k] === 1 && random.uniform() < config.tokenDropout) m[k] = 0;
          }
        }
        const target = new Float32Array(rows.length * CLASSES).fill(config.labelSmoothing / CLASSES);
        rows.forEach((r, k) => (target[k * CLASSES + train.labels[r]!]! += 1 - config.labelSmoothing));
        const keep = new Float32Array(rows.length * config.hidden);
        for (let k = 0; k < keep.length; k++)
          keep[k] = random.uniform() < config.dropout ? 0 : 1 / (1 - config.dropout);
        const logitsOut: tf.Tensor[] = [];
        const { value: cost, grads } = tf.variableGrads(
          () => {
            const tensors = batchTensors(batch);
            const logits = forward(vars, shape, tensors, tf.tensor2d(keep, [rows.length, config.hidden]));
            logitsOut.push(tf.keep(logits));
            const ce = tf.mean(
              tf.neg(tf.sum(tf.mul(tf.tensor2d(target, [rows.length, CLASSES]), tf.logSoftmax(logits)), 1)),
            );
            const l2 = tf.mul(tf.add(tf.sum(tf.square(vars.w1)), tf.sum(tf.square(vars.w2))), config.l2);
            return tf.add<tf.Scalar>(ce, l2);
          },
          trainable.map((n) => vars[n]),
        );
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        steps++;
        if (ema) {
          // The decay ramps up over the first steps (TensorFlow's ExponentialMovingAverage with
          // num_updates), so a short training is not dominated by the initial weights.
          const decay = Math.min(config.emaDecay, (1 + steps) / (10 + steps));
          tf.tidy(() => {
            for (const name of trainable)
              ema[name].assign(tf.add(tf.mul(ema[name], decay), tf.mul(vars[name], 1 - decay)));
          });
        }
        tf.dispose(grads);
        lossSum += (await cost.data())[0]! * rows.length;
        cost.dispose();
        const logits = (await logitsOut[0]!.data()) as Float32Array;
        logitsOut[0]!.dispose();
        rows.forEach((r, k) => {
          const row = logits.subarray(k * CLASSES, k * CLASSES + CLASSES);
          if (row.indexOf(Math.max(...row)) === train.labels[r]) correct++;
        });
      }
      const weights = await readWeights(ema ?? vars);
      const val = logitMetrics(await predictLogits(weights, shape, validation.tokens), validation.labels);
      const elapsed = Date.now() - started;
      const progress: SentimentEpochProgress = {
        epoch,
        epochs: config.epochs,
        loss: lossSum / order.length,
        accuracy: correct / order.length,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        etaMs: (elapsed / epoch) * (config.epochs - epoch),
      };
      history.push(progress);
      if (
        best === null ||
        val.accuracy > best.accuracy ||
        (val.accuracy === best.accuracy && val.loss < best.loss)
      ) {
        best = { accuracy: val.accuracy, loss: val.loss, epoch, weights };
      }
      options.onProgress?.(progress);
      if (epoch - best.epoch >= config.patience) break;
    }
  } finally {
    for (const v of Object.values(vars)) v.dispose();
    if (ema) for (const v of Object.values(ema)) v.dispose();
    optimizer.dispose();
  }
  return {
    config,
    weights: best!.weights,
    bestEpoch: best!.epoch,
    epochsRun: history.length,
    history,
    trainMs: Date.now() - started,
    wide: null,
  };
}

async function readWeights(vars: Record<WeightName, tf.Variable>): Promise<SentimentWeights> {
  const out = {} as SentimentWeights;
  for (const name of WEIGHT_NAMES) out[name] = (await vars[name].data()) as Float32Array;
  return out;
}
