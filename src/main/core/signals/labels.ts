/**
 * The training target: which of the eight strategies had the best forward risk-adjusted return.
 *
 * The label at row i is a TARGET, built only from rows i+1..i+horizon (returns realised after the close
 * of row i, when the decision is made). Features at row i see prices up to and including row i and
 * never this label's window; because the windows of neighbouring labels overlap, evaluation purges
 * training rows whose window reaches a test row (cv-splits.ts).
 */
import { STRATEGY_IDS } from '../../../shared/domain';
import type { DailyPanel } from './daily-panel';
import { strategyReturnMatrix } from './strategy-returns';

/** Label horizon in sessions (about one trading month). */
export const DEFAULT_HORIZON = 20;

/**
 * Floor on the daily standard deviation in the forward Sharpe (0.0005 = 5 bps/day, about 0.8 %/year).
 * Without it, a near-cash allocation (ultra_defensive: 30 % cash, 50 % SHY) would win whenever its tiny
 * positive drift is divided by an even tinier sd, although it earns almost nothing.
 */
export const SD_FLOOR = 0.0005;

/**
 * Forward score of each strategy at row i (STRATEGY_IDS order): the forward Sharpe over rows
 * i+1..i+horizon, mean(r) / max(sd(r), SD_FLOOR), with r the strategy's daily returns and sd the sample
 * standard deviation (n − 1; 0 when horizon is 1). Not annualised (the ranking is the same).
 * A strategy with a missing return in the window scores NaN. Returns null when fewer than `horizon`
 * rows follow row i. Throws on a horizon that is not a positive integer or a row outside the panel.
 */
export function forwardScores(panel: DailyPanel, i: number, horizon: number): Float64Array | null {
  checkArguments(panel, i, horizon);
  if (i + horizon > panel.times.length - 1) return null;
  const matrix = strategyReturnMatrix(panel);
  const scores = new Float64Array(STRATEGY_IDS.length);
  for (let s = 0; s < matrix.length; s++) scores[s] = forwardSharpe(matrix[s]!, i + 1, i + horizon);
  return scores;
}

/**
 * The label at row i: the index into STRATEGY_IDS of the highest forward score (the first on a tie), or
 * null when fewer than `horizon` rows follow row i or any strategy lacks a return in the window.
 * Throws as `forwardScores` does.
 */
export function labelAt(panel: DailyPanel, i: number, horizon: number): number | null {
  const scores = forwardScores(panel, i, horizon);
  if (!scores) return null;
  let best = 0;
  for (let s = 0; s < scores.length; s++) {
    if (Number.isNaN(scores[s]!)) return null;
    if (scores[s]! > scores[best]!) best = s;
  }
  return best;
}

/** `labelAt` for every row: one Int8Array, −1 where the label is null. */
export function labelSeries(panel: DailyPanel, horizon: number): Int8Array {
  const n = panel.times.length;
  const out = new Int8Array(n).fill(-1);
  for (let i = 0; i + horizon < n; i++) out[i] = labelAt(panel, i, horizon) ?? -1;
  return out;
}

/** mean / max(sd, SD_FLOOR) of r[from..to] (inclusive); NaN if any value is NaN. */
function forwardSharpe(r: Float64Array, from: number, to: number): number {
  const count = to - from + 1;
  let sum = 0;
  for (let k = from; k <= to; k++) sum += r[k]!;
  if (Number.isNaN(sum)) return Number.NaN;
  const mean = sum / count;
  let squares = 0;
  for (let k = from; k <= to; k++) squares += (r[k]! - mean) ** 2;
  const sd = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  return mean / Math.max(sd, SD_FLOOR);
}

function checkArguments(panel: DailyPanel, i: number, horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new Error(`The label horizon must be a whole number of sessions, 1 or more (got ${horizon}).`);
  }
  if (!Number.isInteger(i) || i < 0 || i >= panel.times.length) {
    throw new Error(`Row ${i} is outside the daily panel (rows 0..${panel.times.length - 1}).`);
  }
}
