/**
 * The trading state as pure transitions: the kill switch (halted), the daily-loss latch (reducing) and the
 * start of a new trading day. The engine keeps the state, journals it and carries out the actions; these
 * functions only decide. States: active (all orders), reducing (only orders that shrink a position),
 * halted (none); see TRADING_STATES in src/shared/domain/trading.ts.
 */
import type { TradingState } from '../../../shared/domain/trading';

/**
 * What the engine must do after a transition, in this order: cancel every open order first (so nothing
 * still working can reopen a position), then send market orders that take every position to flat.
 * The flattening orders are the kill switch's own: the engine sends them past the risk check, which
 * refuses every order while halted.
 */
export type TradingAction = 'cancel_open_orders' | 'flatten_positions';

export interface TradingStateTransition {
  state: TradingState;
  actions: readonly TradingAction[];
  /** True when the state differs from the one before. */
  changed: boolean;
}

export interface KillSwitchOptions {
  /** Also flatten every position (only when turning the switch on). */
  flatten?: boolean;
}

/**
 * The kill switch. On: halted from any state, with the actions cancel open orders and, when asked,
 * flatten positions; pressing it again while halted repeats the actions (an order that slipped in, or a
 * flatten asked for the second time, is dealt with). Off: halted → active with no actions; from active
 * or reducing it changes nothing, so turning off a switch that was not on never lifts a daily-loss
 * latch. After off the engine re-applies `afterDayPnl` (the max_daily_loss rule refuses regardless).
 */
export function killSwitch(
  state: TradingState,
  on: boolean,
  options: KillSwitchOptions = {},
): TradingStateTransition {
  if (on) {
    const actions: TradingAction[] = ['cancel_open_orders'];
    if (options.flatten === true) actions.push('flatten_positions');
    return { state: 'halted', actions, changed: state !== 'halted' };
  }
  if (state === 'halted') return { state: 'active', actions: [], changed: true };
  return { state, actions: [], changed: false };
}

/**
 * The daily-loss latch: active → reducing once the day's P&L (dollars, negative a loss) is at or past
 * −maxDailyLoss (a positive number of dollars). It latches for the day: a recovery does not lift it
 * (only `startTradingDay` does), so a trader cannot win back a loss limit by a bounce and re-open.
 * Halted and reducing stay as they are. No actions: open orders keep working (the engine may cancel
 * the ones that do not reduce).
 */
export function afterDayPnl(
  state: TradingState,
  dayPnl: number,
  maxDailyLoss: number,
): TradingStateTransition {
  if (state === 'active' && dayPnl <= -maxDailyLoss) return { state: 'reducing', actions: [], changed: true };
  return { state, actions: [], changed: false };
}

/**
 * A new trading day: reducing → active (the daily-loss latch resets with the day's P&L). Halted stays
 * halted: only a person turns the kill switch off.
 */
export function startTradingDay(state: TradingState): TradingStateTransition {
  if (state === 'reducing') return { state: 'active', actions: [], changed: true };
  return { state, actions: [], changed: false };
}
