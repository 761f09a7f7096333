/**
 * The demo broker's fill model: what a working order would have got from one closed bar of its symbol.
 * Pure and deterministic (no clock: the session close is an input; no randomness).
 *
 * Units: quantities in whole shares, prices and fees in dollars, times epoch ms UTC.
 *
 * The one rule every other rule serves: no fill price outside the bar's [low, high]. A bar says only
 * that trades happened somewhere in that range, so a simulated fill outside it is a price nobody could
 * have had (the rule of bar-based backtesting engines, e.g. NautilusTrader's bar execution and
 * Backtrader's broker, which fill limits at the limit or a better open and never beyond the bar).
 * Where a bar cannot tell the order of events inside it (did the low come before the high?), the model
 * takes the reading less favourable to the trader.
 *
 * The one exception: a single trade print (FillBar.print, the demo broker's trades). Its "range" is one
 * price, where somebody else traded, on one side of the spread; a marketable order (market, a triggered
 * stop) arriving after it crosses the spread and pays beyond it. So against a print a market or stop
 * fill is print ± slippage, adverse and not clamped to the print (clamping would fill every market order
 * at the last trade for free, better than any real venue). A bar of many trades already spans both sides
 * of the spread, so there the clamp is honest. Backtrader's broker makes the same distinction with its
 * `slip_out` option (slippage may leave the bar's range). Limits never slip: against a print they fill
 * at the print, which is at or better than the limit, never better than the print.
 */
import type { Bar } from '../../../shared/domain/bars';
import type { Order, OrderSide } from '../../../shared/domain/trading';
import { isWorking, remainingQty } from './order-state';

/**
 * The part of a bar the fill model reads (`start`: the bucket's first instant; `volume`: shares), and
 * `print`: true when the "bar" is one trade print (open = high = low = close = its price, volume = its
 * size), where market and stop fills pay their slippage beyond the price (see the module comment);
 * absent or false for a bar of a period.
 */
export type FillBar = Pick<Bar, 'start' | 'open' | 'high' | 'low' | 'close' | 'volume'> & {
  print?: boolean;
};

export interface FillModelConfig {
  /** Adverse slippage of market (and triggered stop) fills, basis points of the reference price. */
  slippageBps: number;
  /** Commission per share, dollars. */
  feePerShare: number;
  /** Least commission one order pays once it has filled at all, dollars. */
  minFeePerOrder: number;
  /** Share of a bar's volume one order may take, in (0, 1] (0.1 = 10 %). */
  maxParticipation: number;
}

/**
 * Defaults: fees as Interactive Brokers' "Fixed" US stock plan ($0.005 a share, $1.00 minimum per
 * order), a deliberately non-zero cost even though Alpaca charges no commission, so a demo strategy
 * that only works without costs shows it; 2 bps slippage (about a cent on a $50 stock, the spread of a
 * liquid large cap); at most 10 % of a bar's volume, a common participation cap in execution algorithms.
 */
export const DEFAULT_FILL_MODEL_CONFIG: Readonly<FillModelConfig> = {
  slippageBps: 2,
  feePerShare: 0.005,
  minFeePerOrder: 1,
  maxParticipation: 0.1,
};

/** What the caller knows beyond the order and the bar. */
export interface FillContext {
  /** When the current trading session closes, epoch ms UTC: where a day order expires. */
  sessionClose: number;
  /** The bar's length, ms (default one minute): the bar that reaches the close is a day order's last. */
  barMs?: number;
  /**
   * Whether this stop or stop-limit order's stop already triggered on an earlier bar (the caller keeps
   * `stopTriggered` from the previous outcome; the Order type does not carry it). Ignored otherwise.
   */
  stopTriggered?: boolean;
}

/** One fill proposed for the bar; the broker gives it an id and a time. */
export interface BarFill {
  /** Whole shares, ≥ 1. */
  qty: number;
  /**
   * Dollars, inside the bar's [low, high]; against a print (FillBar.print) a market or stop fill is the
   * print plus (buy) or minus (sell) the slippage.
   */
  price: number;
  /** Commission for this fill, dollars, ≥ 0 (see orderFee for how an order's fee is split). */
  fee: number;
}

