/**
 * Small numeric helpers of the feature streams: windowed returns, means, standard deviations,
 * correlation, the Gini coefficient and Kaufman's efficiency ratio. Pure; no I/O.
 *
 * Conventions: series are one value per panel row with NaN where a value is missing; windows are row
 * ranges `from..to` with both ends included. A helper whose inputs are missing in its window answers
 * null (never 0): a feature built from it is then null, not fabricated.
 */

/** True when every value in rows from..to (inclusive) is finite; false when the window starts before row 0. */
export function windowFinite(values: ArrayLike<number>, from: number, to: number): boolean {
  if (from < 0 || to >= values.length) return false;
  for (let t = from; t <= to; t++) if (!Number.isFinite(values[t]!)) return false;
  return true;
}

/**
 * Return over k rows: close[i] / close[i − k] − 1 (a fraction, 0.01 = +1 %).
 * Null when i − k < 0, either close is missing, or close[i − k] is not positive.
 */
export function periodReturn(close: ArrayLike<number>, i: number, k: number): number | null {
  if (i - k < 0 || i >= close.length) return null;
  const now = close[i]!;
  const then = close[i - k]!;
  if (!Number.isFinite(now) || !Number.isFinite(then) || then <= 0) return null;
  return now / then - 1;
}

/** Arithmetic mean of rows from..to (inclusive); null when any is missing or the window leaves the series. */
export function windowMean(values: ArrayLike<number>, from: number, to: number): number | null {
  if (!windowFinite(values, from, to)) return null;
  let sum = 0;
  for (let t = from; t <= to; t++) sum += values[t]!;
  return sum / (to - from + 1);
}

/**
 * Daily simple returns r_t = close_t / close_{t−1} − 1 for t = from..to (inclusive), so closes
 * from − 1..to are read. Null when any of those closes is missing or not positive.
 */
export function dailyReturns(close: ArrayLike<number>, from: number, to: number): Float64Array | null {
  if (!windowFinite(close, from - 1, to)) return null;
  const out = new Float64Array(to - from + 1);
  for (let t = from; t <= to; t++) {
    const previous = close[t - 1]!;
    if (previous <= 0) return null;
    out[t - from] = close[t]! / previous - 1;
  }
  return out;
}

/** Arithmetic mean of a list; NaN for an empty list. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  return sum / values.length;
}

/** Population standard deviation (divides by n) of a list; NaN for an empty list. */
export function populationSd(values: ArrayLike<number>): number {
  const m = mean(values);
  let squares = 0;
  for (let k = 0; k < values.length; k++) squares += (values[k]! - m) ** 2;
  return Math.sqrt(squares / values.length);
}

/**
 * Pearson correlation of two equal-length lists, in −1..1. Null when either has zero variance
 * (the correlation is undefined) or the lengths differ or are below 2.
 */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  if (n !== b.length || n < 2) return null;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const da = a[k]! - ma;
    const db = b[k]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Gini coefficient of non-negative values: G = Σ_i Σ_j |a_i − a_j| / (2 n² mean(a)), 0 when all are
 * equal (all zero included), approaching 1 when one value holds everything (exactly (n − 1) / n then).
 * Computed in O(n log n) from the sorted values: Σ_i Σ_j |a_i − a_j| = 2 Σ_k (2k − n + 1) a_(k), k from 0.
 * NaN for an empty list.
 */
export function gini(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  let weighted = 0;
  for (let k = 0; k < n; k++) {
    total += sorted[k]!;
    weighted += (2 * k - n + 1) * sorted[k]!;
  }
  if (total === 0) return 0;
  // Σ_i Σ_j |a_i − a_j| = 2·weighted, and 2 n² mean = 2 n·total.
  return weighted / (n * total);
}

/**
 * Kaufman's efficiency ratio over n rows ending at i (Kaufman, "Smarter Trading", 1995):
 * |close_i − close_{i−n}| / Σ_{t=i−n+1..i} |close_t − close_{t−1}|, in 0..1 (1 = a straight move,
 * near 0 = back and forth). Null when a close in i − n..i is missing or the closes never moved.
 */
export function efficiencyRatio(close: ArrayLike<number>, i: number, n: number): number | null {
  if (!windowFinite(close, i - n, i)) return null;
  let path = 0;
  for (let t = i - n + 1; t <= i; t++) path += Math.abs(close[t]! - close[t - 1]!);
  if (path === 0) return null;
  return Math.abs(close[i]! - close[i - n]!) / path;
}
