/**
 * Geometry of the strategy panel's bars and the why view's heat strip and contribution bars: widths in
 * percent of the space a bar may fill. Pure: no trading logic, only the layout of what the engine sent.
 */
import {
  STRATEGY_IDS,
  type FeatureId,
  type PredictionExplanation,
  type StrategyId,
} from '../../shared/domain';

export interface ProbabilityRow {
  id: StrategyId;
  probability: number;
  /** Bar width, percent of the track: the probability itself (0..1 → 0..100), so bars compare across days. */
  widthPct: number;
  /** The model's pick (the strategy the engine named, not recomputed here). */
  pick: boolean;
}

const clamp01 = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/**
 * One row per strategy in STRATEGY_IDS order.
 * @param probabilities in STRATEGY_IDS order (the contract's order); missing entries count as 0.
 * @param pick the prediction's strategy.
 */
export function probabilityRows(probabilities: readonly number[], pick: StrategyId): ProbabilityRow[] {
  return STRATEGY_IDS.map((id, index) => {
    const probability = clamp01(probabilities[index] ?? 0);
    return { id, probability, widthPct: probability * 100, pick: id === pick };
  });
}

/** The probability the model gave its own pick (0 if the vector is short). */
export function pickProbability(probabilities: readonly number[], pick: StrategyId): number {
  return clamp01(probabilities[STRATEGY_IDS.indexOf(pick)] ?? 0);
}

/** Index of the largest probability (the first of equals), for marking each cycle's answer. */
export function topIndex(probabilities: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) {
    if ((probabilities[i] ?? 0) > (probabilities[best] ?? 0)) best = i;
  }
  return best;
}

/**
 * Opacity of a heat-strip cell for a probability: a floor so 0 is still a visible cell, and a power
 * under 1 so that the small probabilities of an 8-way answer are told apart (0 → 0.05, 0.125 → 0.26,
 * 0.5 → 0.61, 1 → 1).
 */
export function heatOpacity(probability: number): number {
  return 0.05 + 0.95 * clamp01(probability) ** 0.75;
}

export interface ContributionBar {
  id: FeatureId;
  z: number | null;
  delta: number;
  /** Which way the feature pushed: toward the pick (positive delta) or away from it. */
  direction: 'toward' | 'away' | 'none';
  /** Length of the bar, percent of one half of the track (the largest |delta| fills it). */
  widthPct: number;
}

/**
 * The feature contributions as signed bars, largest effect first (ties in the engine's order).
 * All bars share one scale: the largest |delta| fills half the track.
 */
export function contributionBars(contributions: PredictionExplanation['contributions']): ContributionBar[] {
  const largest = contributions.reduce((max, c) => Math.max(max, Math.abs(c.delta)), 0);
  return contributions
    .map((c, order) => ({ c, order }))
    .sort((a, b) => Math.abs(b.c.delta) - Math.abs(a.c.delta) || a.order - b.order)
    .map(({ c }) => ({
      id: c.id,
      z: c.z,
      delta: c.delta,
      direction: c.delta > 0 ? 'toward' : c.delta < 0 ? 'away' : 'none',
      widthPct: largest > 0 ? (Math.abs(c.delta) / largest) * 100 : 0,
    }));
}
