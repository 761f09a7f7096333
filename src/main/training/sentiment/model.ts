/**
 * The sentiment model in tfjs: fastText-style (Joulin et al., "Bag of Tricks for Efficient Text
 * Classification", 2016) with attention pooling — word embeddings and hashed-bigram embeddings, each
 * pooled by a masked softmax over positions of (embedding · query) (a learned weighting: URL pieces and
 * filler words can weigh little, unlike in a plain mean; the queries start at 0, i.e. the mean),
 * concatenated, then a ReLU layer and a linear layer to 3 logits (SENTIMENT_LABELS order).
 * Bigram ids are computed from the token ids ((a·BIGRAM_MULTIPLIER + b) mod buckets), so the ONNX graph
 * computes them itself from `input_ids` and the tokenizer stays a standard one.
 *
 * Shapes: ids [B, T] int32, mask [B, T] float32 (1 = token, 0 = padding). Padding never reaches a
 * text's logits: padded positions are multiplied by 0 before the sums.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Random } from '../../core/synthetic/random';

export const CLASSES = 3;
/** Words per convolution window. */
export const CONV_WIDTH = 3;
/** A prime larger than any vocabulary, so (a, b) → a·M + b is one-to-one before the modulo. */
export const BIGRAM_MULTIPLIER = 1_000_003;

export interface SentimentModelShape {
  /** Rows of the word embedding (the tokenizer's vocabulary, special tokens included). */
  vocabSize: number;
  /** Word embedding width (100 with the wink vectors). */
  dim: number;
  /** Hashed-bigram buckets (0: no bigram branch). */
  bigramBuckets: number;
  bigramDim: number;
  /** Width of the ReLU layer. */
  hidden: number;
  /**
   * Filters of a 1-D convolution over word embeddings (windows of CONV_WIDTH words, ReLU, max over the
   * windows inside the text; Kim, "Convolutional Neural Networks for Sentence Classification", 2014);
   * 0: none.
   */
  convFilters: number;
  /**
   * A wide (linear) path added to the logits: per-word and per-bigram-bucket logit weights summed over
   * the text and divided by √(Σ scale) (scale 1: √(tokens + bigrams); idf²: TF-IDF's L2 norm), the
   * shape of a logistic regression on L2-normalised n-gram features ("wide & deep", Cheng et al. 2016).
   */
  wide: boolean;
}

/** Weights as plain arrays (row-major). */
export interface SentimentWeights {
  /** [vocabSize, dim] */
  embedding: Float32Array;
  /** [bigramBuckets, bigramDim] (empty without a bigram branch) */
  bigram: Float32Array;
  /** [dim] attention query of the words */
  query: Float32Array;
  /** [bigramDim] attention query of the bigrams */
  bigramQuery: Float32Array;
  /** [vocabSize, 3] wide path's word weights (empty without the wide path) */
  wideWord: Float32Array;
  /** [bigramBuckets, 3] wide path's bigram weights (empty without the wide path or bigrams) */
  wideBigram: Float32Array;
  /**
   * [vocabSize] and [bigramBuckets]: each feature's squared weight in the wide path's normaliser
   * √(Σ over the text's tokens and bigrams of scale) — 1 (a count) unless fitWidePath set idf².
   * Never trained.
   */
  wideWordScale: Float32Array;
  wideBigramScale: Float32Array;
  /** [CONV_WIDTH·dim, convFilters] and [convFilters] (empty without the convolution) */
  convW: Float32Array;
  convB: Float32Array;
  /** [dim + bigramDim + convFilters, hidden] */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden, 3] */
  w2: Float32Array;
  b2: Float32Array;
}

export const WEIGHT_NAMES = [
  'embedding',
  'bigram',
  'query',
  'bigramQuery',
  'wideWord',
  'wideBigram',
  'wideWordScale',
  'wideBigramScale',
  'convW',
  'convB',
  'w1',
  'b1',
  'w2',
  'b2',
] as const;
/** The wide path's weights (trained with their own learning rate). */
export const WIDE_WEIGHTS: ReadonlySet<WeightName> = new Set(['wideWord', 'wideBigram']);
/** Weights no optimiser touches. */
export const FIXED_WEIGHTS: ReadonlySet<WeightName> = new Set(['wideWordScale', 'wideBigramScale']);
export type WeightName = (typeof WEIGHT_NAMES)[number];

