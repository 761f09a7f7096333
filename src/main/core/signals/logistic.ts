/**
 * The multinomial logistic regression baseline at inference: p = softmax(z·W + b) over the same z-scored
 * inputs as the strategy model. Fitting lives in training (training/logistic-regression.ts); the weights
 * ship in the model folder's manifest so a backtest on later data uses the baseline fitted on the model's
 * own training window.
 */
import { STRATEGY_IDS } from '../../../shared/domain';

const CLASSES = STRATEGY_IDS.length;

export interface LogisticWeights {
  /** [F][8]. */
  weights: number[][];
  /** [8]. */
  bias: number[];
}

/**
 * Class probabilities (row-major [rows, 8]) of `z` (row-major [rows, F]). Throws when the shapes do not
 * match the weights.
 */
export function logisticProbabilities(
  z: ArrayLike<number>,
  rows: number,
  model: LogisticWeights,
): Float64Array {
  const f = model.weights.length;
  if (
    z.length !== rows * f ||
    model.bias.length !== CLASSES ||
    model.weights.some((w) => w.length !== CLASSES)
  )
    throw new Error(
      `logistic baseline: ${z.length} inputs for ${rows} rows do not fit weights of ${f}×${CLASSES}`,
    );
  const out = new Float64Array(rows * CLASSES);
  const logits = new Float64Array(CLASSES);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let v = model.bias[c]!;
      for (let k = 0; k < f; k++) v += z[r * f + k]! * model.weights[k]![c]!;
      logits[c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += logits[c] = Math.exp(logits[c]! - max);
    for (let c = 0; c < CLASSES; c++) out[r * CLASSES + c] = logits[c]! / sum;
  }
  return out;
}
