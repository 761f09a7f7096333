/** trading-format.ts: money, P&L, prices and badges read the way a trader expects. */
import { describe, expect, it } from 'vitest';
import {
  formatDenial,
  formatFilled,
  formatMoney,
  formatOrderPrice,
  formatOrderPrices,
  formatPnl,
  formatShares,
  blotterTime,
  formatTradeTime,
  liveArmLabel,
  modeLabel,
  signTone,
  stateTitle,
} from './trading-format';

describe('money', () => {
  it('writes dollars to the cent with a true minus', () => {
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(-3)).toBe('−$3.00');
    expect(formatMoney(-0.001)).toBe('$0.00');
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(Number.NaN)).toBe('—');
  });

  it('always signs a P&L and tones it by sign', () => {
    expect(formatPnl(12.3)).toBe('+$12.30');
    expect(formatPnl(-4)).toBe('−$4.00');
    expect(formatPnl(0.004)).toBe('$0.00');
    expect([signTone(12.3), signTone(-4), signTone(0.004), signTone(null)]).toEqual([
      'up',
      'down',
      'flat',
      'flat',
    ]);
  });
});

describe('orders', () => {
  it('writes prices to the cent, sub-dollar prices to 1/100 cent, shares with separators', () => {
    expect(formatOrderPrice(101.5)).toBe('101.50');
    expect(formatOrderPrice(0.1234)).toBe('0.1234');
    expect(formatShares(-1200)).toBe('−1,200');
  });

  it('writes an order’s prices and progress', () => {
    expect(formatOrderPrices({ type: 'market', limitPrice: null, stopPrice: null })).toBe('MKT');
    expect(formatOrderPrices({ type: 'stop_limit', limitPrice: 98.5, stopPrice: 99 })).toBe(
      'S 99.00 L 98.50',
    );
    expect(formatFilled({ filledQty: 40, qty: 100, avgFillPrice: 101.234 })).toBe('40/100 @ 101.23');
    expect(formatFilled({ filledQty: 0, qty: 100, avgFillPrice: null })).toBe('0/100');
  });

  it('dates the blotter’s times on the exchange clock (a replay spans days), to the second', () => {
    // 2024-04-22 09:30:05 New York (EDT) and 2024-01-05 16:00:00 (EST).
    expect(formatTradeTime(Date.UTC(2024, 3, 22, 13, 30, 5))).toBe('04-22 09:30:05');
    expect(formatTradeTime(Date.UTC(2024, 0, 5, 21, 0, 0))).toBe('01-05 16:00:00');
    // The row of today's session shows its time alone; another day's (or an unknown now) its date too.
    const now = Date.UTC(2024, 3, 22, 19, 0);
    expect(blotterTime(Date.UTC(2024, 3, 22, 13, 30, 5), now)).toEqual({ date: null, time: '09:30:05' });
    expect(blotterTime(Date.UTC(2024, 3, 19, 13, 30, 5), now)).toEqual({ date: '04-19', time: '09:30:05' });
    expect(blotterTime(Date.UTC(2023, 3, 22, 13, 30, 5), now).date).toBe('04-22');
    expect(blotterTime(Date.UTC(2024, 3, 22, 13, 30, 5), null).date).toBe('04-22');
  });

  it('names a refused limit as Settings does and by its rule, then its numbers; other rules by id', () => {
    expect(formatDenial({ rule: 'max_order_notional', message: 'order $60,000 > limit $50,000' })).toBe(
      'Largest order (max_order_notional): order $60,000 > limit $50,000',
    );
    const engines = {
      rule: 'price_band',
      message: 'price_band: $90 is 10.5 % from the last $100.57',
    } as const;
    expect(formatDenial(engines)).toBe(
      'Price band around the last price (price_band): $90 is 10.5 % from the last $100.57',
    );
    const named = {
      rule: 'trading_state',
      message: 'trading_state: trading is halted (kill switch)',
    } as const;
    expect(formatDenial(named)).toBe('trading_state: trading is halted (kill switch)');
  });
});

describe('badges', () => {
  it('shows the engine’s mode, else the broker’s kind', () => {
    expect(modeLabel('replay', 'demo')).toBe('REPLAY');
    expect(modeLabel(null, 'paper')).toBe('PAPER');
    expect(modeLabel(null, null)).toBe('—');
  });

  it('marks live trading armed or not, and nothing outside live', () => {
    expect(liveArmLabel({ broker: 'live', liveArmed: false })).toBe('LIVE — not armed');
    expect(liveArmLabel({ broker: 'live', liveArmed: true })).toBe('LIVE — ARMED');
    expect(liveArmLabel({ broker: 'paper', liveArmed: false })).toBeNull();
  });

  it('explains the trading state with its reason', () => {
    expect(stateTitle({ tradingState: 'halted', stateReason: 'Kill switch on at 14:02.' })).toBe(
      'Trading halted. Kill switch on at 14:02. No order passes until the kill switch is switched off.',
    );
    // The engine's reasons are clauses: capitalised and closed with a full stop.
    expect(stateTitle({ tradingState: 'halted', stateReason: 'the kill switch is on' })).toBe(
      'Trading halted. The kill switch is on. No order passes until the kill switch is switched off.',
    );
  });
});
