/**
 * The feature streams of the TRM strategy model, defined once: one entry per id of FEATURE_IDS, in
 * that order. Each stream is a pure function of a daily panel's rows up to and including row i (the
 * decision bar): it never reads row i + 1 or later, so a value at i is known at the close of session i.
 * A stream whose inputs are missing anywhere in its window answers null; nothing is filled forward or
 * replaced by 0.
 *
 * Notation: close_t is a symbol's daily close in panel row t; r_t = close_t / close_{t−1} − 1.
 */
import { FEATURE_IDS, type FeatureId, type FeatureStream } from '../../../shared/domain';
import {
  NEWS_VOLUME_WINDOW,
  NEWS_WINDOW,
  newsCatalystShare,
  newsMissingReason,
  newsSentiment,
  newsVolume,
} from '../news/daily-news';
import type { DailyPanel } from './daily-panel';
import {
  correlation,
  dailyReturns,
  efficiencyRatio,
  gini,
  periodReturn,
  populationSd,
  windowMean,
} from './feature-math';

export interface FeatureStreamDefinition {
  id: FeatureId;
  name: string;
  /** Exact definition: formula, window, symbols. */
  description: string;
  /** Where its inputs come from, e.g. "SPY daily closes". */
  source: string;
  unit: string;
  /** Upper-case symbols it reads from the panel. */
  symbols: readonly string[];
  /** Rows of history it reads before the decision row: the value at i reads rows i − lookback..i. */
  lookback: number;
  /** Why the stream can never be computed (no source at all), else null. */
  unavailable: string | null;
  /** The value at row i from rows ≤ i only, or null when an input it needs is missing in its window. */
  compute(panel: DailyPanel, i: number): number | null;
  /** 'news' for the streams read from news (panel.news); absent for those read from daily bars. */
  group?: 'news';
  /** Why compute answers null at row i, in words, for streams whose inputs are not bars (news). */
  missingReason?(panel: DailyPanel, i: number): string;
}

/** The nine sector SPDRs listed since 1998-12-22. */
export const CORE_SECTORS = ['XLB', 'XLE', 'XLF', 'XLI', 'XLK', 'XLP', 'XLU', 'XLV', 'XLY'] as const;
/** Sector SPDRs added later (real estate 2015, communication services 2018); used once they have the history. */
export const LATE_SECTORS = ['XLRE', 'XLC'] as const;
export const SECTOR_SYMBOLS: readonly string[] = [...CORE_SECTORS, ...LATE_SECTORS];
/** Sector streams answer null when fewer sectors than this have the window they need. */
export const MIN_SECTORS = 5;
/** The stock, long-bond, gold and developed-markets ETFs of the cross-asset correlation. */
export const CROSS_ASSETS = ['SPY', 'TLT', 'GLD', 'EFA'] as const;

const BREADTH_WINDOW = 50;
const VOLUME_WINDOW = 20;
const CORRELATION_WINDOW = 60;
const SECTOR_RETURN_WINDOW = 20;
const EFFICIENCY_WINDOW = 20;

const SOCIAL_UNAVAILABLE = 'no social-media source configured';
const EARNINGS_CALL_UNAVAILABLE = 'no earnings-call transcripts source configured';

// Shown to the trader in the Features tab: no folder names (the bundled data holds no options data, and
// the workstation does not fetch any).
const PUT_CALL_UNAVAILABLE = 'no put/call ratio source: no options data is available';

const closes = (panel: DailyPanel, symbol: string): Float64Array | undefined => panel.close.get(symbol);

/** close_i / close_{i−k} − 1 of one symbol, null when it is not in the panel or a close is missing. */
function symbolReturn(panel: DailyPanel, symbol: string, i: number, k: number): number | null {
  const close = closes(panel, symbol);
  return close === undefined ? null : periodReturn(close, i, k);
}

/** The 20-session returns at i of the sectors that have both closes; null with fewer than MIN_SECTORS. */
function sectorReturns(panel: DailyPanel, i: number): number[] | null {
  const out: number[] = [];
  for (const symbol of SECTOR_SYMBOLS) {
    const r = symbolReturn(panel, symbol, i, SECTOR_RETURN_WINDOW);
    if (r !== null) out.push(r);
  }
  return out.length >= MIN_SECTORS ? out : null;
}

function breadth(panel: DailyPanel, i: number): number | null {
  let counted = 0;
  let above = 0;
  for (const symbol of SECTOR_SYMBOLS) {
    const close = closes(panel, symbol);
    if (close === undefined) continue;
    const sma = windowMean(close, i - BREADTH_WINDOW + 1, i);
    if (sma === null) continue;
    counted++;
    if (close[i]! > sma) above++;
  }
  return counted >= MIN_SECTORS ? above / counted : null;
}

