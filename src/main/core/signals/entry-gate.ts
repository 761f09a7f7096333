/**
 * Entry gating: whether new risk may be entered, and what the strategy layer does when it may not.
 *
 * The gate closes only when two independent readings agree that conditions are bad: news sentiment is
 * clearly negative (score ≤ −0.20 with an effective weight of at least 2 items) AND the volatility regime
 * forecast says stressed (P(stressed next session) ≥ 0.5, or stressed is the most probable next regime).
 * Either alone leaves it open: a bad headline in a calm market, or a volatile market with neutral news,
 * is not enough to stop trading. With the gate closed, a decision may reduce risk but not add it.
 */
import type { EntryGate, RegimeForecast, StrategyId } from '../../../shared/domain';
import { CASH, STRATEGIES } from './strategies';

export interface GateThresholds {
  /** Sentiment at or below this says no (signed score in [−1, 1]). */
  maxSentiment: number;
  /** The sentiment reading needs at least this effective weight (items) to count. */
  minSentimentWeight: number;
  /** P(stressed next session) at or above this says no. */
  minStressedProbability: number;
}

export const DEFAULT_GATE_THRESHOLDS: Readonly<GateThresholds> = {
  maxSentiment: -0.2,
  minSentimentWeight: 2,
  minStressedProbability: 0.5,
};

/** The sentiment the gate reads: a decay-weighted score and its effective weight (SentimentIndex.at). */
export interface GateSentiment {
  score: number;
  weight: number;
}

/** A signed number with a real minus sign, as a trader reads it: "−0.42". */
function signed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

const percent = (value: number): string => `${(value * 100).toFixed(0)} %`;

/**
 * The entry gate from the sentiment reading and the regime forecast (either may be null: missing input
 * never closes the gate). Closed with a reason naming the numbers, e.g. "sentiment −0.42 (4.1 items) at
 * or below −0.20 and regime forecast stressed (P 0.63, volatility 31 % next session)".
 */
export function entryGate(input: {
  sentiment: GateSentiment | null;
  regime: RegimeForecast | null;
  thresholds?: GateThresholds;
}): EntryGate {
  const { sentiment, regime } = input;
  const thresholds = input.thresholds ?? DEFAULT_GATE_THRESHOLDS;
  const sentimentSaysNo =
    sentiment !== null &&
    sentiment.weight >= thresholds.minSentimentWeight &&
    sentiment.score <= thresholds.maxSentiment;
  const pStressed = regime?.next[2] ?? 0;
  const regimeSaysNo =
    regime !== null && (pStressed >= thresholds.minStressedProbability || regime.nextRegime === 'stressed');
  if (!sentimentSaysNo || !regimeSaysNo) return { open: true, reason: null };
  return {
    open: false,
    reason:
      `sentiment ${signed(sentiment.score, 2)} (${sentiment.weight.toFixed(1)} items) at or below ` +
      `${signed(thresholds.maxSentiment, 2)} and regime forecast stressed (P ${pStressed.toFixed(2)}, ` +
      `volatility ${percent(regime.forecastVolatility)} next session)`,
  };
}

/** Holdings that are not new risk: short and intermediate Treasuries, long Treasuries, cash. */
export const SAFE_HOLDINGS: readonly string[] = ['SHY', 'IEF', 'TLT', CASH];

const RISKY_WEIGHT = new Map<StrategyId, number>(
  STRATEGIES.map((s) => [
    s.id,
    Object.entries(s.allocation).reduce(
      (sum, [symbol, w]) => (SAFE_HOLDINGS.includes(symbol) ? sum : sum + w),
      0,
    ),
  ]),
);

/**
 * A strategy's risky weight: the share of its allocation outside SAFE_HOLDINGS (equities, gold), 0..1;
 * e.g. ultra_defensive 0, defensive 0.3, max_growth 1.
 */
export function riskyWeight(id: StrategyId): number {
  return RISKY_WEIGHT.get(id)!;
}

/** The least risky strategy: where a closed gate leaves a portfolio with no previous strategy. */
const SAFEST: StrategyId = [...RISKY_WEIGHT].reduce((best, entry) => (entry[1] < best[1] ? entry : best))[0];

/**
 * The strategy to follow when the model proposes `proposed` after `previous` (null before the first
 * decision). With the gate open, the proposal. With the gate closed, a proposal that adds risk (risky
 * weight above the previous strategy's) is held at the previous strategy; with no previous strategy
 * (nothing held yet, so any risk is new) at the least risky one. `held` says the proposal was overruled.
 */
export function gateStrategy(
  previous: StrategyId | null,
  proposed: StrategyId,
  gate: EntryGate,
): { strategy: StrategyId; held: boolean } {
  if (gate.open) return { strategy: proposed, held: false };
  const base = previous ?? SAFEST;
  if (riskyWeight(proposed) > riskyWeight(base)) return { strategy: base, held: true };
  return { strategy: proposed, held: false };
}
