import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain/trading';
import {
  checkFillBar,
  checkFillModelConfig,
  fillOnBar,
  fillOnCheckedBar,
  FillModelError,
  isQuietBar,
  marketPrice,
  quietBounds,
  orderFee,
  participationCap,
  DEFAULT_FILL_MODEL_CONFIG,
  type FillBar,
  type FillModelConfig,
} from './fill-model';

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const MIN = 60_000;
const CLOSE = Date.UTC(2026, 0, 5, 21, 0);
const NO_COSTS: FillModelConfig = { slippageBps: 0, feePerShare: 0, minFeePerOrder: 0, maxParticipation: 1 };
const CTX = { sessionClose: CLOSE };

function order(over: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    clientOrderId: 'c1',
    symbol: 'SPY',
    side: 'buy',
    qty: 100,
    type: 'market',
    limitPrice: null,
    stopPrice: null,
    tif: 'gtc',
    status: 'new',
    filledQty: 0,
    avgFillPrice: null,
    submittedAt: T0,
    updatedAt: T0,
    reason: null,
    ...over,
  };
}

function bar(
  open: number,
  high: number,
  low: number,
  close: number,
  volume = 1_000_000,
  start = T0,
): FillBar {
  return { start, open, high, low, close, volume };
}

/** One trade print: a one-price bar marked print (how the demo broker offers a trade). */
function print(price: number, volume = 1_000_000, start = T0): FillBar {
  return { start, open: price, high: price, low: price, close: price, volume, print: true };
}

describe('market orders', () => {
  it('fill at the open plus adverse slippage: a buy pays more, a sell gets less', () => {
    const cfg = { ...NO_COSTS, slippageBps: 10 };
    const b = bar(100, 101, 99, 100.5);
    const buy = fillOnBar(order(), b, cfg, CTX);
    expect(buy.fills).toHaveLength(1);
    expect(buy.fills[0]?.price).toBeCloseTo(100.1, 10);
    expect(buy.fills[0]?.qty).toBe(100);
    const sell = fillOnBar(order({ side: 'sell' }), b, cfg, CTX);
    expect(sell.fills[0]?.price).toBeCloseTo(99.9, 10);
  });

  it('slippage is capped inside the bar: never above the high nor below the low', () => {
    const cfg = { ...NO_COSTS, slippageBps: 500 };
    expect(fillOnBar(order(), bar(100, 100.2, 99, 100), cfg, CTX).fills[0]?.price).toBe(100.2);
    expect(fillOnBar(order({ side: 'sell' }), bar(100, 101, 99.9, 100), cfg, CTX).fills[0]?.price).toBe(99.9);
  });

  it('marketPrice keeps any slippage inside the bar', () => {
    const b = bar(100, 100.5, 99.5, 100);
    expect(marketPrice('buy', 100, b, 1_000)).toBe(100.5);
    expect(marketPrice('sell', 100, b, 1_000)).toBe(99.5);
    expect(marketPrice('buy', 100, b, 20)).toBeCloseTo(100.2, 10);
  });

  it('against a trade print pays the slippage beyond the print: a buy +2 bps, a sell −2 bps', () => {
    const cfg = { ...DEFAULT_FILL_MODEL_CONFIG, maxParticipation: 1 };
    const buy = fillOnBar(order(), print(685.21), cfg, CTX);
    expect(buy.fills[0]?.price).toBeCloseTo(685.21 * 1.0002, 10);
    expect(buy.fills[0]?.price).toBeGreaterThan(685.21);
    const sell = fillOnBar(order({ side: 'sell' }), print(685.21), cfg, CTX);
    expect(sell.fills[0]?.price).toBeCloseTo(685.21 * 0.9998, 10);
    expect(sell.fills[0]?.price).toBeLessThan(685.21);
    // The same one-price bar that is not marked a print (a minute of trades at one price) stays clamped.
    expect(fillOnBar(order(), bar(685.21, 685.21, 685.21, 685.21), cfg, CTX).fills[0]?.price).toBe(685.21);
    expect(marketPrice('buy', 100, print(100), 20)).toBeCloseTo(100.2, 10);
  });

  it('does not use a bar that began before the order was submitted (no look-ahead)', () => {
    const out = fillOnBar(order({ submittedAt: T0 + 30_000 }), bar(100, 101, 99, 100), NO_COSTS, CTX);
    expect(out).toEqual({ fills: [], stopTriggered: false, expired: false, reason: null });
  });
});

