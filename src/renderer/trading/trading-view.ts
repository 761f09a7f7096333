/**
 * What the trading views decide from the engine's answers: whether trading can be shown at all, whether
 * an order may be sent now, the order of the position rows, and a rebalance's outcome in one line.
 */
import {
  TERMINAL_ORDER_STATUSES,
  type Order,
  type OrderSide,
  type PlaceOrderResult,
  type RebalanceLine,
  type RebalancePlan,
  type Position,
  type TradingStatus,
} from '../../shared/domain';
import {
  formatDenial,
  formatMoney,
  formatOrderPrice,
  formatShares,
  formatFilled,
  STATUS_LABEL,
  TYPE_LABEL,
} from './trading-format';

/** The parts of the trading state these decisions read (use-trading.ts holds them). */
export interface TradingView {
  status: { value: TradingStatus | null; error: string | null };
  offline: boolean;
}

/**
 * Why the trading parts cannot show anything: the engine refused `trading.status` (its words, e.g.
 * "Trading is not wired into this engine yet."), or the link is down before any status came; else null.
 */
export function tradingUnavailable(trading: TradingView): string | null {
  if (trading.status.value !== null) return null;
  if (trading.status.error !== null) return trading.status.error;
  return trading.offline ? 'Not connected to the engine.' : null;
}

/** Why the ticket may not send an order now (trading unavailable, link down, live not armed); else null. */
export function ticketBlocked(trading: TradingView): string | null {
  const unavailable = tradingUnavailable(trading);
  if (unavailable !== null) return unavailable;
  if (trading.offline) return 'Not connected to the engine: orders can go out once it is back.';
  const status = trading.status.value;
  if (status?.broker === 'live' && !status.liveArmed) {
    return 'Live trading is not armed: arm it in the top bar first.';
  }
  return null;
}

/** Open positions first (largest value first), then flat symbols (realised P&L only), each by symbol on ties. */
export function positionRows(positions: readonly Position[]): Position[] {
  const value = (p: Position): number => Math.abs(p.qty * (p.marketPrice ?? p.avgPrice));
  return [...positions].sort(
    (a, b) =>
      Number(a.qty === 0) - Number(b.qty === 0) || value(b) - value(a) || a.symbol.localeCompare(b.symbol),
  );
}

/** A rebalance's outcome: "3 orders placed, 1 refused (max_position_notional: …)". */
export function rebalanceSummary(results: readonly PlaceOrderResult[]): string {
  const placed = results.filter((r) => r.order !== null).length;
  const refused = results.filter((r) => r.denial !== null);
  const parts = [`${placed} order${placed === 1 ? '' : 's'} placed`];
  if (refused.length > 0) {
    const first = refused[0]?.denial;
    parts.push(`${refused.length} refused${first ? ` (${formatDenial(first)})` : ''}`);
  }
  return parts.join(', ');
}

/**
 * The placed order as it stands now: the blotter's report of it (by id; the blotter follows its later
 * states from `orders.changed`), unless the answer to the placing is the only one or already finished
 * while the blotter's is not (the answer may come after the events of the same order).
 */
export function followPlaced(placed: Order, orders: readonly Order[]): Order {
  const reported = orders.find((order) => order.id === placed.id);
  if (reported === undefined) return placed;
  const finished = (order: Order): boolean => TERMINAL_ORDER_STATUSES.includes(order.status);
  return finished(placed) && !finished(reported) ? placed : reported;
}

/**
 * The ticket's line about what it placed, kept current from the blotter's orders: "Buy 10 SPY market:
 * working", then "…: filled 10/10 @ 349.01", "…: partly filled 4/10 @ 101.00", "…: cancelled (reason)";
 * or the refusal, "Refused by max_order_notional: …".
 */
export function placedText(result: PlaceOrderResult, orders: readonly Order[]): string {
  if (result.denial !== null) return `Refused by ${formatDenial(result.denial)}`;
  if (result.order === null) return 'The engine answered with no order and no reason.';
  const order = followPlaced(result.order, orders);
  const price = order.limitPrice ?? order.stopPrice;
  const what =
    `${order.side === 'buy' ? 'Buy' : 'Sell'} ${formatShares(order.qty)} ${order.symbol} ` +
    `${TYPE_LABEL[order.type].toLowerCase()}${price !== null ? ` @ ${formatOrderPrice(price)}` : ''}`;
  const progress = order.filledQty > 0 ? ` ${formatFilled(order)}` : '';
  const reason = order.reason !== null ? ` (${order.reason})` : '';
  return `${what}: ${STATUS_LABEL[order.status]}${progress}${reason}`;
}

/** One line of the rebalance preview as the trader reads it. */
export interface RebalanceRow {
  symbol: string;
  /** Target weight of equity, 0..1. */
  weight: number;
  /** The price the plan used, dollars, or null. */
  price: number | null;
  /** The trade's side, or null without a trade. */
  side: OrderSide | null;
  /** Shares held now (the portfolio's position), or null when the portfolio is not known. */
  held: number | null;
  /** Shares the working orders will still add (+) or remove (−); the plan counts them as held. */
  working: number;
  target: number;
  /** The trade: "Buy 190", "Sell 10 in 2 orders", "none", or "—" when there is none for a refusal. */
  order: string;
  /** The risk engine's word: "passes", the refusal's message, or "" when there is nothing to check. */
  check: string;
  refused: boolean;
}

/**
 * The preview's rows: the plan starts from the shares held plus what the working orders will still do
 * (`currentQty`), so the held shares (from `positions`) and the working ones are shown apart. A line the
 * risk engine refuses says why (an unknown symbol stays in cash), even when it has no order.
 */
export function rebalanceRows(
  lines: readonly RebalanceLine[],
  positions: readonly Position[] | null,
): RebalanceRow[] {
  return lines.map((line) => {
    const held = positions === null ? null : (positions.find((p) => p.symbol === line.symbol)?.qty ?? 0);
    const order = line.order
      ? `${line.order.side === 'buy' ? 'Buy' : 'Sell'} ${formatShares(line.order.qty)}` +
        (line.orders.length > 1 ? ` in ${line.orders.length} orders` : '')
      : line.denial !== null
        ? '—'
        : line.price === null
          ? 'no price'
          : 'none';
    return {
      symbol: line.symbol,
      weight: line.targetWeight,
      price: line.price,
      side: line.order?.side ?? null,
      held,
      working: held === null ? 0 : line.currentQty - held,
      target: line.targetQty,
      order,
      check: line.denial !== null ? formatDenial(line.denial) : line.order !== null ? 'passes' : '',
      refused: line.denial !== null,
    };
  });
}

/**
 * What stays in cash once the plan is done: equity less the targets' value at the plan's prices (lines
 * without a price stay in cash), "In cash after: 20.4 % of equity (about $20,400)".
 */
export function rebalanceCash(plan: Pick<RebalancePlan, 'equity' | 'lines'>): string {
  const invested = plan.lines.reduce((sum, line) => sum + (line.price ?? 0) * line.targetQty, 0);
  const cash = plan.equity - invested;
  const share = plan.equity > 0 ? (cash / plan.equity) * 100 : 0;
  return `In cash after: ${share.toFixed(1)} % of equity (about ${formatMoney(cash)})`;
}