export interface FillOutcome {
  /** Zero or one fill: one bar gives one price per order in this model. Read-only (may be shared). */
  fills: readonly BarFill[];
  /** For stop and stop-limit orders: whether the stop has triggered by the end of this bar. */
  stopTriggered: boolean;
  /** Whether the rest of the order (after `fills`) expires with this bar (ioc, or a day order at the close). */
  expired: boolean;
  /** Why it expired, in plain words; null when it did not. */
  reason: string | null;
}

/** Thrown on input the model cannot price: a non-working order, a bar or a config that makes no sense. */
export class FillModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FillModelError';
  }
}

const MINUTE_MS = 60_000;

/**
 * The outcomes that change nothing, shared and frozen: a bar offered to many resting orders (the demo
 * broker's common case) allocates nothing per order, which keeps the orders themselves in the CPU cache.
 */
const NO_FILLS: readonly BarFill[] = Object.freeze([]);
const NOTHING: Readonly<Record<'triggered' | 'untriggered', Readonly<FillOutcome>>> = {
  triggered: Object.freeze({ fills: NO_FILLS, stopTriggered: true, expired: false, reason: null }),
  untriggered: Object.freeze({ fills: NO_FILLS, stopTriggered: false, expired: false, reason: null }),
};

/**
 * The commission an order has paid in total once `filledQty` shares have filled, dollars:
 * max(feePerShare × filledQty, minFeePerOrder), and 0 before the first fill.
 *
 * Split over partial fills: each fill pays orderFee(after) − orderFee(before), so the first fill pays
 * at least the minimum, later fills pay only what their shares add above it, and the fills of an order
 * always sum to the fee of the whole filled quantity (never the minimum twice).
 */
export function orderFee(filledQty: number, config: FillModelConfig): number {
  if (filledQty <= 0) return 0;
  return Math.max(config.feePerShare * filledQty, config.minFeePerOrder);
}

/**
 * Most shares one order may take from a bar: floor(maxParticipation × volume), at least 1 share when
 * the bar traded at all, 0 for a bar of volume 0 (nothing traded, nothing to take part in).
 */
export function participationCap(volume: number, maxParticipation: number): number {
  if (!(volume > 0)) return 0;
  return Math.max(1, Math.floor(maxParticipation * volume));
}

/**
 * Evaluate one working order against one closed bar.
 *
 * Rules, in order:
 * - A bar that began before the order was submitted is not used (its open was before the order
 *   existed; using it would be look-ahead): no fill, nothing changes.
 * - day: a bar starting at or after `sessionClose` fills nothing and the order expires; after the
 *   bar that reaches the close (start + barMs ≥ sessionClose) what is left expires.
 * - A bar of volume 0 fills nothing and triggers no stop (no trade printed at any price).
 * - market: open ± slippage (buy pays more, sell gets less), capped inside [low, high]; against a print
 *   (bar.print) print ± slippage, not capped (a marketable order crosses the spread the print sat on).
 * - limit buy: fills only if low ≤ limit, at min(limit, open) (a gap below the limit fills at the
 *   better open, as an exchange would); sell: high ≥ limit, at max(limit, open). No slippage: the
 *   limit is the worst price the trader accepted and the price is inside the bar either way.
 * - stop buy: triggers when high ≥ stop, then fills as a market order from max(stop, open) (a gap
 *   through the stop fills at the worse open) plus slippage, capped at high; sell: low ≤ stop, from
 *   min(stop, open) minus slippage, floored at low (against a print: print ± slippage, as market). On
 *   later bars a triggered stop is a market order.
 * - stop-limit: triggers like a stop, then is a limit. On the trigger bar (buy): the first price after
 *   the trigger is T = max(stop, open); it fills at T when T ≤ limit; if the bar opened at or past the
 *   stop (so the whole bar is after the trigger) and later traded down to the limit (low ≤ limit), at
 *   the limit; otherwise (the bar opened below the stop and the limit is below the stop) the bar
 *   cannot say whether its low came after the trigger, so nothing fills on it. Sell symmetric.
 * - Quantity: min(remaining, participationCap(volume)); the rest stays working for later bars.
 * - ioc: what fills on the first usable bar; the rest expires with it.
 * - Fees: orderFee, split as documented there.
 *
 * @param order a working order (new, partially_filled, pending_cancel or pending_replace).
 * @param bar a closed bar of the order's symbol.
 * @throws FillModelError for an order that cannot fill (terminal, pending_new, nothing remaining, a
 *   missing limit/stop price), a bar with low > high or the open/close outside [low, high] or a
 *   negative volume or a print with more than one price, or a config with a negative or non-finite value or maxParticipation outside (0, 1].
 */