describe('limit orders', () => {
  it('a buy limit fills only when the low reaches it, at min(limit, open)', () => {
    const o = order({ type: 'limit', limitPrice: 99 });
    expect(fillOnBar(o, bar(100, 101, 99.01, 100), NO_COSTS, CTX).fills).toEqual([]);
    expect(fillOnBar(o, bar(100, 101, 99, 100), NO_COSTS, CTX).fills[0]?.price).toBe(99);
    // A gap down through the limit fills at the better open.
    expect(fillOnBar(o, bar(98, 98.5, 97, 98), NO_COSTS, CTX).fills[0]?.price).toBe(98);
  });

  it('a sell limit fills only when the high reaches it, at max(limit, open)', () => {
    const o = order({ side: 'sell', type: 'limit', limitPrice: 101 });
    expect(fillOnBar(o, bar(100, 100.99, 99, 100), NO_COSTS, CTX).fills).toEqual([]);
    expect(fillOnBar(o, bar(100, 101, 99, 100), NO_COSTS, CTX).fills[0]?.price).toBe(101);
    expect(fillOnBar(o, bar(102, 103, 101.5, 102), NO_COSTS, CTX).fills[0]?.price).toBe(102);
  });

  it('against a print fills at the print, at or better than the limit and never better than the print', () => {
    const cfg = { ...NO_COSTS, slippageBps: 2 };
    const buy = order({ type: 'limit', limitPrice: 101 });
    expect(fillOnBar(buy, print(100), cfg, CTX).fills[0]?.price).toBe(100);
    expect(fillOnBar(buy, print(101), cfg, CTX).fills[0]?.price).toBe(101);
    expect(fillOnBar(buy, print(101.01), cfg, CTX).fills).toEqual([]);
    const sell = order({ side: 'sell', type: 'limit', limitPrice: 99 });
    expect(fillOnBar(sell, print(100), cfg, CTX).fills[0]?.price).toBe(100);
    expect(fillOnBar(sell, print(98.99), cfg, CTX).fills).toEqual([]);
  });

  it('a limit takes no slippage', () => {
    const cfg = { ...NO_COSTS, slippageBps: 50 };
    expect(
      fillOnBar(order({ type: 'limit', limitPrice: 99 }), bar(100, 101, 98, 100), cfg, CTX).fills[0]?.price,
    ).toBe(99);
  });
});

