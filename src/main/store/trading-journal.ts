/**
 * The trading journal in SQLite (tables `trading_orders`, `trading_fills`, `trading_cash`, migration
 * 0007), on the store's connection: what every broker writes before it announces a change, so a restart
 * restores the exact state. Implements core's TradingJournal, plus the reads a client without a broker
 * needs (the CLI reading a database while no workstation runs).
 *
 * Durability: `record` is one transaction, committed before it returns (better-sqlite3 is synchronous).
 * The store runs WAL with synchronous = NORMAL: a commit is in the WAL file (the OS's page cache) when
 * `record` returns, so it survives the process being killed (SIGKILL, a crash); only a power loss or OS
 * crash can lose the last commits, never corrupt the file.
 *
 * Validation both ways: what `record` is given is checked against the contract's schemas before anything
 * is written (a NaN price would otherwise bind as NULL), and CHECK constraints back that up; every row
 * read back is checked again, and a row that fails throws TradingJournalError naming the table and key:
 * a journal we cannot read must not silently lose an order.
 *
 * Units: shares, dollars, epoch ms UTC.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { FillSchema, OrderSchema, TimestampSchema, type Fill, type Order } from '../../shared/domain';
import type {
  CashEntry,
  JournalChange,
  JournalOrder,
  JournalState,
  TradingJournal,
} from '../core/trading/journal';

/**
 * Orders a client calls open: the working statuses (core's isWorking) plus pending_new (sent, not yet
 * acknowledged). The same list as migration 0007's partial index `trading_orders_open`, which a query
 * uses only when it spells the same IN list.
 */
