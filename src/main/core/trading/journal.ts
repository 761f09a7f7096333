/**
 * The trading journal's shape: what every broker writes before it announces a change, so a restart
 * restores the exact state (store/trading-journal.ts keeps it in SQLite; tests may keep it in memory).
 * Types only: core stays free of I/O, and the store and the brokers both build on these.
 *
 * Accounts: one database may hold several accounts' journals, kept apart by an account key
 * ('demo', a replay run's 'replay:<run start>' (replay-account.ts), 'alpaca-paper', 'alpaca-live').
 *
 * Units: shares, dollars, epoch ms UTC (market time).
 */
import type { Fill, Order } from '../../../shared/domain/trading';

/** An order as journaled: the contract's order plus what a broker needs to resume working it. */
export interface JournalOrder extends Order {
  /** Stop and stop-limit orders: whether the stop has triggered (the demo fill model's memory). */
  stopTriggered: boolean;
}

/** A change of cash not caused by a fill: the demo account's starting deposit, a reset. */
export interface CashEntry {
  /** Unique per account. */
  id: string;
  time: number;
  /** Dollars, signed (a deposit is positive). */
  amount: number;
  reason: string;
}

/** One atomic change: every part is written in one transaction, or none is. */
export interface JournalChange {
  /** Orders inserted or updated (keyed by account and clientOrderId; `id` may change once, from a
   * placeholder to the broker's id, when the broker acknowledges). */
  orders?: readonly JournalOrder[];
  /** Fills appended (a fill id already journaled for the account is ignored: brokers may repeat one). */
  fills?: readonly Fill[];
  cash?: readonly CashEntry[];
}

/** Everything journaled for one account, in the order it was written. */
export interface JournalState {
  orders: JournalOrder[];
  fills: Fill[];
  cash: CashEntry[];
}

export interface TradingJournal {
  /**
   * Writes `change` for `account` in one committed transaction before returning (synchronous: the
   * caller announces the change only after this returns).
   * @throws when the database refuses the write (the caller must not announce the change).
   */
  record(account: string, change: JournalChange): void;
  /** Everything journaled for `account` (orders in submit order, fills and cash in the order written). */
  load(account: string): JournalState;
  /** The order placed with `clientOrderId` in `account`, or null. */
  orderByClientId(account: string, clientOrderId: string): JournalOrder | null;
}

/**
 * The account that shadows the paper account: paper mode's orders run through the demo broker too, for
 * the demo-versus-paper divergence report (`trm divergence`). Not a trader's account: the order and
 * position commands skip it unless it is asked for by name.
 */
export const PAPER_SHADOW_ACCOUNT = 'alpaca-paper-shadow';
