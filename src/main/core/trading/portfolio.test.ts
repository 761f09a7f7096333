import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain/trading';
import {
  applyFill,
  emptyPortfolio,
  markToMarket,
  portfolioFromJournal,
  PortfolioError,
  type Portfolio,
} from './portfolio';

type BookFill = Pick<Fill, 'symbol' | 'side' | 'qty' | 'price' | 'fee'>;
const f = (side: 'buy' | 'sell', qty: number, price: number, fee = 0, symbol = 'SPY'): BookFill => ({
  symbol,
  side,
  qty,
  price,
  fee,
});
const book = (start: Portfolio, ...fills: BookFill[]): Portfolio => fills.reduce(applyFill, start);
const prices = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('applyFill', () => {
  it('a long: buys average the price, a sale realises (price − avg) × shares, the rest keeps its average', () => {
    const p = book(emptyPortfolio(10_000), f('buy', 10, 100), f('buy', 30, 104));
    expect(p.holdings.SPY).toMatchObject({ qty: 40, avgPrice: 103, realizedPnl: 0 });
    expect(p.cash).toBe(10_000 - 1_000 - 3_120);
    const q = applyFill(p, f('sell', 15, 110));
    expect(q.holdings.SPY).toMatchObject({ qty: 25, avgPrice: 103, realizedPnl: 105 });
    expect(q.cash).toBe(10_000 - 4_120 + 1_650);
    const flat = applyFill(q, f('sell', 25, 100));
    expect(flat.holdings.SPY).toMatchObject({ qty: 0, avgPrice: 0, realizedPnl: 105 - 75 });
    expect(flat.cash).toBe(10_000 + 30);
  });

  it('a short: a sale opens it with cash in, a buy back below the average realises a gain', () => {
    const p = book(emptyPortfolio(5_000), f('sell', 20, 50), f('sell', 20, 60));
    expect(p.holdings.SPY).toMatchObject({ qty: -40, avgPrice: 55, realizedPnl: 0 });
    expect(p.cash).toBe(5_000 + 2_200);
    const q = applyFill(p, f('buy', 10, 45));
    expect(q.holdings.SPY).toMatchObject({ qty: -30, avgPrice: 55, realizedPnl: 100 });
    const r = applyFill(q, f('buy', 30, 58));
    expect(r.holdings.SPY).toMatchObject({ qty: 0, realizedPnl: 100 - 90 });
    expect(r.cash).toBe(5_000 + 10);
  });

  it('a flip: closes the old side (realised) and opens the rest at the fill price', () => {
    const long = book(emptyPortfolio(0), f('buy', 10, 100));
    const short = applyFill(long, f('sell', 25, 90));
    expect(short.holdings.SPY).toMatchObject({ qty: -15, avgPrice: 90, realizedPnl: -100 });
    const backLong = applyFill(short, f('buy', 20, 80));
    expect(backLong.holdings.SPY).toMatchObject({ qty: 5, avgPrice: 80, realizedPnl: -100 + 150 });
  });

  it('fees leave cash and count against realised P&L, also on opening fills', () => {
    const p = book(emptyPortfolio(10_000), f('buy', 100, 50, 1));
    expect(p.cash).toBe(10_000 - 5_000 - 1);
    expect(p.holdings.SPY).toMatchObject({ avgPrice: 50, realizedPnl: -1 });
    const q = applyFill(p, f('sell', 100, 51, 1.25));
    expect(q.holdings.SPY?.realizedPnl).toBeCloseTo(100 - 2.25, 10);
    expect(q.feesPaid).toBeCloseTo(2.25, 10);
    expect(q.cash).toBeCloseTo(10_000 + 100 - 2.25, 10);
  });

  it('keeps symbols apart and never changes its input', () => {
    const p0 = emptyPortfolio(1_000);
    const p1 = applyFill(p0, f('buy', 1, 10, 0, 'AAPL'));
    const p2 = applyFill(p1, f('sell', 2, 20, 0, 'MSFT'));
    expect(p0).toEqual({ cash: 1_000, holdings: {}, feesPaid: 0 });
    expect(p1.holdings.MSFT).toBeUndefined();
    expect(p2.holdings.AAPL).toMatchObject({ qty: 1 });
    expect(p2.holdings.MSFT).toMatchObject({ qty: -2 });
  });

  it('refuses fills that cannot be booked', () => {
    const p = emptyPortfolio(0);
    expect(() => applyFill(p, f('buy', 0, 10))).toThrow(PortfolioError);
    expect(() => applyFill(p, f('buy', 1.5, 10))).toThrow(/whole number/);
    expect(() => applyFill(p, f('buy', 1, 0))).toThrow(/price/);
    expect(() => applyFill(p, f('buy', 1, 10, -1))).toThrow(/fee/);
    expect(() => applyFill(p, f('buy', 1, NaN))).toThrow(/price/);
  });
});

describe('portfolioFromJournal', () => {
  it('sums the cash entries, then books the fills in the order written', () => {
    const full = (fill: BookFill, n: number): Fill => ({
      ...fill,
      id: `F-${n}`,
      orderId: `D-${n}`,
      clientOrderId: `c-${n}`,
      time: n,
    });
    const cash = [
      { id: 'C-1', time: 0, amount: 100_000, reason: 'starting cash' },
      { id: 'C-2', time: 5, amount: -2_500, reason: 'withdrawal' },
    ];
    const fills = [full(f('buy', 10, 500, 1), 1), full(f('sell', 4, 510, 1), 2)];
    expect(portfolioFromJournal({ cash, fills })).toEqual(book(emptyPortfolio(97_500), ...fills));
    expect(portfolioFromJournal({ cash: [], fills: [] })).toEqual(emptyPortfolio(0));
  });
});