export function fillOnBar(
  order: Order,
  bar: FillBar,
  config: FillModelConfig,
  context: FillContext,
): FillOutcome {
  checkFillModelConfig(config);
  checkFillBar(bar);
  return fillOnCheckedBar(order, bar, config, context);
}

/**
 * fillOnBar for a caller that offers one bar to many orders (the demo broker): the same rules and the same
 * order checks, without re-checking the config and the bar on every call. The caller must have passed
 * `config` through checkFillModelConfig (once, e.g. when it is built) and `bar` through checkFillBar (once
 * per bar); anything else is fillOnBar's job.
 * @throws FillModelError for an order that cannot fill (as fillOnBar).
 */
export function fillOnCheckedBar(
  order: Order,
  bar: FillBar,
  config: FillModelConfig,
  context: FillContext,
): FillOutcome {
  const remaining = remainingQty(order);
  if (!isWorking(order)) {
    throw new FillModelError(`order ${order.id} is ${order.status}: only a working order can fill`);
  }
  if (remaining <= 0) {
    throw new FillModelError(
      `order ${order.id} has nothing left to fill (${order.filledQty} of ${order.qty})`,
    );
  }
  const isStop = order.type === 'stop' || order.type === 'stop_limit';
  const wasTriggered = isStop && context.stopTriggered === true;
  const untouched = wasTriggered ? NOTHING.triggered : NOTHING.untriggered;

  if (bar.start < order.submittedAt) return untouched;
  if (order.tif === 'day' && bar.start >= context.sessionClose) {
    return { ...untouched, expired: true, reason: 'day order expired at the session close' };
  }

  let stopTriggered = wasTriggered;
  let price: number | null = null;
  if (bar.volume > 0) {
    if (isStop && !wasTriggered) {
      const stop = need(order, 'stopPrice');
      stopTriggered = order.side === 'buy' ? bar.high >= stop : bar.low <= stop;
      if (stopTriggered) price = priceOnTriggerBar(order, bar, config, stop);
    } else if (order.type === 'market' || order.type === 'stop') {
      price = marketPrice(order.side, bar.open, bar, config.slippageBps);
    } else {
      price = limitPrice(order.side, need(order, 'limitPrice'), bar);
    }
  }

  let fills: readonly BarFill[] = NO_FILLS;
  let left = remaining;
  if (price !== null) {
    const qty = Math.min(remaining, participationCap(bar.volume, config.maxParticipation));
    if (qty > 0) {
      const fee = Math.max(0, orderFee(order.filledQty + qty, config) - orderFee(order.filledQty, config));
      // No guard clamp here on purpose: every rule above lands inside [low, high] by construction (a print's
      // market and stop fills exactly at print ± slippage), and the property test in fill-model.test.ts
      // checks exactly that (a clamp here would hide a wrong rule).
      fills = [{ qty, price, fee }];
      left -= qty;
    }
  }

  if (left > 0 && order.tif === 'ioc') {
    return {
      fills,
      stopTriggered,
      expired: true,
      reason: `ioc: ${left} of ${order.qty} shares unfilled, expired`,
    };
  }
  if (left > 0 && order.tif === 'day' && bar.start + (context.barMs ?? MINUTE_MS) >= context.sessionClose) {
    return { fills, stopTriggered, expired: true, reason: 'day order expired at the session close' };
  }
  if (fills.length === 0) return stopTriggered ? NOTHING.triggered : NOTHING.untriggered;
  return { fills, stopTriggered, expired: false, reason: null };
}