describe('stop orders', () => {
  it('a buy stop triggers when the high reaches the stop and fills at the stop plus slippage', () => {
    const o = order({ type: 'stop', stopPrice: 101 });
    const none = fillOnBar(o, bar(100, 100.99, 99, 100), NO_COSTS, CTX);
    expect(none).toEqual({ fills: [], stopTriggered: false, expired: false, reason: null });
    const hit = fillOnBar(o, bar(100, 102, 99, 101.5), { ...NO_COSTS, slippageBps: 10 }, CTX);
    expect(hit.stopTriggered).toBe(true);
    expect(hit.fills[0]?.price).toBeCloseTo(101 * 1.001, 10);
  });

  it('a buy stop gapped through fills at the worse open, capped at the high', () => {
    const o = order({ type: 'stop', stopPrice: 101 });
    expect(fillOnBar(o, bar(103, 104, 102, 103), NO_COSTS, CTX).fills[0]?.price).toBe(103);
    expect(
      fillOnBar(o, bar(103, 103, 102, 102.5), { ...NO_COSTS, slippageBps: 100 }, CTX).fills[0]?.price,
    ).toBe(103);
  });

  it('a sell stop triggers when the low reaches the stop, fills at min(stop, open) less slippage, floored at the low', () => {
    const o = order({ side: 'sell', type: 'stop', stopPrice: 99 });
    expect(fillOnBar(o, bar(100, 101, 99.5, 100), NO_COSTS, CTX).fills).toEqual([]);
    expect(fillOnBar(o, bar(100, 101, 98, 98.5), NO_COSTS, CTX).fills[0]?.price).toBe(99);
    expect(fillOnBar(o, bar(97, 97.5, 97, 97), { ...NO_COSTS, slippageBps: 100 }, CTX).fills[0]?.price).toBe(
      97,
    );
  });

  it('triggered by a print, fills at the print plus (buy) or minus (sell) the slippage', () => {
    const cfg = { ...NO_COSTS, slippageBps: 2 };
    const buy = fillOnBar(order({ type: 'stop', stopPrice: 101 }), print(101.5), cfg, CTX);
    expect(buy).toMatchObject({ stopTriggered: true });
    expect(buy.fills[0]?.price).toBeCloseTo(101.5 * 1.0002, 10);
    const sell = fillOnBar(order({ side: 'sell', type: 'stop', stopPrice: 99 }), print(98), cfg, CTX);
    expect(sell.fills[0]?.price).toBeCloseTo(98 * 0.9998, 10);
    // Already triggered: a market order, so the same.
    const later = fillOnBar(order({ type: 'stop', stopPrice: 101 }), print(100), cfg, {
      ...CTX,
      stopTriggered: true,
    });
    expect(later.fills[0]?.price).toBeCloseTo(100 * 1.0002, 10);
  });

  it('a triggered stop left partly unfilled is a market order on the next bars', () => {
    const o = order({ type: 'stop', stopPrice: 101, status: 'partially_filled', filledQty: 40 });
    const out = fillOnBar(o, bar(95, 96, 94, 95), NO_COSTS, { ...CTX, stopTriggered: true });
    expect(out.fills).toEqual([{ qty: 60, price: 95, fee: 0 }]);
    expect(out.stopTriggered).toBe(true);
  });
});

describe('stop-limit orders', () => {
  const buy = order({ type: 'stop_limit', stopPrice: 100, limitPrice: 101 });

  it('does nothing until triggered, even when the limit is reachable', () => {
    expect(fillOnBar(buy, bar(99, 99.5, 98, 99), NO_COSTS, CTX).fills).toEqual([]);
  });

  it('on the trigger bar fills at max(stop, open) when that is within the limit', () => {
    expect(fillOnBar(buy, bar(99, 100.5, 98, 100), NO_COSTS, CTX).fills[0]?.price).toBe(100);
    expect(fillOnBar(buy, bar(100.5, 101.5, 100.2, 101), NO_COSTS, CTX).fills[0]?.price).toBe(100.5);
  });

  it('gapped above the limit: fills at the limit only if the bar traded back down to it', () => {
    expect(fillOnBar(buy, bar(102, 103, 101.5, 102), NO_COSTS, CTX)).toMatchObject({
      fills: [],
      stopTriggered: true,
    });
    expect(fillOnBar(buy, bar(102, 103, 100.5, 101), NO_COSTS, CTX).fills[0]?.price).toBe(101);
  });

  it('a limit below the stop is not filled on a trigger bar that opened below the stop (order of events unknown)', () => {
    const o = order({ type: 'stop_limit', stopPrice: 100, limitPrice: 99 });
    const out = fillOnBar(o, bar(99.5, 100.5, 98, 99), NO_COSTS, CTX);
    expect(out).toMatchObject({ fills: [], stopTriggered: true });
    // Next bar it is a plain limit.
    expect(
      fillOnBar(o, bar(99.5, 100, 98.5, 99), NO_COSTS, { ...CTX, stopTriggered: true }).fills[0]?.price,
    ).toBe(99);
  });

  it('a sell stop-limit mirrors the buy', () => {
    const sell = order({ side: 'sell', type: 'stop_limit', stopPrice: 100, limitPrice: 99 });
    expect(fillOnBar(sell, bar(101, 101.5, 99.5, 100), NO_COSTS, CTX).fills[0]?.price).toBe(100);
    expect(fillOnBar(sell, bar(98, 98.5, 97, 98), NO_COSTS, CTX)).toMatchObject({
      fills: [],
      stopTriggered: true,
    });
    expect(fillOnBar(sell, bar(98, 99.5, 97, 98), NO_COSTS, CTX).fills[0]?.price).toBe(99);
  });
});