describe('markToMarket', () => {
  it('marks a long and a short, with the account totals', () => {
    const p = book(emptyPortfolio(10_000), f('buy', 10, 100, 1, 'AAPL'), f('sell', 5, 200, 1, 'MSFT'));
    const { positions, account } = markToMarket(p, prices({ AAPL: 110, MSFT: 190 }), 10_000);
    expect(positions).toEqual([
      { symbol: 'AAPL', qty: 10, avgPrice: 100, marketPrice: 110, unrealizedPnl: 100, realizedPnl: -1 },
      { symbol: 'MSFT', qty: -5, avgPrice: 200, marketPrice: 190, unrealizedPnl: 50, realizedPnl: -1 },
    ]);
    expect(account).toEqual({
      cash: 10_000 - 1_000 + 1_000 - 2,
      equity: 9_998 + 1_100 - 950,
      grossExposure: 1_100 + 950,
      realizedPnl: -2,
      unrealizedPnl: 150,
      dayPnl: 148,
    });
  });

  it('dayPnl is equity against the equity at the day’s start', () => {
    const p = book(emptyPortfolio(1_000), f('buy', 10, 50));
    expect(markToMarket(p, prices({ SPY: 60 }), 1_050).account.dayPnl).toBe(50);
  });

  it('a symbol without a price: null market price and unrealised, valued at its average in the account', () => {
    const p = book(emptyPortfolio(1_000), f('buy', 10, 50));
    const { positions, account } = markToMarket(p, new Map(), 1_000);
    expect(positions[0]).toMatchObject({ marketPrice: null, unrealizedPnl: null });
    expect(account).toMatchObject({ equity: 1_000, grossExposure: 500, unrealizedPnl: 0 });
  });

  it('a flat symbol stays listed with its realised P&L and no exposure', () => {
    const p = book(emptyPortfolio(1_000), f('buy', 10, 50), f('sell', 10, 55));
    const { positions, account } = markToMarket(p, prices({ SPY: 70 }), 1_000);
    expect(positions).toEqual([
      { symbol: 'SPY', qty: 0, avgPrice: 0, marketPrice: 70, unrealizedPnl: 0, realizedPnl: 50 },
    ]);
    expect(account).toMatchObject({ equity: 1_050, grossExposure: 0, realizedPnl: 50 });
  });

  it('refuses a nonsense price for a held symbol', () => {
    const p = book(emptyPortfolio(0), f('buy', 1, 10));
    expect(() => markToMarket(p, prices({ SPY: -1 }), 0)).toThrow(PortfolioError);
  });
});

describe('properties', () => {
  const fillArb = fc.record({
    symbol: fc.constantFrom('AAA', 'BBB'),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    qty: fc.integer({ min: 1, max: 1_000 }),
    price: fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
    fee: fc.integer({ min: 0, max: 500 }).map((c) => c / 100),
  });

  it('equity = starting cash + realised + unrealised; shares held = Σ signed fills; cash = Σ flows', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
        fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
        (fills, pa, pb) => {
          const start = 100_000;
          const p = book(emptyPortfolio(start), ...fills);
          const { positions, account } = markToMarket(p, prices({ AAA: pa, BBB: pb }), start);
          const scale = 1 + Math.abs(account.equity) + account.grossExposure;
          expect(
            Math.abs(account.equity - (start + account.realizedPnl + account.unrealizedPnl)) / scale,
          ).toBeLessThan(1e-9);
          expect(
            Math.abs(account.dayPnl - (account.realizedPnl + account.unrealizedPnl)) / scale,
          ).toBeLessThan(1e-9);
          let cash = start;
          for (const fl of fills) cash += (fl.side === 'buy' ? -1 : 1) * fl.qty * fl.price - fl.fee;
          expect(Math.abs(account.cash - cash) / scale).toBeLessThan(1e-9);
          for (const pos of positions) {
            const held = fills
              .filter((fl) => fl.symbol === pos.symbol)
              .reduce((s, fl) => s + (fl.side === 'buy' ? fl.qty : -fl.qty), 0);
            expect(pos.qty).toBe(held);
            if (pos.qty === 0) expect(pos.avgPrice).toBe(0);
            else expect(pos.avgPrice).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a round trip at one price with no fees realises nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -500, max: 500 }).filter((q) => q !== 0),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 50_000 }).map((c) => c / 100),
        (moves, price) => {
          let p = emptyPortfolio(0);
          let held = 0;
          for (const q of moves) {
            p = applyFill(p, f(q > 0 ? 'buy' : 'sell', Math.abs(q), price));
            held += q;
          }
          if (held !== 0) p = applyFill(p, f(held > 0 ? 'sell' : 'buy', Math.abs(held), price));
          expect(p.holdings.SPY?.realizedPnl ?? 0).toBeCloseTo(0, 6);
          expect(p.cash).toBeCloseTo(0, 6);
        },
      ),
    );
  });
});