export const OPEN_ORDER_STATUSES = [
  'pending_new',
  'new',
  'partially_filled',
  'pending_cancel',
  'pending_replace',
] as const;
const OPEN_IN_LIST = `status IN (${OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Larger than any epoch-ms timestamp the domain accepts: "no upper bound" shares the ranged statement. */
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

const JournalOrderSchema = OrderSchema.extend({ stopTriggered: z.boolean() });
const CashEntrySchema = z.object({
  id: z.string().min(1).max(128),
  time: TimestampSchema,
  amount: z.number().finite(),
  reason: z.string(),
});

/** A journal row that does not read back as the contract's shape, or a change refused before writing. */
export class TradingJournalError extends Error {
  constructor(
    message: string,
    /** The table, and the row's key within the account (an order's client order id, a fill's id). */
    readonly table: string,
    readonly account: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TradingJournalError';
  }
}

interface OrderRow {
  client_order_id: string;
  id: string;
  symbol: string;
  side: string;
  qty: number;
  type: string;
  limit_price: number | null;
  stop_price: number | null;
  tif: string;
  status: string;
  filled_qty: number;
  avg_fill_price: number | null;
  submitted_at: number;
  updated_at: number;
  reason: string | null;
  stop_triggered: number;
}

interface FillRow {
  id: string;
  order_id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  qty: number;
  price: number;
  fee: number;
  time: number;
}

interface CashRow {
  id: string;
  time: number;
  amount: number;
  reason: string;
}

const ORDER_COLUMNS =
  'client_order_id, id, symbol, side, qty, type, limit_price, stop_price, tif, status, filled_qty, ' +
  'avg_fill_price, submitted_at, updated_at, reason, stop_triggered';
const FILL_COLUMNS = 'id, order_id, client_order_id, symbol, side, qty, price, fee, time';
const CASH_COLUMNS = 'id, time, amount, reason';

export interface JournalOrderQuery {
  /** Only orders still open (OPEN_ORDER_STATUSES); else every order. */
  open: boolean;
  /** How many orders at most (a non-negative integer). */
  limit: number;
}

export interface JournalFillQuery {
  /** Exclusive upper bound on the fill's `time` (epoch ms UTC); omitted: the most recent fills. */
  before?: number;
  /** How many fills at most (a non-negative integer). */
  limit: number;
}

export class TradingJournalRepository implements TradingJournal {
  private readonly write: (account: string, change: JournalChange) => void;
  private readonly upsertOrder: BetterSqlite3.Statement<[Record<string, unknown>]>;
  private readonly insertFill: BetterSqlite3.Statement<[Record<string, unknown>]>;
  private readonly insertCash: BetterSqlite3.Statement<[Record<string, unknown>]>;
  private readonly ordersAsc: BetterSqlite3.Statement<[string], OrderRow>;
  private readonly fillsAsc: BetterSqlite3.Statement<[string], FillRow>;
  private readonly cashAsc: BetterSqlite3.Statement<[string], CashRow>;
  private readonly byClientId: BetterSqlite3.Statement<[string, string], OrderRow>;
  private readonly byId: BetterSqlite3.Statement<[string, string], OrderRow>;
  private readonly openDesc: BetterSqlite3.Statement<[string, number], OrderRow>;
  private readonly allDesc: BetterSqlite3.Statement<[string, number], OrderRow>;
  private readonly fillsDesc: BetterSqlite3.Statement<[string, number, number], FillRow>;
  private readonly accountList: BetterSqlite3.Statement<[], string>;

  constructor(db: BetterSqlite3.Database) {
    // A new order takes the account's next seq (submit order); an update keeps the seq, moves nothing.
    this.upsertOrder = db.prepare(
      `INSERT INTO trading_orders (account, ${ORDER_COLUMNS}, seq)
       VALUES (@account, @clientOrderId, @id, @symbol, @side, @qty, @type, @limitPrice, @stopPrice, @tif,
               @status, @filledQty, @avgFillPrice, @submittedAt, @updatedAt, @reason, @stopTriggered,
               (SELECT coalesce(max(seq), 0) + 1 FROM trading_orders WHERE account = @account))
       ON CONFLICT (account, client_order_id) DO UPDATE SET
         id = excluded.id, symbol = excluded.symbol, side = excluded.side, qty = excluded.qty,
         type = excluded.type, limit_price = excluded.limit_price, stop_price = excluded.stop_price,
         tif = excluded.tif, status = excluded.status, filled_qty = excluded.filled_qty,
         avg_fill_price = excluded.avg_fill_price, submitted_at = excluded.submitted_at,
         updated_at = excluded.updated_at, reason = excluded.reason, stop_triggered = excluded.stop_triggered`,
    );
    // Brokers may report a fill twice (a reconnect replays the stream): the first one stays.
    this.insertFill = db.prepare(
      `INSERT OR IGNORE INTO trading_fills (account, ${FILL_COLUMNS}, seq)
       VALUES (@account, @id, @orderId, @clientOrderId, @symbol, @side, @qty, @price, @fee, @time,
               (SELECT coalesce(max(seq), 0) + 1 FROM trading_fills WHERE account = @account))`,
    );
    this.insertCash = db.prepare(
      `INSERT OR IGNORE INTO trading_cash (account, ${CASH_COLUMNS}, seq)
       VALUES (@account, @id, @time, @amount, @reason,
               (SELECT coalesce(max(seq), 0) + 1 FROM trading_cash WHERE account = @account))`,
    );
    this.write = db.transaction((account: string, change: JournalChange) => {
      for (const order of change.orders ?? []) {
        this.upsertOrder.run({ account, ...order, stopTriggered: order.stopTriggered ? 1 : 0 });
      }
      for (const fill of change.fills ?? []) this.insertFill.run({ account, ...fill });
      for (const entry of change.cash ?? []) this.insertCash.run({ account, ...entry });
    });

    this.ordersAsc = db.prepare<[string], OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM trading_orders WHERE account = ? ORDER BY seq`,
    );
    this.fillsAsc = db.prepare<[string], FillRow>(
      `SELECT ${FILL_COLUMNS} FROM trading_fills WHERE account = ? ORDER BY seq`,
    );
    this.cashAsc = db.prepare<[string], CashRow>(
      `SELECT ${CASH_COLUMNS} FROM trading_cash WHERE account = ? ORDER BY seq`,
    );
    this.byClientId = db.prepare<[string, string], OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM trading_orders WHERE account = ? AND client_order_id = ?`,
    );
    this.byId = db.prepare<[string, string], OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM trading_orders WHERE account = ? AND id = ?`,
    );
    this.openDesc = db.prepare<[string, number], OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM trading_orders WHERE account = ? AND ${OPEN_IN_LIST}
       ORDER BY seq DESC LIMIT ?`,
    );
    this.allDesc = db.prepare<[string, number], OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM trading_orders WHERE account = ? ORDER BY seq DESC LIMIT ?`,
    );
    this.fillsDesc = db.prepare<[string, number, number], FillRow>(
      `SELECT ${FILL_COLUMNS} FROM trading_fills WHERE account = ? AND time < ?
       ORDER BY time DESC, seq DESC LIMIT ?`,
    );
    this.accountList = db
      .prepare<[], string>(
        `SELECT account FROM trading_orders UNION SELECT account FROM trading_fills
         UNION SELECT account FROM trading_cash ORDER BY account`,
      )
      .pluck();
  }

  /**
   * Writes `change` for `account` in one committed transaction: orders upserted by client order id (the
   * first insert's seq kept, so submit order survives the id changing on acknowledgement), fills and cash
   * entries appended, one whose id the account already holds ignored.
   * @throws TradingJournalError when a part does not match the contract (nothing is written)
   * @throws the database's error (SqliteError) when it refuses the write, e.g. an order id another order
   *   of the account holds, or a full disk (nothing is written; the caller must not announce the change)
   */
  record(account: string, change: JournalChange): void {
    for (const order of change.orders ?? [])
      checkWrite(JournalOrderSchema, order, 'trading_orders', account, order.clientOrderId);
    for (const fill of change.fills ?? []) checkWrite(FillSchema, fill, 'trading_fills', account, fill.id);
    for (const entry of change.cash ?? [])
      checkWrite(CashEntrySchema, entry, 'trading_cash', account, entry.id);
    this.write(account, change);
  }

  /** Everything journaled for `account`: orders in submit order, fills and cash in the order written. */
  load(account: string): JournalState {
    return {
      orders: this.ordersAsc.all(account).map((row) => toJournalOrder(row, account)),
      fills: this.fillsAsc.all(account).map((row) => toFill(row, account)),
      cash: this.cashAsc.all(account).map((row) => toCashEntry(row, account)),
    };
  }

  orderByClientId(account: string, clientOrderId: string): JournalOrder | null {
    const row = this.byClientId.get(account, clientOrderId);
    return row ? toJournalOrder(row, account) : null;
  }

  /** The order whose broker id is `id` in `account`, or null. */
  orderById(account: string, id: string): Order | null {
    const row = this.byId.get(account, id);
    return row ? toOrder(row, account) : null;
  }

  /**
   * The `limit` most recently submitted orders of `account`, newest first; with `open`, only those still
   * open (OPEN_ORDER_STATUSES). @throws RangeError when `limit` is not a non-negative integer
   */
  orders(account: string, query: JournalOrderQuery): Order[] {
    const limit = checkLimit(query.limit);
    const rows = (query.open ? this.openDesc : this.allDesc).all(account, limit);
    return rows.map((row) => toOrder(row, account));
  }

  /**
   * The `limit` most recent fills of `account` whose time is before `before` (or overall), newest first
   * (fills of one time: the later written first). @throws RangeError when `limit` is not a non-negative integer
   */
  fills(account: string, query: JournalFillQuery): Fill[] {
    const limit = checkLimit(query.limit);
    return this.fillsDesc
      .all(account, query.before ?? NO_UPPER_BOUND, limit)
      .map((row) => toFill(row, account));
  }

  /** The accounts that have any journal rows, sorted. */
  accounts(): string[] {
    return this.accountList.all();
  }
}

