import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { Random } from './random';
import { MAX_TRADES_PER_MINUTE, TradeWriter, requiredTrades } from './trades';

const MINUTE = 60_000;

/** A bar in cents with open and close inside [low, high], and a volume it can be traded with. */
const barArbitrary = fc
  .record({
    low: fc.integer({ min: 1, max: 100_000 }),
    span: fc.integer({ min: 0, max: 500 }),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    extraVolume: fc.integer({ min: 0, max: 2_000_000 }),
    typical: fc.double({ min: 0, max: 40, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ low, span, a, b, extraVolume, typical, seed }) => {
    const high = low + span;
    const open = low + Math.round(a * span);
    const close = low + Math.round(b * span);
    return {
      open,
      high,
      low,
      close,
      volume: requiredTrades(open, high, low, close) + extraVolume,
      typical,
      seed,
    };
  });

describe('TradeWriter', () => {
  it('writes trades that reproduce their bar exactly', () => {
    fc.assert(
      fc.property(barArbitrary, ({ open, high, low, close, volume, typical, seed }) => {
        const out: Trade[] = [];
        const start = 1_700_000_040_000;
        new TradeWriter(Random.fromSeed(seed)).write(
          'SPY',
          start,
          open,
          high,
          low,
          close,
          volume,
          typical,
          out,
        );
        const prices = out.map((t) => Math.round(t.price * 100));
        expect(out.length).toBeGreaterThanOrEqual(1);
        expect(out.length).toBeLessThanOrEqual(
          Math.max(MAX_TRADES_PER_MINUTE, requiredTrades(open, high, low, close)),
        );
        expect(prices[0]).toBe(open);
        expect(prices.at(-1)).toBe(close);
        expect(Math.max(...prices)).toBe(high);
        expect(Math.min(...prices)).toBe(low);
        expect(out.reduce((s, t) => s + t.size, 0)).toBe(volume);
        for (let k = 0; k < out.length; k++) {
          const t = out[k]!;
          expect(t.symbol).toBe('SPY');
          expect(Number.isInteger(t.size) && t.size >= 1).toBe(true);
          expect(t.time >= start && t.time < start + MINUTE).toBe(true);
          if (k > 0) expect(t.time).toBeGreaterThan(out[k - 1]!.time);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('trades round lots when the volume allows', () => {
    const out: Trade[] = [];
    new TradeWriter(Random.fromSeed(1)).write('SPY', 0, 10_000, 10_010, 9_990, 10_005, 123_456, 12, out);
    // Every trade but the one that takes the odd remainder is a multiple of 100 shares.
    expect(out.filter((t) => t.size % 100 === 0).length).toBeGreaterThanOrEqual(out.length - 1);
    expect(out.length).toBeGreaterThan(3);
  });

  it('asks for the fewest trades that can show a bar', () => {
    expect(requiredTrades(100, 100, 100, 100)).toBe(1);
    expect(requiredTrades(100, 101, 100, 101)).toBe(2);
    expect(requiredTrades(100, 102, 100, 101)).toBe(3);
    expect(requiredTrades(100, 100, 99, 100)).toBe(3);
    expect(requiredTrades(100, 102, 98, 101)).toBe(4);
  });
});
