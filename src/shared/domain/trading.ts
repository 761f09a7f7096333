/**
 * Trading: order requests, orders and their life cycle, fills, positions, the account, the trading
 * state and the risk limits. Each type is a runtime schema with its static type inferred from it, so
 * absurd input (NaN, a zero or negative quantity, 1e12 shares, a price of 0) is refused at the contract,
 * before any broker or risk rule sees it.
 *
 * Units: quantities in shares (whole shares), prices and money in dollars, times epoch ms UTC.
 */
import { z } from 'zod';
import { SymbolSchema, TimestampSchema } from './bars';

export const ORDER_SIDES = ['buy', 'sell'] as const;
export const OrderSideSchema = z.enum(ORDER_SIDES);
export type OrderSide = z.infer<typeof OrderSideSchema>;

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
export const OrderTypeSchema = z.enum(ORDER_TYPES);
export type OrderType = z.infer<typeof OrderTypeSchema>;

/** day: until the session's close; gtc: until cancelled; ioc: what fills at once, the rest cancelled. */
export const TIMES_IN_FORCE = ['day', 'gtc', 'ioc'] as const;
export const TimeInForceSchema = z.enum(TIMES_IN_FORCE);
export type TimeInForce = z.infer<typeof TimeInForceSchema>;

/** The most shares one order may ask for: far above any retail order, far below nonsense like 1e12. */
export const MAX_ORDER_QTY = 1_000_000;
/** The highest price an order may carry, dollars. */
export const MAX_ORDER_PRICE = 1_000_000;

const Shares = z.number().int('a whole number of shares').positive('more than 0 shares').max(MAX_ORDER_QTY);
const Price = z.number().finite().positive('a price above 0').max(MAX_ORDER_PRICE);
/** A client order id: what makes a retried submit idempotent (Alpaca allows up to 128 characters). */
export const ClientOrderIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/** An order as the trader (window, CLI, strategy follower) asks for it. */
export const OrderRequestSchema = z
  .object({
    clientOrderId: ClientOrderIdSchema,
    symbol: SymbolSchema,
    side: OrderSideSchema,
    qty: Shares,
    type: OrderTypeSchema,
    limitPrice: Price.optional(),
    stopPrice: Price.optional(),
    tif: TimeInForceSchema,
  })
  .strict()
  .superRefine((order, ctx) => {
    const needsLimit = order.type === 'limit' || order.type === 'stop_limit';
    const needsStop = order.type === 'stop' || order.type === 'stop_limit';
    if (needsLimit !== (order.limitPrice !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['limitPrice'],
        message: needsLimit
          ? `a ${order.type} order needs a limit price`
          : `a ${order.type} order takes no limit price`,
      });
    }
    if (needsStop !== (order.stopPrice !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopPrice'],
        message: needsStop
          ? `a ${order.type} order needs a stop price`
          : `a ${order.type} order takes no stop price`,
      });
    }
  });
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

/**
 * The order life cycle (core/trading/order-state.ts holds the one transition table):
 * pending_new (sent, not yet acknowledged) → new (working) → partially_filled → filled; cancels go
 * through pending_cancel; a replace through pending_replace ends the old order `replaced`.
 * Terminal: filled, canceled, expired, rejected, replaced.
 */
export const ORDER_STATUSES = [
  'pending_new',
  'new',
  'partially_filled',
  'filled',
  'pending_cancel',
  'canceled',
  'pending_replace',
  'replaced',
  'expired',
  'rejected',
] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  'filled',
  'canceled',
  'replaced',
  'expired',
  'rejected',
];

export const OrderSchema = z.object({
  /** The broker's id (the demo broker's own, or Alpaca's). */
  id: z.string().min(1).max(128),
  clientOrderId: ClientOrderIdSchema,
  symbol: SymbolSchema,
  side: OrderSideSchema,
  qty: Shares,
  type: OrderTypeSchema,
  limitPrice: Price.nullable(),
  stopPrice: Price.nullable(),
  tif: TimeInForceSchema,
  status: OrderStatusSchema,
  filledQty: z.number().int().nonnegative(),
  /** Volume-weighted price of the fills so far, null before the first. */
  avgFillPrice: Price.nullable(),
  /** When the order was submitted, and when its status last changed (market time). */
  submittedAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** Why it was rejected, cancelled or expired, in plain words; else null. */
  reason: z.string().nullable(),
});
export type Order = z.infer<typeof OrderSchema>;

