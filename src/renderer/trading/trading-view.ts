/**
 * What the trading views decide from the engine's answers: whether trading can be shown at all, whether
 * an order may be sent now, the order of the position rows, and a rebalance's outcome in one line.
 */
import type { PlaceOrderResult, Position, TradingStatus } from '../../shared/domain';
import { formatDenial } from './trading-format';

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
