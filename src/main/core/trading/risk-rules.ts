/**
 * The risk engine: one pure check in front of every order, in every mode. `checkOrder` runs the rules in
 * the fixed order of RISK_RULES (src/shared/domain/trading.ts) and returns the first refusal, naming the
 * rule and the numbers in plain words, or null when the order may go to the broker.
 *
 * The order matters: the cheap, absolute refusals first (halted, unknown symbol, no price to check
 * against), then the size limits, then the day's loss, the submit rate, the price band and the cash.
 * A trader sees the most fundamental reason first (a halted desk says so, not "price band").
 *
 * Units: quantities in shares, prices and money in dollars, times epoch ms UTC. No I/O, no clock: the
 * caller passes `now` and the figures of the moment.
 */
import type {
  OrderRequest,
  OrderSide,
  RiskDenial,
  RiskLimits,
  TradingState,
} from '../../../shared/domain/trading';

/**
 * Sensible retail defaults, for an account of about $100,000 (the demo account's starting cash):
 * - maxOrderNotional $25,000: a fat-finger guard; a quarter of the account in one ticket.
 * - maxPositionNotional $50,000: at most half the account in one symbol.
 * - maxGrossExposure $100,000: no leverage by default (gross exposure up to the account's size).
 * - maxDailyLoss $2,000: 2 % of the account, the common day-trader rule of thumb; past it only reducing
 *   orders pass for the rest of the day.
 * - maxOrdersPerMinute 60: far above a human's pace, enough for a strategy rebalancing a few dozen
 *   symbols at once, and well under Alpaca's 200 requests per minute API limit.
 * - priceBand 0.1: a limit or stop more than 10 % from the last price is almost surely a typo; it is also
 *   the Limit Up-Limit Down band of most US stocks (Tier 2, above $3, core session) past which trading
 *   pauses anyway.
 */
export const DEFAULT_RISK_LIMITS: Readonly<RiskLimits> = Object.freeze({
  maxOrderNotional: 25_000,
  maxPositionNotional: 50_000,
  maxGrossExposure: 100_000,
  maxDailyLoss: 2_000,
  maxOrdersPerMinute: 60,
  priceBand: 0.1,
});

/** The window of max_orders_per_minute, ms. */
export const ORDER_RATE_WINDOW_MS = 60_000;

/** What `checkOrder` needs to know about the moment, besides the order. */
export interface RiskContext {
  limits: RiskLimits;
  tradingState: TradingState;
  /** The symbol's last trade price, dollars; null (or not a positive finite number) when none is known. */
  lastPrice: number | null;
  /** Whether the workstation knows the symbol (listed in its universe). */
  knownSymbol: boolean;
  /** Shares held in the order's symbol: positive long, negative short, 0 flat. */
  position: number;
  /** Σ |position value| over all symbols now (this one included), dollars. */
  grossExposure: number;
  /** The order's symbol's current market value (|position| · mark, the sign is ignored), dollars. */
  symbolValue: number;
  /** Equity now minus equity at the day's start, dollars (negative: a loss). */
  dayPnl: number;
  /** Epoch ms of the submits already made; those in the last 60 s before `now` count. */
  recentSubmits: readonly number[];
  /** Epoch ms UTC, market time. */
  now: number;
  /** Cash, dollars. */
  cash: number;
  /** A cash account: a buy may not cost more than the cash (insufficient_cash). False skips the rule. */
  cashAccount: boolean;
}

/**
 * Whether an order of `side` and `qty` shares shrinks |position| without crossing through flat: a sell
 * of at most the long, or a buy of at most the short. Going exactly to flat is reducing; a flip beyond
 * flat (sell 150 of a 100 long) is not, since it opens a new position. Nothing reduces a flat position.
 */
export function isReducing(side: OrderSide, qty: number, position: number): boolean {
  if (qty <= 0) return false;
  if (position > 0) return side === 'sell' && qty <= position;
  if (position < 0) return side === 'buy' && qty <= -position;
  return false;
}

/**
 * The price the size and cash rules value the order at, dollars: the limit price, else the stop price,
 * else the last price (a market order). A limit price is the worst the order may pay, a stop the price at
 * which it becomes a market order; both are what the trader asked for, so the message quotes them.
 */
export function orderCheckPrice(request: OrderRequest, lastPrice: number): number {
  return request.limitPrice ?? request.stopPrice ?? lastPrice;
}

/**
 * Check one order against the limits and the moment. Rules, in this order (the first refusal wins):
 * 1. trading_state: halted refuses every order; reducing refuses any order that does not shrink |position|.
 * 2. unknown_symbol: the symbol is not known to the workstation.
 * 3. no_price: no last price to check the order against.
 * 4. max_order_notional: qty × price (limit, else stop, else last) above the limit.
 * 5. max_position_notional: |position after the order| × price above the limit.
 * 6. max_gross_exposure: gross exposure after the order (the other symbols' value as marked, plus
 *    |position after| × price) above the limit.
 * 7. max_daily_loss: the day's P&L at or past −limit refuses all but reducing orders.
 * 8. max_orders_per_minute: as many submits as the limit already in the last 60 s (this one would exceed).
 * 9. price_band: |limit or stop − last| / last above the band (both prices for a stop-limit).
 * 10. insufficient_cash (cash accounts only): a buy's qty × price above the cash.
 * Reducing orders skip rules 5 and 6: they can only lower a position and the gross exposure, and a
 * trader over a limit (prices moved) must still be able to get back under it.
 * Limits are inclusive: a figure exactly at its limit passes.
 *
 * Open orders are not counted in the position: the engine passes the position net of working orders if
 * it wants them included (two sells that each reduce could together flip the position).
 *
 * @returns the first refusal, or null when the order passes. Throws nothing.
 */
