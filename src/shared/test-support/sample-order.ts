/**
 * A valid order and fill for tests (main, renderer and benchmarks alike): a working 10-share market buy
 * of SPY, and a fill of it at $100 without fee, both at SAMPLE_ORDER_TIME unless given. Pass the fields a
 * test cares about; a journaled order adds `stopTriggered` itself (JournalOrder lives in main's core).
 */
import type { Fill, Order } from '../domain';

/** Friday 2025-03-14 10:00 New York, epoch ms UTC: inside a regular session. */
export const SAMPLE_ORDER_TIME = Date.UTC(2025, 2, 14, 14, 0);

export function sampleOrder(fields: Partial<Order> = {}): Order {
  return {
    id: 'o-1',
    clientOrderId: 'c-1',
    symbol: 'SPY',
    side: 'buy',
    qty: 10,
    type: 'market',
    limitPrice: null,
    stopPrice: null,
    tif: 'day',
    status: 'new',
    filledQty: 0,
    avgFillPrice: null,
    submittedAt: SAMPLE_ORDER_TIME,
    updatedAt: SAMPLE_ORDER_TIME,
    reason: null,
    ...fields,
  };
}

export function sampleFill(fields: Partial<Fill> = {}): Fill {
  return {
    id: 'f-1',
    orderId: 'o-1',
    clientOrderId: 'c-1',
    symbol: 'SPY',
    side: 'buy',
    qty: 10,
    price: 100,
    fee: 0,
    time: SAMPLE_ORDER_TIME,
    ...fields,
  };
}