function crossAssetCorrelation(panel: DailyPanel, i: number): number | null {
  const returns: Float64Array[] = [];
  for (const symbol of CROSS_ASSETS) {
    const close = closes(panel, symbol);
    const r = close === undefined ? null : dailyReturns(close, i - CORRELATION_WINDOW + 1, i);
    if (r === null) return null;
    returns.push(r);
  }
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < returns.length; a++) {
    for (let b = a + 1; b < returns.length; b++) {
      const rho = correlation(returns[a]!, returns[b]!);
      if (rho === null) return null;
      sum += rho;
      pairs++;
    }
  }
  return sum / pairs;
}

function volumeRatio(panel: DailyPanel, i: number): number | null {
  const volume = panel.volume.get('SPY');
  if (volume === undefined) return null;
  const average = windowMean(volume, i - VOLUME_WINDOW + 1, i);
  if (average === null || average <= 0) return null;
  return volume[i]! / average;
}

const sectorList = SECTOR_SYMBOLS.join(' ');

/** The streams in FEATURE_IDS order. */
export const FEATURE_STREAMS: readonly FeatureStreamDefinition[] = [
  {
    id: 'vix_level',
    name: 'VIX level',
    description: 'Close of the CBOE Volatility Index (VIX) on the decision session.',
    source: 'VIX daily closes',
    unit: 'index points',
    symbols: ['VIX'],
    lookback: 0,
    unavailable: null,
    compute: (panel, i) => {
      const value = closes(panel, 'VIX')?.[i];
      return value !== undefined && Number.isFinite(value) ? value : null;
    },
  },
  {
    id: 'spy_return_5d',
    name: 'SPY 5-session return',
    description: 'SPY close_i / close_{i−5} − 1: the return over the last 5 sessions.',
    source: 'SPY daily closes',
    unit: 'fraction (0.01 = +1 %)',
    symbols: ['SPY'],
    lookback: 5,
    unavailable: null,
    compute: (panel, i) => symbolReturn(panel, 'SPY', i, 5),
  },
  {
    id: 'spy_return_20d',
    name: 'SPY 20-session return',
    description: 'SPY close_i / close_{i−20} − 1: the return over the last 20 sessions (about a month).',
    source: 'SPY daily closes',
    unit: 'fraction (0.01 = +1 %)',
    symbols: ['SPY'],
    lookback: 20,
    unavailable: null,
    compute: (panel, i) => symbolReturn(panel, 'SPY', i, 20),
  },
  {
    id: 'volume_ratio',
    name: 'SPY volume ratio',
    description:
      'SPY volume_i / mean(SPY volume over sessions i−19..i): today against its 20-session average.',
    source: 'SPY daily volumes',
    unit: 'ratio (1 = average)',
    symbols: ['SPY'],
    lookback: VOLUME_WINDOW - 1,
    unavailable: null,
    compute: volumeRatio,
  },
  {
    id: 'breadth',
    name: 'Sector breadth',
    description:
      `Share of the sector ETFs (${sectorList}) whose close_i is above their simple average of closes ` +
      `i−49..i (50 sessions); a sector counts only on rows where it has all 50 closes (XLRE from 2015, ` +
      `XLC from 2018); null with fewer than ${MIN_SECTORS} sectors.`,
    source: 'Sector SPDR ETF daily closes',
    unit: 'fraction of sectors (0..1)',
    symbols: SECTOR_SYMBOLS,
    lookback: BREADTH_WINDOW - 1,
    unavailable: null,
    compute: breadth,
  },
  {
    id: 'cross_asset_correlation',
    name: 'Cross-asset correlation',
    description:
      'Mean of the 6 pairwise Pearson correlations of daily returns r_t (t = i−59..i, 60 sessions) among ' +
      'SPY, TLT, GLD and EFA: how much stocks, long bonds, gold and foreign stocks move together. Null ' +
      'when any of them lacks a close in i−60..i.',
    source: 'SPY, TLT, GLD, EFA daily closes',
    unit: 'correlation (−1..1)',
    symbols: CROSS_ASSETS,
    lookback: CORRELATION_WINDOW,
    unavailable: null,
    compute: crossAssetCorrelation,
  },
  {
    id: 'put_call_ratio',
    name: 'Put/call ratio',
    description: 'Volume of put options traded / volume of call options traded on the decision session.',
    source: 'none',
    unit: 'ratio',
    symbols: [],
    lookback: 0,
    unavailable: PUT_CALL_UNAVAILABLE,
    compute: () => null,
  },
  {
    id: 'concentration',
    name: 'Sector concentration',
    description:
      `Gini coefficient G = Σ_j Σ_k |a_j − a_k| / (2 n² mean(a)) of a = |close_i / close_{i−20} − 1|, the ` +
      `absolute 20-session returns of the n sector ETFs (${sectorList}) that have both closes: how ` +
      `unevenly the market's moves are spread (0 = all sectors moved alike); null with fewer than ` +
      `${MIN_SECTORS} sectors.`,
    source: 'Sector SPDR ETF daily closes',
    unit: 'Gini coefficient (0..1)',
    symbols: SECTOR_SYMBOLS,
    lookback: SECTOR_RETURN_WINDOW,
    unavailable: null,
    compute: (panel, i) => {
      const returns = sectorReturns(panel, i);
      return returns === null ? null : gini(returns.map(Math.abs));
    },
  },
  {
    id: 'sector_dispersion',
    name: 'Sector dispersion',
    description:
      `Population standard deviation, across the sector ETFs (${sectorList}) that have both closes, of ` +
      `their 20-session returns close_i / close_{i−20} − 1; null with fewer than ${MIN_SECTORS} sectors.`,
    source: 'Sector SPDR ETF daily closes',
    unit: 'fraction (sd of returns)',
    symbols: SECTOR_SYMBOLS,
    lookback: SECTOR_RETURN_WINDOW,
    unavailable: null,
    compute: (panel, i) => {
      const returns = sectorReturns(panel, i);
      return returns === null ? null : populationSd(returns);
    },
  },
  {
    id: 'signal_quality',
    name: 'Trend efficiency (SPY)',
    description:
      'Kaufman efficiency ratio of SPY over 20 sessions: |close_i − close_{i−20}| / Σ_{t=i−19..i} ' +
      '|close_t − close_{t−1}|; 1 = a clean trend, near 0 = noise. Null if the closes never moved.',
    source: 'SPY daily closes',
    unit: 'ratio (0..1)',
    symbols: ['SPY'],
    lookback: EFFICIENCY_WINDOW,
    unavailable: null,
    compute: (panel, i) => {
      const close = closes(panel, 'SPY');
      return close === undefined ? null : efficiencyRatio(close, i, EFFICIENCY_WINDOW);
    },
  },
  {
    id: 'news_sentiment',
    name: 'News sentiment',
    description:
      `Decay-weighted mean of the daily mean signed sentiment (P(positive) − P(negative) of each scored ` +
      `item, market-wide) over the last ${NEWS_WINDOW} sessions, weights 2^(−k/2) for k sessions back ` +
      `(half-life 2 sessions), over the sessions with a scored item. A session's items are those published ` +
      `after the previous close and up to its close.`,
    source: 'news items scored by the sentiment model',
    unit: 'score (−1..1)',
    symbols: [],
    lookback: NEWS_WINDOW - 1,
    unavailable: null,
    group: 'news',
    compute: (panel, i) => newsSentiment(panel.news, i),
    missingReason: (panel, i) => newsMissingReason(panel.news, i, NEWS_WINDOW - 1),
  },
  {
    id: 'news_volume',
    name: 'News volume',
    description:
      `ln((count_i + 1) / (mean(count over sessions i−${NEWS_VOLUME_WINDOW - 1}..i) + 1)): the number of ` +
      `news items of the decision session against its ${NEWS_VOLUME_WINDOW}-session average (0 = an ` +
      `average day), +1 smoothing so a quiet day is finite.`,
    source: 'news items',
    unit: 'log ratio',
    symbols: [],
    lookback: NEWS_VOLUME_WINDOW - 1,
    unavailable: null,
    group: 'news',
    compute: (panel, i) => newsVolume(panel.news, i),
    missingReason: (panel, i) => newsMissingReason(panel.news, i, NEWS_VOLUME_WINDOW - 1),
  },
  {
    id: 'news_catalysts',
    name: 'News catalysts',
    description:
      `Share of the news items of the last ${NEWS_WINDOW} sessions that carry a catalyst tag (earnings, ` +
      `guidance, analyst rating, M&A, legal/regulatory, product, management, capital return, macro).`,
    source: 'news items with catalyst tags',
    unit: 'fraction of items (0..1)',
    symbols: [],
    lookback: NEWS_WINDOW - 1,
    unavailable: null,
    group: 'news',
    compute: (panel, i) => newsCatalystShare(panel.news, i),
    missingReason: (panel, i) => newsMissingReason(panel.news, i, NEWS_WINDOW - 1),
  },
  {
    id: 'social_sentiment',
    name: 'Social sentiment',
    description: 'Decay-weighted mean signed sentiment of social-media posts about the market.',
    source: 'none',
    unit: 'score (−1..1)',
    symbols: [],
    lookback: 0,
    unavailable: SOCIAL_UNAVAILABLE,
    group: 'news',
    compute: () => null,
  },
  {
    id: 'earnings_call_tone',
    name: 'Earnings-call tone',
    description: 'Signed sentiment of the latest earnings-call transcripts (management remarks and Q&A).',
    source: 'none',
    unit: 'score (−1..1)',
    symbols: [],
    lookback: 0,
    unavailable: EARNINGS_CALL_UNAVAILABLE,
    group: 'news',
    compute: () => null,
  },
];