export function weightShapes(s: SentimentModelShape): Record<WeightName, [number, number] | [number]> {
  const pooled = s.dim + (s.bigramBuckets > 0 ? s.bigramDim : 0) + s.convFilters;
  return {
    embedding: [s.vocabSize, s.dim],
    bigram: [s.bigramBuckets, s.bigramBuckets > 0 ? s.bigramDim : 0],
    query: [s.dim],
    bigramQuery: [s.bigramBuckets > 0 ? s.bigramDim : 0],
    wideWord: [s.wide ? s.vocabSize : 0, CLASSES],
    wideBigram: [s.wide ? s.bigramBuckets : 0, CLASSES],
    wideWordScale: [s.wide ? s.vocabSize : 0, 1],
    wideBigramScale: [s.wide ? s.bigramBuckets : 0, 1],
    convW: [s.convFilters > 0 ? CONV_WIDTH * s.dim : 0, s.convFilters],
    convB: [s.convFilters],
    w1: [pooled, s.hidden],
    b1: [s.hidden],
    w2: [s.hidden, CLASSES],
    b2: [CLASSES],
  };
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Seeded initial weights: embeddings N(0, 0.1²) (rows of `pretrained` replace them where given, scaled
 * to `pretrainedScale` RMS), Glorot-uniform dense layers, zero biases. [PAD] (row 0) starts at 0.
 */
export function initWeights(
  shape: SentimentModelShape,
  seed: number,
  pretrained?: ReadonlyMap<number, ArrayLike<number>>,
): SentimentWeights {
  const random = Random.fromSeed(seed);
  const shapes = weightShapes(shape);
  const normal = (n: number, sd: number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = random.normal() * sd;
    return out;
  };
  const glorot = ([fanIn, fanOut]: number[]): Float32Array => {
    const limit = Math.sqrt(6 / (fanIn! + fanOut!));
    const out = new Float32Array(fanIn! * fanOut!);
    for (let i = 0; i < out.length; i++) out[i] = (random.uniform() * 2 - 1) * limit;
    return out;
  };
  const embedding = normal(sizeOf(shapes.embedding), 0.1);
  embedding.fill(0, 0, shape.dim);
  if (pretrained && pretrained.size > 0) {
    let sumSquares = 0;
    let count = 0;
    for (const vector of pretrained.values()) {
      for (let k = 0; k < shape.dim; k++) sumSquares += vector[k]! ** 2;
      count += shape.dim;
    }
    // Scale the pretrained rows to the random rows' size, so both kinds of word weigh alike.
    const scale = 0.1 / Math.sqrt(sumSquares / count);
    for (const [id, vector] of pretrained) {
      if (id <= 0 || id >= shape.vocabSize) continue;
      for (let k = 0; k < shape.dim; k++) embedding[id * shape.dim + k] = vector[k]! * scale;
    }
  }
  return {
    embedding,
    bigram: normal(sizeOf(shapes.bigram), 0.1),
    query: new Float32Array(sizeOf(shapes.query)),
    bigramQuery: new Float32Array(sizeOf(shapes.bigramQuery)),
    wideWord: new Float32Array(sizeOf(shapes.wideWord)),
    wideBigram: new Float32Array(sizeOf(shapes.wideBigram)),
    wideWordScale: new Float32Array(sizeOf(shapes.wideWordScale)).fill(1),
    wideBigramScale: new Float32Array(sizeOf(shapes.wideBigramScale)).fill(1),
    convW: shape.convFilters > 0 ? glorot(shapes.convW) : new Float32Array(0),
    convB: new Float32Array(shape.convFilters),
    w1: glorot(shapes.w1),
    b1: new Float32Array(shape.hidden),
    w2: glorot(shapes.w2),
    b2: new Float32Array(CLASSES),
  };
}

/** Bigram bucket of token ids a then b. */
export function bigramBucket(a: number, b: number, buckets: number): number {
  return (a * BIGRAM_MULTIPLIER + b) % buckets;
}

/** A padded batch of tokenised texts, as the graph sees it. */
export interface TokenBatch {
  rows: number;
  /** Longest text in the batch (tokens); every row is padded to it. */
  length: number;
  ids: Int32Array;
  mask: Float32Array;
  /** [rows, length − 1] bucket of each adjacent pair, and 1 where both tokens are real. */
  bigrams: Int32Array;
  bigramMask: Float32Array;
}

/** Pads `texts` (token ids each) into a batch; `length` at least 2 so there is a bigram axis. */
export function padBatch(texts: readonly (readonly number[])[], buckets: number): TokenBatch {
  const rows = texts.length;
  const length = Math.max(2, ...texts.map((t) => t.length));
  const ids = new Int32Array(rows * length);
  const mask = new Float32Array(rows * length);
  const bigrams = new Int32Array(rows * (length - 1));
  const bigramMask = new Float32Array(rows * (length - 1));
  texts.forEach((text, r) => {
    for (let t = 0; t < text.length; t++) {
      ids[r * length + t] = text[t]!;
      mask[r * length + t] = 1;
    }
    for (let t = 0; t < length - 1; t++) {
      // The graph hashes every pair, padding included, and masks the padded ones; so does this.
      const a = ids[r * length + t]!;
      const b = ids[r * length + t + 1]!;
      bigrams[r * (length - 1) + t] = buckets > 0 ? bigramBucket(a, b, buckets) : 0;
      bigramMask[r * (length - 1) + t] = t + 1 < text.length ? 1 : 0;
    }
  });
  return { rows, length, ids, mask, bigrams, bigramMask };
}

/**
 * Rows of `table` at `indices` with a gradient built on scatterND: tfjs's own gather gradient needs
 * UnsortedSegmentSum, which the wasm backend lacks. scatterND sums the rows of repeated indices.
 */
const gatherRows = tf.customGrad((table, indices, save) => {
  const t = table as tf.Tensor2D;
  const i = indices as tf.Tensor1D;
  (save as tf.GradSaveFunc)([i]);
  return {
    value: tf.gather(t, i),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [idx] = saved as [tf.Tensor1D];
      return [tf.scatterND(tf.expandDims(idx, 1), dy, t.shape), tf.zerosLike(idx)];
    },
  };
});

