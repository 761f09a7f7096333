import { describe, expect, it } from 'vitest';
import type { Fill, Order } from '../../../shared/domain';
import { compareExecutions, formatDivergenceReport, quantile } from './divergence';

const T0 = Date.UTC(2025, 2, 14, 14, 0);

function order(clientOrderId: string, side: Order['side'], filledQty: number, avg: number | null): Order {
  return {
    id: `id-${clientOrderId}`,
    clientOrderId,
    symbol: 'SPY',
    side,
    qty: 100,
    type: 'market',
    limitPrice: null,
    stopPrice: null,
    tif: 'day',
    status: filledQty === 100 ? 'filled' : filledQty > 0 ? 'partially_filled' : 'new',
    filledQty,
    avgFillPrice: avg,
    submittedAt: T0,
    updatedAt: T0,
    reason: null,
  };
}

function fill(clientOrderId: string, qty: number, price: number, time: number): Fill {
  return {
    id: `${clientOrderId}-${time}`,
    orderId: `id-${clientOrderId}`,
    clientOrderId,
    symbol: 'SPY',
    side: 'buy',
    qty,
    price,
    fee: 0,
    time,
  };
}

describe('compareExecutions', () => {
  it('measures the price edge in the trader’s favour, the delay and the partials, order by order', () => {
    const demo = {
      orders: [order('a', 'buy', 100, 99.9), order('b', 'sell', 100, 100.2), order('c', 'buy', 0, null)],
      fills: [
        fill('a', 60, 99.9, T0 + 60_000),
        fill('a', 40, 99.9, T0 + 120_000),
        fill('b', 100, 100.2, T0 + 1_000),
      ],
    };
    const paper = {
      orders: [
        order('a', 'buy', 100, 100),
        order('b', 'sell', 100, 100),
        order('c', 'buy', 100, 50),
        order('x', 'buy', 100, 10),
      ],
      fills: [fill('a', 100, 100, T0 + 1_000), fill('b', 100, 100, T0 + 2_000), fill('c', 100, 50, T0)],
    };
    const report = compareExecutions(demo, paper);
    const [a, b, c] = report.rows;
    // Buy: the demo paid 99.90 where paper paid 100.00: 10 bps better for the trader.
    expect(a!.priceEdgeBps).toBeCloseTo(10, 9);
    expect(a!.delayMs).toBe(59_000);
    // Sell: the demo got 100.20 where paper got 100.00: 20 bps better.
    expect(b!.priceEdgeBps).toBeCloseTo(20, 9);
    expect(b!.delayMs).toBe(-1_000);
    expect(c!.priceEdgeBps).toBeNull();
    expect(report.summary).toMatchObject({
      matched: 3,
      unmatched: 1,
      bothFilled: 2,
      filledPaperOnly: 1,
      filledDemoOnly: 0,
      partialDemo: 1,
      partialPaper: 0,
      filledSharesDemo: 200,
      filledSharesPaper: 300,
    });
    expect(report.summary.meanEdgeBps).toBeCloseTo(15, 9);
    expect(report.summary.medianDelayMs).toBe(29_000);
    const text = formatDivergenceReport(report);
    expect(text).toContain('price edge of the demo over paper: mean 15.00 bps');
    expect(text.split('\n')[1]).toMatch(
      /^a\s+SPY\s+buy\s+market\s+100\/100 @ 99\.9000\s+100\/100 @ 100\.0000\s+10\.00\s+59\.0\s+2\/1$/,
    );
  });

  it('reports no figures rather than zeros when nothing filled on both sides', () => {
    const report = compareExecutions(
      { orders: [], fills: [] },
      { orders: [order('a', 'buy', 0, null)], fills: [] },
    );
    expect(report.summary.meanEdgeBps).toBeNull();
    expect(report.summary.unmatched).toBe(1);
    expect(formatDivergenceReport(report)).toContain('mean –');
  });
});

describe('quantile', () => {
  it('interpolates between order statistics like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 0.9)).toBeCloseTo(9, 9);
    expect(quantile([], 0.5)).toBeNull();
  });
});
