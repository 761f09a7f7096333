/**
 * A synthetic, separable classification problem for the TRM's tests and benchmark: inputs are standard
 * normal, clipped to ±5 like real z-scores, and the label is the argmax of 8 fixed random projections
 * of the inputs (a linear problem any working classifier learns well above chance, 1/8).
 */
import { Random } from '../core/synthetic/random';
import { FEATURE_IDS, type FeatureId } from '../../shared/domain';

export interface SyntheticTrmData {
  x: Float32Array;
  labels: Int8Array;
  rows: number;
  features: FeatureId[];
}

/**
 * `rows` rows over the first `featureCount` feature ids (at most 10). The projections depend on
 * `problemSeed` only, so training and validation sets drawn with different `seed`s share one rule.
 */
export function separableDataset(
  rows: number,
  seed: number,
  featureCount = 10,
  problemSeed = 7,
): SyntheticTrmData {
  const features = FEATURE_IDS.slice(0, featureCount);
  const f = features.length;
  const rule = Random.fromSeed(problemSeed);
  const projection = Array.from({ length: 8 * f }, () => rule.normal());
  const random = Random.fromSeed(seed);
  const x = new Float32Array(rows * f);
  const labels = new Int8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) x[r * f + j] = Math.max(-5, Math.min(5, random.normal()));
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < 8; c++) {
      let score = 0;
      for (let j = 0; j < f; j++) score += projection[c * f + j]! * x[r * f + j]!;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    labels[r] = best;
  }
  return { x, labels, rows, features };
}
