/**
 * What `trm order place` and `trm order cancel` run (loaded only then; their options are in order.ts).
 *
 * Place: the typed options become an order request checked by the contract's OrderRequestSchema here,
 * before anything is sent (a refusal exits 2 naming the option), and again by the workstation; the risk
 * engine's refusal exits 3 with its rule on stderr. Without --client-order-id a new id is made and
 * printed on stderr first, so a place whose answer was lost can be retried with it without a second order.
 */
import { randomBytes } from 'node:crypto';
import {
  MAX_ORDER_PRICE,
  MAX_ORDER_QTY,
  OrderRequestSchema,
  type Order,
  type OrderRequest,
} from '../../shared/domain';
import { isTerminal } from '../core/trading/order-state';
import { withWorkstation } from './engine-link';
import type { OrderCancelOptions, OrderPlaceOptions } from './order';
import { EXIT, describeOrder, describeStatus, processOutput, type CliOutput } from './trading-text';

/** The option each request field comes from, so a refusal names what the trader typed. */
const OPTION_OF: Record<string, string> = {
  clientOrderId: '--client-order-id',
  symbol: '--symbol',
  side: '--side',
  qty: '--qty',
  type: '--type',
  limitPrice: '--limit-price',
  stopPrice: '--stop-price',
  tif: '--tif',
};

/** A decimal number as typed (1, 2.5, 1e6); anything else (abc, 0x10, '') is NaN for the schema to refuse. */
function decimal(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
}

/** A client order id for an order placed without one: "cli-20261130T172734Z-3f9a1c0b". */
export function newClientOrderId(now = Date.now()): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, '');
  return `cli-${stamp}Z-${randomBytes(4).toString('hex')}`;
}

/** What a number option must be, said in the trader's terms rather than the schema's ("expected number"). */
const NUMBER_TERMS: Record<string, string> = {
  qty: `a whole number of shares from 1 to ${MAX_ORDER_QTY.toLocaleString('en-US')}`,
  limitPrice: `a price in dollars above 0, at most ${MAX_ORDER_PRICE.toLocaleString('en-US')}`,
  stopPrice: `a price in dollars above 0, at most ${MAX_ORDER_PRICE.toLocaleString('en-US')}`,
};

/** The issue codes of a number that is not one, or out of its range (the rest keep the schema's words). */
const NUMBER_CODES = new Set(['invalid_type', 'too_small', 'too_big', 'not_multiple_of']);

/**
 * The order request the options describe, checked by the contract.
 * @returns the request, or the refusal as '--qty: a whole number of shares from 1 to 1,000,000 (not
 *   "abc"); ...' (every failing option)
 */
export function orderRequestOf(
  options: OrderPlaceOptions,
  clientOrderId: string,
): { ok: true; request: OrderRequest } | { ok: false; message: string } {
  const parsed = OrderRequestSchema.safeParse({
    clientOrderId,
    symbol: options.symbol.trim().toUpperCase(),
    side: options.side,
    qty: decimal(options.qty),
    type: options.type,
    ...(options.limitPrice !== undefined ? { limitPrice: decimal(options.limitPrice) } : {}),
    ...(options.stopPrice !== undefined ? { stopPrice: decimal(options.stopPrice) } : {}),
    tif: options.tif,
  });
  if (parsed.success) return { ok: true, request: parsed.data };
  const typed: Record<string, string | undefined> = {
    qty: options.qty,
    limitPrice: options.limitPrice,
    stopPrice: options.stopPrice,
  };
  const said = new Set<string>();
  const message = parsed.error.issues
    .map((issue) => {
      const field = String(issue.path[0] ?? '');
      const terms = NUMBER_TERMS[field];
      // A whole share count that is not whole, or a number out of range: one message with the range.
      const numeric = terms !== undefined && (NUMBER_CODES.has(issue.code) || field === 'qty');
      const text = numeric ? `${terms} (not "${typed[field]}")` : issue.message;
      const line = `${OPTION_OF[field] ?? field}: ${text}`;
      if (said.has(line)) return null;
      said.add(line);
      return line;
    })
    .filter((line) => line !== null)
    .join('; ');
  return { ok: false, message };
}

/**
 * Runs `trm order place`; returns its exit code (EXIT: 0 placed, 1 no workstation or a failure, 2 malformed
 * input, 3 refused by the risk engine).
 */
export async function runOrderPlace(
  options: OrderPlaceOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  const clientOrderId = options.clientOrderId ?? newClientOrderId();
  const checked = orderRequestOf(options, clientOrderId);
  if (!checked.ok) {
    output.stderr(`trm order place: ${checked.message}\n`);
    return EXIT.usage;
  }
  const request = checked.request;
  return withWorkstation('order place', { db: options.db }, output, async ({ client }) => {
    if (options.clientOrderId === undefined) {
      output.stderr(
        `client order id ${clientOrderId} (if no answer comes, retry with --client-order-id ${clientOrderId})\n`,
      );
    }
    const result = await client.call('orders.place', request);
    if (options.json) output.stdout(`${JSON.stringify(result)}\n`);
    if (result.denial !== null) {
      const { rule, message } = result.denial;
      // The risk engine's messages start with their rule already; say it once.
      output.stderr(`${message.startsWith(`${rule}:`) ? message : `${rule}: ${message}`}\n`);
      return EXIT.refused;
    }
    if (!options.json && result.order !== null) output.stdout(placedLine(result.order));
    return EXIT.ok;
  });
}

function placedLine(order: Order): string {
  return `Order ${order.id}: ${describeOrder(order)}: ${describeStatus(order)} (client order id ${order.clientOrderId})\n`;
}

/** The most orders looked through to find a cancel's id (the contract's per-request limit). */
const CANCEL_LOOKUP = 2000;

/**
 * Runs `trm order cancel ID`: ID is the order's id or its client order id (looked up among the recent
 * orders); returns its exit code (0 asked to cancel, 1 no workstation or the workstation refused).
 */
export async function runOrderCancel(
  id: string,
  options: OrderCancelOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  return withWorkstation('order cancel', { db: options.db }, output, async ({ client }) => {
    const recent = await client.call('orders.list', { status: 'all', limit: CANCEL_LOOKUP });
    const known = recent.find((o) => o.id === id) ?? recent.find((o) => o.clientOrderId === id);
    if (known !== undefined && isTerminal(known)) {
      // A second cancel: say what the order is, in plain words, instead of the broker's refusal.
      if (options.json) output.stdout(`${JSON.stringify(known)}\n`);
      if (known.status === 'canceled') {
        if (!options.json) output.stdout(`Order ${known.id}: ${describeOrder(known)} is already cancelled\n`);
        return EXIT.ok;
      }
      output.stderr(
        `trm order cancel: order ${known.id} (${describeOrder(known)}) is already ${describeStatus(known)}; ` +
          'there is nothing left to cancel\n',
      );
      return EXIT.failed;
    }
    const order = await client.call('orders.cancel', { id: known?.id ?? id });
    if (options.json) output.stdout(`${JSON.stringify(order)}\n`);
    else output.stdout(`Order ${order.id}: ${describeOrder(order)}: ${describeStatus(order)}\n`);
    return EXIT.ok;
  });
}
