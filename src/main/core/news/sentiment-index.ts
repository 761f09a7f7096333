/**
 * A running news-sentiment index: the decay-weighted mean of the signed sentiment scores of recent news
 * items, per symbol and market-wide, as the live panel and the meta-score read it.
 *
 * An item published at t_k with signed score s_k (P(positive) − P(negative), in [−1, 1]) weighs
 * w_k = 2^(−(t − t_k) / halfLife) when read at time t ≥ t_k (exponential decay with a half-life; items
 * published after t are not seen). The index at t is
 *   score = Σ w_k s_k / Σ w_k,   weight = Σ w_k (the effective number of items),   count = number of items,
 * over the items of that symbol (an item about several symbols counts for each), or over every item for
 * the market-wide index (symbol null; market-wide news, with no symbols, counts only there).
 *
 * Pure and deterministic: time is an argument. Memory is bounded: an item is dropped once its weight at
 * the latest time the index has seen (added or read) is below MIN_WEIGHT, i.e. older than
 * halfLife · log2(1 / MIN_WEIGHT) ≈ 10 half-lives. Reads are expected at non-decreasing times, as the
 * market clock moves; a replay that seeks back calls `rewindTo`.
 */

/** Items lighter than this at the latest time seen are dropped (and never counted). */
export const MIN_WEIGHT = 1e-3;

/** The live panel's default half-life: 6 hours of wall time (ms), about one trading session. */
export const DEFAULT_SENTIMENT_HALF_LIFE_MS = 6 * 3_600_000;

export interface SentimentReading {
  /** Decay-weighted mean of the signed scores, in [−1, 1]. */
  score: number;
  /** Σ of the items' weights: the effective number of items (1 = one item published just now). */
  weight: number;
  /** Items counted (weight ≥ MIN_WEIGHT at the read time). */
  count: number;
}

interface Entry {
  time: number;
  score: number;
}

/** Items of one key in ascending time, with a moving start instead of shifting the array. */
class Series {
  entries: Entry[] = [];
  start = 0;

  insert(entry: Entry): void {
    const { entries } = this;
    let k = entries.length;
    // Items usually arrive in time order: the loop ends at once.
    while (k > this.start && entries[k - 1]!.time > entry.time) k--;
    entries.splice(k, 0, entry);
  }

  /** Drops entries older than `cutoff` (exclusive); compacts when the dead prefix is large. */
  dropBefore(cutoff: number): void {
    const { entries } = this;
    while (this.start < entries.length && entries[this.start]!.time < cutoff) this.start++;
    if (this.start > 64 && this.start * 2 > entries.length) {
      this.entries = entries.slice(this.start);
      this.start = 0;
    }
  }

  /** Drops entries published after `time`. */
  dropAfter(time: number): void {
    const { entries } = this;
    while (entries.length > this.start && entries[entries.length - 1]!.time > time) entries.pop();
  }

  get size(): number {
    return this.entries.length - this.start;
  }

  read(time: number, halfLife: number, minAge: number): SentimentReading | null {
    const { entries } = this;
    let sum = 0;
    let weight = 0;
    let count = 0;
    for (let k = entries.length - 1; k >= this.start; k--) {
      const entry = entries[k]!;
      if (entry.time > time) continue;
      const age = time - entry.time;
      if (age > minAge) break;
      const w = Math.pow(2, -age / halfLife);
      sum += w * entry.score;
      weight += w;
      count++;
    }
    if (count === 0) return null;
    return { score: Math.max(-1, Math.min(1, sum / weight)), weight, count };
  }
}

export class SentimentIndex {
  private readonly market = new Series();
  private readonly bySymbol = new Map<string, Series>();
  /** Age (ms) past which an item's weight is below MIN_WEIGHT. */
  private readonly maxAge: number;
  private latest = Number.NEGATIVE_INFINITY;
  private prunedAt = Number.NEGATIVE_INFINITY;

  /**
   * @param halfLifeMs half-life of an item's weight (ms), default DEFAULT_SENTIMENT_HALF_LIFE_MS (6 h).
   * @throws RangeError when the half-life is not a positive finite number.
   */
  constructor(readonly halfLifeMs: number = DEFAULT_SENTIMENT_HALF_LIFE_MS) {
    if (!Number.isFinite(halfLifeMs) || halfLifeMs <= 0) {
      throw new RangeError(
        `SentimentIndex: the half-life must be a positive number of ms, not ${halfLifeMs}`,
      );
    }
    this.maxAge = halfLifeMs * Math.log2(1 / MIN_WEIGHT);
  }

  /**
   * Adds one scored item: published at `time` (epoch ms UTC), about `symbols` (upper case; [] for
   * market-wide news), signed score in [−1, 1] (clipped). An item already too old to count at the
   * latest time seen is ignored.
   * @throws RangeError for a non-finite time or score.
   */
  add(time: number, symbols: readonly string[], score: number): void {
    if (!Number.isFinite(time) || !Number.isFinite(score)) {
      throw new RangeError(`SentimentIndex.add: time ${time} and score ${score} must be finite numbers`);
    }
    if (this.latest - time > this.maxAge) return;
    const entry = { time, score: Math.max(-1, Math.min(1, score)) };
    this.market.insert(entry);
    for (const symbol of new Set(symbols)) {
      let series = this.bySymbol.get(symbol);
      if (series === undefined) this.bySymbol.set(symbol, (series = new Series()));
      series.insert(entry);
    }
    this.advance(time);
  }

  /**
   * The index of `symbol` (or market-wide for null) at `time` (epoch ms UTC) from the items published
   * at or before `time`; null when there is none within ≈10 half-lives.
   */
  at(time: number, symbol: string | null): SentimentReading | null {
    this.advance(time);
    const series = symbol === null ? this.market : this.bySymbol.get(symbol);
    return series === undefined ? null : series.read(time, this.halfLifeMs, this.maxAge);
  }

  /** Forgets the items published after `time` (a replay seeking back to `time`). */
  rewindTo(time: number): void {
    this.market.dropAfter(time);
    for (const series of this.bySymbol.values()) series.dropAfter(time);
    this.latest = Math.min(this.latest, time);
  }

  /** Items held (market-wide count; each item once). */
  get size(): number {
    return this.market.size;
  }

  private advance(time: number): void {
    if (time <= this.latest) return;
    this.latest = time;
    const cutoff = time - this.maxAge;
    this.market.dropBefore(cutoff);
    // Sweeping every symbol's series on each new time would cost O(symbols) per item; reads skip old
    // items anyway, so the sweep runs once per tenth of the horizon.
    if (time - this.prunedAt < this.maxAge / 10) return;
    this.prunedAt = time;
    for (const [symbol, series] of this.bySymbol) {
      series.dropBefore(cutoff);
      if (series.size === 0) this.bySymbol.delete(symbol);
    }
  }
}
