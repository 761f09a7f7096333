import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SENTIMENT_HALF_LIFE_MS, MIN_WEIGHT, SentimentIndex } from './sentiment-index';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 4, 14, 30);

describe('SentimentIndex', () => {
  it('answers null before any item, and for a symbol no item is about', () => {
    const index = new SentimentIndex();
    expect(index.at(T0, null)).toBeNull();
    index.add(T0, ['AAPL'], 0.5);
    expect(index.at(T0, 'MSFT')).toBeNull();
  });

  it('weighs each item by 2^(−age / half-life): one half-life old counts half as much as a new one', () => {
    const index = new SentimentIndex(6 * HOUR);
    index.add(T0, ['AAPL'], 1);
    index.add(T0 + 6 * HOUR, ['AAPL'], -1);
    const reading = index.at(T0 + 6 * HOUR, 'AAPL')!;
    // (0.5·1 + 1·(−1)) / 1.5 = −1/3
    expect(reading.score).toBeCloseTo(-1 / 3, 12);
    expect(reading.weight).toBeCloseTo(1.5, 12);
    expect(reading.count).toBe(2);
    expect(index.at(T0 + 12 * HOUR, 'AAPL')!.weight).toBeCloseTo(0.75, 12);
  });

  it('does not see items published after the read time', () => {
    const index = new SentimentIndex();
    index.add(T0, ['AAPL'], 0.8);
    index.add(T0 + HOUR, ['AAPL'], -0.9);
    const before = index.at(T0 + HOUR - 1, 'AAPL')!;
    expect(before.count).toBe(1);
    expect(before.score).toBeCloseTo(0.8, 12);
    expect(index.at(T0 - 1, null)).toBeNull();
  });

  it('counts every item market-wide, items about symbols included, and market-wide news only there', () => {
    const index = new SentimentIndex();
    index.add(T0, ['AAPL', 'MSFT'], 0.6);
    index.add(T0, [], -0.4);
    expect(index.at(T0, null)!.count).toBe(2);
    expect(index.at(T0, null)!.score).toBeCloseTo(0.1, 12);
    expect(index.at(T0, 'AAPL')!.count).toBe(1);
    expect(index.at(T0, 'AAPL')!.score).toBeCloseTo(0.6, 12);
    expect(index.at(T0, 'MSFT')!.count).toBe(1);
  });

  it('takes items out of time order', () => {
    const index = new SentimentIndex(HOUR);
    index.add(T0 + HOUR, ['AAPL'], 1);
    index.add(T0, ['AAPL'], -1);
    const reading = index.at(T0 + HOUR, 'AAPL')!;
    expect(reading.score).toBeCloseTo((1 - 0.5) / 1.5, 12);
  });

  it('keeps memory bounded: items older than ≈10 half-lives are dropped', () => {
    const index = new SentimentIndex(HOUR);
    for (let k = 0; k < 10_000; k++) index.add(T0 + k * 60_000, [`S${k % 50}`], Math.sin(k));
    const horizon = Math.log2(1 / MIN_WEIGHT); // ≈ 9.97 half-lives
    expect(index.size).toBeLessThanOrEqual(Math.ceil(horizon * 60) + 1);
    const reading = index.at(T0 + 9_999 * 60_000, null)!;
    expect(reading.count).toBe(index.size);
  });

  it('forgets the future on a rewind', () => {
    const index = new SentimentIndex();
    index.add(T0, ['AAPL'], 0.5);
    index.add(T0 + HOUR, ['AAPL'], -0.5);
    index.rewindTo(T0 + 30 * 60_000);
    expect(index.at(T0 + 2 * HOUR, 'AAPL')!.count).toBe(1);
    expect(index.size).toBe(1);
  });

  it('clips scores to [−1, 1] and refuses non-finite input and a bad half-life', () => {
    const index = new SentimentIndex();
    index.add(T0, [], 3);
    expect(index.at(T0, null)!.score).toBe(1);
    expect(() => index.add(Number.NaN, [], 0)).toThrow(RangeError);
    expect(() => index.add(T0, [], Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new SentimentIndex(0)).toThrow(/half-life/);
    expect(new SentimentIndex().halfLifeMs).toBe(DEFAULT_SENTIMENT_HALF_LIFE_MS);
  });

  it('matches the formula recomputed from scratch (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 48 * HOUR }),
            s: fc.double({ min: -1, max: 1, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 60 * HOUR }),
        (items, readAt) => {
          const index = new SentimentIndex(6 * HOUR);
          for (const { dt, s } of items) index.add(T0 + dt, ['X'], s);
          const t = T0 + readAt;
          let sum = 0;
          let weight = 0;
          let count = 0;
          for (const { dt, s } of items) {
            if (T0 + dt > t) continue;
            const w = 2 ** (-(t - T0 - dt) / (6 * HOUR));
            if (w < MIN_WEIGHT) continue;
            sum += w * s;
            weight += w;
            count++;
          }
          const reading = index.at(t, 'X');
          if (count === 0) return reading === null;
          return (
            reading !== null &&
            reading.count === count &&
            Math.abs(reading.weight - weight) < 1e-9 &&
            Math.abs(reading.score - sum / weight) < 1e-9
          );
        },
      ),
    );
  });
});
