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
import { StrategyIdSchema } from './signals';

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
/**
 * Rules the engine's trading service checks in front of RISK_RULES (not core checkOrder's): live_not_armed
 * refuses every order in live mode until the trader arms it with LIVE_ARM_CONFIRMATION.
 */
export const GATE_RULES = ['live_not_armed'] as const;
export const RiskRuleSchema = z.enum([...GATE_RULES, ...RISK_RULES]);
export type RiskRule = z.infer<typeof RiskRuleSchema>;

/** Why the risk engine refused an order: the rule and a message with the numbers. */
export const RiskDenialSchema = z.object({ rule: RiskRuleSchema, message: z.string() });
export type RiskDenial = z.infer<typeof RiskDenialSchema>;

// ---------------------------------------------------------------------------------------------------
// What the engine's trading service tells its clients (issue 15).

/**
 * Which broker is behind the trading calls: the demo broker (demo and replay modes, no account) or an
 * Alpaca account (paper or live). The engine and the UI treat them alike; the badge says which.
 */
export const BROKER_KINDS = ['demo', 'paper', 'live'] as const;
export const BrokerKindSchema = z.enum(BROKER_KINDS);
export type BrokerKind = z.infer<typeof BrokerKindSchema>;

/** What the trader types to arm live trading (trading.armLive); live trading disarms on every restart. */
export const LIVE_ARM_CONFIRMATION = 'TRADE LIVE';

/** The state of the trading desk: broker, trading state, limits, live arming and strategy following. */
export const TradingStatusSchema = z.object({
  broker: BrokerKindSchema,
  /** The account as a trader reads it: "Demo account", "Alpaca paper PA3…", "Alpaca LIVE …". */
  account: z.string(),
  tradingState: TradingStateSchema,
  /** Why the trading state is what it is (the kill switch, the day's loss), in plain words; else null. */
  stateReason: z.string().nullable(),
  /** Live only: whether orders may go out (armed by the typed confirmation; false after every start). */
  liveArmed: z.boolean(),
  /** Whether the broker is reachable (always true for the demo broker). */
  connected: z.boolean(),
  /** A problem with the broker (keys refused, connection lost, reconciliation found differences); else null. */
  message: z.string().nullable(),
  limits: RiskLimitsSchema,
  /** Strategy following: whether it is on, and whether its orders go out without a confirmation (demo, replay). */
  following: z.object({ enabled: z.boolean(), automatic: z.boolean() }),
});
export type TradingStatus = z.infer<typeof TradingStatusSchema>;

/** Account and positions, marked to the last prices, at one moment of market time. */
export const PortfolioSnapshotSchema = z.object({
  time: TimestampSchema,
  account: AccountSchema,
  /** Every symbol traded since the account started; flat ones (qty 0) keep their realised P&L. */
  positions: z.array(PositionSchema),
});
export type PortfolioSnapshot = z.infer<typeof PortfolioSnapshotSchema>;

/**
 * What the risk engine says about an order before it is placed: the price it checks against, the
 * notional, and the first rule that would refuse it (null: it would pass now).
 */
export const OrderPreviewSchema = z.object({
  /** The price the checks use (the limit, the stop, or the last price), dollars; null when none is known. */
  checkPrice: z.number().finite().nullable(),
  /** qty × checkPrice, dollars; null without a price. */
  notional: z.number().finite().nullable(),
  denial: RiskDenialSchema.nullable(),
});
export type OrderPreview = z.infer<typeof OrderPreviewSchema>;

/** A placed order, or the risk rule that refused it (exactly one of the two is non-null). */
export const PlaceOrderResultSchema = z.object({
  order: OrderSchema.nullable(),
  denial: RiskDenialSchema.nullable(),
});
export type PlaceOrderResult = z.infer<typeof PlaceOrderResultSchema>;

/** One symbol of a rebalance: where it is, where the strategy wants it, and the order that gets it there. */
export const RebalanceLineSchema = z.object({
  symbol: SymbolSchema,
  /** Target weight of equity, 0..1. */
  targetWeight: z.number().finite().min(0).max(1),
  /** Shares held now and wanted (whole shares, rounded toward zero so cash never goes negative). */
  currentQty: z.number().int(),
  targetQty: z.number().int(),
  /** The last price used, dollars; null when none is known (the symbol is then skipped). */
  price: z.number().finite().positive().nullable(),
  /** The trade (a market day order), null when no trade is needed or possible. */
  order: OrderRequestSchema.nullable(),
  /**
   * The orders that carry the trade out: the trade itself, or slices of it each worth at most the max
   * order notional (a follower is not stopped by the fat-finger guard meant for one ticket); empty without
   * a trade.
   */
  orders: z.array(OrderRequestSchema).max(10_000),
  /** What the risk engine would say now (null: passes). */
  denial: RiskDenialSchema.nullable(),
});
export type RebalanceLine = z.infer<typeof RebalanceLineSchema>;

/** The rebalance the current strategy asks for: a preview the trader confirms (paper, live) or that runs (demo, replay). */
export const RebalancePlanSchema = z.object({
  /** Identifies this plan for strategy.rebalance (a plan expires when the strategy or positions change). */
  id: z.string().min(1).max(128),
  /** The strategy whose allocation is the target, and the prediction it came from (its time). */
  strategy: StrategyIdSchema,
  predictionTime: TimestampSchema,
  /** Equity the weights apply to, dollars. */
  equity: z.number().finite(),
  lines: z.array(RebalanceLineSchema),
});
export type RebalancePlan = z.infer<typeof RebalancePlanSchema>;
