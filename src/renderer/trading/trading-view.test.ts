/** trading-view.ts: the panel says why trading is unavailable, blocks orders when it must, and orders rows usefully. */
import { describe, expect, it } from 'vitest';
import {
  OrderRequestSchema,
  type PlaceOrderResult,
  type Position,
  type RebalanceLine,
} from '../../shared/domain';
import { sampleOrder, sampleTradingStatus } from '../../shared/test-support/sample-trading';
import {
  placedText,
  positionRows,
  rebalanceCash,
  rebalanceRows,
  rebalanceSummary,
  ticketBlocked,
  tradingUnavailable,
} from './trading-view';

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
      '2 orders placed, 1 refused (Largest position in one symbol (max_position_notional): SPY $120,000 > $100,000)',
    );
    expect(rebalanceSummary([placed])).toBe('1 order placed');
  });
});

describe('placedText', () => {
  const placed: PlaceOrderResult = { order: sampleOrder(), denial: null };

  it('follows the placed order through the blotter’s later reports: filled, partly filled, cancelled', () => {
    expect(placedText(placed, [])).toBe('Buy 10 SPY market: working');
    const filled = sampleOrder({ status: 'filled', filledQty: 10, avgFillPrice: 349.01 });
    expect(placedText(placed, [filled])).toBe('Buy 10 SPY market: filled 10/10 @ 349.01');
    const partly = sampleOrder({ status: 'partially_filled', filledQty: 4, avgFillPrice: 101 });
    expect(placedText(placed, [partly])).toBe('Buy 10 SPY market: partly filled 4/10 @ 101.00');
    const cancelled = sampleOrder({ status: 'canceled', reason: 'by you' });
    expect(placedText(placed, [sampleOrder({ id: 'other' }), cancelled])).toBe(
      'Buy 10 SPY market: cancelled (by you)',
    );
  });

  it('keeps an answer that is already finished over an older working report, and says a refusal', () => {
    const filled: PlaceOrderResult = {
      order: sampleOrder({ status: 'filled', filledQty: 10, avgFillPrice: 100 }),
      denial: null,
    };
    expect(placedText(filled, [sampleOrder()])).toBe('Buy 10 SPY market: filled 10/10 @ 100.00');
    const refused: PlaceOrderResult = {
      order: null,
      denial: { rule: 'max_order_notional', message: 'max_order_notional: $30,000 over $25,000' },
    };
    expect(placedText(refused, [])).toBe(
      'Refused by Largest order (max_order_notional): $30,000 over $25,000',
    );
  });
});

describe('rebalanceRows and rebalanceCash', () => {
  const line = (patch: Partial<RebalanceLine>): RebalanceLine => ({
    symbol: 'SPY',
    targetWeight: 0,
    currentQty: 0,
    targetQty: 0,
    price: 349.01,
    order: null,
    orders: [],
    denial: null,
    ...patch,
  });
  const sell10 = OrderRequestSchema.parse({
    clientOrderId: 'reb-1',
    symbol: 'SPY',
    side: 'sell',
    qty: 10,
    type: 'market',
    tif: 'day',
  });

  it('shows the shares held apart from those a working order will still buy', () => {
    // A working buy of 10 SPY and no position: the plan counts 10, the trader holds none.
    const [row] = rebalanceRows([line({ currentQty: 10, order: sell10, orders: [sell10] })], []);
    expect(row).toMatchObject({ held: 0, working: 10, target: 0, order: 'Sell 10', check: 'passes' });
    const [held] = rebalanceRows(
      [line({ currentQty: 10 })],
      [{ symbol: 'SPY', qty: 10, avgPrice: 340, marketPrice: 349, unrealizedPnl: 90, realizedPnl: 0 }],
    );
    expect(held).toMatchObject({ held: 10, working: 0, order: 'none', check: '' });
    expect(rebalanceRows([line({ currentQty: 10 })], null)[0]).toMatchObject({ held: null, working: 0 });
  });

  it('says why a refused line has no order, instead of "no price"', () => {
    const message = 'unknown_symbol: IWM is not a symbol this workstation follows; its 20% stays in cash';
    const [row] = rebalanceRows(
      [line({ symbol: 'IWM', targetWeight: 0.2, price: null, denial: { rule: 'unknown_symbol', message } })],
      [],
    );
    expect(row).toMatchObject({ order: '—', check: message, refused: true });
    expect(rebalanceRows([line({ price: null })], [])[0]).toMatchObject({ order: 'no price', check: '' });
  });

  it('says what stays in cash: equity less the targets at the plan’s prices', () => {
    const plan = {
      equity: 100_000,
      lines: [
        line({ symbol: 'IEF', targetWeight: 0.2, targetQty: 190, price: 105.07 }),
        line({ symbol: 'SHY', targetWeight: 0.5, targetQty: 656, price: 76.19 }),
        line({ symbol: 'IWM', targetWeight: 0.3, price: null }),
      ],
    };
    // 100,000 − 190 × 105.07 − 656 × 76.19 = 30,056.06
    expect(rebalanceCash(plan)).toBe('In cash after: 30.1 % of equity (about $30,056.06)');
  });
});