/**
 * Where a bar leaves a working order exactly as it is: a bar with low > `lowAbove`, high < `highBelow`
 * and start + barMs < `endBefore` gets no fill from fillOnBar, does not expire the order and does not
 * trigger its stop (see isQuietBar). Lets a caller holding many resting orders skip most of them per
 * trade by comparing three numbers, without touching the orders (the demo broker keeps them in typed
 * arrays). Only ever too strict, never too loose: a bar outside the bounds may still change nothing.
 *
 * - limit (and a triggered stop-limit): buy quiet while the bar stays above the limit (low > limit);
 *   sell while it stays below (high < limit).
 * - an untriggered stop or stop-limit: buy quiet while the bar stays below the stop (high < stop);
 *   sell while it stays above (low > stop).
 * - market, a triggered stop, ioc, or a limit/stop price missing: never quiet (fillOnBar decides).
 * - day orders: quiet only for bars that end before `context.sessionClose`; gtc: any time.
 *
 * Units: dollars, epoch ms UTC. Never throws.
 */
export interface QuietBounds {
  /** A bar must have low above this (dollars; +Infinity: never quiet). */
  lowAbove: number;
  /** A bar must have high below this (dollars). */
  highBelow: number;
  /** A bar must end (start + barMs) before this, epoch ms. */
  endBefore: number;
}

/** The QuietBounds of `order` (see there); `context.stopTriggered` as for fillOnBar. */
export function quietBounds(
  order: Order,
  context: Pick<FillContext, 'sessionClose' | 'stopTriggered'>,
): QuietBounds {
  const never = { lowAbove: Infinity, highBelow: -Infinity, endBefore: -Infinity };
  if (order.tif === 'ioc' || !isWorking(order) || remainingQty(order) <= 0) return never;
  const endBefore = order.tif === 'day' ? context.sessionClose : Infinity;
  const buy = order.side === 'buy';
  const isStop = order.type === 'stop' || order.type === 'stop_limit';
  // fillOnBar reports stopTriggered false for an order that is not a stop: a caller holding true would
  // see a change on any bar.
  if (!isStop && context.stopTriggered === true) return never;
  let level: number | null;
  let crossing: 'down' | 'up';
  if (isStop && context.stopTriggered !== true) {
    level = order.stopPrice;
    crossing = buy ? 'up' : 'down';
  } else if (order.type === 'limit' || order.type === 'stop_limit') {
    level = order.limitPrice;
    crossing = buy ? 'down' : 'up';
  } else {
    return never;
  }
  if (level === null || !Number.isFinite(level)) return never;
  return crossing === 'down'
    ? { lowAbove: level, highBelow: Infinity, endBefore }
    : { lowAbove: -Infinity, highBelow: level, endBefore };
}

/**
 * Whether `bar`, lasting `barMs` (≥ 0, the same as fillOnBar's context.barMs), is inside `bounds`: then
 * fillOnBar, with the context the bounds came from, changes nothing.
 */
export function isQuietBar(bounds: QuietBounds, bar: FillBar, barMs: number): boolean {
  return (
    barMs >= 0 &&
    bar.low > bounds.lowAbove &&
    bar.high < bounds.highBelow &&
    bar.start + barMs < bounds.endBefore
  );
}

/**
 * A market fill from `reference` (dollars): reference × (1 + slippageBps/10 000) for a buy, × (1 − …)
 * for a sell, then kept inside [low, high] (slippage never makes a price a bar of many trades did not
 * trade), except against a print (bar.print): there it is not clamped, since the print is one side of
 * the spread and the order crosses it (see the module comment).
 */
