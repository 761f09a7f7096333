/**
 * A model's own labels (config.json's `id2label`, in its output order) mapped by NAME to SENTIMENT_LABELS
 * (negative, neutral, positive), and logits turned into a `Sentiment`. FinBERT's order (positive,
 * negative, neutral) and ours give the same result; labels that cannot be read by name are refused.
 */
import { SENTIMENT_LABELS, type Sentiment } from '../../../shared/domain';
import { sentimentIndexOfName } from '../../core/news/sentiment-metrics';

/**
 * For each model output index, the SENTIMENT_LABELS index it means.
 * @param id2label config.json's `id2label` ({"0": "positive", …}).
 * @throws Error (plain words, without the file name: the caller adds it) when the indices are not 0..n-1,
 *   a name is not negative/neutral/positive (or bearish/bullish…), or a class is missing or repeated.
 */
export function sentimentOrderOf(id2label: Record<string, string>): number[] {
  const entries = Object.entries(id2label);
  const order: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const name = id2label[String(i)];
    if (name === undefined)
      throw new Error(`id2label must number its labels 0..${entries.length - 1}; ${i} is missing`);
    const index = sentimentIndexOfName(name);
    if (index === null)
      throw new Error(
        `id2label's label "${name}" (output ${i}) is not negative, neutral or positive; ` +
          'a sentiment model must name its classes so they can be mapped',
      );
    if (order.includes(index))
      throw new Error(`id2label names ${SENTIMENT_LABELS[index]} twice (output ${i})`);
    order.push(index);
  }
  if (order.length !== SENTIMENT_LABELS.length)
    throw new Error(
      `id2label has ${order.length} labels; a sentiment model needs exactly negative, neutral and positive`,
    );
  return order;
}

/** The sentiment of a text that is empty after cleaning: certainly neutral. */
export function emptyTextSentiment(): Sentiment {
  return { label: 'neutral', probabilities: [0, 1, 0], score: 0 };
}

/**
 * Softmax of one row of logits (the model's order), rearranged into SENTIMENT_LABELS order with
 * `order` (from sentimentOrderOf): label = most probable (first on a tie), score = P(pos) − P(neg).
 */
export function sentimentOfLogits(
  logits: ArrayLike<number>,
  offset: number,
  order: readonly number[],
): Sentiment {
  let max = -Infinity;
  for (let j = 0; j < order.length; j++) max = Math.max(max, logits[offset + j]!);
  const probabilities = [0, 0, 0];
  let total = 0;
  for (let j = 0; j < order.length; j++) {
    const e = Math.exp(logits[offset + j]! - max);
    probabilities[order[j]!] = e;
    total += e;
  }
  let best = 0;
  for (let c = 0; c < probabilities.length; c++) {
    probabilities[c]! /= total;
    if (probabilities[c]! > probabilities[best]!) best = c;
  }
  const score = Math.min(1, Math.max(-1, probabilities[2]! - probabilities[0]!));
  return { label: SENTIMENT_LABELS[best]!, probabilities, score };
}
