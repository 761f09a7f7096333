/**
 * Valid trading values for tests (main, renderer and benchmarks alike): an order (a working 10-share
 * market buy of SPY) and a fill of it at $100 without fee, both at SAMPLE_ORDER_TIME unless given, and
 * the trading status of an active demo desk. Pass the fields a test cares about; a journaled order adds
 * `stopTriggered` itself (JournalOrder lives in main's core).
 */
import type { Fill, Order, TradingStatus } from '../domain';

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

/** An active, connected demo desk, not following the strategy. */
export function sampleTradingStatus(fields: Partial<TradingStatus> = {}): TradingStatus {
  return {
    broker: 'demo',
    account: 'Demo account',
    tradingState: 'active',
    stateReason: null,
    liveArmed: false,
    connected: true,
    message: null,
    limits: {
      maxOrderNotional: 50_000,
      maxPositionNotional: 100_000,
      maxGrossExposure: 200_000,
      maxDailyLoss: 5_000,
      maxOrdersPerMinute: 30,
      priceBand: 0.1,
    },
    following: { enabled: false, automatic: true },
    ...fields,
  };
}
