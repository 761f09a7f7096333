/** ticket-form.ts: the ticket says what is wrong under each field, sends only what the type takes, and retries keep their id. */
import { describe, expect, it } from 'vitest';
import { OrderRequestSchema, type OrderRequest } from '../../shared/domain';
import {
  checkTicket,
  clientOrderIdFor,
  draftKey,
  emptyDraft,
  needsLimitPrice,
  needsStopPrice,
  type TicketDraft,
} from './ticket-form';

const ID = 'ticket-1';

function draft(patch: Partial<TicketDraft>): TicketDraft {
  return { ...emptyDraft('AAPL'), qty: '100', ...patch };
}

function errorsOf(patch: Partial<TicketDraft>) {
  const check = checkTicket(draft(patch), ID);
  if (check.ok) throw new Error(`expected errors, got ${JSON.stringify(check.request)}`);
  return check.errors;
}

describe('checkTicket', () => {
  it('passes a market order as the contract wants it, symbol upper-cased', () => {
    const check = checkTicket(draft({ symbol: ' aapl ', qty: '1,000' }), ID);
    expect(check).toEqual({
      ok: true,
      request: { clientOrderId: ID, symbol: 'AAPL', side: 'buy', qty: 1000, type: 'market', tif: 'day' },
    });
    if (check.ok) expect(OrderRequestSchema.safeParse(check.request).success).toBe(true);
  });

  it('names each wrong quantity in plain words', () => {
    expect(errorsOf({ qty: '' }).qty).toBe('Enter a number of shares');
    expect(errorsOf({ qty: 'ten' }).qty).toBe('Enter a whole number of shares from 1 to 1,000,000');
    expect(errorsOf({ qty: '1e12' }).qty).toBe('Enter a whole number of shares from 1 to 1,000,000');
    expect(errorsOf({ qty: '0' }).qty).toBe('More than 0 shares');
    expect(errorsOf({ qty: '-5' }).qty).toBe('More than 0 shares');
    expect(errorsOf({ qty: '2.5' }).qty).toBe('A whole number of shares');
    expect(errorsOf({ qty: '1000001' }).qty).toBe('At most 1,000,000 shares');
  });

  it('asks for the prices the type needs, and only those', () => {
    expect(errorsOf({ type: 'limit' })).toEqual({ limitPrice: 'A limit order needs a limit price' });
    expect(errorsOf({ type: 'stop' })).toEqual({ stopPrice: 'A stop order needs a stop price' });
    expect(errorsOf({ type: 'stop_limit' })).toEqual({
      limitPrice: 'A stop_limit order needs a limit price',
      stopPrice: 'A stop_limit order needs a stop price',
    });
    expect(errorsOf({ type: 'limit', limitPrice: '0' }).limitPrice).toBe('A price above 0');
    expect(errorsOf({ type: 'limit', limitPrice: 'abc' }).limitPrice).toBe('Enter a limit price in dollars');
    expect(errorsOf({ type: 'stop', stopPrice: '2000000' }).stopPrice).toBe('At most $1,000,000');
  });

  it('leaves out a price typed for a type that takes none (the field is hidden)', () => {
    const check = checkTicket(draft({ type: 'market', limitPrice: '101', stopPrice: 'junk' }), ID);
    expect(check.ok && check.request.limitPrice === undefined && check.request.stopPrice === undefined).toBe(
      true,
    );
    const limit = checkTicket(draft({ type: 'limit', limitPrice: '$101.50', stopPrice: '99' }), ID);
    expect(limit.ok && limit.request).toMatchObject({ limitPrice: 101.5 });
    expect(limit.ok && 'stopPrice' in limit.request).toBe(false);
  });

  it('refuses a symbol the contract refuses, under the symbol field', () => {
    const errors = errorsOf({ symbol: 'NOT A SYMBOL!' });
    expect(Object.keys(errors)).toEqual(['symbol']);
    expect(errors.symbol).toMatch(/^Not a ticker symbol/);
    expect(errorsOf({ symbol: '' }).symbol).toBeDefined();
  });

  it('knows which types take which prices', () => {
    expect([needsLimitPrice('market'), needsLimitPrice('limit'), needsLimitPrice('stop_limit')]).toEqual([
      false,
      true,
      true,
    ]);
    expect([needsStopPrice('limit'), needsStopPrice('stop'), needsStopPrice('stop_limit')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('clientOrderIdFor', () => {
  const request: OrderRequest = {
    clientOrderId: 'first',
    symbol: 'AAPL',
    side: 'buy',
    qty: 10,
    type: 'limit',
    limitPrice: 100,
    tif: 'day',
  };
  let counter = 0;
  const newId = () => `new-${++counter}`;

  it('reuses the id of an unanswered submission of the same order (a retry)', () => {
    expect(clientOrderIdFor({ request, unanswered: true }, { ...request, clientOrderId: 'x' }, newId)).toBe(
      'first',
    );
  });

  it('makes a new id for an answered submission, a changed order, or the first one', () => {
    expect(clientOrderIdFor({ request, unanswered: false }, request, newId)).toMatch(/^new-/);
    expect(clientOrderIdFor({ request, unanswered: true }, { ...request, qty: 11 }, newId)).toMatch(/^new-/);
    expect(
      clientOrderIdFor({ request, unanswered: true }, { ...request, limitPrice: 100.01 }, newId),
    ).toMatch(/^new-/);
    expect(clientOrderIdFor(null, request, newId)).toMatch(/^new-/);
  });

  it('keys a preview by what was typed, not by the id', () => {
    expect(draftKey({ ...request, clientOrderId: 'a' })).toBe(draftKey({ ...request, clientOrderId: 'b' }));
    expect(draftKey({ ...request, side: 'sell' })).not.toBe(draftKey(request));
  });
});