export function checkOrder(request: OrderRequest, context: RiskContext): RiskDenial | null {
  const { limits, position } = context;
  const { symbol, side, qty } = request;
  const reducing = isReducing(side, qty, position);

  if (context.tradingState === 'halted') {
    return deny(
      'trading_state',
      'trading is halted (the kill switch is on); no order passes until it is turned off',
    );
  }
  if (context.tradingState === 'reducing' && !reducing) {
    return deny(
      'trading_state',
      `trading is reducing only; a ${side} of ${formatShares(qty)} with ${describePosition(position)} ` +
        `does not shrink the position`,
    );
  }
  if (!context.knownSymbol) {
    return deny('unknown_symbol', `${symbol} is not a symbol this workstation knows; check its spelling`);
  }
  const last = context.lastPrice;
  if (last === null || !Number.isFinite(last) || last <= 0) {
    return deny(
      'no_price',
      `no last price for ${symbol} yet to check the order against; wait for its first trade`,
    );
  }

  const price = orderCheckPrice(request, last);
  const notional = qty * price;
  if (notional > limits.maxOrderNotional) {
    return deny(
      'max_order_notional',
      `${formatShares(qty)} × ${formatDollars(price)} = ${formatDollars(notional)} is above the ` +
        `${formatDollars(limits.maxOrderNotional)} limit`,
    );
  }

  const after = position + (side === 'buy' ? qty : -qty);
  const positionValue = Math.abs(after) * price;
  if (!reducing && positionValue > limits.maxPositionNotional) {
    return deny(
      'max_position_notional',
      `the position after the order, ${formatShares(Math.abs(after))} × ${formatDollars(price)} = ` +
        `${formatDollars(positionValue)}, is above the ${formatDollars(limits.maxPositionNotional)} limit`,
    );
  }

  const others = Math.max(0, context.grossExposure - Math.abs(context.symbolValue));
  const grossAfter = others + positionValue;
  if (!reducing && grossAfter > limits.maxGrossExposure) {
    return deny(
      'max_gross_exposure',
      `the gross exposure after the order, ${formatDollars(others)} in other symbols + ` +
        `${formatShares(Math.abs(after))} × ${formatDollars(price)} in ${symbol} = ${formatDollars(grossAfter)}, ` +
        `is above the ${formatDollars(limits.maxGrossExposure)} limit`,
    );
  }

  if (context.dayPnl <= -limits.maxDailyLoss && !reducing) {
    return deny(
      'max_daily_loss',
      `the day's P&L of ${formatDollars(context.dayPnl)} is at or past the ` +
        `${formatDollars(-limits.maxDailyLoss)} limit; only orders that shrink a position pass today`,
    );
  }

  const recent = countRecentSubmits(context.recentSubmits, context.now);
  if (recent >= limits.maxOrdersPerMinute) {
    return deny(
      'max_orders_per_minute',
      `${recent} orders were submitted in the last 60 s; the limit is ${limits.maxOrdersPerMinute} a minute, ` +
        `wait a moment`,
    );
  }

  for (const [label, bandPrice] of [
    ['limit', request.limitPrice],
    ['stop', request.stopPrice],
  ] as const) {
    if (bandPrice === undefined) continue;
    const distance = Math.abs(bandPrice - last) / last;
    if (distance > limits.priceBand) {
      return deny(
        'price_band',
        `the ${label} price ${formatDollars(bandPrice)} is ${formatPercent(distance)} from the last price ` +
          `${formatDollars(last)}, beyond the ${formatPercent(limits.priceBand)} band`,
      );
    }
  }

  if (context.cashAccount && side === 'buy' && notional > context.cash) {
    return deny(
      'insufficient_cash',
      `${formatShares(qty)} × ${formatDollars(price)} = ${formatDollars(notional)} is above the cash of ` +
        `${formatDollars(context.cash)}`,
    );
  }
  return null;
}

/** Submits at t with now − 60 s < t ≤ now (a submit exactly 60 s ago has left the window). */
export function countRecentSubmits(submits: readonly number[], now: number): number {
  let count = 0;
  for (const t of submits) if (t <= now && now - t < ORDER_RATE_WINDOW_MS) count++;
  return count;
}

function deny(rule: RiskDenial['rule'], words: string): RiskDenial {
  return { rule, message: `${rule}: ${words}` };
}

function describePosition(position: number): string {
  if (position > 0) return `a long position of ${formatShares(position)}`;
  if (position < 0) return `a short position of ${formatShares(-position)}`;
  return 'no position';
}

/** 1234 → "1,234". */
export function formatShares(qty: number): string {
  return groupThousands(String(Math.round(Math.abs(qty))), qty < 0);
}

/**
 * Dollars with thousands separators, cents only when there are any: 306200 → "$306,200",
 * 612.4 → "$612.40", −2150.5 → "-$2,150.50". Rounded to the cent first, so 500 × 612.4 reads $306,200.
 */
export function formatDollars(amount: number): string {
  const cents = Math.round(Math.abs(amount) * 100);
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  const sign = amount < 0 && cents > 0 ? '-' : '';
  const fraction = rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`;
  return `${sign}$${groupThousands(String(whole), false)}${fraction}`;
}

/** 0.1 → "10%", 0.14306 → "14.3%". */
export function formatPercent(fraction: number): string {
  const tenths = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1)}%`;
}

function groupThousands(digits: string, negative: boolean): string {
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}
