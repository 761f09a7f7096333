/**
 * The baseline the sentiment model must beat: TF-IDF over word unigrams and bigrams + multinomial logistic
 * regression with an L2 penalty, as scikit-learn's `TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)`
 * + `LogisticRegression(C=…)` compute it:
 *   tf = 1 + ln(count); idf = ln((1 + n) / (1 + df)) + 1 (smooth_idf); each row L2-normalised;
 *   minimise Σ_i CE_i + ‖W‖² / (2C) (the bias unpenalised).
 * Plain typed arrays (the rows are sparse); full-batch Adam for a fixed number of steps from zero weights,
 * so the result is deterministic. There is no well-kept npm package for it.
 */
const CLASSES = 3;

/** A fitted TF-IDF vocabulary: feature index per term and its idf. */
export interface TfidfVocabulary {
  index: Map<string, number>;
  idf: Float64Array;
}

/** A sparse row: feature indices and values. */
interface SparseRow {
  cols: Int32Array;
  values: Float64Array;
}

function terms(words: readonly string[]): string[] {
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** The terms (unigrams and bigrams) of the training texts with their smoothed idf. */
export function fitTfidf(texts: readonly (readonly string[])[]): TfidfVocabulary {
  const df = new Map<string, number>();
  for (const words of texts) {
    for (const term of new Set(terms(words))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const sorted = [...df.keys()].sort();
  const index = new Map(sorted.map((term, i) => [term, i]));
  const idf = new Float64Array(sorted.length);
  sorted.forEach((term, i) => (idf[i] = Math.log((1 + texts.length) / (1 + df.get(term)!)) + 1));
  return { index, idf };
}

/** TF-IDF rows of `texts` (terms unknown to the vocabulary are dropped). */
export function tfidfRows(vocabulary: TfidfVocabulary, texts: readonly (readonly string[])[]): SparseRow[] {
  return texts.map((words) => {
    const counts = new Map<number, number>();
    for (const term of terms(words)) {
      const col = vocabulary.index.get(term);
      if (col !== undefined) counts.set(col, (counts.get(col) ?? 0) + 1);
    }
    const cols = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = Float64Array.from(cols, (c) => (1 + Math.log(counts.get(c)!)) * vocabulary.idf[c]!);
    const norm = Math.hypot(...values);
    if (norm > 0) for (let k = 0; k < values.length; k++) values[k]! /= norm;
    return { cols, values };
  });
}

export interface LogisticFit {
  /** [features, 3] row-major. */
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Multinomial logistic regression with L2 strength 1/C on sparse rows: full-batch Adam (lr 0.05,
 * `steps` steps, from zero or from `start`) on the mean of (CE + ‖W‖² / (2C·n)).
 */
export function fitLogistic(
  rows: readonly SparseRow[],
  labels: ArrayLike<number>,
  features: number,
  c: number,
  steps = 300,
  start?: LogisticFit,
): LogisticFit {
  const n = rows.length;
  const w = start ? Float64Array.from(start.weights) : new Float64Array(features * CLASSES);
  const b = start ? Float64Array.from(start.bias) : new Float64Array(CLASSES);
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(CLASSES);
  const m = new Float64Array(w.length + CLASSES);
  const v = new Float64Array(w.length + CLASSES);
  const lr = 0.05;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const lambda = 1 / (c * n);
  const p = new Float64Array(CLASSES);
  for (let step = 1; step <= steps; step++) {
    for (let k = 0; k < w.length; k++) gw[k] = lambda * w[k]!;
    gb.fill(0);
    rows.forEach((row, i) => {
      scores(row, w, b, p);
      p[labels[i]!]! -= 1;
      for (let j = 0; j < CLASSES; j++) {
        const g = p[j]! / n;
        gb[j]! += g;
        for (let k = 0; k < row.cols.length; k++) gw[row.cols[k]! * CLASSES + j]! += g * row.values[k]!;
      }
    });
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    const update = (params: Float64Array, grads: Float64Array, offset: number): void => {
      for (let k = 0; k < params.length; k++) {
        const g = grads[k]!;
        const mk = (m[offset + k] = beta1 * m[offset + k]! + (1 - beta1) * g);
        const vk = (v[offset + k] = beta2 * v[offset + k]! + (1 - beta2) * g * g);
        params[k]! -= (lr * (mk / c1)) / (Math.sqrt(vk / c2) + eps);
      }
    };
    update(w, gw, 0);
    update(b, gb, w.length);
  }
  return { weights: w, bias: b };
}

/** Softmax probabilities of one row into `out`. */
function scores(row: SparseRow, w: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let j = 0; j < CLASSES; j++) {
    let s = b[j]!;
    for (let k = 0; k < row.cols.length; k++) s += w[row.cols[k]! * CLASSES + j]! * row.values[k]!;
    out[j] = s;
  }
  const max = Math.max(out[0]!, out[1]!, out[2]!);
  let sum = 0;
  for (let j = 0; j < CLASSES; j++) sum += out[j] = Math.exp(out[j]! - max);
  for (let j = 0; j < CLASSES; j++) out[j]! /= sum;
}

/** Class probabilities (rows × 3, row-major). */
export function predictLogistic(fit: LogisticFit, rows: readonly SparseRow[]): Float64Array {
  const out = new Float64Array(rows.length * CLASSES);
  const p = new Float64Array(CLASSES);
  rows.forEach((row, i) => {
    scores(row, fit.weights, fit.bias, p);
    out.set(p, i * CLASSES);
  });
  return out;
}

export interface TfidfBaseline {
  vocabulary: TfidfVocabulary;
  fit: LogisticFit;
  /** The C chosen on validation accuracy, and each candidate's validation accuracy. */
  c: number;
  candidates: { c: number; accuracy: number }[];
  /** Probabilities (rows × 3) of word lists. */
  predict(texts: readonly (readonly string[])[]): Float64Array;
}

/** Default candidates for C (the inverse L2 strength), as a log grid. */
export const C_GRID = [1, 3, 10, 30, 100] as const;

/**
 * Fits the baseline on `train` word lists and picks C on `validation` (accuracy; ties: the smaller C),
 * then keeps that fit (trained on `train` only). The grid runs in ascending C, each fit starting from
 * the previous one's weights (a warm start: the optimum moves little between neighbouring C).
 */
export function trainTfidfBaseline(
  train: { words: readonly (readonly string[])[]; labels: ArrayLike<number> },
  validation: { words: readonly (readonly string[])[]; labels: ArrayLike<number> },
  grid: readonly number[] = C_GRID,
): TfidfBaseline {
  const vocabulary = fitTfidf(train.words);
  const trainRows = tfidfRows(vocabulary, train.words);
  const valRows = tfidfRows(vocabulary, validation.words);
  let best: { c: number; accuracy: number; fit: LogisticFit } | null = null;
  const candidates: { c: number; accuracy: number }[] = [];
  let previous: LogisticFit | undefined;
  for (const c of [...grid].sort((a, b) => a - b)) {
    const fit = fitLogistic(trainRows, train.labels, vocabulary.idf.length, c, 300, previous);
    previous = fit;
    const accuracy = accuracyOf(predictLogistic(fit, valRows), validation.labels);
    candidates.push({ c, accuracy });
    if (best === null || accuracy > best.accuracy) best = { c, accuracy, fit };
  }
  const chosen = best!;
  return {
    vocabulary,
    fit: chosen.fit,
    c: chosen.c,
    candidates,
    predict: (texts) => predictLogistic(chosen.fit, tfidfRows(vocabulary, texts)),
  };
}

function accuracyOf(probabilities: Float64Array, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probabilities.subarray(i * CLASSES, i * CLASSES + CLASSES);
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  return correct / labels.length;
}
