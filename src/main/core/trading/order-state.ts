/**
 * The order life cycle: one transition table from (status, event) to the next status, and
 * `applyOrderEvent`, which every broker (demo, Alpaca paper and live) uses to move its orders, so an
 * order means the same thing whichever broker holds it. The table is also the tests' oracle.
 *
 * The statuses follow Alpaca's order statuses (docs.alpaca.markets, "Orders: order lifecycle") and
 * FIX's OrdStatus (pending new, new, partially filled, filled, pending cancel, canceled, pending replace,
 * replaced, expired, rejected). Events are what a broker reports or what we ask of it:
 *
 * - `accepted`: the broker acknowledged the order; it now works in the market.
 * - `rejected` (reason): the broker refused the order before it worked.
 * - `fill` (qty shares, price dollars): an execution; partial or complete by the remaining qty.
 * - `cancel_requested` / `replace_requested`: we asked the broker to cancel / replace the order.
 * - `canceled` (reason): the broker cancelled it, asked or not (a broker's own cancel is final too).
 * - `replaced`: the replace took effect; this order ends and its replacement lives on as a new order.
 * - `expired` (reason): a day order at the session's close, or the unfilled rest of an ioc order.
 * - `cancel_rejected` / `replace_rejected` (reason): the broker refused the cancel / replace; the order
 *   goes back to the working state it came from.
 *
 * Races real brokers produce are legal: a fill may arrive while a cancel or replace is pending (the
 * fill raced the request) or before the acknowledgement; `accepted` may arrive after a cancel was
 * requested on a still unacknowledged order; `canceled` and `expired` end any live order.
 *
 * Where the working state comes back after a refused cancel or replace: a cancel or replace is asked
 * only of an order the broker holds, and a broker answering "cannot cancel" holds it, so the order works
 * again, as `partially_filled` when some shares filled (filledQty > 0, kept on the order through the
 * pending state, fills that raced the request included) and `new` otherwise. No extra field is needed.
 *
 * Pure: no clock (the event's time is an argument), no I/O.
 */
import {
  TERMINAL_ORDER_STATUSES,
  type Order,
  type OrderRequest,
  type OrderStatus,
} from '../../../shared/domain';

export const ORDER_EVENT_KINDS = [
  'accepted',
  'rejected',
  'fill',
  'cancel_requested',
  'canceled',
  'replace_requested',
  'replaced',
  'expired',
  'cancel_rejected',
  'replace_rejected',
] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** An event in an order's life; quantities in whole shares, prices in dollars. */
export type OrderEvent =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'fill'; qty: number; price: number }
  | { kind: 'cancel_requested' }
  | { kind: 'canceled'; reason: string }
  | { kind: 'replace_requested' }
  | { kind: 'replaced' }
  | { kind: 'expired'; reason: string }
  /** The reason is for the log; the order's `reason` stays null while it works. */
  | { kind: 'cancel_rejected'; reason?: string }
  | { kind: 'replace_rejected'; reason?: string };

/**
 * Every legal (status, event kind) pair and the statuses it may lead to; a pair absent here is illegal.
 * Where two statuses are listed, `applyOrderEvent` picks one:
 * - `fill`: `filled` when the fill completes the order (filledQty reaches qty), else the other one
 *   (`partially_filled`, or the pending status the order stays in while its cancel/replace is pending).
 * - `cancel_rejected` / `replace_rejected`: `partially_filled` when filledQty > 0, else `new`.
 * Terminal statuses (filled, canceled, replaced, expired, rejected) accept no event.
 */
export const ORDER_TRANSITIONS: Readonly<
  Record<OrderStatus, Readonly<Partial<Record<OrderEventKind, readonly OrderStatus[]>>>>
> = {
  pending_new: {
    accepted: ['new'],
    rejected: ['rejected'],
    // A fill that beats the acknowledgement implies it.
    fill: ['partially_filled', 'filled'],
    // Asked before the acknowledgement came; the broker answers the cancel once it knows the order.
    cancel_requested: ['pending_cancel'],
    canceled: ['canceled'],
    expired: ['expired'],
  },
  new: {
    fill: ['partially_filled', 'filled'],
    cancel_requested: ['pending_cancel'],
    canceled: ['canceled'],
    replace_requested: ['pending_replace'],
    expired: ['expired'],
  },
  partially_filled: {
    fill: ['partially_filled', 'filled'],
    cancel_requested: ['pending_cancel'],
    canceled: ['canceled'],
    replace_requested: ['pending_replace'],
    expired: ['expired'],
  },
  pending_cancel: {
    // The acknowledgement of an order cancelled before it came.
    accepted: ['pending_cancel'],
    // A fill that raced the cancel: the cancel is still pending for the rest.
    fill: ['pending_cancel', 'filled'],
    canceled: ['canceled'],
    expired: ['expired'],
    cancel_rejected: ['new', 'partially_filled'],
  },
  pending_replace: {
    fill: ['pending_replace', 'filled'],
    canceled: ['canceled'],
    replaced: ['replaced'],
    expired: ['expired'],
    replace_rejected: ['new', 'partially_filled'],
  },
  filled: {},
  canceled: {},
  replaced: {},
  expired: {},
  rejected: {},
};

