/** trading-view.ts: the panel says why trading is unavailable, blocks orders when it must, and orders rows usefully. */
import { describe, expect, it } from 'vitest';
import type { PlaceOrderResult, Position } from '../../shared/domain';
import { sampleTradingStatus } from '../../shared/test-support/sample-trading';
import { positionRows, rebalanceSummary, ticketBlocked, tradingUnavailable } from './trading-view';

const NOT_WIRED = 'Trading is not wired into this engine yet.';

const status = sampleTradingStatus;

describe('tradingUnavailable and ticketBlocked', () => {
  it('passes on the engine’s own words when it offers no trading', () => {
    const view = { status: { value: null, error: NOT_WIRED }, offline: false };
    expect(tradingUnavailable(view)).toBe(NOT_WIRED);
    expect(ticketBlocked(view)).toBe(NOT_WIRED);
  });

  it('says the link is down before any status came, and blocks orders while it is down', () => {
    expect(tradingUnavailable({ status: { value: null, error: null }, offline: true })).toBe(
      'Not connected to the engine.',
    );
    const held = { status: { value: status(), error: null }, offline: true };
    expect(tradingUnavailable(held)).toBeNull();
    expect(ticketBlocked(held)).toMatch(/^Not connected/);
  });

  it('blocks orders in live trading until it is armed, and nowhere else', () => {
    const live = (armed: boolean) => ({
      status: { value: status({ broker: 'live', liveArmed: armed }), error: null },
      offline: false,
    });
    expect(ticketBlocked(live(false))).toMatch(/not armed/);
    expect(ticketBlocked(live(true))).toBeNull();
    expect(
      ticketBlocked({ status: { value: status({ broker: 'paper' }), error: null }, offline: false }),
    ).toBeNull();
  });
});

describe('positionRows', () => {
  const position = (symbol: string, qty: number, marketPrice: number | null, avgPrice = 100): Position => ({
    symbol,
    qty,
    avgPrice,
    marketPrice,
    unrealizedPnl: null,
    realizedPnl: 0,
  });

  it('puts open positions first, largest value first (shorts by size), flat ones last', () => {
    const rows = positionRows([
      position('FLAT', 0, 50),
      position('SMALL', 10, 10),
      position('SHORT', -100, 20),
      position('NOPRICE', 5, null, 1000),
    ]);
    expect(rows.map((p) => p.symbol)).toEqual(['NOPRICE', 'SHORT', 'SMALL', 'FLAT']);
  });
});

describe('rebalanceSummary', () => {
  it('counts placed and refused orders and names the first refusal', () => {
    const placed = { order: {} as PlaceOrderResult['order'], denial: null };
    const refused: PlaceOrderResult = {
      order: null,
      denial: { rule: 'max_position_notional', message: 'SPY $120,000 > $100,000' },
    };
    expect(rebalanceSummary([placed, placed, refused])).toBe(
      '2 orders placed, 1 refused (max_position_notional: SPY $120,000 > $100,000)',
    );
    expect(rebalanceSummary([placed])).toBe('1 order placed');
  });
});
