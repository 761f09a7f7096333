/**
 * Alpaca's Trading API v2 as it arrives on the wire, validated on arrival (zod), and turned into our
 * order statuses. Shapes from docs.alpaca.markets: "Orders" (the order object), "Account", "Positions",
 * "Account activities" (FILL entries) and "Websocket Streaming" (trade_updates). Quantities and prices
 * arrive as decimal strings; times as RFC 3339.
 */
import { z } from 'zod';
import type { OrderStatus, OrderType, TimeInForce } from '../../../shared/domain';

const Decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a number` });
    return z.NEVER;
  }
  return n;
});
const Time = z.string().transform((v, ctx) => {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a time` });
    return z.NEVER;
  }
  return ms;
});

export const WireOrderSchema = z.object({
  id: z.string().min(1),
  client_order_id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: Decimal.nullable(),
  filled_qty: Decimal,
  filled_avg_price: Decimal.nullable(),
  type: z.string(),
  time_in_force: z.string(),
  limit_price: Decimal.nullable().optional(),
  stop_price: Decimal.nullable().optional(),
  status: z.string(),
  submitted_at: Time.nullable().optional(),
  created_at: Time,
  updated_at: Time.nullable().optional(),
  replaced_by: z.string().nullable().optional(),
  replaces: z.string().nullable().optional(),
});
export type WireOrder = z.infer<typeof WireOrderSchema>;

export const WireAccountSchema = z.object({
  account_number: z.string(),
  cash: Decimal,
  status: z.string().optional(),
});
export type WireAccount = z.infer<typeof WireAccountSchema>;

export const WirePositionSchema = z.object({
  symbol: z.string(),
  qty: Decimal,
  side: z.string().optional(),
  avg_entry_price: Decimal,
});
export type WirePosition = z.infer<typeof WirePositionSchema>;

export const WireFillActivitySchema = z.object({
  id: z.string(),
  activity_type: z.literal('FILL'),
  transaction_time: Time,
  price: Decimal,
  qty: Decimal,
  order_id: z.string(),
  cum_qty: Decimal,
});
export type WireFillActivity = z.infer<typeof WireFillActivitySchema>;

/** One trade_updates message's `data` (docs: "Websocket Streaming", trade_updates). */
export const WireTradeUpdateSchema = z.object({
  event: z.string(),
  order: WireOrderSchema,
  execution_id: z.string().optional(),
  price: Decimal.nullable().optional(),
  qty: Decimal.nullable().optional(),
  timestamp: Time.optional(),
});
export type WireTradeUpdate = z.infer<typeof WireTradeUpdateSchema>;

/** A stream frame: `{stream, data}`. */
export const WireStreamFrameSchema = z.object({ stream: z.string(), data: z.unknown() });

/**
 * Our status for Alpaca's: Alpaca's extra working statuses (accepted, held, calculated, done_for_day,
 * accepted_for_bidding, stopped, suspended: docs "Orders: order lifecycle") are working orders to us,
 * `partially_filled` once some shares filled; null for a status we do not know.
 */
export function statusOf(order: Pick<WireOrder, 'status' | 'filled_qty'>): OrderStatus | null {
  switch (order.status) {
    case 'pending_new':
    case 'new':
    case 'partially_filled':
    case 'filled':
    case 'pending_cancel':
    case 'canceled':
    case 'pending_replace':
    case 'replaced':
    case 'expired':
    case 'rejected':
      return order.status;
    case 'accepted':
    case 'accepted_for_bidding':
    case 'held':
    case 'calculated':
    case 'stopped':
    case 'suspended':
    case 'done_for_day':
      return order.filled_qty > 0 ? 'partially_filled' : 'new';
    default:
      return null;
  }
}

const TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit'];
const TIFS: readonly TimeInForce[] = ['day', 'gtc', 'ioc'];

/** The order type and time in force when we support them (trailing stops, opg, fok... are not ours). */
export function kindOf(order: WireOrder): { type: OrderType; tif: TimeInForce } | null {
  const type = TYPES.find((t) => t === order.type);
  const tif = TIFS.find((t) => t === order.time_in_force);
  return type && tif ? { type, tif } : null;
}
