/** trading.ts: absurd order input is refused at the contract, before a broker or a risk rule sees it. */
import { describe, expect, it } from 'vitest';
import { MAX_ORDER_QTY, OrderRequestSchema, type OrderRequest } from './trading';

const base: OrderRequest = {
  clientOrderId: 'ticket-1',
  symbol: 'SPY',
  side: 'buy',
  qty: 10,
  type: 'market',
  tif: 'day',
};

/** The first issue's path and message, or null when the request is valid. */
function refusal(request: unknown): { path: string; message: string } | null {
  const parsed = OrderRequestSchema.safeParse(request);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('OrderRequestSchema', () => {
  it('accepts each order type with the prices it needs', () => {
    expect(refusal(base)).toBeNull();
    expect(refusal({ ...base, type: 'limit', limitPrice: 612.4 })).toBeNull();
    expect(refusal({ ...base, type: 'stop', stopPrice: 600 })).toBeNull();
    expect(refusal({ ...base, type: 'stop_limit', stopPrice: 600, limitPrice: 601, tif: 'gtc' })).toBeNull();
  });

  it.each([
    ['NaN shares', { qty: Number.NaN }, 'qty'],
    ['zero shares', { qty: 0 }, 'qty'],
    ['negative shares', { qty: -5 }, 'qty'],
    ['a fraction of a share', { qty: 1.5 }, 'qty'],
    ['1e12 shares', { qty: 1e12 }, 'qty'],
    ['an unknown side', { side: 'short' }, 'side'],
    ['a symbol that is no symbol', { symbol: 'spy; drop table' }, 'symbol'],
    ['an empty client order id', { clientOrderId: '' }, 'clientOrderId'],
    ['an unknown field', { leverage: 100 }, ''],
  ])('refuses %s', (_what, change, path) => {
    expect(refusal({ ...base, ...change })?.path).toBe(path);
  });

  it('refuses prices an order type does not take, or lacks, and prices of 0 or infinity', () => {
    expect(refusal({ ...base, type: 'limit' })).toEqual({
      path: 'limitPrice',
      message: 'a limit order needs a limit price',
    });
    expect(refusal({ ...base, limitPrice: 600 })).toEqual({
      path: 'limitPrice',
      message: 'a market order takes no limit price',
    });
    expect(refusal({ ...base, type: 'stop_limit', limitPrice: 600 })?.path).toBe('stopPrice');
    expect(refusal({ ...base, type: 'limit', limitPrice: 0 })?.path).toBe('limitPrice');
    expect(refusal({ ...base, type: 'limit', limitPrice: Number.POSITIVE_INFINITY })?.path).toBe(
      'limitPrice',
    );
  });

  it('takes the largest order it allows and no more', () => {
    expect(refusal({ ...base, qty: MAX_ORDER_QTY })).toBeNull();
    expect(refusal({ ...base, qty: MAX_ORDER_QTY + 1 })?.path).toBe('qty');
  });
});
