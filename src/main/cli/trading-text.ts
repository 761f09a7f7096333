/**
 * How the trading commands (`trm order`, `orders`, `positions`, `kill-switch`, `limits`) write: their output
 * streams, exit codes, and orders, positions and the account as aligned text for people.
 *
 * Units: shares, dollars, epoch ms UTC (printed as UTC).
 */
import type { Account, Order, PortfolioSnapshot, Position, TradingStatus } from '../../shared/domain';

/** Where a command writes: the process's streams, or a test's. */
export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit codes of the trading commands (also in their --help). */
export const EXIT = {
  ok: 0,
  /** No workstation running, it could not be reached, or it failed the request. */
  failed: 1,
  /** Malformed input: a bad option or an order the contract refuses (--qty 0). */
  usage: 2,
  /** The risk engine refused the order; stderr names the rule. */
  refused: 3,
} as const;

/** Rows of cells as columns two spaces apart; columns in `right` are right-aligned (numbers). */
export function formatTable(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

const dollarFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const priceFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** Dollars with cents and thousands separators, a minus for losses: -1,234.50 */
export function dollars(value: number): string {
  return dollarFormat.format(value);
}

/** A price (2 to 4 decimals), or '-' for none. */
export function price(value: number | null): string {
  return value === null ? '-' : priceFormat.format(value);
}

/** Epoch ms as "2026-11-30 14:31:05Z". */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/**
 * "buy 10 SPY limit 500.00 day", "sell 5 QQQ stop 390.00 limit 389.50 gtc", "buy 1 SPY market day": the
 * prices name the order type (a limit order is "limit 500.00", not "limit limit 500.00").
 */
export function describeOrder(order: Order): string {
  const prices = [
    order.stopPrice !== null ? `stop ${price(order.stopPrice)}` : null,
    order.limitPrice !== null ? `limit ${price(order.limitPrice)}` : null,
  ].filter((part) => part !== null);
  const type = prices.length === 0 ? [order.type] : [];
  return [order.side, String(order.qty), order.symbol, ...type, ...prices, order.tif].join(' ');
}

/** "filled 10 @ 500.12" / "partially_filled 4 of 10 @ 500.12" / "new" (and the reason, when there is one). */
export function describeStatus(order: Order): string {
  const filled =
    order.filledQty === 0
      ? ''
      : order.filledQty === order.qty
        ? ` ${order.filledQty} @ ${price(order.avgFillPrice)}`
        : ` ${order.filledQty} of ${order.qty} @ ${price(order.avgFillPrice)}`;
  return `${order.status}${filled}${order.reason !== null ? ` (${order.reason})` : ''}`;
}

/** One line per order for `trm orders`, newest first as given, with a header. */
export function ordersTable(orders: readonly Order[]): string {
  const rows = [
    [
      'SUBMITTED (UTC)',
      'ID',
      'SYMBOL',
      'SIDE',
      'QTY',
      'TYPE',
      'LIMIT',
      'STOP',
      'TIF',
      'STATUS',
      'FILLED',
      'AVG',
    ],
    ...orders.map((o) => [
      utcTime(o.submittedAt),
      o.id,
      o.symbol,
      o.side,
      String(o.qty),
      o.type,
      price(o.limitPrice),
      price(o.stopPrice),
      o.tif,
      o.status,
      String(o.filledQty),
      price(o.avgFillPrice),
    ]),
  ];
  return formatTable(rows, new Set([4, 6, 7, 10, 11]));
}

/** One line per position for `trm positions`, with a header. */
export function positionsTable(positions: readonly Position[]): string {
  const rows = [
    ['SYMBOL', 'QTY', 'AVG PRICE', 'LAST', 'UNREALIZED', 'REALIZED'],
    ...positions.map((p) => [
      p.symbol,
      String(p.qty),
      p.qty === 0 ? '-' : price(p.avgPrice),
      price(p.marketPrice),
      p.unrealizedPnl === null ? '-' : dollars(p.unrealizedPnl),
      dollars(p.realizedPnl),
    ]),
  ];
  return formatTable(rows, new Set([1, 2, 3, 4, 5]));
}

/** The account on one line; `dayPnl` false leaves out the day's P&L (not known without a workstation). */
export function accountLine(account: Account, dayPnl = true): string {
  const parts = [
    `cash ${dollars(account.cash)}`,
    `equity ${dollars(account.equity)}`,
    `gross exposure ${dollars(account.grossExposure)}`,
    `realized ${dollars(account.realizedPnl)}`,
    `unrealized ${dollars(account.unrealizedPnl)}`,
    ...(dayPnl ? [`day P&L ${dollars(account.dayPnl)}`] : []),
  ];
  return `Account: ${parts.join(', ')}\n`;
}

/** Dollars rounded to cents (JSON output: 3.87, not 3.8699999999998636). */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A price rounded to 4 decimals, as printed; null stays null. */
function roundPrice(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

/** The portfolio with money rounded to cents and prices to 4 decimals, for `trm positions --json`. */
export function roundedSnapshot(snapshot: PortfolioSnapshot): PortfolioSnapshot {
  const { account } = snapshot;
  return {
    time: snapshot.time,
    account: {
      ...account,
      cash: cents(account.cash),
      equity: cents(account.equity),
      grossExposure: cents(account.grossExposure),
      realizedPnl: cents(account.realizedPnl),
      unrealizedPnl: cents(account.unrealizedPnl),
      dayPnl: cents(account.dayPnl),
    },
    positions: snapshot.positions.map((p) => ({
      ...p,
      avgPrice: Math.round(p.avgPrice * 10_000) / 10_000,
      marketPrice: roundPrice(p.marketPrice),
      unrealizedPnl: p.unrealizedPnl === null ? null : cents(p.unrealizedPnl),
      realizedPnl: cents(p.realizedPnl),
    })),
  };
}

/**
 * The trading state on one line, for `trm kill-switch`, `trm positions`: "Trading: halted (the kill switch
 * is on); Demo account", "Trading: active; Demo account".
 */
export function statusLine(status: TradingStatus): string {
  const reason = status.stateReason !== null ? ` (${status.stateReason})` : '';
  return `Trading: ${status.tradingState}${reason}; ${status.account}\n`;
}
