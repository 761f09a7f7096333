import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_IDS, FeatureStreamSchema, type FeatureId } from '../../../shared/domain';
import type { DailyNewsColumns } from '../news/daily-news';
import type { DailyPanel } from './daily-panel';
import { gini } from './feature-math';
import {
  AVAILABLE_FEATURE_IDS,
  computeFeatures,
  CORE_SECTORS,
  FEATURE_STREAMS,
  FEATURE_SYMBOLS,
  featureMatrix,
  featureStream,
  featureStreamInfo,
  MARKET_FEATURE_IDS,
  MAX_FEATURE_LOOKBACK,
  NEWS_FEATURE_IDS,
} from './feature-registry';

const DAY = 86_400_000;

/** A panel of `rows` rows from per-symbol closes (and optional volumes); absent values are NaN. */
function panelOf(
  rows: number,
  series: Record<string, { close: (t: number) => number; volume?: (t: number) => number }>,
) {
  const close = new Map<string, Float64Array>();
  const volume = new Map<string, Float64Array>();
  for (const [symbol, s] of Object.entries(series)) {
    close.set(
      symbol,
      Float64Array.from({ length: rows }, (_, t) => s.close(t)),
    );
    volume.set(
      symbol,
      Float64Array.from({ length: rows }, (_, t) => (s.volume ? s.volume(t) : 1000)),
    );
  }
  const panel: DailyPanel = {
    times: Float64Array.from({ length: rows }, (_, t) => t * DAY),
    symbols: Object.keys(series),
    close,
    volume,
  };
  return panel;
}

const value = (panel: DailyPanel, id: FeatureId, i: number) => featureStream(id).compute(panel, i);

describe('the registry', () => {
  it('holds one stream per FEATURE_IDS entry, in that order, each listable through the contract', () => {
    expect(FEATURE_STREAMS.map((s) => s.id)).toEqual([...FEATURE_IDS]);
    for (const stream of FEATURE_STREAMS) {
      const info = FeatureStreamSchema.parse(featureStreamInfo(stream));
      expect(info.available).toBe(stream.unavailable === null);
      expect(info.description.length).toBeGreaterThan(20);
    }
  });

  it('marks the put/call ratio unavailable with its reason, and leaves it out of the default inputs', () => {
    const info = featureStreamInfo(featureStream('put_call_ratio'));
    expect(info).toMatchObject({ available: false });
    expect(info.reason).toBe('no put/call ratio source: no options data is available');
    expect(AVAILABLE_FEATURE_IDS).toEqual(
      FEATURE_IDS.filter((id) => !['put_call_ratio', 'social_sentiment', 'earnings_call_tone'].includes(id)),
    );
  });

  it("keeps the model's default inputs to the 9 market streams; the news streams are listed apart", () => {
    expect(MARKET_FEATURE_IDS).toEqual(FEATURE_IDS.slice(0, 10).filter((id) => id !== 'put_call_ratio'));
    expect(NEWS_FEATURE_IDS).toEqual(['news_sentiment', 'news_volume', 'news_catalysts']);
    expect(featureStreamInfo(featureStream('social_sentiment'))).toMatchObject({
      available: false,
      reason: 'no social-media source configured',
    });
    expect(featureStreamInfo(featureStream('earnings_call_tone'))).toMatchObject({
      available: false,
      reason: 'no earnings-call transcripts source configured',
    });
  });

  it('lists every symbol the streams read', () => {
    expect([...FEATURE_SYMBOLS].sort()).toEqual(
      ['SPY', 'VIX', 'TLT', 'GLD', 'EFA', ...CORE_SECTORS, 'XLRE', 'XLC'].sort(),
    );
    expect(MAX_FEATURE_LOOKBACK).toBe(60);
  });
});