const byId = new Map<FeatureId, FeatureStreamDefinition>(FEATURE_STREAMS.map((s) => [s.id, s]));

// The registry and the contract's id list must agree in content and order.
if (
  FEATURE_STREAMS.length !== FEATURE_IDS.length ||
  FEATURE_STREAMS.some((s, k) => s.id !== FEATURE_IDS[k])
) {
  throw new Error('feature-registry: FEATURE_STREAMS is out of step with FEATURE_IDS');
}

/** The stream with an id. @throws Error for an id the registry does not define. */
export function featureStream(id: FeatureId): FeatureStreamDefinition {
  const stream = byId.get(id);
  if (stream === undefined) throw new Error(`unknown feature stream "${String(id)}"`);
  return stream;
}

/** The ids of every stream with a source, in registry order. */
export const AVAILABLE_FEATURE_IDS: readonly FeatureId[] = FEATURE_STREAMS.filter(
  (s) => s.unavailable === null,
).map((s) => s.id);

/** The streams read from daily bars that have a source: the model's default inputs, in registry order. */
export const MARKET_FEATURE_IDS: readonly FeatureId[] = FEATURE_STREAMS.filter(
  (s) => s.unavailable === null && s.group !== 'news',
).map((s) => s.id);

/** The news streams that have a source (they need panel.news), in registry order. */
export const NEWS_FEATURE_IDS: readonly FeatureId[] = FEATURE_STREAMS.filter(
  (s) => s.unavailable === null && s.group === 'news',
).map((s) => s.id);