/** Added to the scores of padded positions: exp(−1e4) is 0 in float32, so padding weighs nothing. */
export const MASKED_SCORE = -1e4;

/**
 * Attention pooling over axis 1 of the rows of `table` at `ids` [B, T]: softmax over positions of
 * (row · query), padded positions excluded; [B, width].
 */
function attentionPool(
  table: tf.Tensor2D,
  query: tf.Tensor,
  ids: tf.Tensor2D,
  mask: tf.Tensor2D,
): tf.Tensor2D {
  const [b, t] = ids.shape;
  const width = table.shape[1];
  const rows = gatherRows(table, tf.reshape(ids, [-1]));
  const scores = tf.reshape(tf.matMul(rows, tf.reshape(query, [width, 1])), [b, t]);
  const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(mask, 1), -MASKED_SCORE)));
  const seq = tf.reshape(rows, [b, t, width]);
  return tf.sum(tf.mul(seq, tf.expandDims(weights, 2)), 1);
}

export type SentimentTensors = Record<WeightName, tf.Tensor>;

/**
 * Logits [B, 3] of a batch. `dropout` (training only): a [B, hidden] 0/scale mask on the ReLU layer.
 */
export function forward(
  w: SentimentTensors,
  shape: SentimentModelShape,
  batch: { ids: tf.Tensor2D; mask: tf.Tensor2D; bigrams: tf.Tensor2D; bigramMask: tf.Tensor2D },
  dropout?: tf.Tensor2D,
): tf.Tensor2D {
  let pooled = attentionPool(w.embedding as tf.Tensor2D, w.query, batch.ids, batch.mask);
  if (shape.bigramBuckets > 0) {
    const bigram = attentionPool(w.bigram as tf.Tensor2D, w.bigramQuery, batch.bigrams, batch.bigramMask);
    pooled = tf.concat([pooled, bigram], 1);
  }
  if (shape.convFilters > 0) {
    pooled = tf.concat([pooled, convolve(w, shape, batch.ids, batch.mask)], 1);
  }
  let h = tf.relu(tf.add(tf.matMul(pooled, w.w1 as tf.Tensor2D), w.b1));
  if (dropout) h = tf.mul(h, dropout);
  const deep = tf.add<tf.Tensor2D>(tf.matMul(h, w.w2), w.b2);
  if (!shape.wide) return deep;
  let wide: tf.Tensor2D = maskedSum(w.wideWord as tf.Tensor2D, batch.ids, batch.mask);
  let norm: tf.Tensor2D = maskedSum(w.wideWordScale as tf.Tensor2D, batch.ids, batch.mask);
  if (shape.bigramBuckets > 0) {
    wide = tf.add(wide, maskedSum(w.wideBigram as tf.Tensor2D, batch.bigrams, batch.bigramMask));
    norm = tf.add(norm, maskedSum(w.wideBigramScale as tf.Tensor2D, batch.bigrams, batch.bigramMask));
  }
  return tf.add<tf.Tensor2D>(deep, tf.div(wide, tf.sqrt(tf.maximum(norm, 1e-6))));
}