describe('hand-computed values', () => {
  // 70 rows, decision row i = 69.
  // SPY close_t = 100 + t, plus 2 on odd rows (a zig-zag up-trend); volume 1000, 3000 on row 69.
  // Sectors: close_t = 100 + s·(t − 49), so the 20-session return at 69 is 0.2·s; rising sectors close above
  // their 50-session average, falling ones below. XLRE exists from row 40 only (30 sessions); XLC never.
  const slopes: Record<string, number> = {
    XLB: 0.5,
    XLE: 1,
    XLF: 1,
    XLI: 1.5,
    XLK: 0.5,
    XLP: 1,
    XLU: -0.5,
    XLV: -1,
    XLY: -0.5,
  };
  const i = 69;
  const panel = panelOf(70, {
    SPY: { close: (t) => 100 + t + (t % 2 === 1 ? 2 : 0), volume: (t) => (t === i ? 3000 : 1000) },
    VIX: { close: (t) => (t === i ? 22.5 : 15) },
    ...Object.fromEntries(
      Object.entries(slopes).map(([s, slope]) => [s, { close: (t) => 100 + slope * (t - 49) }]),
    ),
    XLRE: { close: (t) => (t >= 40 ? 100 + (t - 49) : NaN) },
  });

  it('vix_level is the VIX close of the decision row', () => {
    expect(value(panel, 'vix_level', i)).toBe(22.5);
  });

  it('spy_return_5d and spy_return_20d are close_i / close_{i−k} − 1', () => {
    expect(value(panel, 'spy_return_5d', i)).toBeCloseTo(171 / 164 - 1, 12);
    expect(value(panel, 'spy_return_20d', i)).toBeCloseTo(171 / 151 - 1, 12);
  });

  it('volume_ratio is volume_i over the mean of the last 20 volumes (today included)', () => {
    // (19·1000 + 3000) / 20 = 1100.
    expect(value(panel, 'volume_ratio', i)).toBeCloseTo(3000 / 1100, 12);
  });

  it('breadth counts sectors above their 50-session average, XLRE only once it has 50 sessions', () => {
    expect(value(panel, 'breadth', i)).toBeCloseTo(6 / 9, 12);
    const withRealEstate = panelOf(70, {
      ...Object.fromEntries(
        Object.entries(slopes).map(([s, slope]) => [s, { close: (t) => 100 + slope * (t - 49) }]),
      ),
      XLRE: { close: (t) => (t >= 20 ? 100 + (t - 49) : NaN) },
    });
    expect(value(withRealEstate, 'breadth', i)).toBeCloseTo(7 / 10, 12);
  });

  it('concentration is the Gini coefficient of the sectors’ absolute 20-session returns', () => {
    // |returns| of 10 sectors (XLRE included: it has closes at 49 and 69): 0.1 ×4, 0.2 ×5, 0.3 ×1.
    // Σ_j Σ_k |a_j − a_k| = 2·(4·5·0.1 + 4·1·0.2 + 5·1·0.1) = 6.6; 2 n² mean = 2·100·0.17 = 34.
    expect(value(panel, 'concentration', i)).toBeCloseTo(6.6 / 34, 12);
  });

  it('sector_dispersion is the population sd of the sectors’ 20-session returns', () => {
    // returns 0.1 0.2 0.2 0.3 0.1 0.2 −0.1 −0.2 −0.1 0.2: mean 0.09, E[r²] 0.033, variance 0.0249.
    expect(value(panel, 'sector_dispersion', i)).toBeCloseTo(Math.sqrt(0.0249), 12);
  });

  it('signal_quality is the efficiency ratio: net move over the path travelled', () => {
    // close 171 (row 69) − 151 (row 49) = 20; each of the 20 steps moves 3 up or 1 down: path 40.
    expect(value(panel, 'signal_quality', i)).toBeCloseTo(0.5, 12);
    const straight = panelOf(30, { SPY: { close: (t) => 50 + 2 * t } });
    expect(value(straight, 'signal_quality', 29)).toBeCloseTo(1, 12);
  });

  it('cross_asset_correlation averages the 6 pairwise correlations of daily returns over 60 sessions', () => {
    // Returns over rows 10..69: SPY +1 % / −1 % alternating, EFA twice SPY (ρ = 1), TLT minus SPY (ρ = −1),
    // GLD a period-4 pattern uncorrelated with the other three (ρ = 0): mean of (1, −1, 0, −1, 0, 0) = −1/6.
    const alternating = (t: number) => (t % 2 === 0 ? 1 : -1);
    const period4 = (t: number) => (t % 4 < 2 ? 1 : -1);
    const compound = (r: (t: number) => number) => {
      const closes = [100];
      for (let t = 1; t < 70; t++) closes.push(closes[t - 1]! * (1 + r(t)));
      return (t: number) => closes[t]!;
    };
    const assets = panelOf(70, {
      SPY: { close: compound((t) => 0.01 * alternating(t)) },
      EFA: { close: compound((t) => 0.02 * alternating(t)) },
      TLT: { close: compound((t) => -0.01 * alternating(t)) },
      GLD: { close: compound((t) => 0.01 * period4(t)) },
    });
    expect(value(assets, 'cross_asset_correlation', 69)).toBeCloseTo(-1 / 6, 12);
  });

  it('put_call_ratio is always null', () => {
    expect(value(panel, 'put_call_ratio', i)).toBeNull();
  });

  it('computeFeatures gives the streams in FEATURE_IDS order, and featureMatrix the same row with NaN for null', () => {
    const row = computeFeatures(panel, i);
    expect(row).toEqual(FEATURE_IDS.map((id) => value(panel, id, i)));
    const matrix = featureMatrix(panel, FEATURE_IDS, { from: i - 1, to: i });
    expect(matrix.length).toBe(2 * FEATURE_IDS.length);
    expect([...matrix.subarray(FEATURE_IDS.length)]).toEqual(row.map((v) => v ?? NaN));
    expect(() => featureMatrix(panel, FEATURE_IDS, { from: 0, to: 70 })).toThrow(RangeError);
  });
});