/** Every symbol some stream reads (upper-case, first use in registry order). */
export const FEATURE_SYMBOLS: readonly string[] = [...new Set(FEATURE_STREAMS.flatMap((s) => s.symbols))];

/** The longest lookback of any stream (rows before the decision row). */
export const MAX_FEATURE_LOOKBACK = Math.max(...FEATURE_STREAMS.map((s) => s.lookback));

/** The stream as the contract lists it (available = it has a source). */
export function featureStreamInfo(stream: FeatureStreamDefinition): FeatureStream {
  return {
    id: stream.id,
    name: stream.name,
    description: stream.description,
    source: stream.source,
    unit: stream.unit,
    available: stream.unavailable === null,
    reason: stream.unavailable,
  };
}

/**
 * The values of streams `ids` (default: all, FEATURE_IDS order) at panel row i, each in its unit or
 * null. Reads rows ≤ i only. @throws Error for an unknown id.
 */
export function computeFeatures(
  panel: DailyPanel,
  i: number,
  ids: readonly FeatureId[] = FEATURE_IDS,
): (number | null)[] {
  return ids.map((id) => featureStream(id).compute(panel, i));
}

/**
 * The feature matrix of streams `ids` over panel rows `rows.from..rows.to` (row indices, both
 * included; default every row): row-major, (to − from + 1) × ids.length, NaN where a value is null.
 * Row r of the result is panel row from + r, and equals computeFeatures(panel, from + r, ids).
 * @throws RangeError when the row range leaves the panel; Error for an unknown id.
 */
export function featureMatrix(
  panel: DailyPanel,
  ids: readonly FeatureId[],
  rows: { from: number; to: number } = { from: 0, to: panel.times.length - 1 },
): Float64Array {
  const { from, to } = rows;
  const n = panel.times.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to >= n || to < from - 1) {
    throw new RangeError(`featureMatrix: rows ${from}..${to} are not within the panel's rows 0..${n - 1}`);
  }
  const streams = ids.map(featureStream);
  const width = streams.length;
  const out = new Float64Array((to - from + 1) * width);
  for (let i = from; i <= to; i++) {
    const base = (i - from) * width;
    for (let f = 0; f < width; f++) out[base + f] = streams[f]!.compute(panel, i) ?? NaN;
  }
  return out;
}