export function marketPrice(side: OrderSide, reference: number, bar: FillBar, slippageBps: number): number {
  const slip = slippageBps / 10_000;
  const raw = side === 'buy' ? reference * (1 + slip) : reference * (1 - slip);
  return bar.print === true ? raw : clamp(raw, bar.low, bar.high);
}

/** A limit's fill on a bar, or null when the bar never reached the limit (see fillOnBar). */
function limitPrice(side: OrderSide, limit: number, bar: FillBar): number | null {
  if (side === 'buy') return bar.low <= limit ? Math.min(limit, bar.open) : null;
  return bar.high >= limit ? Math.max(limit, bar.open) : null;
}

/** The fill price on the bar where the stop triggers (see fillOnBar), or null for none on this bar. */
function priceOnTriggerBar(order: Order, bar: FillBar, config: FillModelConfig, stop: number): number | null {
  const buy = order.side === 'buy';
  const afterTrigger = buy ? Math.max(stop, bar.open) : Math.min(stop, bar.open);
  if (order.type === 'stop') return marketPrice(order.side, afterTrigger, bar, config.slippageBps);
  const limit = need(order, 'limitPrice');
  if (buy ? afterTrigger <= limit : afterTrigger >= limit) return afterTrigger;
  const openedPastStop = buy ? bar.open >= stop : bar.open <= stop;
  const reachedLimit = buy ? bar.low <= limit : bar.high >= limit;
  return openedPastStop && reachedLimit ? limit : null;
}

function need(order: Order, field: 'limitPrice' | 'stopPrice'): number {
  const value = order[field];
  if (value === null)
    throw new FillModelError(`order ${order.id} is a ${order.type} order without a ${field}`);
  return value;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * Refuses a bar the fill model cannot price: a price that is not a positive finite number, low above the
 * open or close, high below them, a print (bar.print) whose low and high differ, or a volume that is not
 * a finite number ≥ 0.
 * @throws FillModelError naming the bar's start and what is wrong.
 */
export function checkFillBar(bar: FillBar): void {
  const { open, high, low, close } = bar;
  // Written out rather than over an array: this runs once per trade on the demo broker's hot path.
  if (!(isPositive(open) && isPositive(high) && isPositive(low) && isPositive(close))) {
    throw new FillModelError(`bar at ${bar.start} has a price that is not a positive number`);
  }
  if (low > Math.min(open, close) || high < Math.max(open, close)) {
    throw new FillModelError(`bar at ${bar.start} is not a bar: low ≤ open, close ≤ high does not hold`);
  }
  if (bar.print === true && low !== high) {
    throw new FillModelError(`bar at ${bar.start} is a trade print with more than one price`);
  }
  if (!(Number.isFinite(bar.volume) && bar.volume >= 0)) {
    throw new FillModelError(`bar at ${bar.start} has a volume that is not a number ≥ 0`);
  }
}

/**
 * Refuses a config the fill model cannot use: slippageBps, feePerShare or minFeePerOrder negative or not
 * finite, or maxParticipation outside (0, 1].
 * @throws FillModelError naming the field and its value.
 */
export function checkFillModelConfig(config: FillModelConfig): void {
  const { slippageBps, feePerShare, minFeePerOrder, maxParticipation } = config;
  for (const [name, value] of [
    ['slippageBps', slippageBps],
    ['feePerShare', feePerShare],
    ['minFeePerOrder', minFeePerOrder],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new FillModelError(`fill model: ${name} must be a number ≥ 0, got ${value}`);
    }
  }
  if (!(maxParticipation > 0 && maxParticipation <= 1)) {
    throw new FillModelError(`fill model: maxParticipation must be in (0, 1], got ${maxParticipation}`);
  }
}

function isPositive(price: number): boolean {
  return Number.isFinite(price) && price > 0;
}
