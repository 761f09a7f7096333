/**
 * The trading journal (store/trading-journal.ts reads and writes it): every order, fill and cash entry a
 * broker writes before it announces a change, so a restart restores the exact state. One database may
 * hold several accounts ('demo', 'replay', 'alpaca-paper', 'alpaca-live'), kept apart by `account`.
 *
 * - `trading_orders`: keyed by (account, client_order_id), the id the trader's submit is idempotent on;
 *   `id` (the broker's) may change once, from a placeholder to the broker's id, and is unique per account.
 *   `seq` is the submit order within the account, set at the first insert and kept by every update.
 * - `trading_fills` and `trading_cash`: appended, keyed by (account, id) so a repeated fill or entry is
 *   stored once; `seq` is the order written within the account.
 * - CHECK constraints refuse what no broker may journal (a NaN binds as NULL, so NOT NULL refuses it;
 *   `< 1e308` refuses infinity; quantities must be whole, positive shares), so a bad part aborts its
 *   whole transaction instead of landing on disk. Enum-like text (status, type) is checked when read
 *   back, so a status added to the contract later needs no table rebuild.
 * - `trading_orders_open` is a partial index over the working and pending_new statuses (the trading
 *   journal's OPEN_ORDER_STATUSES; a query must spell the same IN list to use it): "open orders of an
 *   account, newest first" reads only open rows however long the history grows.
 * - `trading_fills_by_time`: "fills of an account newest first" (time, then seq for fills of one time).
 */
export default {
  id: '0007_trading',
  sql: `
    CREATE TABLE trading_orders (
      account         TEXT    NOT NULL,
      client_order_id TEXT    NOT NULL,
      id              TEXT    NOT NULL,
      symbol          TEXT    NOT NULL,
      side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
      qty             INTEGER NOT NULL CHECK (typeof(qty) = 'integer' AND qty > 0),
      type            TEXT    NOT NULL,
      limit_price     REAL    CHECK (limit_price > 0 AND limit_price < 1e308),
      stop_price      REAL    CHECK (stop_price > 0 AND stop_price < 1e308),
      tif             TEXT    NOT NULL,
      status          TEXT    NOT NULL,
      filled_qty      INTEGER NOT NULL CHECK (typeof(filled_qty) = 'integer' AND filled_qty >= 0),
      avg_fill_price  REAL    CHECK (avg_fill_price > 0 AND avg_fill_price < 1e308),
      submitted_at    INTEGER NOT NULL CHECK (typeof(submitted_at) = 'integer'),
      updated_at      INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
      reason          TEXT,
      stop_triggered  INTEGER NOT NULL CHECK (stop_triggered IN (0, 1)),
      seq             INTEGER NOT NULL,
      PRIMARY KEY (account, client_order_id),
      UNIQUE (account, id),
      UNIQUE (account, seq)
    ) WITHOUT ROWID;
    CREATE INDEX trading_orders_open ON trading_orders (account, seq)
      WHERE status IN ('pending_new', 'new', 'partially_filled', 'pending_cancel', 'pending_replace');

    CREATE TABLE trading_fills (
      account         TEXT    NOT NULL,
      id              TEXT    NOT NULL,
      order_id        TEXT    NOT NULL,
      client_order_id TEXT    NOT NULL,
      symbol          TEXT    NOT NULL,
      side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
      qty             INTEGER NOT NULL CHECK (typeof(qty) = 'integer' AND qty > 0),
      price           REAL    NOT NULL CHECK (price > 0 AND price < 1e308),
      fee             REAL    NOT NULL CHECK (fee >= 0 AND fee < 1e308),
      time            INTEGER NOT NULL CHECK (typeof(time) = 'integer'),
      seq             INTEGER NOT NULL,
      PRIMARY KEY (account, id),
      UNIQUE (account, seq)
    ) WITHOUT ROWID;
    CREATE INDEX trading_fills_by_time ON trading_fills (account, time, seq);

    CREATE TABLE trading_cash (
      account TEXT    NOT NULL,
      id      TEXT    NOT NULL,
      time    INTEGER NOT NULL CHECK (typeof(time) = 'integer'),
      amount  REAL    NOT NULL CHECK (amount > -1e308 AND amount < 1e308),
      reason  TEXT    NOT NULL,
      seq     INTEGER NOT NULL,
      PRIMARY KEY (account, id),
      UNIQUE (account, seq)
    ) WITHOUT ROWID;
  `,
} as const;
