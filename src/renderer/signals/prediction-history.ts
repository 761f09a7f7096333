/**
 * The prediction history the window holds: the engine's stored predictions and each new one pushed,
 * one per decision bar, oldest first; and what the history strip and the daily chart's markers draw.
 */
import type { Prediction } from '../../shared/domain';
import { STRATEGY_STYLE } from './strategy-style';

/** The window keeps at most this many predictions (about eight years of sessions). */
export const MAX_HELD_PREDICTIONS = 2000;

/**
 * `held` with `incoming` merged in: ordered by decision bar, one prediction per bar (the incoming one
 * replaces a held one of the same bar: the engine's newer word), at most `max`, the oldest dropped.
 * Returns `held` itself when nothing changes, so a React state update can be skipped.
 */
export function mergePredictions(
  held: readonly Prediction[],
  incoming: readonly Prediction[],
  max = MAX_HELD_PREDICTIONS,
): readonly Prediction[] {
  if (incoming.length === 0) return held;
  const last = held[held.length - 1];
  // The common case, one new decision after the last: append.
  if (incoming.length === 1 && (last === undefined || incoming[0]!.barStart > last.barStart)) {
    const next = [...held, incoming[0]!];
    return next.length > max ? next.slice(next.length - max) : next;
  }
  const byBar = new Map<number, Prediction>();
  for (const prediction of held) byBar.set(prediction.barStart, prediction);
  for (const prediction of incoming) byBar.set(prediction.barStart, prediction);
  const merged = [...byBar.values()].sort((a, b) => a.barStart - b.barStart);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** One chart marker: where (the decision bar's start, epoch ms), its colour and text. */
export interface PredictionMarker {
  barStart: number;
  color: string;
  /** The pick's short name where it differs from the previous decision's, else '' (a plain dot). */
  text: string;
  /** Tooltip-grade description, for the marker's id and tests. */
  strategy: Prediction['strategy'];
}

/**
 * A marker per prediction, in time order, coloured by the pick. Only a change of pick is labelled with
 * the new pick's short name: a label on every daily bar overlaps its neighbours into an unreadable band,
 * and the colour says the pick stayed.
 */
export function predictionMarkers(predictions: readonly Prediction[]): PredictionMarker[] {
  return predictions.map((p, i) => ({
    barStart: p.barStart,
    color: STRATEGY_STYLE[p.strategy].color,
    text: i > 0 && predictions[i - 1]!.strategy === p.strategy ? '' : STRATEGY_STYLE[p.strategy].short,
    strategy: p.strategy,
  }));
}

export interface StripCell {
  barStart: number;
  x: number;
  width: number;
  /** Height from the strip's bottom: the pick's probability, relative to the highest shown (full height). */
  height: number;
  color: string;
}

/**
 * The history strip: the latest predictions that fit at `minCellWidth` each, one cell per decision,
 * coloured by the pick, as tall as the pick's probability relative to the highest among the cells shown
 * (the halting probability is often a few percent: drawn to scale it would be a flat line; a floor keeps
 * every cell visible).
 * A short history keeps cells no wider than a fortieth of the strip.
 */
export function historyStrip(
  predictions: readonly Prediction[],
  width: number,
  height: number,
  minCellWidth = 3,
): StripCell[] {
  const fit = Math.max(1, Math.floor(width / minCellWidth));
  const shown = predictions.slice(-fit);
  if (shown.length === 0) return [];
  const cell = width / Math.max(shown.length, Math.min(fit, 40));
  const floor = Math.min(height, 3);
  const top = (p: Prediction): number => Math.max(...p.probabilities);
  const scale = Math.max(...shown.map(top));
  // Right-aligned: the latest decision always sits at the right edge.
  return shown.map((p, i) => ({
    barStart: p.barStart,
    x: width - (shown.length - i) * cell,
    width: cell,
    height: Math.max(floor, scale > 0 ? (top(p) / scale) * height : floor),
    color: STRATEGY_STYLE[p.strategy].color,
  }));
}

/**
 * Predictions per `signals.predictions` call when the window loads its history. Each prediction carries
 * every feature stream's value and reason (about 2 KB with 15 streams), so 500 in one reply would pass
 * the contract's 1 MiB message limit: the history comes in pages instead.
 */
export const PREDICTION_PAGE = 100;

/**
 * The `total` most recent stored predictions, oldest first, asked for in pages of `page` going back in
 * time (`before` = the oldest bar held so far) until `total` are in or the engine has no older ones.
 * `ask` is the `signals.predictions` call; a rejected page rejects the whole load.
 */
export async function loadPredictionPages(
  ask: (params: { limit: number; before?: number }) => Promise<readonly Prediction[]>,
  total: number,
  page = PREDICTION_PAGE,
): Promise<Prediction[]> {
  const pages: (readonly Prediction[])[] = [];
  let count = 0;
  let before: number | undefined;
  while (count < total) {
    const limit = Math.min(page, total - count);
    const got = await ask(before === undefined ? { limit } : { limit, before });
    if (got.length === 0) break;
    pages.unshift(got);
    count += got.length;
    before = got[0]!.barStart;
    if (got.length < limit) break;
  }
  return pages.flat();
}

/** Fewer decisions than this say too little about how often a model changes its pick. */
export const MIN_DECISIONS_FOR_HABIT = 20;
/** A strategy picked on at least this share of the decisions is the model's habit, said as such. */
export const HABIT_SHARE = 0.9;

/**
 * The strategy a model picks almost always (HABIT_SHARE or more of `predictions`, MIN_DECISIONS_FOR_HABIT
 * or more of them), with how often; null otherwise. Shown so a model that seldom changes its mind does not
 * look stuck: the shipped model picks Ultra defensive on 99.9 % of its own training days (README, "The
 * strategy model"; src/main/inference/demo-picks.test.ts).
 */
export function habitualPick(
  predictions: readonly Prediction[],
): { strategy: Prediction['strategy']; count: number; total: number } | null {
  const total = predictions.length;
  if (total < MIN_DECISIONS_FOR_HABIT) return null;
  const counts = new Map<Prediction['strategy'], number>();
  for (const { strategy } of predictions) counts.set(strategy, (counts.get(strategy) ?? 0) + 1);
  let best: { strategy: Prediction['strategy']; count: number } | null = null;
  for (const [strategy, count] of counts) if (best === null || count > best.count) best = { strategy, count };
  return best !== null && best.count >= HABIT_SHARE * total ? { ...best, total } : null;
}
