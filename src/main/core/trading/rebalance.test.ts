import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ORDER_QTY, OrderRequestSchema } from '../../../shared/domain/trading';
import { CASH, STRATEGIES } from '../signals/strategies';
import { planRebalance, sliceQty, type RebalanceInput } from './rebalance';

const prices = new Map([
  ['SPY', 500],
  ['QQQ', 400],
  ['IEF', 95],
  ['GLD', 190],
  ['AAPL', 200],
]);

function plan(overrides: Partial<RebalanceInput>) {
  return planRebalance({
    allocation: { SPY: 0.5, QQQ: 0.3, [CASH]: 0.2 },
    equity: 100_000,
    holdings: {},
    prices,
    minTradeDollars: 100,
    clientOrderIdPrefix: 'reb-1',
    ...overrides,
  });
}

describe('planRebalance', () => {
  it('buys whole shares toward zero to each weight of equity; CASH is no order', () => {
    const lines = plan({ equity: 100_300 });
    expect(lines.map((l) => [l.symbol, l.targetQty, l.order?.side, l.order?.qty])).toEqual([
      ['QQQ', 75, 'buy', 75], // 0.3 × 100,300 / 400 = 75.225
      ['SPY', 100, 'buy', 100], // 0.5 × 100,300 / 500 = 100.3
    ]);
    expect(lines[0]!.order).toEqual({
      clientOrderId: 'reb-1-QQQ',
      symbol: 'QQQ',
      side: 'buy',
      qty: 75,
      type: 'market',
      tif: 'day',
    });
  });

  it('sells before buys, sells symbols the allocation drops, and lists the lines without a trade last', () => {
    const lines = plan({ holdings: { SPY: 100, AAPL: 10, QQQ: 100 } });
    expect(
      lines.map((l) => [l.symbol, l.currentQty, l.targetQty, l.order?.side ?? null, l.order?.qty ?? null]),
    ).toEqual([
      ['AAPL', 10, 0, 'sell', 10],
      ['QQQ', 100, 75, 'sell', 25],
      ['SPY', 100, 100, null, null],
    ]);
    expect(lines.every((l) => l.denial === null)).toBe(true);
  });

  it('buys back a short to its target', () => {
    const lines = plan({ holdings: { SPY: -20 } });
    expect(lines.find((l) => l.symbol === 'SPY')?.order).toMatchObject({ side: 'buy', qty: 120 });
  });

  it('skips a trade worth less than the minimum, but always closes a dropped symbol', () => {
    const lines = plan({ holdings: { SPY: 99, AAPL: 1 }, minTradeDollars: 1000 });
    // SPY: 1 share × $500 < $1,000 → no order; AAPL: target 0 → sold whatever its worth.
    expect(lines.find((l) => l.symbol === 'SPY')?.order).toBeNull();
    expect(lines.find((l) => l.symbol === 'AAPL')?.order).toMatchObject({ side: 'sell', qty: 1 });
  });

  it('skips a symbol without a price, saying so with the no_price rule, and keeps its holding', () => {
    const lines = plan({ allocation: { SPY: 0.5, IWM: 0.5 }, holdings: { IWM: 10 } });
    const iwm = lines.find((l) => l.symbol === 'IWM')!;
    expect(iwm).toMatchObject({ currentQty: 10, targetQty: 10, price: null, order: null });
    expect(iwm.denial?.rule).toBe('no_price');
    expect(iwm.denial?.message).toContain('IWM');
    expect(lines.at(-1)!.symbol).toBe('IWM');
  });

  it('caps an order at the contract maximum and reads a pair symbol into a valid client order id', () => {
    const lines = planRebalance({
      allocation: { 'BTC/USD': 1 },
      equity: 5e9,
      holdings: {},
      prices: new Map([['BTC/USD', 1]]),
      minTradeDollars: 0,
      clientOrderIdPrefix: 'reb-2',
    });
    expect(lines[0]!.order!.qty).toBe(MAX_ORDER_QTY);
    expect(OrderRequestSchema.safeParse(lines[0]!.order).success).toBe(true);
    expect(lines[0]!.order!.clientOrderId).toBe('reb-2-BTC.USD');
  });

  it("never spends more than the equity on any strategy's targets (whole shares toward zero)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STRATEGIES),
        fc.double({ min: 1_000, max: 10_000_000, noNaN: true }),
        fc.array(fc.double({ min: 1, max: 2_000, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (strategy, equity, priceList) => {
          const symbols = ['SPY', 'QQQ', 'IWM', 'EFA', 'IEF', 'SHY', 'TLT', 'GLD', 'XLK', 'XLF'];
          const map = new Map(symbols.map((s, i) => [s, Math.round(priceList[i]! * 100) / 100]));
          const lines = planRebalance({
            allocation: strategy.allocation,
            equity,
            holdings: {},
            prices: map,
            minTradeDollars: 0,
            clientOrderIdPrefix: 'p',
          });
          const spent = lines.reduce((sum, l) => sum + l.targetQty * (l.price ?? 0), 0);
          expect(spent).toBeLessThanOrEqual(equity + 1e-6);
          for (const l of lines) {
            // Toward zero: one more share would pass the weight.
            expect((l.targetQty + 1) * l.price!).toBeGreaterThan(l.targetWeight * equity - 1e-6);
            expect(l.targetQty * l.price!).toBeLessThanOrEqual(l.targetWeight * equity + 1e-6);
          }
        },
      ),
    );
  });

  it('refuses a non-finite equity or a negative minimum', () => {
    expect(() => plan({ equity: Number.NaN })).toThrow(RangeError);
    expect(() => plan({ minTradeDollars: -1 })).toThrow(RangeError);
  });
});

describe('sliceQty and sliced lines', () => {
  it('cuts a trade into the fewest near-equal slices each worth at most the limit', () => {
    expect(sliceQty(10, 100, 450)).toEqual([4, 3, 3]);
    expect(sliceQty(10, 100, 1_000)).toEqual([10]);
    expect(sliceQty(3, 600, 100)).toEqual([1, 1, 1]); // one share is worth more than the limit: one a slice
    expect(sliceQty(7, 1, Number.POSITIVE_INFINITY)).toEqual([7]);
    expect(() => sliceQty(0, 100, 450)).toThrow(RangeError);
  });

  it('slices sum to the trade, each within the limit, each with its own client order id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 0.5, max: 5_000, noNaN: true }),
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        (qty, price, max) => {
          const slices = sliceQty(qty, price, max);
          expect(slices.reduce((a, b) => a + b, 0)).toBe(qty);
          for (const slice of slices) expect(slice === 1 || slice * price <= max).toBe(true);
          expect(Math.max(...slices) - Math.min(...slices)).toBeLessThanOrEqual(1);
        },
      ),
    );
    // Found by the property above: the quotient rounded up to 20 shares, costing a hair over the limit.
    expect(sliceQty(96, 0.5000000000000016, 10.00000000000003)).toEqual([16, 16, 16, 16, 16, 16]);
    const [spy] = plan({ allocation: { SPY: 0.5 }, maxOrderDollars: 23_750 });
    expect(spy!.order?.qty).toBe(100);
    expect(spy!.orders.map((o) => [o.clientOrderId, o.qty])).toEqual([
      ['reb-1-SPY-1', 34],
      ['reb-1-SPY-2', 33],
      ['reb-1-SPY-3', 33],
    ]);
    for (const order of spy!.orders) expect(OrderRequestSchema.safeParse(order).success).toBe(true);
    expect(plan({ allocation: { SPY: 0.5 } })[0]!.orders).toEqual([spy!.order]);
  });
});
