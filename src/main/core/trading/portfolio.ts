/**
 * The portfolio: cash and positions (long and short) moved by fills, and marked to market prices.
 * Pure and deterministic: each function returns a new value and never changes its input.
 *
 * Units: quantities in whole shares (positive long, negative short), prices and money in dollars.
 *
 * Accounting (average-cost, as brokers report positions, e.g. Alpaca's avg_entry_price):
 * - A fill that opens or adds to a position moves the average price to the volume-weighted mean of the
 *   shares held and the new shares; nothing is realised.
 * - A fill that reduces a position realises (price − avgPrice) × shares closed for a long, and
 *   (avgPrice − price) × shares closed for a short; the average price of what is left is unchanged.
 * - A fill larger than the position flips it: the old position is closed (realised as above) and the
 *   rest opens a new position on the other side at the fill price.
 * - Fees are charged to cash and deducted from the symbol's realised P&L when they are paid (also on
 *   opening fills), never folded into the average price; so, with no deposits,
 *   equity = starting cash + realised + unrealised at every moment.
 */
import type { Account, Fill, Position } from '../../../shared/domain/trading';
import type { JournalState } from './journal';

/** One symbol's holding as the portfolio keeps it (the market price comes in markToMarket). */
export interface Holding {
  symbol: string;
  /** Shares: positive long, negative short, 0 flat (kept to remember its realised P&L). */
  qty: number;
  /** Average entry price of the shares held, dollars; 0 when flat. */
  avgPrice: number;
  /** Realised since the portfolio started, dollars, fees deducted. */
  realizedPnl: number;
}

export interface Portfolio {
  /** Dollars; negative when more was bought than there was cash (margin), the risk engine's concern. */
  cash: number;
  /** By symbol; a symbol appears once it has had a fill. */
  holdings: Readonly<Record<string, Holding>>;
  /** Sum of all fees paid, dollars. */
  feesPaid: number;
}

/** Thrown for a fill the portfolio cannot book (shares not a whole positive number, a price ≤ 0, a negative fee). */
export class PortfolioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortfolioError';
  }
}

/** A portfolio of `cash` dollars and no positions. */
export function emptyPortfolio(cash: number): Portfolio {
  if (!Number.isFinite(cash)) throw new PortfolioError(`starting cash must be a number, got ${cash}`);
  return { cash, holdings: {}, feesPaid: 0 };
}

/**
 * Book one fill: cash −= qty × price + fee for a buy, += qty × price − fee for a sell; the symbol's
 * holding moves as described at the top of this file.
 *
 * @throws PortfolioError when fill.qty is not a whole number ≥ 1, fill.price is not > 0, or fill.fee
 *   is negative or not finite (the contract refuses these first; this keeps the books sane regardless).
 */
export function applyFill(
  portfolio: Portfolio,
  fill: Pick<Fill, 'symbol' | 'side' | 'qty' | 'price' | 'fee'>,
): Portfolio {
  if (!(Number.isInteger(fill.qty) && fill.qty >= 1)) {
    throw new PortfolioError(`fill of ${fill.symbol}: ${fill.qty} is not a whole number of shares ≥ 1`);
  }
  if (!(Number.isFinite(fill.price) && fill.price > 0)) {
    throw new PortfolioError(`fill of ${fill.symbol}: price ${fill.price} is not a price above 0`);
  }
  if (!(Number.isFinite(fill.fee) && fill.fee >= 0)) {
    throw new PortfolioError(`fill of ${fill.symbol}: fee ${fill.fee} is not an amount ≥ 0`);
  }
  const before = portfolio.holdings[fill.symbol] ?? {
    symbol: fill.symbol,
    qty: 0,
    avgPrice: 0,
    realizedPnl: 0,
  };
  const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
  const after = moveHolding(before, signed, fill.price);
  after.realizedPnl -= fill.fee;
  return {
    cash: portfolio.cash - signed * fill.price - fill.fee,
    holdings: { ...portfolio.holdings, [fill.symbol]: after },
    feesPaid: portfolio.feesPaid + fill.fee,
  };
}

