/**
 * Absurd orders are refused at the contract, before the engine (its risk engine, its broker) sees them:
 * what a renderer or any other client sends arrives as JSON at the dispatcher, which checks it against
 * the order schema and answers BAD_PARAMS naming the field. JSON has no NaN: a client's NaN arrives as
 * null (JSON.stringify), and is refused like any other non-number.
 */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/protocol';
import { createMemoryLogger } from '../platform/log';
import { contractService } from '../test-support/contract-service';
import { createClientConnection } from './dispatcher';

const good = { clientOrderId: 'c-1', symbol: 'SPY', side: 'buy', qty: 10, type: 'market', tif: 'day' };

async function place(params: unknown): Promise<{ replies: ServerMessage[]; reached: number }> {
  let reached = 0;
  const service = contractService({
    'orders.place': () => {
      reached++;
      return { order: null, denial: { rule: 'trading_state', message: 'trading_state: test' } };
    },
  });
  const replies: ServerMessage[] = [];
  const connection = createClientConnection(service, (m) => replies.push(m), createMemoryLogger(), 'test');
  // Through JSON, as on the wire.
  connection.receive(JSON.parse(JSON.stringify({ t: 'call', id: 1, method: 'orders.place', params })));
  await new Promise((resolve) => setTimeout(resolve, 0));
  connection.dispose();
  return { replies, reached };
}

describe('orders.place at the contract', () => {
  it.each([
    ['NaN shares', { ...good, qty: Number.NaN }, /qty/],
    ['zero shares', { ...good, qty: 0 }, /qty: .*more than 0 shares/],
    ['negative shares', { ...good, qty: -5 }, /qty: .*more than 0 shares/],
    ['fractional shares', { ...good, qty: 1.5 }, /qty: .*whole number of shares/],
    ['1e12 shares', { ...good, qty: 1e12 }, /qty/],
    ['shares as text', { ...good, qty: '10' }, /qty/],
    ['a price of 0', { ...good, type: 'limit', limitPrice: 0 }, /limitPrice: .*a price above 0/],
    ['a limit price on a market order', { ...good, limitPrice: 500 }, /limitPrice: .*takes no limit price/],
    ['a limit order without its price', { ...good, type: 'limit' }, /limitPrice: .*needs a limit price/],
    ['an unknown side', { ...good, side: 'short' }, /side/],
    ['a malformed symbol', { ...good, symbol: 'spy; drop table' }, /symbol/],
    ['an extra field', { ...good, account: 'someone else' }, /account/],
    ['no client order id', { ...good, clientOrderId: undefined }, /clientOrderId/],
  ])(
    'refuses %s with BAD_PARAMS naming the field, and the engine never sees it',
    async (_what, params, field) => {
      const { replies, reached } = await place(params);
      expect(reached).toBe(0);
      expect(replies).toHaveLength(1);
      const reply = replies[0]!;
      expect(reply).toMatchObject({ t: 'result', id: 1, ok: false, error: { code: 'BAD_PARAMS' } });
      if (reply.t === 'result' && !reply.ok) expect(reply.error.message).toMatch(field);
    },
  );

  it('passes a sound order to the engine', async () => {
    const { replies, reached } = await place(good);
    expect(reached).toBe(1);
    expect(replies[0]).toMatchObject({ t: 'result', id: 1, ok: true });
  });
});