describe('partial fills', () => {
  const cfg = { ...NO_COSTS, maxParticipation: 0.1 };

  it('takes at most maxParticipation of the bar volume, the rest fills on later bars', () => {
    let o = order({ qty: 250 });
    const got: number[] = [];
    for (let i = 0; i < 5 && o.filledQty < o.qty; i++) {
      const out = fillOnBar(o, bar(100, 101, 99, 100, 1_000, T0 + i * MIN), cfg, CTX);
      const qty = out.fills[0]?.qty ?? 0;
      got.push(qty);
      o = { ...o, filledQty: o.filledQty + qty, status: 'partially_filled' };
    }
    expect(got).toEqual([100, 100, 50]);
  });

  it('at least one share when the bar traded, none on a bar of volume 0', () => {
    expect(participationCap(3, 0.1)).toBe(1);
    expect(participationCap(0, 0.1)).toBe(0);
    expect(fillOnBar(order(), bar(100, 100, 100, 100, 0), cfg, CTX).fills).toEqual([]);
    expect(fillOnBar(order(), bar(100, 100, 100, 100, 5), cfg, CTX).fills[0]?.qty).toBe(1);
  });

  it('a bar of volume 0 triggers no stop', () => {
    const o = order({ type: 'stop', stopPrice: 100 });
    expect(fillOnBar(o, bar(101, 101, 101, 101, 0), cfg, CTX).stopTriggered).toBe(false);
  });
});

describe('time in force', () => {
  const cfg = { ...NO_COSTS, maxParticipation: 0.1 };

  it('ioc: what fills on the first bar, the rest expires', () => {
    const out = fillOnBar(order({ tif: 'ioc', qty: 300 }), bar(100, 101, 99, 100, 1_000), cfg, CTX);
    expect(out.fills[0]?.qty).toBe(100);
    expect(out.expired).toBe(true);
    expect(out.reason).toBe('ioc: 200 of 300 shares unfilled, expired');
  });

  it('ioc: an unreached limit expires whole; a complete fill does not expire', () => {
    const miss = fillOnBar(
      order({ tif: 'ioc', type: 'limit', limitPrice: 90 }),
      bar(100, 101, 99, 100),
      cfg,
      CTX,
    );
    expect(miss).toMatchObject({ fills: [], expired: true });
    const full = fillOnBar(order({ tif: 'ioc', qty: 50 }), bar(100, 101, 99, 100, 1_000), cfg, CTX);
    expect(full).toMatchObject({ expired: false, reason: null });
  });

  it('day: the bar that reaches the close is the last; a bar at or after the close fills nothing', () => {
    const o = order({ tif: 'day', type: 'limit', limitPrice: 90 });
    expect(fillOnBar(o, bar(100, 101, 99, 100, 1_000, CLOSE - 2 * MIN), cfg, CTX).expired).toBe(false);
    const last = fillOnBar(o, bar(100, 101, 99, 100, 1_000, CLOSE - MIN), cfg, CTX);
    expect(last).toMatchObject({ expired: true, reason: 'day order expired at the session close' });
    const after = fillOnBar(order({ tif: 'day' }), bar(100, 101, 99, 100, 1_000, CLOSE), cfg, CTX);
    expect(after).toMatchObject({ fills: [], expired: true });
  });

  it('gtc never expires at the close', () => {
    const o = order({ tif: 'gtc', type: 'limit', limitPrice: 90 });
    expect(fillOnBar(o, bar(100, 101, 99, 100, 1_000, CLOSE + MIN), cfg, CTX).expired).toBe(false);
  });
});

