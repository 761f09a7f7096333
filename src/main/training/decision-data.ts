/**
 * The supervised data set of the strategy model, from one daily panel: the feature matrix at every
 * decision row (features see rows ≤ i only), the label at every row (the best strategy over rows
 * i+1..i+horizon: a target, never an input), and the rows of a window that can be learned from (every
 * input known and a label). Z-scores are fitted by the caller on its training rows only.
 */
import type { FeatureId } from '../../shared/domain';
import { utcDateOf } from '../core/calendar-dates';
import type { DailyPanel } from '../core/signals/daily-panel';
import { featureMatrix, MARKET_FEATURE_IDS } from '../core/signals/feature-registry';
import { labelSeries } from '../core/signals/labels';
import { normalise, type Normalisation } from '../core/signals/zscore';

export interface DecisionData {
  panel: DailyPanel;
  /** The model's inputs, in column order. */
  features: FeatureId[];
  /** Row-major [panel rows, F] raw feature values, NaN where a value is unknown. */
  matrix: Float64Array;
  /** Per panel row: label 0..7 (STRATEGY_IDS order), −1 where none (the last `horizon` rows, gaps). */
  labels: Int8Array;
  horizon: number;
}

/** Computes features and labels for every row of `panel` (about 0.2 s for 30 years of daily data). */
export function prepareDecisionData(
  panel: DailyPanel,
  horizon: number,
  features: readonly FeatureId[] = MARKET_FEATURE_IDS,
): DecisionData {
  return {
    panel,
    features: [...features],
    matrix: featureMatrix(panel, features),
    labels: labelSeries(panel, horizon),
    horizon,
  };
}

/** The first panel row dated on or after `day` (YYYY-MM-DD), or the panel's length when none is. */
export function rowOnOrAfter(panel: DailyPanel, day: string): number {
  let i = 0;
  while (i < panel.times.length && utcDateOf(panel.times[i]!) < day) i++;
  return i;
}

/** The last panel row dated on or before `day`, or −1 when none is. */
export function rowOnOrBefore(panel: DailyPanel, day: string): number {
  let i = panel.times.length - 1;
  while (i >= 0 && utcDateOf(panel.times[i]!) > day) i--;
  return i;
}

/** Whether every input of row i is known. */
export function rowComplete(data: DecisionData, i: number): boolean {
  const f = data.features.length;
  for (let k = 0; k < f; k++) if (!Number.isFinite(data.matrix[i * f + k]!)) return false;
  return true;
}

/**
 * Panel rows from..to (inclusive) that can be learned from: every input known and a label.
 * @throws Error when none can (with the window's dates, and what is missing).
 */
export function learnableRows(data: DecisionData, from: number, to: number): number[] {
  const rows: number[] = [];
  for (let i = Math.max(0, from); i <= Math.min(to, data.labels.length - 1); i++)
    if (data.labels[i]! >= 0 && rowComplete(data, i)) rows.push(i);
  if (rows.length === 0) {
    const span =
      from <= to && to < data.panel.times.length
        ? `${utcDateOf(data.panel.times[Math.max(0, from)]!)}..${utcDateOf(data.panel.times[to]!)}`
        : 'the window asked for';
    throw new Error(
      `No decision day in ${span} has every input (${data.features.join(', ')}) and ${data.horizon} later sessions ` +
        'for its label: the data folder needs the feature and strategy symbols over that window.',
    );
  }
  return rows;
}

/** Raw feature rows (row-major [rows.length, F], NaN for unknown) of the given panel rows. */
export function rawRows(data: DecisionData, rows: readonly number[]): Float64Array {
  const f = data.features.length;
  const out = new Float64Array(rows.length * f);
  rows.forEach((i, r) => out.set(data.matrix.subarray(i * f, (i + 1) * f), r * f));
  return out;
}

/**
 * Z-scored inputs of the given panel rows with `norm` (unknown values become 0, the training mean),
 * row-major float32, and how many values were imputed.
 */
export function zRows(
  data: DecisionData,
  rows: readonly number[],
  norm: Normalisation,
): { x: Float32Array; imputed: number } {
  const f = data.features.length;
  const x = new Float32Array(rows.length * f);
  let imputed = 0;
  const values: number[] = new Array<number>(f);
  rows.forEach((i, r) => {
    for (let k = 0; k < f; k++) values[k] = data.matrix[i * f + k]!;
    const z = normalise(values, norm);
    x.set(z.z, r * f);
    imputed += z.imputed;
  });
  return { x, imputed };
}

/** The labels of the given panel rows. */
export function labelsOf(data: DecisionData, rows: readonly number[]): Int8Array {
  return Int8Array.from(rows, (i) => data.labels[i]!);
}