function checkLimit(limit: number): number {
  // SQLite reads a negative LIMIT as "no limit": refuse it rather than return the whole history.
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}

function checkWrite(schema: z.ZodType, value: unknown, table: string, account: string, key: string): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  throw new TradingJournalError(
    `Refused to journal ${describeRow(table, account, key)}: ${z.prettifyError(parsed.error)}. ` +
      'Nothing of this change was written.',
    table,
    account,
    key,
    { cause: parsed.error },
  );
}

function checkRead<T>(schema: z.ZodType<T>, value: unknown, table: string, account: string, key: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TradingJournalError(
    `The trading journal holds an unreadable row, ${describeRow(table, account, key)}: ` +
      `${z.prettifyError(parsed.error)}. Nothing was changed; repair or restore the database before trading.`,
    table,
    account,
    key,
    { cause: parsed.error },
  );
}

function describeRow(table: string, account: string, key: string): string {
  return `${table} row of account ${JSON.stringify(account)} with key ${JSON.stringify(key)}`;
}

function orderFields(row: OrderRow) {
  return {
    id: row.id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    qty: row.qty,
    type: row.type,
    limitPrice: row.limit_price,
    stopPrice: row.stop_price,
    tif: row.tif,
    status: row.status,
    filledQty: row.filled_qty,
    avgFillPrice: row.avg_fill_price,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    reason: row.reason,
  };
}

function toOrder(row: OrderRow, account: string): Order {
  return checkRead(OrderSchema, orderFields(row), 'trading_orders', account, row.client_order_id);
}

function toJournalOrder(row: OrderRow, account: string): JournalOrder {
  return checkRead(
    JournalOrderSchema,
    { ...orderFields(row), stopTriggered: row.stop_triggered === 1 },
    'trading_orders',
    account,
    row.client_order_id,
  );
}

function toFill(row: FillRow, account: string): Fill {
  const fill = {
    id: row.id,
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    qty: row.qty,
    price: row.price,
    fee: row.fee,
    time: row.time,
  };
  return checkRead(FillSchema, fill, 'trading_fills', account, row.id);
}

function toCashEntry(row: CashRow, account: string): CashEntry {
  return checkRead(CashEntrySchema, { ...row }, 'trading_cash', account, row.id);
}
