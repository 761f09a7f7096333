import { describe, expect, it } from 'vitest';
import { MetaScoreSchema, type RegimeForecast } from '../../../shared/domain';
import { entryGate } from './entry-gate';
import {
  DEFAULT_META_WEIGHTS,
  metaScore,
  quoteImbalance,
  rsi,
  sentimentFor,
  technicalScore,
} from './meta-score';

const calm: RegimeForecast = {
  barStart: 0,
  current: 'calm',
  volatility: 0.1,
  forecastVolatility: 0.1,
  next: [0.8, 0.2, 0],
  nextRegime: 'calm',
};
const stressed: RegimeForecast = {
  ...calm,
  current: 'stressed',
  next: [0, 0.3, 0.7],
  nextRegime: 'stressed',
};
const rising = Array.from({ length: 40 }, (_, t) => 100 + t);

describe('technicalScore', () => {
  it('is near +1 for a steady rise, near −1 for a steady fall, 0 for a flat line', () => {
    expect(technicalScore(rising)!).toBeGreaterThan(0.8);
    expect(technicalScore(rising.map((c) => 200 - c))!).toBeLessThan(-0.8);
    expect(technicalScore(new Array(30).fill(50))).toBe(0);
  });

  it('is the mean of tanh(distance from SMA20 in sds) and (RSI14 − 50)/50', () => {
    const closes = [...rising.slice(0, 30), 120, 118, 121, 119, 117];
    const window = closes.slice(-20);
    const mean = window.reduce((a, b) => a + b) / 20;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
    const expected = (Math.tanh((117 - mean) / sd) + (rsi(closes)! - 50) / 50) / 2;
    expect(technicalScore(closes)).toBeCloseTo(expected, 12);
  });

  it('needs 21 closes, skipping missing ones', () => {
    expect(technicalScore(rising.slice(0, 20))).toBeNull();
    expect(technicalScore([...rising.slice(0, 20), Number.NaN])).toBeNull();
    expect(technicalScore(rising.slice(0, 21))).not.toBeNull();
  });
});

describe('rsi', () => {
  it("matches Wilder's smoothing on a hand-checked series", () => {
    // 14 changes of +1 then one of −2: gain 1 → (13 + 0)/14, loss 0 → 2/14.
    const closes = [...Array.from({ length: 15 }, (_, t) => t), 12];
    expect(rsi(closes)).toBeCloseTo(100 - 100 / (1 + 13 / 2), 12);
    expect(rsi(closes.slice(0, 14))).toBeNull();
    expect(rsi(new Array(15).fill(3))).toBe(50);
  });
});

describe('quoteImbalance', () => {
  it('is (bid − ask) / (bid + ask), null without size', () => {
    expect(quoteImbalance({ bidSize: 300, askSize: 100 })).toBeCloseTo(0.5, 12);
    expect(quoteImbalance({ bidSize: 0, askSize: 0 })).toBeNull();
  });
});

describe('metaScore', () => {
  const open = { open: true, reason: null };
  const base = {
    symbol: 'AAPL',
    time: 1_700_000_000_000,
    micro: null,
    technical: null,
    sentiment: null,
    regime: null,
    gate: open,
  };

  it('is null with no part present', () => {
    const score = MetaScoreSchema.parse(metaScore(base));
    expect(score.score).toBeNull();
    expect(score.components).toEqual({ micro: null, technical: null, sentiment: null, regime: null });
    expect(score.weights).toEqual(DEFAULT_META_WEIGHTS);
  });

  it('is the weighted mean of the parts present, weights renormalised', () => {
    const score = metaScore({ ...base, micro: 0.5, sentiment: -0.4, regime: calm });
    expect(score.components).toEqual({ micro: 0.5, technical: null, sentiment: -0.4, regime: 0.8 });
    const w = DEFAULT_META_WEIGHTS;
    expect(score.score).toBeCloseTo(
      (w.micro * 0.5 + w.sentiment * -0.4 + w.regime * 0.8) / (w.micro + w.sentiment + w.regime),
      12,
    );
    expect(MetaScoreSchema.safeParse(score).success).toBe(true);
  });

  it('reads the regime as P(calm) − P(stressed)', () => {
    expect(metaScore({ ...base, regime: stressed }).components.regime).toBeCloseTo(-0.7, 12);
  });

  it('ignores a part whose weight is 0 or whose value is not finite, clips the rest, and takes custom weights', () => {
    const weights = { micro: 0, technical: 1, sentiment: 0, regime: 0 };
    const score = metaScore({ ...base, micro: -0.8, technical: technicalScore(rising), weights });
    expect(score.score).toBeCloseTo(score.components.technical!, 12);
    expect(score.weights).toEqual(weights);
    expect(metaScore({ ...base, micro: Number.NaN, sentiment: 3 }).components).toMatchObject({
      micro: null,
      sentiment: 1,
    });
  });

  it('carries the gate it is given', () => {
    const closed = entryGate({ sentiment: { score: -0.5, weight: 6 }, regime: stressed });
    const score = metaScore({ ...base, sentiment: -0.5, regime: stressed, gate: closed });
    expect(score.gate).toEqual(closed);
    expect(score.gate.open).toBe(false);
  });

  it("reads the symbol's own sentiment first, the market-wide one without it", () => {
    const market = { score: 0.3, weight: 5 };
    expect(sentimentFor(null, market)).toBe(market);
    expect(sentimentFor({ score: -0.1, weight: 1 }, market)).toEqual({ score: -0.1, weight: 1 });
    expect(sentimentFor(null, null)).toBeNull();
  });
});
