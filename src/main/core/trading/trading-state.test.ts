import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRADING_STATES, type TradingState } from '../../../shared/domain/trading';
import { checkOrder, DEFAULT_RISK_LIMITS } from './risk-rules';
import { afterDayPnl, killSwitch, startTradingDay, type TradingStateTransition } from './trading-state';

describe('killSwitch', () => {
  it('on halts from any state and cancels open orders; flattens only when asked', () => {
    for (const state of TRADING_STATES) {
      expect(killSwitch(state, true)).toEqual({
        state: 'halted',
        actions: ['cancel_open_orders'],
        changed: state !== 'halted',
      });
      expect(killSwitch(state, true, { flatten: true })).toEqual({
        state: 'halted',
        actions: ['cancel_open_orders', 'flatten_positions'],
        changed: state !== 'halted',
      });
      expect(killSwitch(state, true, { flatten: false }).actions).toEqual(['cancel_open_orders']);
    }
  });

  it('off returns a halted desk to active, with nothing to do', () => {
    expect(killSwitch('halted', false)).toEqual({ state: 'active', actions: [], changed: true });
    // flatten means nothing when turning the switch off.
    expect(killSwitch('halted', false, { flatten: true })).toEqual({
      state: 'active',
      actions: [],
      changed: true,
    });
  });

  it('off never lifts a daily-loss latch, and leaves an active desk alone', () => {
    expect(killSwitch('reducing', false)).toEqual({ state: 'reducing', actions: [], changed: false });
    expect(killSwitch('active', false)).toEqual({ state: 'active', actions: [], changed: false });
  });

  it('once on, the next order is refused by name until it is turned off', () => {
    const halted = killSwitch('active', true).state;
    const request = {
      clientOrderId: 'after-kill',
      symbol: 'AAPL',
      side: 'buy' as const,
      qty: 1,
      type: 'market' as const,
      tif: 'day' as const,
    };
    const ctx = {
      limits: DEFAULT_RISK_LIMITS,
      lastPrice: 100,
      knownSymbol: true,
      position: 0,
      grossExposure: 0,
      symbolValue: 0,
      dayPnl: 0,
      recentSubmits: [],
      now: 0,
      cash: 1_000,
      cashAccount: true,
    };
    expect(checkOrder(request, { ...ctx, tradingState: halted })?.rule).toBe('trading_state');
    expect(checkOrder(request, { ...ctx, tradingState: killSwitch(halted, false).state })).toBeNull();
  });
});

describe('afterDayPnl', () => {
  it('latches active → reducing when the day P&L reaches −maxDailyLoss, not a cent before', () => {
    expect(afterDayPnl('active', -1_999.99, 2_000)).toEqual({ state: 'active', actions: [], changed: false });
    expect(afterDayPnl('active', -2_000, 2_000)).toEqual({ state: 'reducing', actions: [], changed: true });
    expect(afterDayPnl('active', -10_000, 2_000).state).toBe('reducing');
    expect(afterDayPnl('active', 5_000, 2_000).state).toBe('active');
  });

  it('a recovery does not lift the latch; a halted desk stays halted', () => {
    expect(afterDayPnl('reducing', 1_000, 2_000)).toEqual({ state: 'reducing', actions: [], changed: false });
    expect(afterDayPnl('halted', -5_000, 2_000)).toEqual({ state: 'halted', actions: [], changed: false });
  });
});

describe('startTradingDay', () => {
  it('lifts the daily-loss latch but never the kill switch', () => {
    expect(startTradingDay('reducing')).toEqual({ state: 'active', actions: [], changed: true });
    expect(startTradingDay('active')).toEqual({ state: 'active', actions: [], changed: false });
    expect(startTradingDay('halted')).toEqual({ state: 'halted', actions: [], changed: false });
  });
});

describe('the trading state over any sequence of events', () => {
  type Event =
    { kind: 'kill'; on: boolean; flatten: boolean } | { kind: 'pnl'; dayPnl: number } | { kind: 'day' };
  const events = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('kill' as const), on: fc.boolean(), flatten: fc.boolean() }),
      fc.record({ kind: fc.constant('pnl' as const), dayPnl: fc.integer({ min: -5_000, max: 5_000 }) }),
      fc.record({ kind: fc.constant('day' as const) }),
    ),
    { maxLength: 40 },
  );

  it('only the kill switch enters or leaves halted, and halted always carries cancel_open_orders', () => {
    fc.assert(
      fc.property(events, (sequence: Event[]) => {
        let state: TradingState = 'active';
        for (const event of sequence) {
          const before = state;
          const next: TradingStateTransition =
            event.kind === 'kill'
              ? killSwitch(state, event.on, { flatten: event.flatten })
              : event.kind === 'pnl'
                ? afterDayPnl(state, event.dayPnl, 2_000)
                : startTradingDay(state);
          expect(TRADING_STATES).toContain(next.state);
          expect(next.changed).toBe(next.state !== before);
          if (event.kind !== 'kill') {
            expect(next.state === 'halted').toBe(before === 'halted');
            expect(next.actions).toEqual([]);
          } else {
            expect(next.state).toBe(event.on ? 'halted' : before === 'halted' ? 'active' : before);
            if (event.on) expect(next.actions).toContain('cancel_open_orders');
            expect(next.actions.includes('flatten_positions')).toBe(event.on && event.flatten);
          }
          state = next.state;
        }
      }),
    );
  });
});