/**
 * The convolution branch: word rows padded with CONV_WIDTH − 1 zero rows at the end, windows t..t+2 as
 * [B, T, 3·dim], one MatMul, ReLU, times 1 where the window's last word is inside the text (masks are a
 * prefix of ones), max over windows: [B, filters] (0 for a text shorter than a window).
 */
function convolve(
  w: SentimentTensors,
  shape: SentimentModelShape,
  ids: tf.Tensor2D,
  mask: tf.Tensor2D,
): tf.Tensor2D {
  const [b, t] = ids.shape;
  const rows = tf.reshape(gatherRows(w.embedding, tf.reshape(ids, [-1])), [b, t, shape.dim]);
  const padded = tf.pad(rows, [
    [0, 0],
    [0, CONV_WIDTH - 1],
    [0, 0],
  ]);
  const windows = tf.concat(
    Array.from({ length: CONV_WIDTH }, (_, k) => tf.slice(padded, [0, k, 0], [b, t, shape.dim])),
    2,
  );
  const flat = tf.reshape(windows, [b * t, CONV_WIDTH * shape.dim]);
  const features = tf.relu(tf.add(tf.matMul(flat, w.convW as tf.Tensor2D), w.convB));
  const paddedMask = tf.pad(mask, [
    [0, 0],
    [0, CONV_WIDTH - 1],
  ]);
  const valid = tf.slice(paddedMask, [0, CONV_WIDTH - 1], [b, t]);
  const masked = tf.mul(tf.reshape(features, [b, t, shape.convFilters]), tf.expandDims(valid, 2));
  return tf.max(masked, 1);
}

/** Masked sum over axis 1 of the rows of `table` at `ids` [B, T]: [B, width]. */
function maskedSum(table: tf.Tensor2D, ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  const [b, t] = ids.shape;
  const rows = tf.reshape(gatherRows(table, tf.reshape(ids, [-1])), [b, t, table.shape[1]]);
  return tf.sum<tf.Tensor2D>(tf.mul(rows, tf.expandDims(mask, 2)), 1);
}

let backend: Promise<void> | null = null;

/** Selects tfjs's wasm backend once per thread; rejects when its binary cannot be loaded. */
export function ensureWasm(): Promise<void> {
  backend ??= (async () => {
    if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm')))
      throw new Error('tfjs could not start its wasm backend (@tensorflow/tfjs-backend-wasm)');
    await tf.ready();
  })();
  return backend;
}

export function batchTensors(b: TokenBatch): {
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
  bigrams: tf.Tensor2D;
  bigramMask: tf.Tensor2D;
} {
  return {
    ids: tf.tensor2d(b.ids, [b.rows, b.length], 'int32'),
    mask: tf.tensor2d(b.mask, [b.rows, b.length]),
    bigrams: tf.tensor2d(b.bigrams, [b.rows, b.length - 1], 'int32'),
    bigramMask: tf.tensor2d(b.bigramMask, [b.rows, b.length - 1]),
  };
}

export function tensorsOf(weights: SentimentWeights, shape: SentimentModelShape): SentimentTensors {
  const shapes = weightShapes(shape);
  return Object.fromEntries(
    WEIGHT_NAMES.map((name) => [name, tf.tensor(weights[name], shapes[name])]),
  ) as SentimentTensors;
}

/**
 * Logits (rows × 3, row-major) of tokenised texts with the given weights, in batches of 256 sorted by
 * nothing (each batch padded to its longest text; padding does not change a text's logits).
 */
export async function predictLogits(
  weights: SentimentWeights,
  shape: SentimentModelShape,
  texts: readonly (readonly number[])[],
): Promise<Float32Array> {
  await ensureWasm();
  const out = new Float32Array(texts.length * CLASSES);
  const w = tensorsOf(weights, shape);
  try {
    for (let i = 0; i < texts.length; i += 256) {
      const batch = padBatch(texts.slice(i, i + 256), shape.bigramBuckets);
      const logits = tf.tidy(() => forward(w, shape, batchTensors(batch)));
      out.set(await logits.data(), i * CLASSES);
      logits.dispose();
    }
  } finally {
    for (const t of Object.values(w)) t.dispose();
  }
  return out;
}