export const FillSchema = z.object({
  /** Unique per fill (the demo broker's sequence, or Alpaca's execution id). */
  id: z.string().min(1).max(128),
  orderId: z.string().min(1).max(128),
  clientOrderId: ClientOrderIdSchema,
  symbol: SymbolSchema,
  side: OrderSideSchema,
  qty: Shares,
  price: Price,
  /** Fees and commissions charged for this fill, dollars (≥ 0). */
  fee: z.number().finite().nonnegative(),
  time: TimestampSchema,
});
export type Fill = z.infer<typeof FillSchema>;

export const PositionSchema = z.object({
  symbol: SymbolSchema,
  /** Shares held: positive long, negative short. */
  qty: z.number().int(),
  /** Average entry price of the shares held, dollars. */
  avgPrice: z.number().finite().nonnegative(),
  /** The last price the position is marked at, dollars; null before any price is known. */
  marketPrice: z.number().finite().nonnegative().nullable(),
  /** (marketPrice − avgPrice) · qty, dollars; null without a market price. */
  unrealizedPnl: z.number().finite().nullable(),
  /** Realised on this symbol since the account started, dollars, fees deducted. */
  realizedPnl: z.number().finite(),
});
export type Position = z.infer<typeof PositionSchema>;

export const AccountSchema = z.object({
  cash: z.number().finite(),
  /** Cash plus the market value of the positions, dollars. */
  equity: z.number().finite(),
  /** Σ |qty · marketPrice| over positions, dollars. */
  grossExposure: z.number().finite().nonnegative(),
  realizedPnl: z.number().finite(),
  unrealizedPnl: z.number().finite(),
  /** Equity now minus equity at the start of the trading day, dollars. */
  dayPnl: z.number().finite(),
});
export type Account = z.infer<typeof AccountSchema>;

/** active: all orders; reducing: only orders that shrink a position; halted: none (the kill switch). */
export const TRADING_STATES = ['active', 'reducing', 'halted'] as const;
export const TradingStateSchema = z.enum(TRADING_STATES);
export type TradingState = z.infer<typeof TradingStateSchema>;

/** The risk engine's limits; each check names its rule when it refuses. */
export const RiskLimitsSchema = z.object({
  /** Largest qty · price of one order, dollars. */
  maxOrderNotional: z.number().finite().positive(),
  /** Largest |position| · price in one symbol after the order, dollars. */
  maxPositionNotional: z.number().finite().positive(),
  /** Largest Σ |position value| over all symbols after the order, dollars. */
  maxGrossExposure: z.number().finite().positive(),
  /** Largest loss of the day (a positive number of dollars); past it only reducing orders pass. */
  maxDailyLoss: z.number().finite().positive(),
  /** Most orders submitted in any 60 s of market time. */
  maxOrdersPerMinute: z.number().int().positive(),
  /** A limit or stop price further than this fraction from the last price is refused (0.1 = 10 %). */
  priceBand: z.number().finite().positive().max(1),
});
export type RiskLimits = z.infer<typeof RiskLimitsSchema>;

export const RISK_RULES = [
  'trading_state',
  'unknown_symbol',
  'no_price',
  'max_order_notional',
  'max_position_notional',
  'max_gross_exposure',
  'max_daily_loss',
  'max_orders_per_minute',
  'price_band',
  'insufficient_cash',
] as const;
export const RiskRuleSchema = z.enum(RISK_RULES);
export type RiskRule = z.infer<typeof RiskRuleSchema>;

/** Why the risk engine refused an order: the rule and a message with the numbers. */
export const RiskDenialSchema = z.object({ rule: RiskRuleSchema, message: z.string() });
export type RiskDenial = z.infer<typeof RiskDenialSchema>;
