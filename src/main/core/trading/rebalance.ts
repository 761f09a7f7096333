/**
 * Strategy following, pure: the orders that move a portfolio to a strategy's target weights. The engine's
 * trading service runs each line's order through the risk engine and places them (automatically in demo
 * and replay, after the trader confirms the preview in paper and live).
 *
 * The rebalance is of the whole account: a symbol held but absent from the allocation has a target of 0
 * (it is sold), and the CASH sleeve is whatever the whole shares leave over, never an order.
 *
 * Units: shares (whole), dollars, weights as fractions of equity (0..1).
 */
import type { OrderRequest, RebalanceLine } from '../../../shared/domain/trading';
import { MAX_ORDER_QTY } from '../../../shared/domain/trading';
import { CASH, type Allocation } from '../signals/strategies';

export interface RebalanceInput {
  /** Target weights by symbol (CASH included or not); core/signals/strategies.ts. */
  allocation: Allocation;
  /** The equity the weights apply to, dollars (cash plus the positions' market value). */
  equity: number;
  /** Shares held by symbol: positive long, negative short. */
  holdings: Readonly<Record<string, number>>;
  /** The last price of each symbol, dollars (> 0). */
  prices: ReadonlyMap<string, number>;
  /** A trade worth less than this (|shares| × price, dollars) is not made: fees and noise. 0 trades every share. */
  minTradeDollars: number;
  /**
   * Prefix of the orders' client order ids (letters, digits, . _ : -): one per plan, so placing the same plan
   * again is idempotent at the broker. Each order's id is `<prefix>-<symbol>` ('/' read as '.').
   */
  clientOrderIdPrefix: string;
  /**
   * The most one order may be worth at the plan's price, dollars (Infinity: no slicing). A larger trade is
   * cut into equal slices below it (see sliceQty), so it passes a max-order-notional limit.
   */
  maxOrderDollars?: number;
}

/**
 * Cuts a trade of `qty` shares at `price` dollars into the fewest slices each worth at most `maxDollars`
 * (at least one share each, even when one share is worth more), sizes as equal as whole shares allow,
 * larger first: sliceQty(10, 100, 450) = [4, 3, 3].
 * @throws RangeError when qty is not a whole number ≥ 1, or price or maxDollars is not > 0.
 */
export function sliceQty(qty: number, price: number, maxDollars: number): number[] {
  if (!(Number.isInteger(qty) && qty >= 1)) throw new RangeError(`qty must be whole shares ≥ 1, got ${qty}`);
  if (!(price > 0) || !(maxDollars > 0)) throw new RangeError('price and maxDollars must be above 0');
  let perSlice = Number.isFinite(maxDollars) ? Math.max(1, Math.floor(maxDollars / price)) : qty;
  // The quotient can round up across a whole number (10.00000000000003 / 0.5000000000000016 gives 20,
  // whose cost is 10.000000000000032): the slice must cost at most maxDollars as the risk check computes it.
  while (perSlice > 1 && perSlice * price > maxDollars) perSlice--;
  const count = Math.ceil(qty / perSlice);
  const base = Math.floor(qty / count);
  const bigger = qty % count;
  return Array.from({ length: count }, (_, i) => base + (i < bigger ? 1 : 0));
}

/**
 * The rebalance lines, sells first, then buys, then the lines with no order, each group by symbol.
 *
 * targetQty = trunc(weight × equity / price): whole shares rounded toward zero, so with weights summing to at
 * most 1 the targets cost at most the equity and cash never goes negative (before fees and slippage).
 * The order is a market day order of |targetQty − currentQty| shares (capped at MAX_ORDER_QTY), made only
 * when worth at least `minTradeDollars`, except a sell to 0 (a symbol the strategy dropped), always made.
 * A symbol with no price is skipped: targetQty = currentQty, no order, and its denial (rule no_price) says why.
 * `denial` is otherwise null: the caller puts each order through the risk engine.
 *
 * @throws RangeError when equity is not a finite number or minTradeDollars is negative.
 */
export function planRebalance(input: RebalanceInput): RebalanceLine[] {
  const { allocation, equity, holdings, prices, minTradeDollars } = input;
  if (!Number.isFinite(equity)) throw new RangeError(`equity must be a number of dollars, got ${equity}`);
  if (!(minTradeDollars >= 0)) throw new RangeError(`minTradeDollars must be ≥ 0, got ${minTradeDollars}`);
  const symbols = new Set<string>();
  for (const [symbol, weight] of Object.entries(allocation))
    if (symbol !== CASH && weight > 0) symbols.add(symbol);
  for (const [symbol, qty] of Object.entries(holdings)) if (qty !== 0) symbols.add(symbol);

  const sells: RebalanceLine[] = [];
  const buys: RebalanceLine[] = [];
  const idle: RebalanceLine[] = [];
  for (const symbol of [...symbols].sort()) {
    const targetWeight = Math.min(1, Math.max(0, allocation[symbol] ?? 0));
    const currentQty = holdings[symbol] ?? 0;
    const price = prices.get(symbol);
    if (price === undefined || !(Number.isFinite(price) && price > 0)) {
      idle.push({
        symbol,
        targetWeight,
        currentQty,
        targetQty: currentQty,
        price: null,
        order: null,
        orders: [],
        denial: {
          rule: 'no_price',
          message: `no_price: no last price for ${symbol} yet; it is left as it is in this rebalance`,
        },
      });
      continue;
    }
    const targetQty = Math.max(0, Math.trunc((targetWeight * Math.max(0, equity)) / price));
    const delta = targetQty - currentQty;
    const worth = Math.abs(delta) * price;
    const closing = targetQty === 0 && currentQty !== 0;
    const line: RebalanceLine = {
      symbol,
      targetWeight,
      currentQty,
      targetQty,
      price,
      order: null,
      orders: [],
      denial: null,
    };
    if (delta === 0 || (!closing && worth < minTradeDollars)) {
      idle.push(line);
      continue;
    }
    const order: OrderRequest = {
      clientOrderId: `${input.clientOrderIdPrefix}-${symbol.replace(/[^A-Za-z0-9._:-]/g, '.')}`,
      symbol,
      side: delta > 0 ? 'buy' : 'sell',
      qty: Math.min(Math.abs(delta), MAX_ORDER_QTY),
      type: 'market',
      tif: 'day',
    };
    const slices = sliceQty(order.qty, price, input.maxOrderDollars ?? Number.POSITIVE_INFINITY);
    const orders =
      slices.length === 1
        ? [order]
        : slices.map((qty, i) => ({ ...order, clientOrderId: `${order.clientOrderId}-${i + 1}`, qty }));
    (delta > 0 ? buys : sells).push({ ...line, order, orders });
  }
  return [...sells, ...buys, ...idle];
}