/** The holding after `signed` shares (buy > 0, sell < 0) at `price`, before fees. */
function moveHolding(h: Holding, signed: number, price: number): Holding {
  const qty = h.qty + signed;
  const sameSide = h.qty === 0 || Math.sign(h.qty) === Math.sign(signed);
  if (sameSide) {
    const avgPrice = (Math.abs(h.qty) * h.avgPrice + Math.abs(signed) * price) / Math.abs(qty);
    return { symbol: h.symbol, qty, avgPrice, realizedPnl: h.realizedPnl };
  }
  // Reducing, closing or flipping: the shares closed are at most what was held.
  const closed = Math.min(Math.abs(signed), Math.abs(h.qty));
  const realized = closed * (price - h.avgPrice) * Math.sign(h.qty);
  const avgPrice = qty === 0 ? 0 : Math.sign(qty) === Math.sign(h.qty) ? h.avgPrice : price;
  return { symbol: h.symbol, qty, avgPrice, realizedPnl: h.realizedPnl + realized };
}

/**
 * The portfolio a trading journal's records make: the cash entries summed into cash, then every fill
 * booked (applyFill) in the order written. What the demo broker restores on start, and what `trm
 * positions` shows from a journal with no workstation running.
 * @throws PortfolioError as applyFill does, for a fill it cannot book.
 */
export function portfolioFromJournal(journal: Pick<JournalState, 'cash' | 'fills'>): Portfolio {
  let portfolio = emptyPortfolio(journal.cash.reduce((sum, entry) => sum + entry.amount, 0));
  for (const fill of journal.fills) portfolio = applyFill(portfolio, fill);
  return portfolio;
}

export interface MarkedPortfolio {
  /** Every symbol that has had a fill, by symbol; flat ones (qty 0) keep their realised P&L. */
  positions: Position[];
  account: Account;
}

/**
 * Mark the portfolio to `prices` (dollars by symbol).
 *
 * Position: marketPrice = the symbol's price or null; unrealizedPnl = (marketPrice − avgPrice) × qty,
 * null without a price (0 for a flat position).
 * Account: cash; equity = cash + Σ qty × price; grossExposure = Σ |qty × price|; realizedPnl =
 * Σ realised (fees deducted); unrealizedPnl = Σ unrealised; dayPnl = equity − dayStartEquity.
 * A held symbol without a price is valued at its average price (unrealised 0) in the account: the
 * best known value, and it keeps equity from jumping when a price is briefly missing.
 *
 * @param dayStartEquity equity at the start of the trading day, dollars (the caller records it).
 * @throws PortfolioError when a price given for a held symbol is not a finite number > 0.
 */
export function markToMarket(
  portfolio: Portfolio,
  prices: ReadonlyMap<string, number>,
  dayStartEquity: number,
): MarkedPortfolio {
  const positions: Position[] = [];
  let marketValue = 0;
  let grossExposure = 0;
  let realizedPnl = 0;
  let unrealizedPnl = 0;
  const symbols = Object.keys(portfolio.holdings).sort();
  for (const symbol of symbols) {
    const h = portfolio.holdings[symbol];
    if (h === undefined) continue;
    const price = prices.get(symbol);
    if (price !== undefined && !(Number.isFinite(price) && price > 0)) {
      throw new PortfolioError(`price of ${symbol} is ${price}: not a price above 0`);
    }
    const unrealized = price === undefined ? (h.qty === 0 ? 0 : null) : (price - h.avgPrice) * h.qty;
    const valuedAt = price ?? h.avgPrice;
    marketValue += h.qty * valuedAt;
    grossExposure += Math.abs(h.qty * valuedAt);
    realizedPnl += h.realizedPnl;
    unrealizedPnl += unrealized ?? 0;
    positions.push({
      symbol,
      qty: h.qty,
      avgPrice: h.avgPrice,
      marketPrice: price ?? null,
      unrealizedPnl: unrealized,
      realizedPnl: h.realizedPnl,
    });
  }
  const equity = portfolio.cash + marketValue;
  return {
    positions,
    account: {
      cash: portfolio.cash,
      equity,
      grossExposure,
      realizedPnl,
      unrealizedPnl,
      dayPnl: equity - dayStartEquity,
    },
  };
}
