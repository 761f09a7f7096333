/**
 * How the trading views write numbers and states: dollars with a true minus sign and a sign tone (green
 * up, red down, grey zero), shares, prices, order statuses and types as a trader reads them, and the
 * badges of the top bar (mode, trading state, live arming).
 */
import type {
  BrokerKind,
  EngineMode,
  Order,
  OrderStatus,
  OrderType,
  RiskDenial,
  RiskRule,
  TradingState,
  TradingStatus,
} from '../../shared/domain';
import { exchangeParts } from '../time/exchange-time';

export const MISSING = '—';
const MINUS = '−';

/** up, down or flat: the colour a signed number gets. */
export type SignTone = 'up' | 'down' | 'flat';

/** The tone of a signed amount; amounts that round to 0 cents are flat. */
export function signTone(value: number | null | undefined): SignTone {
  if (value === null || value === undefined || Math.abs(value) < 0.005) return 'flat';
  return value > 0 ? 'up' : 'down';
}

function dollars(abs: number): string {
  return abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Dollars to the cent: 1234.5 → "$1,234.50", −3 → "−$3.00"; null → "—". */
export function formatMoney(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const cents = Math.round(value * 100) / 100;
  return `${cents < 0 ? MINUS : ''}$${dollars(Math.abs(cents))}`;
}

/** A P&L with its sign always written: 12.3 → "+$12.30", −4 → "−$4.00", 0 → "$0.00"; null → "—". */
export function formatPnl(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const cents = Math.round(value * 100) / 100;
  if (cents === 0) return '$0.00';
  return `${cents < 0 ? MINUS : '+'}$${dollars(Math.abs(cents))}`;
}

/** A price: two decimals, four under $1 (penny stocks quote to 1/100 of a cent); null → "—". */
export function formatOrderPrice(price: number | null | undefined): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return MISSING;
  const digits = Math.abs(price) < 1 ? 4 : 2;
  return price.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Shares with thousands separators and a true minus for shorts: −1200 → "−1,200". */
export function formatShares(qty: number): string {
  return `${qty < 0 ? MINUS : ''}${Math.abs(qty).toLocaleString('en-US')}`;
}

const MONTH_NUMBER: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/**
 * `{ date: "02-20", time: "14:31:05" }`: a market time on the exchange clock, to the second, with its
 * date (the blotter's time column: a replay runs over many days, and a GTC order outlives its session).
 */
export function tradeTimeParts(ms: number): { date: string; time: string } {
  const p = exchangeParts(ms);
  return {
    date: `${MONTH_NUMBER[p.month] ?? p.month}-${p.day.padStart(2, '0')}`,
    time: `${p.hour}:${p.minute}:${p.second}`,
  };
}

/**
 * The blotter's time column: the time to the second, with the date ("02-20") only when it is not the
 * exchange date of `now` (the market clock, epoch ms; null: unknown, always dated), so today's rows stay
 * narrow and an order from another session of a replay is never mistaken for today's.
 */
export function blotterTime(ms: number, now: number | null): { date: string | null; time: string } {
  const { date, time } = tradeTimeParts(ms);
  const today = now === null ? null : tradeTimeParts(now).date;
  const sameYear = now === null || exchangeParts(now).year === exchangeParts(ms).year;
  return { date: date === today && sameYear ? null : date, time };
}

/** "02-20 14:31:05": a market time on the exchange clock, month-day and time to the second. */
export function formatTradeTime(ms: number): string {
  const { date, time } = tradeTimeParts(ms);
  return `${date} ${time}`;
}

/** "Tue 20 Feb 14:31:05 ET" for a row's tooltip. */
export function formatTradeMoment(ms: number): string {
  const p = exchangeParts(ms);
  return `${p.weekday} ${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute}:${p.second} ET`;
}

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending_new: 'sending',
  new: 'working',
  partially_filled: 'partly filled',
  filled: 'filled',
  pending_cancel: 'cancelling',
  canceled: 'cancelled',
  pending_replace: 'replacing',
  replaced: 'replaced',
  expired: 'expired',
  rejected: 'rejected',
};

export const TYPE_LABEL: Record<OrderType, string> = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop',
  stop_limit: 'Stop limit',
};