describe('fees', () => {
  const cfg: FillModelConfig = {
    slippageBps: 0,
    feePerShare: 0.005,
    minFeePerOrder: 1,
    maxParticipation: 0.1,
  };

  it('max(feePerShare × qty, minFeePerOrder) per order', () => {
    expect(orderFee(0, cfg)).toBe(0);
    expect(orderFee(100, cfg)).toBe(1);
    expect(orderFee(1_000, cfg)).toBe(5);
  });

  it('split over partial fills: the first pays the minimum, the sum is the whole order’s fee', () => {
    let o = order({ qty: 700 });
    const fees: number[] = [];
    for (let i = 0; o.filledQty < o.qty; i++) {
      const out = fillOnBar(o, bar(100, 101, 99, 100, 1_000, T0 + i * MIN), cfg, CTX);
      const f = out.fills[0];
      if (f === undefined) throw new Error('expected a fill');
      fees.push(f.fee);
      o = { ...o, filledQty: o.filledQty + f.qty, status: 'partially_filled' };
    }
    expect(fees[0]).toBe(1);
    expect(fees.reduce((a, b) => a + b, 0)).toBeCloseTo(3.5, 10);
    expect(fees.every((f) => f >= 0)).toBe(true);
  });
});

describe('refusals', () => {
  it('refuses a terminal or unacknowledged order, and one with nothing left', () => {
    for (const status of ['filled', 'canceled', 'expired', 'rejected', 'replaced', 'pending_new'] as const) {
      expect(() => fillOnBar(order({ status }), bar(100, 101, 99, 100), NO_COSTS, CTX)).toThrow(
        FillModelError,
      );
    }
    expect(() => fillOnBar(order({ filledQty: 100 }), bar(100, 101, 99, 100), NO_COSTS, CTX)).toThrow(
      /nothing left to fill/,
    );
  });

  it('fills an order racing a cancel or a replace', () => {
    for (const status of ['pending_cancel', 'pending_replace'] as const) {
      expect(fillOnBar(order({ status }), bar(100, 101, 99, 100), NO_COSTS, CTX).fills).toHaveLength(1);
    }
  });

  it('refuses a malformed bar and a malformed config', () => {
    expect(() => fillOnBar(order(), bar(100, 99, 101, 100), NO_COSTS, CTX)).toThrow(/not a bar/);
    expect(() => fillOnBar(order(), bar(100, 101, 99, 100, -1), NO_COSTS, CTX)).toThrow(/volume/);
    expect(() => fillOnBar(order(), { ...bar(100, 101, 99, 100), print: true }, NO_COSTS, CTX)).toThrow(
      /print with more than one price/,
    );
    expect(() =>
      fillOnBar(order(), bar(100, 101, 99, 100), { ...NO_COSTS, maxParticipation: 0 }, CTX),
    ).toThrow(/maxParticipation/);
    expect(() => fillOnBar(order(), bar(100, 101, 99, 100), { ...NO_COSTS, slippageBps: NaN }, CTX)).toThrow(
      /slippageBps/,
    );
  });
});

