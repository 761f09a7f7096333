/**
 * Trading over the contract: orders (place, preview, cancel, replace, list), fills, the portfolio, the
 * trading state (kill switch, risk limits, live arming) and strategy following. The same calls serve
 * every mode; which broker is behind them (demo, Alpaca paper, Alpaca live) is in `trading.status`.
 *
 * Absurd input (NaN, zero or negative shares, 1e12 shares, a price of 0, a limit price on a market order)
 * is refused here, by the schemas, before the risk engine sees it. A refusal by the risk engine is not an
 * error: `orders.place` answers with the denial (its rule and numbers) and no order.
 */
import { z } from 'zod';
import {
  ClientOrderIdSchema,
  FillSchema,
  OrderPreviewSchema,
  OrderRequestSchema,
  OrderSchema,
  PlaceOrderResultSchema,
  PortfolioSnapshotSchema,
  RebalancePlanSchema,
  RiskLimitsSchema,
  TimestampSchema,
  TradingStatusSchema,
  MAX_ORDER_PRICE,
  MAX_ORDER_QTY,
} from '../domain';
import { NoParams } from './no-params';

export const MAX_ORDERS_PER_REQUEST = 2000;

const OrderIdSchema = z.string().min(1).max(128);
const Price = z.number().finite().positive().max(MAX_ORDER_PRICE);

export const tradingRequests = {
  /** The broker, trading state, limits, live arming and following. */
  'trading.status': { params: NoParams, result: TradingStatusSchema },
  /** Account and positions marked to the last prices. */
  'trading.portfolio': { params: NoParams, result: PortfolioSnapshotSchema },
  /**
   * Places an order after the risk checks. Idempotent by `clientOrderId`: placing again with an id already
   * used answers with that order (never a second one). A refusal answers `{ order: null, denial }`.
   * Fails (EngineError) when the broker cannot be reached or refuses the order itself.
   */
  'orders.place': { params: OrderRequestSchema, result: PlaceOrderResultSchema },
  /** What the risk engine would say about this order now; places nothing. */
  'orders.preview': { params: OrderRequestSchema, result: OrderPreviewSchema },
  /** Asks to cancel a working order; answers with the order (pending_cancel or already canceled). */
  'orders.cancel': { params: z.object({ id: OrderIdSchema }).strict(), result: OrderSchema },
  /**
   * Replaces a working order's quantity and prices (the replacement passes the risk checks as a new order
   * with `clientOrderId`); answers like `orders.place`, with the replacement.
   */
  'orders.replace': {
    params: z
      .object({
        id: OrderIdSchema,
        clientOrderId: ClientOrderIdSchema,
        qty: z.number().int().positive().max(MAX_ORDER_QTY).optional(),
        limitPrice: Price.optional(),
        stopPrice: Price.optional(),
      })
      .strict(),
    result: PlaceOrderResultSchema,
  },
  /** Orders, newest first: the working ones (`open`) or all of them. */
  'orders.list': {
    params: z
      .object({
        status: z.enum(['open', 'all']).default('open'),
        limit: z.number().int().min(1).max(MAX_ORDERS_PER_REQUEST).default(200),
      })
      .strict(),
    result: z.array(OrderSchema),
  },
  /** Fills, newest first: the `limit` most recent before `before` (or overall). */
  'fills.list': {
    params: z
      .object({
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_ORDERS_PER_REQUEST).default(200),
      })
      .strict(),
    result: z.array(FillSchema),
  },
  /**
   * The kill switch. On: trading halts, every working order is cancelled, with `flatten` every position is
   * closed by a market order, and new orders are refused (rule trading_state) until it is switched off.
   * Off: trading is active again (or reducing, when the day's loss is past its limit).
   */
  'trading.killSwitch': {
    params: z.object({ on: z.boolean(), flatten: z.boolean().default(false) }).strict(),
    result: TradingStatusSchema,
  },
  /** Sets the risk limits (kept in the settings of the journal's database). */
  'trading.setLimits': { params: RiskLimitsSchema.strict(), result: TradingStatusSchema },
  /** Arms live trading: `confirmation` must be LIVE_ARM_CONFIRMATION exactly. Live mode only. */
  'trading.armLive': {
    params: z.object({ confirmation: z.string().max(100) }).strict(),
    result: TradingStatusSchema,
  },
  'trading.disarmLive': { params: NoParams, result: TradingStatusSchema },
  /**
   * The rebalance the current strategy asks for, with each order's risk check; fails when no prediction
   * has been made yet.
   */
  'strategy.plan': { params: NoParams, result: RebalancePlanSchema },
  /** Places the orders of a plan from strategy.plan (fails when the plan is no longer current). */
  'strategy.rebalance': {
    params: z.object({ planId: z.string().min(1).max(128) }).strict(),
    result: z.object({ results: z.array(PlaceOrderResultSchema) }),
  },
  /**
   * Paper mode only: the paper account's orders submitted at or after `since` (newest `limit`) and the
   * same from the shadow demo broker that ran them over the same market data, with their fills: what
   * `trm divergence` compares. Fails in the other modes (there is no shadow).
   */
  'trading.shadowExecutions': {
    params: z
      .object({
        since: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_ORDERS_PER_REQUEST).default(MAX_ORDERS_PER_REQUEST),
      })
      .strict(),
    result: z.object({
      paper: z.object({ orders: z.array(OrderSchema), fills: z.array(FillSchema) }),
      shadow: z.object({ orders: z.array(OrderSchema), fills: z.array(FillSchema) }),
    }),
  },
  /** Turns strategy following on or off (kept in the settings). */
  'strategy.setFollow': { params: z.object({ enabled: z.boolean() }).strict(), result: TradingStatusSchema },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const tradingEvents = {
  /** The trading status whenever it changes. */
  'trading.statusChanged': { arg: NoParams, payload: TradingStatusSchema },
  /** Orders as they change (after the change was journaled), in the order the changes happened. */
  'orders.changed': { arg: NoParams, payload: z.object({ orders: z.array(OrderSchema) }) },
  /** New fills (after they were journaled). */
  'fills.new': { arg: NoParams, payload: z.object({ fills: z.array(FillSchema) }) },
  /** Account and positions, when a fill books and as prices move (at most one a second). */
  'trading.portfolioChanged': { arg: NoParams, payload: PortfolioSnapshotSchema },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
