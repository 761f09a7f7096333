/**
 * The meta-score: one number in [−1, 1] (positive = favourable for new long risk) that combines four
 * readings of a symbol, each scaled to [−1, 1]:
 * - micro: the latest quote's size imbalance (bidSize − askSize) / (bidSize + askSize): more size bid
 *   than offered leans up (the order-book imbalance of Cont, Kukanov & Stoikov, "The price impact of
 *   order book events", 2014, read at the top of the book);
 * - technical: technicalScore of the symbol's recent closes (trend and momentum, below);
 * - sentiment: the symbol's decay-weighted news sentiment (SentimentIndex), or the market-wide reading
 *   when no recent item is about the symbol (sentimentFor);
 * - regime: P(calm) − P(stressed) of the next-session volatility regime forecast.
 * score = Σ w_k·c_k / Σ w_k over the parts present (weights renormalised), null when none is present.
 * The caller computes the parts (quoteImbalance, technicalScore, SentimentIndex, forecastRegime) and the
 * entry gate (entry-gate.ts: entryGate of the same sentiment reading and regime), so each is computed
 * once and the gate's reason names the reading the score used.
 */
import type {
  EntryGate,
  MetaComponent,
  MetaScore,
  MetaWeights,
  RegimeForecast,
} from '../../../shared/domain';

/**
 * Default weights: a prior, not fitted. Technical and regime come from daily bars every mode has; news
 * sentiment counts as much as the regime; the quote imbalance is the noisiest and shortest-lived, so it
 * weighs least.
 */
export const DEFAULT_META_WEIGHTS: Readonly<MetaWeights> = {
  micro: 0.15,
  technical: 0.35,
  sentiment: 0.25,
  regime: 0.25,
};

/** Bars of the SMA and its standard deviation in technicalScore. */
export const TECHNICAL_SMA_BARS = 20;
/** Wilder's RSI period. */
export const RSI_PERIOD = 14;

/**
 * Wilder's relative strength index of the closes' last change (J. W. Wilder, "New Concepts in Technical
 * Trading Systems", 1978): average gain and loss seeded with the simple mean of the first `period`
 * changes, then smoothed avg ← (avg·(period − 1) + x) / period; RSI = 100 − 100 / (1 + gain / loss),
 * 100 when there are gains and no losses, 50 when the closes never moved. Null with fewer than
 * period + 1 closes.
 */
export function rsi(closes: ArrayLike<number>, period: number = RSI_PERIOD): number | null {
  if (closes.length < period + 1) return null;
  let gain = 0;
  let loss = 0;
  for (let t = 1; t <= period; t++) {
    const change = closes[t]! - closes[t - 1]!;
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= period;
  loss /= period;
  for (let t = period + 1; t < closes.length; t++) {
    const change = closes[t]! - closes[t - 1]!;
    gain = (gain * (period - 1) + Math.max(0, change)) / period;
    loss = (loss * (period - 1) + Math.max(0, -change)) / period;
  }
  if (loss === 0) return gain === 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

/**
 * A trend-and-momentum score of recent closes (oldest first; missing NaN closes are skipped), in [−1, 1]:
 * the mean of tanh((close − SMA20) / sd20), the last close's distance from the 20-bar simple average in
 * units of the population sd of those 20 closes (0 when they never moved), and (RSI14 − 50) / 50. Both
 * read "up" as favourable (momentum, not mean reversion). Null with fewer than 21 closes.
 */
export function technicalScore(closes: ArrayLike<number>): number | null {
  const finite: number[] = [];
  for (let k = 0; k < closes.length; k++) if (Number.isFinite(closes[k]!)) finite.push(closes[k]!);
  if (finite.length < TECHNICAL_SMA_BARS + 1) return null;
  const window = finite.slice(-TECHNICAL_SMA_BARS);
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / window.length);
  const last = finite[finite.length - 1]!;
  const trend = sd > 0 ? Math.tanh((last - mean) / sd) : 0;
  const momentum = (rsi(finite)! - 50) / 50;
  return clip((trend + momentum) / 2);
}

/** Quote sizes (shares) at the top of the book. */
export interface QuoteSizes {
  bidSize: number;
  askSize: number;
}

/** (bidSize − askSize) / (bidSize + askSize), in [−1, 1]; null when both are 0 or not finite. */
export function quoteImbalance(quote: QuoteSizes): number | null {
  const { bidSize, askSize } = quote;
  const total = bidSize + askSize;
  if (!Number.isFinite(total) || total <= 0) return null;
  return clip((bidSize - askSize) / total);
}

/**
 * The sentiment a symbol's meta-score and gate read: its own reading, else the market-wide one (market
 * news moves every stock; a symbol without news of its own is not a symbol with neutral news).
 */
export function sentimentFor<T>(symbolReading: T | null, marketReading: T | null): T | null {
  return symbolReading ?? marketReading;
}

export interface MetaScoreInput {
  symbol: string;
  /** Market time the score is computed at (epoch ms UTC). */
  time: number;
  /** quoteImbalance of the latest quote, or null when the feed gives no quotes. */
  micro: number | null;
  /** technicalScore of the symbol's recent closes, or null. */
  technical: number | null;
  /** The sentiment reading's score (sentimentFor(symbol's, market-wide)), or null without news. */
  sentiment: number | null;
  /** The volatility regime forecast (forecastRegime), or null; its component is P(calm) − P(stressed). */
  regime: RegimeForecast | null;
  weights?: MetaWeights;
  /** entryGate of the same sentiment reading and regime. */
  gate: EntryGate;
}

/** The meta-score (see the module doc); a non-finite component counts as absent. */
export function metaScore(input: MetaScoreInput): MetaScore {
  const weights = input.weights ?? DEFAULT_META_WEIGHTS;
  const part = (value: number | null): number | null =>
    value === null || !Number.isFinite(value) ? null : clip(value);
  const components: Record<MetaComponent, number | null> = {
    micro: part(input.micro),
    technical: part(input.technical),
    sentiment: part(input.sentiment),
    regime: input.regime === null ? null : part(input.regime.next[0]! - input.regime.next[2]!),
  };
  let sum = 0;
  let total = 0;
  for (const key of Object.keys(components) as MetaComponent[]) {
    const value = components[key];
    if (value === null || weights[key] <= 0) continue;
    sum += weights[key] * value;
    total += weights[key];
  }
  return {
    symbol: input.symbol,
    time: input.time,
    score: total > 0 ? clip(sum / total) : null,
    components,
    weights: { ...weights },
    regime: input.regime,
    gate: input.gate,
  };
}

function clip(value: number): number {
  return Math.max(-1, Math.min(1, value));
}
