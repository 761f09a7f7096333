/**
 * Time-ordered train/test splits for labels built from forward returns (López de Prado, "Advances in
 * Financial Machine Learning", 2018, ch. 7: purging and embargo).
 *
 * The label at row i is computed from rows i+1..i+horizon (labels.ts), so its window is [i, i+horizon].
 * A training row whose window reaches a test row would teach the model the test period's returns;
 * such rows are purged. Rows are panel rows in time order; the splits return row indices and know
 * nothing of labels, so a caller drops the rows whose label is null (the last `horizon` rows) itself.
 */

export interface Split {
  /** Training rows, ascending. */
  train: number[];
  /** Test rows, ascending and contiguous. */
  test: number[];
}

/**
 * k contiguous test blocks covering rows 0..n−1 once each (sizes differ by at most 1, in time order).
 * For each block [a, b): train = every row i outside it with i + horizon < a (its label window ends
 * before the block: purging), or i ≥ b + embargo (rows just after the block are embargoed, since their
 * features overlap the test labels' windows). Throws unless 2 ≤ k ≤ n and horizon, embargo ≥ 0 are integers.
 */
export function purgedKFold(n: number, k: number, horizon: number, embargo: number): Split[] {
  checkWhole({ n, k, horizon, embargo });
  if (k < 2 || k > n) throw new Error(`Purged k-fold needs 2 ≤ k ≤ rows (got k = ${k} for ${n} rows).`);
  const folds: Split[] = [];
  for (let f = 0; f < k; f++) {
    const a = Math.floor((f * n) / k);
    const b = Math.floor(((f + 1) * n) / k);
    folds.push({ train: [...range(0, a - horizon), ...range(b + embargo, n)], test: range(a, b) });
  }
  return folds;
}

export interface WalkForwardOptions {
  /** Rows before the first test block (the first training window, before purging). */
  firstTrain: number;
  /** Test block length in rows: the model is retrained every `step` rows. */
  step: number;
  /** Label horizon in rows: the last `horizon` rows before each test block are purged from training. */
  horizon: number;
}

/**
 * Expanding-window walk-forward: test blocks [t, t+step) for t = firstTrain, firstTrain+step, … (the last
 * one cut at n), each trained on rows 0..t−horizon−1, every row whose label window [i, i+horizon] ends
 * before t. Test rows firstTrain..n−1 appear once each. Throws unless the numbers are whole, step ≥ 1,
 * and firstTrain > horizon (some training row must survive the purge).
 */
export function walkForward(n: number, { firstTrain, step, horizon }: WalkForwardOptions): Split[] {
  checkWhole({ n, firstTrain, step, horizon });
  if (step < 1) throw new Error(`Walk-forward needs a test block of 1 row or more (got ${step}).`);
  if (firstTrain <= horizon) {
    throw new Error(
      `Walk-forward's first training window (${firstTrain} rows) must be longer than the label horizon ` +
        `(${horizon}), or purging leaves nothing to train on.`,
    );
  }
  const folds: Split[] = [];
  for (let t = firstTrain; t < n; t += step) {
    folds.push({ train: range(0, t - horizon), test: range(t, Math.min(t + step, n)) });
  }
  return folds;
}

/** from..to−1 (empty when to ≤ from). */
function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i < to; i++) out.push(i);
  return out;
}

function checkWhole(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`The split's ${name} must be a whole number, 0 or more (got ${value}).`);
    }
  }
}