/** An event that cannot apply to the order: an illegal (status, event) pair, an overfill or a bad fill. */
export class OrderTransitionError extends Error {
  constructor(
    message: string,
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly eventKind: OrderEventKind,
  ) {
    super(message);
    this.name = 'OrderTransitionError';
  }
}

/** True when the order's life is over (filled, canceled, replaced, expired, rejected). */
export function isTerminal(order: Pick<Order, 'status'>): boolean {
  return TERMINAL_ORDER_STATUSES.includes(order.status);
}

/**
 * True when the broker holds the order in the market, so it may still fill: new, partially_filled, and
 * pending_cancel / pending_replace (until the broker confirms, the order still works; a fill can race the
 * request). An unacknowledged (pending_new) order is not working yet.
 */
export function isWorking(order: Pick<Order, 'status'>): boolean {
  const s = order.status;
  return s === 'new' || s === 'partially_filled' || s === 'pending_cancel' || s === 'pending_replace';
}

/** Shares not filled: qty − filledQty (for a terminal order, the shares that never filled). */
export function remainingQty(order: Pick<Order, 'qty' | 'filledQty'>): number {
  return order.qty - order.filledQty;
}

/**
 * The order a request becomes before any broker answered it: `pending_new`, nothing filled, the
 * request's prices (null where it has none), submitted and updated at `now`.
 * @param id the broker's id for it (the demo broker's own, or a placeholder until Alpaca's arrives).
 * @param now epoch ms UTC (market time) of the submit.
 */
export function pendingOrder(id: string, request: OrderRequest, now: number): Order {
  return {
    id,
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    qty: request.qty,
    type: request.type,
    limitPrice: request.limitPrice ?? null,
    stopPrice: request.stopPrice ?? null,
    tif: request.tif,
    status: 'pending_new',
    filledQty: 0,
    avgFillPrice: null,
    submittedAt: now,
    updatedAt: now,
    reason: null,
  };
}

/** The statuses a (status, event kind) pair may lead to; empty when the pair is illegal. */
export function nextStatuses(status: OrderStatus, kind: OrderEventKind): readonly OrderStatus[] {
  return ORDER_TRANSITIONS[status][kind] ?? [];
}

/**
 * Applies one event to an order and returns the order after it (a new object; the input is untouched).
 * Sets `status` from ORDER_TRANSITIONS, `updatedAt` = time (every event, fills included), and:
 * - fill: filledQty += qty; avgFillPrice = the volume-weighted mean of all fills,
 *   (avg · filled + price · qty) / (filled + qty), dollars.
 * - rejected, canceled, expired: reason = the event's reason (plain words for the trader).
 * - replaced: reason = 'replaced by a new order'.
 * @param time epoch ms UTC (market time) of the event.
 * @throws OrderTransitionError when the pair (order.status, event.kind) is not in the table, naming
 *   both; when a fill's qty is not a whole number above 0 or its price not a finite number above 0;
 *   when a fill would take filledQty above qty (an overfill).
 */
export function applyOrderEvent(order: Order, event: OrderEvent, time: number): Order {
  const targets = nextStatuses(order.status, event.kind);
  if (targets.length === 0) {
    const why = isTerminal(order)
      ? `the order is ${order.status}, which is final`
      : `'${event.kind}' is not legal while an order is ${order.status}`;
    throw new OrderTransitionError(
      `Order ${order.id} (${order.symbol}): cannot apply '${event.kind}' in status '${order.status}': ${why}. ` +
        'The broker and our order book disagree; reconcile the order with the broker.',
      order.id,
      order.status,
      event.kind,
    );
  }
  const at = { ...order, updatedAt: time };
  switch (event.kind) {
    case 'fill':
      return applyFill(at, event.qty, event.price, targets);
    case 'rejected':
    case 'canceled':
    case 'expired':
      return { ...at, status: targets[0]!, reason: event.reason };
    case 'replaced':
      return { ...at, status: targets[0]!, reason: 'replaced by a new order' };
    case 'cancel_rejected':
    case 'replace_rejected':
      return { ...at, status: order.filledQty > 0 ? 'partially_filled' : 'new' };
    case 'accepted':
    case 'cancel_requested':
    case 'replace_requested':
      return { ...at, status: targets[0]! };
  }
}

function applyFill(order: Order, qty: number, price: number, targets: readonly OrderStatus[]): Order {
  const fail = (message: string): never => {
    throw new OrderTransitionError(
      `Order ${order.id} (${order.symbol}): ${message}`,
      order.id,
      order.status,
      'fill',
    );
  };
  if (!Number.isInteger(qty) || qty <= 0) fail(`a fill of ${qty} shares is not a whole number above 0.`);
  if (!Number.isFinite(price) || price <= 0) fail(`a fill at $${price} is not a price above 0.`);
  const filledQty = order.filledQty + qty;
  if (filledQty > order.qty) {
    fail(
      `a fill of ${qty} shares would overfill the order: ${order.filledQty} of ${order.qty} filled, ` +
        `${remainingQty(order)} remaining. Reconcile the order with the broker.`,
    );
  }
  const avgFillPrice =
    order.avgFillPrice === null || order.filledQty === 0
      ? price
      : (order.avgFillPrice * order.filledQty + price * qty) / filledQty;
  // targets = [partial outcome, 'filled'].
  const status = filledQty === order.qty ? 'filled' : targets[0]!;
  return { ...order, status, filledQty, avgFillPrice };
}
