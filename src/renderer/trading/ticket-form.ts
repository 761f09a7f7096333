/**
 * The order ticket's view logic: what the trader typed (a draft of strings), checked as they type by the
 * contract's own OrderRequestSchema, with one plain message per field; which price fields the order type
 * shows; and the client order id of a submission, kept when the same submission is retried after a
 * dropped connection (so the engine answers with the order it may already hold, never a second one).
 */
import type { z } from 'zod';
import {
  MAX_ORDER_PRICE,
  MAX_ORDER_QTY,
  OrderRequestSchema,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type TimeInForce,
} from '../../shared/domain';

/** The ticket's fields as typed (numbers are text until checked). */
export interface TicketDraft {
  symbol: string;
  side: OrderSide;
  qty: string;
  type: OrderType;
  limitPrice: string;
  stopPrice: string;
  tif: TimeInForce;
}

export type TicketField = 'symbol' | 'side' | 'qty' | 'type' | 'limitPrice' | 'stopPrice' | 'tif';

/** One message per field that is wrong now, in plain words ("Enter a whole number of shares"). */
export type TicketErrors = Partial<Record<TicketField, string>>;

export type TicketCheck = { ok: true; request: OrderRequest } | { ok: false; errors: TicketErrors };

export function emptyDraft(symbol: string): TicketDraft {
  return { symbol, side: 'buy', qty: '', type: 'market', limitPrice: '', stopPrice: '', tif: 'day' };
}

/** Whether an order type takes a limit price (limit, stop_limit). */
export function needsLimitPrice(type: OrderType): boolean {
  return type === 'limit' || type === 'stop_limit';
}

/** Whether an order type takes a stop price (stop, stop_limit). */
export function needsStopPrice(type: OrderType): boolean {
  return type === 'stop' || type === 'stop_limit';
}

/** A number as typed: thousands separators and a leading $ allowed; '' → undefined; not a number → NaN. */
function readNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (cleaned === '') return undefined;
  // Number('1e3') is 1000 and Number('0x10') 16: only plain decimals count as a number a trader typed.
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

const FIELD_NOUN: Record<'qty' | 'limitPrice' | 'stopPrice', string> = {
  qty: `a whole number of shares from 1 to ${MAX_ORDER_QTY.toLocaleString('en-US')}`,
  limitPrice: 'a limit price in dollars',
  stopPrice: 'a stop price in dollars',
};

/** A schema issue as a trader reads it under the field. */
function issueMessage(issue: z.core.$ZodIssue, field: TicketField): string {
  if (issue.code === 'too_big') {
    return field === 'qty'
      ? `At most ${MAX_ORDER_QTY.toLocaleString('en-US')} shares`
      : `At most $${MAX_ORDER_PRICE.toLocaleString('en-US')}`;
  }
  if (issue.code === 'too_small') return field === 'qty' ? 'More than 0 shares' : 'A price above 0';
  if (issue.code === 'invalid_format' && field === 'symbol') return `Not a ticker symbol: ${issue.message}`;
  const text = issue.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Checks a draft as the engine will: the contract's OrderRequestSchema, with `clientOrderId`.
 * The symbol is upper-cased; price fields the type does not take are left out (hidden, not sent).
 * @returns the request, or a message for each wrong field (the first issue of each)
 */
export function checkTicket(draft: TicketDraft, clientOrderId: string): TicketCheck {
  const errors: TicketErrors = {};
  const qty = readNumber(draft.qty);
  const limitPrice = needsLimitPrice(draft.type) ? readNumber(draft.limitPrice) : undefined;
  const stopPrice = needsStopPrice(draft.type) ? readNumber(draft.stopPrice) : undefined;
  const numbers = { qty, limitPrice, stopPrice };
  for (const field of ['qty', 'limitPrice', 'stopPrice'] as const) {
    if (Number.isNaN(numbers[field])) errors[field] = `Enter ${FIELD_NOUN[field]}`;
  }
  if (qty === undefined) errors.qty = 'Enter a number of shares';
  const candidate = {
    clientOrderId,
    symbol: draft.symbol.trim().toUpperCase(),
    side: draft.side,
    qty,
    type: draft.type,
    ...(limitPrice !== undefined && !Number.isNaN(limitPrice) ? { limitPrice } : {}),
    ...(stopPrice !== undefined && !Number.isNaN(stopPrice) ? { stopPrice } : {}),
    tif: draft.tif,
  };
  const parsed = OrderRequestSchema.safeParse(candidate);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, request: parsed.data };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field !== 'string' || !(field in FIELD_LABEL)) continue;
      const key = field as TicketField;
      // Our own message for a missing or unreadable number says more than the schema's.
      if (errors[key] === undefined) errors[key] = issueMessage(issue, key);
    }
  }
  return { ok: false, errors };
}

/** Field names as the ticket labels them (for messages that name a field). */
export const FIELD_LABEL: Record<TicketField, string> = {
  symbol: 'Symbol',
  side: 'Side',
  qty: 'Quantity',
  type: 'Type',
  limitPrice: 'Limit price',
  stopPrice: 'Stop price',
  tif: 'Time in force',
};

/** A submission sent to the engine: its request (with the client order id made for it). */
export interface Submission {
  request: OrderRequest;
  /** The engine's answer never came (the link dropped or timed out): the order may exist. */
  unanswered: boolean;
}

/** Two requests ask for the same order (everything but the client order id agrees). */
export function sameOrder(a: OrderRequest, b: OrderRequest): boolean {
  return (
    a.symbol === b.symbol &&
    a.side === b.side &&
    a.qty === b.qty &&
    a.type === b.type &&
    a.limitPrice === b.limitPrice &&
    a.stopPrice === b.stopPrice &&
    a.tif === b.tif
  );
}

/**
 * The client order id for placing `request` now: the previous submission's when that one went
 * unanswered and asks for the same order (a retry: the engine answers with the order it holds under
 * that id, never places a second), else a new one from `newId`.
 */
export function clientOrderIdFor(
  previous: Submission | null,
  request: OrderRequest,
  newId: () => string,
): string {
  if (previous !== null && previous.unanswered && sameOrder(previous.request, request)) {
    return previous.request.clientOrderId;
  }
  return newId();
}

/** A key for what the trader typed, for debouncing the risk preview (the id plays no part). */
export function draftKey(request: OrderRequest): string {
  return JSON.stringify([
    request.symbol,
    request.side,
    request.qty,
    request.type,
    request.limitPrice ?? null,
    request.stopPrice ?? null,
    request.tif,
  ]);
}
