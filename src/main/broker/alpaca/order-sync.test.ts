/**
 * Bringing a journaled order to Alpaca's word: only through the transition table, fills booked once by
 * Alpaca's cumulative quantity, and stale news never moving an order back.
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { fillsToward, stepToward } from './order-sync';

const T = Date.parse('2025-03-14T15:00:00Z');
const order = (over: Partial<Order> = {}): Order => ({
  id: 'o-1',
  clientOrderId: 'c-1',
  symbol: 'AAPL',
  side: 'buy',
  qty: 10,
  type: 'limit',
  limitPrice: 100,
  stopPrice: null,
  tif: 'gtc',
  status: 'new',
  filledQty: 0,
  avgFillPrice: null,
  submittedAt: T,
  updatedAt: T,
  reason: null,
  ...over,
});

describe('stepToward', () => {
  it('takes the shortest legal chain: pending_new → new → pending_replace → replaced', () => {
    const replaced = stepToward(order({ status: 'pending_new' }), 'replaced', '', T + 5);
    expect(replaced).toMatchObject({
      status: 'replaced',
      updatedAt: T + 5,
      reason: 'replaced by a new order',
    });
    expect(stepToward(order(), 'canceled', 'canceled at Alpaca', T)).toMatchObject({
      status: 'canceled',
      reason: 'canceled at Alpaca',
    });
  });

  it('returns the same order for a status it already has (a repeated event)', () => {
    const o = order({ status: 'pending_cancel' });
    expect(stepToward(o, 'pending_cancel', '', T + 1)).toBe(o);
  });

  it('refuses what the table forbids: out of a final status, or partially filled back to new', () => {
    expect(stepToward(order({ status: 'filled', filledQty: 10 }), 'canceled', '', T)).toBeNull();
    expect(stepToward(order({ status: 'partially_filled', filledQty: 4 }), 'new', '', T)).toBeNull();
  });

  it('forward only: a stale `new` does not undo a pending cancel, a refused cancel (not forward-only) does', () => {
    const pending = order({ status: 'pending_cancel' });
    expect(stepToward(pending, 'new', '', T, { forwardOnly: true })).toBeNull();
    expect(stepToward(pending, 'new', 'Alpaca refused the cancel', T)).toMatchObject({ status: 'new' });
  });
});

describe('fillsToward', () => {
  it('books reported fills once: a report at or below the filled quantity books nothing', () => {
    const first = fillsToward(order(), [{ id: 'e1', qty: 4, price: 99, time: T, cumQty: 4 }], {
      filledQty: 4,
      avgPrice: 99,
      time: T,
    });
    expect(first.fills).toHaveLength(1);
    expect(first.order).toMatchObject({ status: 'partially_filled', filledQty: 4, avgFillPrice: 99 });
    const again = fillsToward(first.order, [{ id: 'e1-other-id', qty: 4, price: 99, time: T, cumQty: 4 }], {
      filledQty: 4,
      avgPrice: 99,
      time: T,
    });
    expect(again.fills).toEqual([]);
    expect(again.order).toBe(first.order);
  });

  it('books what no report covers at the price that makes our average Alpaca’s', () => {
    // 4 @ 99 booked; Alpaca now says 10 filled at an average of 99.6: the missing 6 cost 100 each.
    const partly = order({ status: 'partially_filled', filledQty: 4, avgFillPrice: 99 });
    const { order: after, fills } = fillsToward(partly, [], { filledQty: 10, avgPrice: 99.6, time: T + 9 });
    expect(fills).toEqual([
      {
        id: 'o-1:filled:10',
        orderId: 'o-1',
        clientOrderId: 'c-1',
        symbol: 'AAPL',
        side: 'buy',
        qty: 6,
        price: 100,
        fee: 0,
        time: T + 9,
      },
    ]);
    expect(after).toMatchObject({ status: 'filled', filledQty: 10 });
    expect(after.avgFillPrice).toBeCloseTo(99.6, 9);
  });

  it('books a report partly booked already for its rest only', () => {
    const partly = order({ status: 'partially_filled', filledQty: 4, avgFillPrice: 99 });
    const { fills } = fillsToward(partly, [{ id: 'e2', qty: 6, price: 101, time: T, cumQty: 6 }], {
      filledQty: 6,
      avgPrice: 99.8,
      time: T,
    });
    expect(fills.map((f) => [f.id, f.qty, f.price])).toEqual([['e2', 2, 101]]);
  });
});