/** An order's prices as the blotter shows them: "MKT", "L 101.50", "S 99.00", "S 99.00 L 98.50". */
export function formatOrderPrices(order: Pick<Order, 'type' | 'limitPrice' | 'stopPrice'>): string {
  const parts: string[] = [];
  if (order.stopPrice !== null) parts.push(`S ${formatOrderPrice(order.stopPrice)}`);
  if (order.limitPrice !== null) parts.push(`L ${formatOrderPrice(order.limitPrice)}`);
  return parts.length === 0 ? (order.type === 'market' ? 'MKT' : MISSING) : parts.join(' ');
}

/** "filled 40/100 @ 101.23" style progress of an order; "0/100" before any fill. */
export function formatFilled(order: Pick<Order, 'filledQty' | 'qty' | 'avgFillPrice'>): string {
  const base = `${formatShares(order.filledQty)}/${formatShares(order.qty)}`;
  return order.avgFillPrice !== null ? `${base} @ ${formatOrderPrice(order.avgFillPrice)}` : base;
}

/**
 * The one table of the risk limits' names in the trader's words, by the rule id a refusal names
 * (shared/domain/trading.ts RISK_RULES): Settings labels its limit fields with them (settings/
 * risk-limits-form.ts) and a refusal shows the name with the id, so the two read as the same limit.
 */
export const LIMIT_RULE_NAME = {
  max_order_notional: 'Largest order',
  max_position_notional: 'Largest position in one symbol',
  max_gross_exposure: 'Largest gross exposure',
  max_daily_loss: 'Largest loss of the day',
  max_orders_per_minute: 'Most orders a minute',
  price_band: 'Price band around the last price',
} as const satisfies Partial<Record<RiskRule, string>>;
export type LimitRule = keyof typeof LIMIT_RULE_NAME;

const limitName = (rule: RiskRule): string | undefined =>
  (LIMIT_RULE_NAME as Partial<Record<RiskRule, string>>)[rule];

/**
 * A risk refusal as the trader reads it: for a limit, its name as Settings calls it and the rule id
 * ("Largest order (max_order_notional): 500 × $612.40 = …"), else the rule id; then the message with the
 * numbers. The risk engine's messages start with their rule already (core/trading/risk-rules.ts); it is
 * then said once.
 */
export function formatDenial(denial: RiskDenial): string {
  const prefix = `${denial.rule}:`;
  const numbers = denial.message.startsWith(prefix)
    ? denial.message.slice(prefix.length).trimStart()
    : denial.message;
  const name = limitName(denial.rule);
  return `${name === undefined ? denial.rule : `${name} (${denial.rule})`}: ${numbers}`;
}

/** The mode badge's word: DEMO, REPLAY, PAPER or LIVE (the engine's mode, else the broker's kind). */
export function modeLabel(mode: EngineMode | null, broker: BrokerKind | null): string {
  if (mode !== null) return mode.toUpperCase();
  return broker !== null ? broker.toUpperCase() : MISSING;
}

export const STATE_LABEL: Record<TradingState, string> = {
  active: 'ACTIVE',
  reducing: 'REDUCING',
  halted: 'HALTED',
};

/** The trading state badge's tooltip: why it is what it is, and what it means for orders. */
export function stateTitle(status: Pick<TradingStatus, 'tradingState' | 'stateReason'>): string {
  const meaning: Record<TradingState, string> = {
    active: 'Orders pass the risk checks as usual.',
    reducing: 'Only orders that shrink a position pass.',
    halted: 'No order passes until the kill switch is switched off.',
  };
  // The engine's reasons are clauses ("the kill switch is on"): a sentence of their own here.
  const reason = status.stateReason !== null ? `${sentence(status.stateReason)} ` : '';
  return `Trading ${status.tradingState}. ${reason}${meaning[status.tradingState]}`;
}

/** A clause as a sentence: capitalised, ending in a full stop unless it ends in one already. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Live mode's badge: armed or not (null outside live trading). */
export function liveArmLabel(status: Pick<TradingStatus, 'broker' | 'liveArmed'> | null): string | null {
  if (status === null || status.broker !== 'live') return null;
  return status.liveArmed ? 'LIVE — ARMED' : 'LIVE — not armed';
}
