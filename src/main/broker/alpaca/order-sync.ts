/**
 * Bringing a journaled order to what Alpaca reports, through the one transition table
 * (core/trading/order-state.ts) and never around it:
 *
 * - `stepToward` finds the shortest chain of (non-fill) events that takes an order to a status, by
 *   trying the table's events (breadth first, at most 3 deep: pending_new → new → pending_replace →
 *   replaced is the longest real chain); a status already held is no step at all (a repeated event).
 * - `fillsToward` turns Alpaca's cumulative filled quantity into the fills we have not booked: a fill is
 *   booked only for shares above the order's `filledQty`, so an execution heard twice (stream and
 *   activities, or a replayed event) is booked once whatever its id.
 *
 * Pure: times are arguments.
 */
import type { Fill, Order, OrderStatus } from '../../../shared/domain';
import {
  applyOrderEvent,
  isTerminal,
  OrderTransitionError,
  type OrderEvent,
} from '../../core/trading/order-state';

/** How far along its life a status is: forward-only updates never move an order to a lower rank. */
const RANK: Record<OrderStatus, number> = {
  pending_new: 0,
  new: 1,
  partially_filled: 2,
  pending_cancel: 3,
  pending_replace: 3,
  filled: 9,
  canceled: 9,
  replaced: 9,
  expired: 9,
  rejected: 9,
};

function eventsFor(target: OrderStatus, reason: string): OrderEvent[] {
  return [
    { kind: 'accepted' },
    { kind: 'cancel_requested' },
    { kind: 'replace_requested' },
    { kind: 'cancel_rejected', reason },
    { kind: 'replace_rejected', reason },
    ...(target === 'canceled' ? [{ kind: 'canceled' as const, reason }] : []),
    ...(target === 'expired' ? [{ kind: 'expired' as const, reason }] : []),
    ...(target === 'rejected' ? [{ kind: 'rejected' as const, reason }] : []),
    ...(target === 'replaced' ? [{ kind: 'replaced' as const }] : []),
  ];
}

/**
 * The order moved to `target` by the shortest legal chain of events, each stamped `time`; the order
 * itself when it already is in `target`, and null when no chain of up to 3 events reaches it (the
 * table forbids it: a terminal order, or a partially filled order told it is `new`).
 * `forwardOnly`: refuse a move to a lower rank (a stale REST reply after a newer stream event).
 * Fill-driven statuses (partially_filled, filled) are reached by `fillsToward`, not here.
 */
export function stepToward(
  order: Order,
  target: OrderStatus,
  reason: string,
  time: number,
  options: { forwardOnly?: boolean } = {},
): Order | null {
  if (order.status === target) return order;
  if (isTerminal(order)) return null;
  if (options.forwardOnly && RANK[target] <= RANK[order.status]) return null;
  const events = eventsFor(target, reason);
  let frontier: Order[] = [order];
  for (let depth = 0; depth < 3; depth++) {
    const next: Order[] = [];
    for (const from of frontier) {
      for (const event of events) {
        let to: Order;
        try {
          to = applyOrderEvent(from, event, time);
        } catch (error) {
          if (error instanceof OrderTransitionError) continue;
          throw error;
        }
        if (to.status === target) return to;
        if (to.status !== from.status && !isTerminal(to)) next.push(to);
      }
    }
    frontier = next;
  }
  return null;
}

/** A fill Alpaca reported: its id, shares, price and time (and Alpaca's cumulative filled shares after it). */
export interface ReportedFill {
  id: string;
  qty: number;
  price: number;
  time: number;
  cumQty: number;
}

/**
 * The fills still to book for `order`, and the order after them, from what Alpaca reported:
 * - `reported`, oldest first: each books the shares its cumQty adds above the filled shares so far
 *   (at its price; a report partly booked already books the rest);
 * - then, when Alpaca's `filledQty`/`avgPrice` total is still ahead, one fill of the difference at the
 *   price that makes our average Alpaca's: (avg · total − ours · filled) / missing shares, rounded to
 *   1/10,000 dollar, id `<orderId>:filled:<total>` (fills missed with no report of their own).
 * A total at or below ours books nothing: fills heard twice are booked once.
 * @throws OrderTransitionError when a fill is illegal for the order (a terminal order, an overfill).
 */
export function fillsToward(
  order: Order,
  reported: readonly ReportedFill[],
  total: { filledQty: number; avgPrice: number | null; time: number },
): { order: Order; fills: Fill[] } {
  let current = order;
  const fills: Fill[] = [];
  const book = (id: string, qty: number, price: number, time: number): void => {
    current = applyOrderEvent(current, { kind: 'fill', qty, price }, time);
    fills.push({
      id,
      orderId: current.id,
      clientOrderId: current.clientOrderId,
      symbol: current.symbol,
      side: current.side,
      qty,
      price,
      fee: 0,
      time,
    });
  };
  for (const fill of [...reported].sort((a, b) => a.cumQty - b.cumQty)) {
    const qty = Math.min(fill.qty, fill.cumQty - current.filledQty, current.qty - current.filledQty);
    if (qty > 0 && Number.isInteger(qty)) book(fill.id, qty, fill.price, fill.time);
  }
  const missing = Math.min(total.filledQty, current.qty) - current.filledQty;
  if (missing > 0 && Number.isInteger(missing) && total.avgPrice !== null) {
    const ours = (current.avgFillPrice ?? 0) * current.filledQty;
    const raw = (total.avgPrice * Math.min(total.filledQty, current.qty) - ours) / missing;
    const price = Math.round(raw * 10_000) / 10_000;
    book(`${current.id}:filled:${total.filledQty}`, missing, price > 0 ? price : total.avgPrice, total.time);
  }
  return { order: current, fills };
}
