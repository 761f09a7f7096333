/**
 * Fits the model's wide path as a TF-IDF logistic regression: features are what the wide path computes
 * in the graph (model.ts) — each token id and each hashed-bigram bucket, count·idf, divided by
 * √(Σ count·idf²) (idf = ln((1 + n) / (1 + df)) + 1 over the training texts) — so the fitted weights,
 * with idf folded in (W·idf) and idf² as the normaliser's scales, ARE the wide path's weights. L2
 * strength C chosen on validation accuracy (fitLogistic of tfidf-baseline.ts: full-batch Adam, warm
 * starts along the grid).
 */
import { padBatch, type SentimentWeights } from './model';
import { fitLogistic, predictLogistic, type LogisticFit } from './tfidf-baseline';

export interface WidePath {
  /** [vocabSize, 3] */
  wideWord: Float32Array;
  /** [bigramBuckets, 3] */
  wideBigram: Float32Array;
  /** [vocabSize] and [bigramBuckets]: idf² (the normaliser's scales). */
  wideWordScale: Float32Array;
  wideBigramScale: Float32Array;
  /** [3], the regression's bias. */
  bias: Float32Array;
  c: number;
  candidates: { c: number; accuracy: number }[];
}

interface SparseRow {
  cols: Int32Array;
  values: Float64Array;
}

/** Column counts of each text: columns 0..V−1 tokens, V.. bigram buckets. */
function columnCounts(
  tokens: readonly (readonly number[])[],
  vocabSize: number,
  buckets: number,
): Map<number, number>[] {
  return tokens.map((ids) => {
    const batch = padBatch([ids], buckets);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    if (buckets > 0) {
      for (let t = 0; t < batch.bigrams.length; t++) {
        if (batch.bigramMask[t] !== 1) continue;
        const col = vocabSize + batch.bigrams[t]!;
        counts.set(col, (counts.get(col) ?? 0) + 1);
      }
    }
    return counts;
  });
}

/** Smoothed idf of each column over the texts' counts. */
function inverseDocumentFrequency(counts: readonly Map<number, number>[], columns: number): Float64Array {
  const df = new Float64Array(columns);
  for (const row of counts) for (const col of row.keys()) df[col]!++;
  return df.map((d) => Math.log((1 + counts.length) / (1 + d)) + 1);
}

/** The wide path's feature rows: count·idf / √(Σ count·idf²). */
function wideRows(counts: readonly Map<number, number>[], idf: Float64Array): SparseRow[] {
  return counts.map((row) => {
    const cols = Int32Array.from([...row.keys()].sort((a, b) => a - b));
    let norm = 0;
    for (const c of cols) norm += row.get(c)! * idf[c]! ** 2;
    const scale = 1 / Math.sqrt(Math.max(norm, 1e-6));
    return { cols, values: Float64Array.from(cols, (c) => row.get(c)! * idf[c]! * scale) };
  });
}

/** Fits the wide path on `train`, choosing C on `validation`. */
export function fitWidePath(
  train: { tokens: readonly (readonly number[])[]; labels: ArrayLike<number> },
  validation: { tokens: readonly (readonly number[])[]; labels: ArrayLike<number> },
  shape: { vocabSize: number; bigramBuckets: number },
  grid: readonly number[] = [1, 3, 10, 30, 100],
): WidePath {
  const features = shape.vocabSize + shape.bigramBuckets;
  const trainCounts = columnCounts(train.tokens, shape.vocabSize, shape.bigramBuckets);
  const idf = inverseDocumentFrequency(trainCounts, features);
  const trainRows = wideRows(trainCounts, idf);
  const valRows = wideRows(columnCounts(validation.tokens, shape.vocabSize, shape.bigramBuckets), idf);
  let best: { c: number; accuracy: number; fit: LogisticFit } | null = null;
  let previous: LogisticFit | undefined;
  const candidates: { c: number; accuracy: number }[] = [];
  for (const c of [...grid].sort((a, b) => a - b)) {
    const fit = fitLogistic(trainRows, train.labels, features, c, 300, previous);
    previous = fit;
    const p = predictLogistic(fit, valRows);
    let correct = 0;
    for (let i = 0; i < validation.labels.length; i++) {
      const row = p.subarray(i * 3, i * 3 + 3);
      if (row.indexOf(Math.max(...row)) === validation.labels[i]) correct++;
    }
    const accuracy = correct / validation.labels.length;
    candidates.push({ c, accuracy });
    if (best === null || accuracy > best.accuracy) best = { c, accuracy, fit };
  }
  // Fold idf into the weights: Σ count·(W·idf) / norm is the regression's score.
  const w = best!.fit.weights.map((v, k) => v * idf[Math.floor(k / 3)]!);
  const squared = Float32Array.from(idf, (v) => v * v);
  return {
    wideWord: Float32Array.from(w.subarray(0, shape.vocabSize * 3)),
    wideBigram: Float32Array.from(w.subarray(shape.vocabSize * 3, features * 3)),
    wideWordScale: squared.slice(0, shape.vocabSize),
    wideBigramScale: squared.slice(shape.vocabSize, features),
    bias: Float32Array.from(best!.fit.bias),
    c: best!.c,
    candidates,
  };
}

/**
 * A deep-only model's weights with a fitted wide path added at weight `k` (logits = deep + k·wide:
 * a product of the two models' distributions, k = 0 the deep model alone); its bias joins b2.
 */
export function withWidePath(deep: SentimentWeights, wide: WidePath, k: number): SentimentWeights {
  return {
    ...deep,
    wideWord: wide.wideWord.map((v) => v * k),
    wideBigram: wide.wideBigram.map((v) => v * k),
    wideWordScale: wide.wideWordScale,
    wideBigramScale: wide.wideBigramScale,
    b2: deep.b2.map((v, i) => v + k * wide.bias[i]!),
  };
}
