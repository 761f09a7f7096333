/**
 * How well predicted strategy probabilities match the labels of a test fold, next to what always
 * answering the training majority would score. Classes are indices into STRATEGY_IDS.
 */
import { STRATEGY_IDS } from '../../../shared/domain';

const CLASSES = STRATEGY_IDS.length;

/** Probabilities are clipped to [LOG_LOSS_CLIP, 1] before the log, so one confident miss costs at most −ln 1e-7 ≈ 16. */
export const LOG_LOSS_CLIP = 1e-7;

export interface ClassificationReport {
  /** Labelled rows scored (rows with label −1 are skipped). */
  rows: number;
  /** Share of rows whose most probable class (the first on a tie) is the label. */
  accuracy: number;
  /** Share of rows labelled with the TRAINING majority class: the accuracy of always answering it. */
  majorityRate: number;
  /** Mean recall over the classes present in these labels (Brodersen et al., 2010). */
  balancedAccuracy: number;
  /** Mean −ln p(label), p clipped to [1e-7, 1]. */
  logLoss: number;
  /** confusion[label][predicted]: counts, 8×8. */
  confusion: number[][];
  /** Rows per label class, 8. */
  counts: number[];
}

/**
 * Scores `probabilities` (rows×8, row-major, STRATEGY_IDS order) against `labels` (one per row, −1 =
 * no label). With no labelled row every rate is NaN. Throws when the sizes do not match or
 * `majorityFromTrain` is not a class.
 */
export function classificationReport(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  majorityFromTrain: number,
): ClassificationReport {
  if (probabilities.length !== labels.length * CLASSES) {
    throw new Error(
      `classificationReport needs ${CLASSES} probabilities per label (got ${probabilities.length} for ${labels.length}).`,
    );
  }
  if (!Number.isInteger(majorityFromTrain) || majorityFromTrain < 0 || majorityFromTrain >= CLASSES) {
    throw new Error(`The training majority must be a class 0..${CLASSES - 1} (got ${majorityFromTrain}).`);
  }
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  const counts = new Array<number>(CLASSES).fill(0);
  let rows = 0;
  let hits = 0;
  let majority = 0;
  let loss = 0;
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r]!;
    if (label < 0) continue;
    const predicted = argmaxAt(probabilities, r);
    rows++;
    counts[label]!++;
    confusion[label]![predicted]!++;
    if (predicted === label) hits++;
    if (label === majorityFromTrain) majority++;
    loss -= Math.log(Math.min(1, Math.max(LOG_LOSS_CLIP, probabilities[r * CLASSES + label]!)));
  }
  let recallSum = 0;
  let present = 0;
  for (let c = 0; c < CLASSES; c++) {
    if (counts[c] === 0) continue;
    present++;
    recallSum += confusion[c]![c]! / counts[c]!;
  }
  return {
    rows,
    accuracy: hits / rows,
    majorityRate: majority / rows,
    balancedAccuracy: present > 0 ? recallSum / present : Number.NaN,
    logLoss: loss / rows,
    confusion,
    counts,
  };
}

/** The most frequent label (≥ 0) in `labels`, the lowest class on a tie; null when none is labelled. */
export function majorityClass(labels: ArrayLike<number>): number | null {
  const counts = new Array<number>(CLASSES).fill(0);
  for (let r = 0; r < labels.length; r++) if (labels[r]! >= 0) counts[labels[r]!]!++;
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (counts[c]! > counts[best]!) best = c;
  return counts[best]! > 0 ? best : null;
}

/** The most probable class of each row of `probabilities` (rows×8), the first on a tie. */
export function argmaxRows(probabilities: ArrayLike<number>): Int8Array {
  const rows = Math.floor(probabilities.length / CLASSES);
  const out = new Int8Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmaxAt(probabilities, r);
  return out;
}

function argmaxAt(probabilities: ArrayLike<number>, row: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) {
    if (probabilities[row * CLASSES + c]! > probabilities[row * CLASSES + best]!) best = c;
  }
  return best;
}