describe('Gini coefficient', () => {
  it('is 0 when all values are equal (all zero included) and (n − 1)/n when one value holds everything', () => {
    expect(gini([0.3, 0.3, 0.3, 0.3])).toBe(0);
    expect(gini([0, 0, 0])).toBe(0);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(3 / 4, 12);
    // 1, 2, 3: Σ|a_j − a_k| = 2·(1 + 2 + 1) = 8; 2 n² mean = 2·9·2 = 36.
    expect(gini([3, 1, 2])).toBeCloseTo(8 / 36, 12);
  });
});

/** A random-walk panel of every symbol the streams read, from a seed (values differ per symbol). */
function randomPanel(rows: number, seed: number): DailyPanel {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const series: Record<string, { close: (t: number) => number; volume: (t: number) => number }> = {};
  for (const symbol of FEATURE_SYMBOLS) {
    const closes = [50 + 100 * random()];
    for (let t = 1; t < rows; t++) closes.push(closes[t - 1]! * (1 + 0.03 * (random() - 0.5)));
    const volumes = closes.map(() => 1e5 * (0.5 + random()));
    series[symbol] = { close: (t) => closes[t]!, volume: (t) => volumes[t]! };
  }
  // News on every row: 1..6 items, all scored, some with a catalyst tag.
  const count = Float64Array.from({ length: rows }, () => 1 + Math.floor(6 * random()));
  const news: DailyNewsColumns = {
    count,
    scored: Float64Array.from(count),
    sentimentSum: count.map((c) => c * (random() - 0.5)),
    catalystCount: count.map((c) => Math.floor(c * random())),
  };
  return { ...panelOf(rows, series), news };
}

const newsColumns = (news: DailyNewsColumns): Float64Array[] => [
  news.count,
  news.scored,
  news.sentimentSum,
  news.catalystCount,
];

/** Every column of a panel, bars and news: what a look-ahead test rewrites. */
function columnsOf(panel: DailyPanel): Float64Array[] {
  const news = panel.news ? newsColumns(panel.news) : [];
  return [...panel.close.values(), ...panel.volume.values(), ...news];
}