describe('quiet bounds', () => {
  const limitBuy = order({ type: 'limit', limitPrice: 99, tif: 'day' });
  const ctx = { sessionClose: CLOSE, stopTriggered: false };

  it('a resting limit buy is quiet above its limit until the session ends, and not at it', () => {
    const bounds = quietBounds(limitBuy, ctx);
    expect(isQuietBar(bounds, bar(100, 100, 100, 100), 0)).toBe(true);
    expect(isQuietBar(bounds, bar(100, 100, 99, 100), 0)).toBe(false);
    expect(isQuietBar(bounds, bar(100, 100, 100, 100, 1, CLOSE - MIN), MIN)).toBe(false);
    expect(
      isQuietBar(quietBounds({ ...limitBuy, tif: 'gtc' }, ctx), bar(100, 100, 100, 100, 1, CLOSE), 0),
    ).toBe(true);
  });

  it('an untriggered stop sell is quiet above its stop; once triggered it is a market order, never quiet', () => {
    const stop = order({ type: 'stop', side: 'sell', stopPrice: 95 });
    expect(isQuietBar(quietBounds(stop, ctx), bar(96, 97, 95.5, 96), 0)).toBe(true);
    expect(isQuietBar(quietBounds(stop, ctx), bar(96, 97, 95, 96), 0)).toBe(false);
    expect(isQuietBar(quietBounds(stop, { ...ctx, stopTriggered: true }), bar(96, 97, 95.5, 96), 0)).toBe(
      false,
    );
  });

  it('market and ioc orders are never quiet', () => {
    expect(isQuietBar(quietBounds(order(), ctx), bar(100, 100, 100, 100), 0)).toBe(false);
    const ioc = order({ type: 'limit', limitPrice: 99, tif: 'ioc' });
    expect(isQuietBar(quietBounds(ioc, ctx), bar(100, 100, 100, 100), 0)).toBe(false);
  });
});

