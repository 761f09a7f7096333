/**
 * News aggregated per session of a daily panel, the input of the news feature streams.
 *
 * Row i of the panel collects the items published after session i−1's close and up to session i's close
 * (close_{i−1} < time ≤ close_i): what a trader has read by the close of session i that they had not read
 * at the previous close. News after a session's close (evening earnings, weekend news) therefore counts
 * for the next row. Row 0 has no previous close, so its window's start is unknown: it is NaN, like every
 * row whose window is not entirely inside the news source's coverage (no source is not "no news").
 *
 * Aggregates are market-wide (every item counts once, whatever its symbols).
 */

/** One scored news item, as the aggregation reads it. */
export interface DailyNewsItem {
  /** Published (epoch ms UTC). */
  time: number;
  symbols: readonly string[];
  /** Signed sentiment P(positive) − P(negative) in [−1, 1]; null when the item is unscored. */
  score: number | null;
  /** How many catalyst tags it carries (0 = none). */
  catalysts: number;
}

/** Per panel row (NaN where the window is not covered by the source). */
export interface DailyNewsColumns {
  /** Items published in the row's window. */
  readonly count: Float64Array;
  /** Items with a sentiment score. */
  readonly scored: Float64Array;
  /** Σ of their signed scores. */
  readonly sentimentSum: Float64Array;
  /** Items carrying at least one catalyst tag. */
  readonly catalystCount: Float64Array;
}

export interface NewsCoverage {
  /** First instant the source covers (epoch ms UTC, inclusive). */
  from: number;
  /** Last instant it covers (inclusive). */
  to: number;
}

/**
 * Aggregates items per panel row: `closes[i]` is the close of row i's session (epoch ms UTC, ascending;
 * e.g. SessionCalendar.sessionAt(panel.times[i]).close). A row is NaN unless its window
 * (closes[i−1], closes[i]] lies inside `coverage` (default: from the earliest to the latest item's time;
 * a source that held no item covers nothing, so every row is NaN).
 * @throws RangeError when the closes are not ascending.
 */
export function dailyNewsColumns(
  items: Iterable<DailyNewsItem>,
  closes: ArrayLike<number>,
  coverage?: NewsCoverage,
): DailyNewsColumns {
  const n = closes.length;
  for (let i = 1; i < n; i++) {
    if (!(closes[i]! > closes[i - 1]!)) {
      throw new RangeError(`dailyNewsColumns: session closes must ascend (row ${i} does not)`);
    }
  }
  const list = [...items];
  let from = coverage?.from ?? Number.POSITIVE_INFINITY;
  let to = coverage?.to ?? Number.NEGATIVE_INFINITY;
  if (coverage === undefined) {
    for (const item of list) {
      from = Math.min(from, item.time);
      to = Math.max(to, item.time);
    }
  }
  const count = new Float64Array(n).fill(Number.NaN);
  const scored = new Float64Array(n).fill(Number.NaN);
  const sentimentSum = new Float64Array(n).fill(Number.NaN);
  const catalystCount = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) {
    // The window (closes[i−1], closes[i]] must lie in [from, to]: its first instant is after closes[i−1].
    if (closes[i - 1]! + 1 >= from && closes[i]! <= to) {
      count[i] = scored[i] = sentimentSum[i] = catalystCount[i] = 0;
    }
  }
  for (const item of list) {
    const row = rowOfTime(closes, item.time);
    if (row < 1 || row >= n || Number.isNaN(count[row]!)) continue;
    count[row]!++;
    if (item.score !== null && Number.isFinite(item.score)) {
      scored[row]!++;
      sentimentSum[row]! += item.score;
    }
    if (item.catalysts > 0) catalystCount[row]!++;
  }
  return { count, scored, sentimentSum, catalystCount };
}

/** The row i with closes[i−1] < time ≤ closes[i]; 0 at or before the first close, n after the last. */
function rowOfTime(closes: ArrayLike<number>, time: number): number {
  let lo = 0;
  let hi = closes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (closes[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sessions the news sentiment and catalyst streams read (the decision row and the 4 before). */
export const NEWS_WINDOW = 5;
/** Half-life (sessions) of the decay weights of news_sentiment. */
export const NEWS_SENTIMENT_HALF_LIFE = 2;
/** Sessions of the average news count news_volume compares today's with. */
export const NEWS_VOLUME_WINDOW = 20;

/** True when rows from..to (inclusive) are all inside the panel's news coverage. */
function covered(values: Float64Array, from: number, to: number): boolean {
  if (from < 0 || to >= values.length) return false;
  for (let t = from; t <= to; t++) if (Number.isNaN(values[t]!)) return false;
  return true;
}

/**
 * news_sentiment at row i: Σ_k w_k·d_{i−k} / Σ_k w_k over k = 0..4 with d_t = sentimentSum_t / scored_t
 * (the session's mean signed score) and w_k = 2^(−k / 2) (half-life 2 sessions), over the sessions that
 * have a scored item. Null without news columns, when a row of the window is not covered, or when no
 * item in the window is scored.
 */
export function newsSentiment(news: DailyNewsColumns | undefined, i: number): number | null {
  if (news === undefined || !covered(news.count, i - NEWS_WINDOW + 1, i)) return null;
  let sum = 0;
  let weight = 0;
  for (let k = 0; k < NEWS_WINDOW; k++) {
    const scored = news.scored[i - k]!;
    if (scored <= 0) continue;
    const w = Math.pow(2, -k / NEWS_SENTIMENT_HALF_LIFE);
    sum += (w * news.sentimentSum[i - k]!) / scored;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
}

/**
 * news_volume at row i: ln((count_i + 1) / (mean(count_{i−19..i}) + 1)): today's item count against its
 * 20-session average, +1 smoothing so a quiet day is finite (0 = an average day). Null without news
 * columns, when a row of the window is not covered, or with no item in the 20 sessions.
 */
export function newsVolume(news: DailyNewsColumns | undefined, i: number): number | null {
  if (news === undefined || !covered(news.count, i - NEWS_VOLUME_WINDOW + 1, i)) return null;
  let total = 0;
  for (let t = i - NEWS_VOLUME_WINDOW + 1; t <= i; t++) total += news.count[t]!;
  if (total === 0) return null;
  return Math.log((news.count[i]! + 1) / (total / NEWS_VOLUME_WINDOW + 1));
}

/**
 * news_catalysts at row i: Σ catalystCount / Σ count over rows i−4..i, the share of the last 5 sessions'
 * items that carry a catalyst tag (0..1). Null without news columns, when a row of the window is not
 * covered, or with no item in the window.
 */
export function newsCatalystShare(news: DailyNewsColumns | undefined, i: number): number | null {
  if (news === undefined || !covered(news.count, i - NEWS_WINDOW + 1, i)) return null;
  let items = 0;
  let tagged = 0;
  for (let t = i - NEWS_WINDOW + 1; t <= i; t++) {
    items += news.count[t]!;
    tagged += news.catalystCount[t]!;
  }
  return items > 0 ? tagged / items : null;
}

/**
 * Why a news stream reading rows i − lookback..i has no value at row i, in words (for the feature panel).
 */
export function newsMissingReason(news: DailyNewsColumns | undefined, i: number, lookback: number): string {
  if (news === undefined) return 'no news source feeds the daily panel';
  if (!covered(news.count, i - lookback, i)) {
    return `the news source does not cover the ${lookback + 1} sessions this stream reads`;
  }
  return `no news item in the ${lookback + 1} sessions this stream reads`;
}