describe('no look-ahead', () => {
  const rows = 90;
  const base = randomPanel(rows, 7);

  it('every stream at row i is unchanged when every row after i is rewritten (values, NaN, zeros)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: rows - 2 }),
        fc.array(
          fc.oneof(fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.constant(NaN), fc.constant(0)),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (i, noise) => {
          const before = computeFeatures(base, i);
          const mutated = randomPanel(rows, 7);
          let k = 0;
          for (const values of columnsOf(mutated)) {
            for (let t = i + 1; t < rows; t++) values[t] = noise[k++ % noise.length]!;
          }
          const after = computeFeatures(mutated, i);
          FEATURE_IDS.forEach((id, f) => expect(after[f], `${id} at row ${i}`).toBe(before[f]));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the random panel gives every available stream a value once its lookback is covered', () => {
    const row = computeFeatures(base, rows - 1, AVAILABLE_FEATURE_IDS);
    expect(row.every((v) => v !== null && Number.isFinite(v))).toBe(true);
  });
});

describe('missing inputs give null, never 0', () => {
  const rows = 90;
  const i = rows - 1;

  for (const stream of FEATURE_STREAMS.filter((s) => s.unavailable === null && s.group !== 'news')) {
    it(`${stream.id}: null when its inputs are missing at row i − lookback, unchanged when missing one row earlier`, () => {
      const full = value(randomPanel(rows, 3), stream.id, i);
      expect(full).not.toBeNull();

      const edge = randomPanel(rows, 3);
      for (const symbol of stream.symbols) {
        edge.close.get(symbol)![i - stream.lookback] = NaN;
        edge.volume.get(symbol)![i - stream.lookback] = NaN;
      }
      expect(value(edge, stream.id, i)).toBeNull();

      const earlier = randomPanel(rows, 3);
      for (const symbol of stream.symbols) {
        earlier.close.get(symbol)![i - stream.lookback - 1] = NaN;
        earlier.volume.get(symbol)![i - stream.lookback - 1] = NaN;
      }
      expect(value(earlier, stream.id, i)).toBe(full);
    });
  }

  for (const id of NEWS_FEATURE_IDS) {
    it(`${id}: null when news is not covered at row i − lookback, unchanged one row earlier, null without news`, () => {
      const stream = featureStream(id);
      const full = value(randomPanel(rows, 3), id, i);
      expect(full).not.toBeNull();
      const edge = randomPanel(rows, 3);
      for (const column of newsColumns(edge.news!)) column[i - stream.lookback] = NaN;
      expect(value(edge, id, i)).toBeNull();
      expect(stream.missingReason!(edge, i)).toMatch(/does not cover the \d+ sessions/);
      const earlier = randomPanel(rows, 3);
      for (const column of newsColumns(earlier.news!)) column[i - stream.lookback - 1] = NaN;
      expect(value(earlier, id, i)).toBe(full);
      const { news: _news, ...bare } = randomPanel(rows, 3);
      expect(value(bare, id, i)).toBeNull();
      expect(stream.missingReason!(bare, i)).toBe('no news source feeds the daily panel');
    });
  }

  it('null before the panel holds enough rows, and when a symbol is not in the panel at all', () => {
    const panel = randomPanel(rows, 5);
    for (const stream of FEATURE_STREAMS.filter((s) => s.lookback > 0)) {
      expect(value(panel, stream.id, stream.lookback - 1), stream.id).toBeNull();
    }
    const spyOnly = panelOf(rows, { SPY: { close: (t) => 100 + t } });
    expect(value(spyOnly, 'vix_level', i)).toBeNull();
    expect(value(spyOnly, 'breadth', i)).toBeNull();
    expect(value(spyOnly, 'cross_asset_correlation', i)).toBeNull();
    expect(value(spyOnly, 'concentration', i)).toBeNull();
    expect(value(spyOnly, 'sector_dispersion', i)).toBeNull();
    expect(value(spyOnly, 'spy_return_20d', i)).not.toBeNull();
  });

  it('sector streams answer null with fewer than 5 sectors, and use the sectors there are with 5 or more', () => {
    const sectors = (count: number) =>
      panelOf(
        rows,
        Object.fromEntries(
          CORE_SECTORS.slice(0, count).map((s, k) => [s, { close: (t) => 50 + t * (k + 1) }]),
        ),
      );
    for (const id of ['breadth', 'concentration', 'sector_dispersion'] as const) {
      expect(value(sectors(4), id, i), id).toBeNull();
      expect(value(sectors(5), id, i), id).not.toBeNull();
    }
  });
});

describe('featureMatrix', () => {
  it('equals computeFeatures row by row over the whole panel, NaN where a value is null', () => {
    const panel = randomPanel(120, 11);
    const matrix = featureMatrix(panel, FEATURE_IDS);
    const width = FEATURE_IDS.length;
    expect(matrix.length).toBe(120 * width);
    for (let i = 0; i < 120; i++) {
      expect([...matrix.subarray(i * width, (i + 1) * width)]).toEqual(
        computeFeatures(panel, i).map((v) => v ?? NaN),
      );
    }
  });
});