describe('properties', () => {
  const rangeArb = fc
    .tuple(
      fc.double({ min: 1, max: 1_000, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      fc.integer({ min: 0, max: 100_000 }),
    )
    .map(([low, a, b, up, extra, volume]): FillBar => {
      const high = low * (1 + up + extra);
      const span = high - low;
      return { start: T0, low, high, open: low + a * span, close: low + b * span, volume };
    });
  // A third of the bars are trade prints (the demo broker's trades).
  const printArb = fc
    .tuple(fc.double({ min: 1, max: 1_000, noNaN: true }), fc.integer({ min: 0, max: 100_000 }))
    .map(([price, volume]): FillBar => print(price, volume));
  const barArb = fc.oneof(rangeArb, rangeArb, printArb);
  const orderArb = fc
    .record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stop_limit' as const),
      tif: fc.constantFrom('day' as const, 'gtc' as const, 'ioc' as const),
      qty: fc.integer({ min: 1, max: 50_000 }),
      filledFrac: fc.double({ min: 0, max: 0.99, noNaN: true }),
      limit: fc.double({ min: 0.5, max: 1_200, noNaN: true }),
      stop: fc.double({ min: 0.5, max: 1_200, noNaN: true }),
    })
    .map((r) => {
      const filledQty = Math.min(r.qty - 1, Math.floor(r.filledFrac * r.qty));
      return order({
        side: r.side,
        type: r.type,
        tif: r.tif,
        qty: r.qty,
        filledQty,
        status: filledQty > 0 ? 'partially_filled' : 'new',
        limitPrice: r.type === 'limit' || r.type === 'stop_limit' ? r.limit : null,
        stopPrice: r.type === 'stop' || r.type === 'stop_limit' ? r.stop : null,
      });
    });
  const cfgArb = fc.record({
    slippageBps: fc.double({ min: 0, max: 1_000, noNaN: true }),
    feePerShare: fc.double({ min: 0, max: 0.05, noNaN: true }),
    minFeePerOrder: fc.double({ min: 0, max: 5, noNaN: true }),
    maxParticipation: fc.double({ min: 0.001, max: 1, noNaN: true }),
  });

  // The invariant, adapted for prints: a bar's fills stay inside [low, high]; against a print, a market or
  // stop fill (a marketable order crossing the spread) is exactly print ± slippage, adverse, and a limit
  // or stop-limit fill is the print itself.
  it('no fill outside [low, high] (a print: market/stop at print ± slippage), never more than remaining or the participation cap, never against the limit', () => {
    fc.assert(
      fc.property(orderArb, barArb, cfgArb, fc.boolean(), (o, b, cfg, triggered) => {
        const out = fillOnBar(o, b, cfg, { sessionClose: CLOSE, stopTriggered: triggered });
        expect(out.fills.length).toBeLessThanOrEqual(1);
        for (const f of out.fills) {
          if (b.print === true && (o.type === 'market' || o.type === 'stop')) {
            const slip = cfg.slippageBps / 10_000;
            expect(f.price).toBeCloseTo(b.open * (o.side === 'buy' ? 1 + slip : 1 - slip), 8);
          } else {
            expect(f.price).toBeGreaterThanOrEqual(b.low);
            expect(f.price).toBeLessThanOrEqual(b.high);
          }
          expect(Number.isInteger(f.qty) && f.qty >= 1).toBe(true);
          expect(f.qty).toBeLessThanOrEqual(o.qty - o.filledQty);
          expect(f.qty).toBeLessThanOrEqual(participationCap(b.volume, cfg.maxParticipation));
          expect(f.fee).toBeGreaterThanOrEqual(0);
          if (o.limitPrice !== null) {
            if (o.side === 'buy') expect(f.price).toBeLessThanOrEqual(o.limitPrice);
            else expect(f.price).toBeGreaterThanOrEqual(o.limitPrice);
          }
          // A stop that had not triggered before fills at or beyond its stop (the trigger), never before.
          if (o.type === 'stop' && o.stopPrice !== null && !triggered) {
            if (o.side === 'buy') expect(f.price).toBeGreaterThanOrEqual(Math.min(o.stopPrice, b.high));
            else expect(f.price).toBeLessThanOrEqual(Math.max(o.stopPrice, b.low));
          }
        }
        if (b.volume === 0) expect(out.fills).toEqual([]);
        if (o.tif === 'ioc') expect(out.expired).toBe(out.fills[0]?.qty !== o.qty - o.filledQty);
        if (o.tif === 'gtc') expect(out.expired).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a bar inside quietBounds changes nothing fillOnBar would report (no fill, no expiry, same trigger)', () => {
    let quiet = 0;
    fc.assert(
      fc.property(
        orderArb,
        barArb,
        cfgArb,
        fc.boolean(),
        fc.integer({ min: -2, max: 400 }),
        fc.constantFrom(0, MIN, 6 * 60 * MIN),
        (o, b, cfg, triggered, minutes, barMs) => {
          const moved = { ...b, start: T0 + minutes * MIN };
          const context = { sessionClose: CLOSE, stopTriggered: triggered, barMs };
          if (!isQuietBar(quietBounds(o, context), moved, barMs)) return;
          quiet++;
          const isStop = o.type === 'stop' || o.type === 'stop_limit';
          expect(fillOnBar(o, moved, cfg, context)).toEqual({
            fills: [],
            stopTriggered: isStop && triggered,
            expired: false,
            reason: null,
          });
        },
      ),
      { numRuns: 3_000 },
    );
    // The property must not hold by never being quiet: resting limits and stops are, most of the time.
    expect(quiet).toBeGreaterThan(300);
  });

  it('fillOnCheckedBar gives what fillOnBar gives for a checked config and bar', () => {
    fc.assert(
      fc.property(orderArb, barArb, cfgArb, fc.boolean(), (o, b, cfg, triggered) => {
        checkFillModelConfig(cfg);
        checkFillBar(b);
        const context = { sessionClose: CLOSE, stopTriggered: triggered };
        expect(fillOnCheckedBar(o, b, cfg, context)).toEqual(fillOnBar(o, b, cfg, context));
      }),
    );
  });

  it('fees of an order filled over any sequence of bars sum to max(feePerShare × qty, min)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 40 }),
        cfgArb,
        (qty, volumes, cfg) => {
          let o = order({ qty });
          let fees = 0;
          for (const [i, volume] of volumes.entries()) {
            if (o.filledQty === o.qty) break;
            const out = fillOnBar(o, bar(100, 101, 99, 100, volume, T0 + i * MIN), cfg, CTX);
            for (const f of out.fills) {
              fees += f.fee;
              o = { ...o, filledQty: o.filledQty + f.qty, status: 'partially_filled' };
            }
          }
          expect(fees).toBeCloseTo(orderFee(o.filledQty, cfg), 8);
        },
      ),
    );
  });
});
