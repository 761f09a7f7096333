/**
 * Z-scores of the model's inputs: statistics fitted on the training window only (so nothing about
 * later data leaks into training), then z = clip((value − mean) / sd, ±clip) at training and inference
 * alike. A missing value becomes z = 0, the training mean, and is counted as imputed.
 */
import { Z_CLIP } from './model-manifest';

export interface Normalisation {
  /** Per column, the mean of its finite training values (the column's unit). */
  mean: number[];
  /** Per column, the sample standard deviation (n − 1) of its finite training values, at least SD_FLOOR. */
  sd: number[];
}

/** Smallest sd used: a constant column gives z = 0 rather than a division by zero. */
export const SD_FLOOR = 1e-8;

/**
 * Fits per-column statistics of a row-major matrix (rows × cols, NaN = missing), from its finite values
 * only. Pass the training window's rows only.
 * @throws RangeError when matrix.length is not rows × cols; Error naming the column when a column has
 * fewer than 2 finite values (its spread cannot be estimated: widen the training window or drop that input).
 */
export function fitNormalisation(
  matrix: ArrayLike<number>,
  rows: number,
  cols: number,
  names?: readonly string[],
): Normalisation {
  if (matrix.length !== rows * cols) {
    throw new RangeError(
      `fitNormalisation: matrix has ${matrix.length} values, not ${rows} rows × ${cols} columns`,
    );
  }
  const mean: number[] = [];
  const sd: number[] = [];
  for (let c = 0; c < cols; c++) {
    let count = 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const v = matrix[r * cols + c]!;
      if (Number.isFinite(v)) {
        count++;
        sum += v;
      }
    }
    if (count < 2) {
      throw new Error(
        `cannot fit the z-score of ${names?.[c] ?? `input column ${c}`}: it has ${count} known value${count === 1 ? '' : 's'} in ` +
          `the ${rows} training rows (at least 2 are needed); widen the training window or leave that feature out`,
      );
    }
    const m = sum / count;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const v = matrix[r * cols + c]!;
      if (Number.isFinite(v)) squares += (v - m) ** 2;
    }
    mean.push(m);
    sd.push(Math.max(Math.sqrt(squares / (count - 1)), SD_FLOOR));
  }
  return { mean, sd };
}

/**
 * z = clip((value − mean) / sd, ±clip) per input, in the normalisation's column order. A null or
 * non-finite value becomes 0 (its training mean) and is counted in `imputed`.
 * @throws RangeError when values and the normalisation have different lengths.
 */
export function normalise(
  values: ArrayLike<number | null>,
  norm: Normalisation,
  clip: number = Z_CLIP,
): { z: Float32Array; imputed: number } {
  if (values.length !== norm.mean.length || norm.sd.length !== norm.mean.length) {
    throw new RangeError(
      `normalise: ${values.length} values for a normalisation of ${norm.mean.length} inputs (they must match)`,
    );
  }
  const z = new Float32Array(values.length);
  let imputed = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      imputed++;
      continue;
    }
    z[k] = Math.max(-clip, Math.min(clip, (v - norm.mean[k]!) / norm.sd[k]!));
  }
  return { z, imputed };
}
