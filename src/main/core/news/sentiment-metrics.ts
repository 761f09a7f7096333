/**
 * How well sentiment labels match the truth: accuracy, macro-F1 and the confusion matrix, over the three
 * classes of SENTIMENT_LABELS (negative, neutral, positive), as `trm sentiment eval` and the model card
 * report them. Classes are indices into SENTIMENT_LABELS.
 */
import { SENTIMENT_LABELS, type SentimentLabel } from '../../../shared/domain';

const CLASSES = SENTIMENT_LABELS.length;

export interface SentimentEvaluation {
  /** Texts scored. */
  n: number;
  /** Share of texts whose predicted class is the label. */
  accuracy: number;
  /**
   * Unweighted mean over the three classes of F1 = 2·P·R / (P + R) (a class never predicted and never
   * labelled is skipped; one with P + R = 0 counts 0), as scikit-learn's `f1_score(average='macro')`.
   */
  macroF1: number;
  /** Per class (SENTIMENT_LABELS order): precision, recall, F1 and how many texts carry that label. */
  perClass: { label: SentimentLabel; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[label][predicted], counts, 3×3 in SENTIMENT_LABELS order. */
  confusion: number[][];
}

/**
 * Scores predicted class indices against label indices (both 0..2, same length).
 * @throws Error when the lengths differ, either is empty, or an index is outside 0..2.
 */
export function evaluateSentiment(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
): SentimentEvaluation {
  if (labels.length !== predicted.length) {
    throw new Error(`labels (${labels.length}) and predictions (${predicted.length}) differ in length`);
  }
  if (labels.length === 0) throw new Error('nothing to evaluate: no labelled texts');
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i]!;
    const guess = predicted[i]!;
    if (!isClass(truth) || !isClass(guess)) {
      throw new Error(`row ${i}: class index outside 0..${CLASSES - 1} (label ${truth}, predicted ${guess})`);
    }
    confusion[truth]![guess]!++;
    if (truth === guess) correct++;
  }
  const perClass = SENTIMENT_LABELS.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support, present: support > 0 || predictedCount > 0 };
  });
  const present = perClass.filter((c) => c.present);
  return {
    n: labels.length,
    accuracy: correct / labels.length,
    macroF1: present.reduce((a, c) => a + c.f1, 0) / present.length,
    perClass: perClass.map(({ label, precision, recall, f1, support }) => ({
      label,
      precision,
      recall,
      f1,
      support,
    })),
    confusion,
  };
}

function isClass(c: number): boolean {
  return Number.isInteger(c) && c >= 0 && c < CLASSES;
}

/** Index of the largest of each row of `probabilities` (rows × 3, row-major); the first on a tie. */
export function argmaxSentiment(probabilities: ArrayLike<number>): Int8Array {
  const rows = Math.floor(probabilities.length / CLASSES);
  const out = new Int8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) {
      if (probabilities[r * CLASSES + c]! > probabilities[r * CLASSES + best]!) best = c;
    }
    out[r] = best;
  }
  return out;
}

/**
 * The Twitter Financial News labels (0 bearish, 1 bullish, 2 neutral; zeroshot/twitter-financial-news-
 * sentiment) as SENTIMENT_LABELS indices: bearish → negative, bullish → positive, neutral → neutral.
 */
export const TWEET_LABEL_TO_SENTIMENT: Readonly<Record<number, number>> = {
  0: SENTIMENT_LABELS.indexOf('negative'),
  1: SENTIMENT_LABELS.indexOf('positive'),
  2: SENTIMENT_LABELS.indexOf('neutral'),
};

/**
 * Maps a model's or dataset's label name to a SENTIMENT_LABELS index, case-insensitively (negative,
 * bearish, neg → negative; neutral, neu → neutral; positive, bullish, pos → positive). Other names
 * (e.g. LABEL_0) answer null and are not guessed, so a folder whose labels cannot be read by name is
 * refused rather than silently misread.
 */
export function sentimentIndexOfName(name: string): number | null {
  switch (name.trim().toLowerCase()) {
    case 'negative':
    case 'bearish':
    case 'neg':
      return SENTIMENT_LABELS.indexOf('negative');
    case 'neutral':
    case 'neu':
      return SENTIMENT_LABELS.indexOf('neutral');
    case 'positive':
    case 'bullish':
    case 'pos':
      return SENTIMENT_LABELS.indexOf('positive');
    default:
      return null;
  }
}
