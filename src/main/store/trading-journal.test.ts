import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ORDER_STATUSES, type Fill } from '../../shared/domain';
import { sampleFill, sampleOrder } from '../../shared/test-support/sample-trading';
import { isWorking } from '../core/trading/order-state';
import type { CashEntry, JournalOrder } from '../core/trading/journal';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openStore, type Store } from './store';
import { runFixture } from './test-fixtures/child-process';
import { tempDir, type TempDir } from './test-fixtures/helpers';
import { OPEN_ORDER_STATUSES, TradingJournalError } from './trading-journal';

const T0 = Date.UTC(2024, 0, 2, 14, 30);

function order(n: number, overrides: Partial<JournalOrder> = {}): JournalOrder {
  const time = T0 + n * 1000;
  return {
    ...sampleOrder({ id: `demo-${n}`, clientOrderId: `c-${n}`, submittedAt: time, updatedAt: time }),
    stopTriggered: false,
    ...overrides,
  };
}

function fill(n: number, overrides: Partial<Fill> = {}): Fill {
  const ids = { id: `f-${n}`, orderId: 'demo-1', clientOrderId: 'c-1' };
  return sampleFill({ ...ids, qty: 5, price: 470.25, fee: 0.35, time: T0 + n * 60_000, ...overrides });
}

const deposit: CashEntry = { id: 'deposit', time: T0 - 1, amount: 100_000, reason: 'starting cash' };

let tmp: TempDir;
let path: string;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('trm.sqlite');
  store = openStore(path);
});
afterEach(() => {
  store.close();
  tmp.remove();
});

function reopen(): void {
  store.close();
  store = openStore(path);
}

describe('TradingJournalRepository', () => {
  it('round-trips every field of orders, fills and cash entries', () => {
    const stopLimit = order(1, {
      side: 'sell',
      type: 'stop_limit',
      limitPrice: 469.5,
      stopPrice: 470,
      tif: 'gtc',
      status: 'partially_filled',
      filledQty: 5,
      avgFillPrice: 469.75,
      updatedAt: T0 + 5000,
      stopTriggered: true,
    });
    const rejected = order(2, {
      type: 'limit',
      limitPrice: 1.5,
      status: 'rejected',
      reason: 'no buying power',
    });
    const f = fill(1, { side: 'sell', price: 469.75, fee: 0 });
    const withdrawal: CashEntry = { id: 'w-1', time: T0 + 9, amount: -250.5, reason: 'reset' };
    store.trading.record('demo', { orders: [stopLimit, rejected], fills: [f], cash: [deposit, withdrawal] });

    expect(store.trading.load('demo')).toEqual({
      orders: [stopLimit, rejected],
      fills: [f],
      cash: [deposit, withdrawal],
    });
    expect(store.trading.orderByClientId('demo', 'c-1')).toEqual(stopLimit);
    expect(store.trading.orderByClientId('demo', 'c-9')).toBeNull();
    const { stopTriggered, ...plain } = rejected;
    expect(stopTriggered).toBe(false);
    expect(store.trading.orderById('demo', 'demo-2')).toEqual(plain);
    expect(store.trading.orderById('demo', 'c-2')).toBeNull();
  });

  it('keeps an order under its client id when the broker acknowledges it with its own id', () => {
    store.trading.record('alpaca-paper', {
      orders: [order(1, { id: 'pending:c-1', status: 'pending_new' })],
    });
    store.trading.record('alpaca-paper', { orders: [order(2)] });
    const acked = order(1, { id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415', updatedAt: T0 + 7000 });
    store.trading.record('alpaca-paper', { orders: [acked] });

    // Still one order for c-1, still first in submit order, now found by the broker's id only.
    expect(store.trading.load('alpaca-paper').orders).toEqual([acked, order(2)]);
    expect(store.trading.orderByClientId('alpaca-paper', 'c-1')).toEqual(acked);
    expect(store.trading.orderById('alpaca-paper', acked.id)?.clientOrderId).toBe('c-1');
    expect(store.trading.orderById('alpaca-paper', 'pending:c-1')).toBeNull();
  });

  it('stores a fill or cash entry reported twice once, the first version kept', () => {
    store.trading.record('demo', { fills: [fill(1), fill(2)], cash: [deposit] });
    store.trading.record('demo', {
      fills: [fill(2, { price: 999 }), fill(3)],
      cash: [{ ...deposit, amount: 5 }],
    });
    const { fills, cash } = store.trading.load('demo');
    expect(fills).toEqual([fill(1), fill(2), fill(3)]);
    expect(cash).toEqual([deposit]);
  });

  it('writes nothing of a change the database refuses in part', () => {
    store.trading.record('demo', { orders: [order(1)] });
    // The second order reuses the broker id of order 1 under another client id: UNIQUE (account, id).
    expect(() =>
      store.trading.record('demo', {
        orders: [order(2), order(3, { id: 'demo-1' })],
        fills: [fill(1)],
        cash: [deposit],
      }),
    ).toThrow(/UNIQUE constraint failed/);
    expect(store.trading.load('demo')).toEqual({ orders: [order(1)], fills: [], cash: [] });
  });

  it('refuses a part that breaks the contract before writing any of the change', () => {
    for (const bad of [fill(2, { price: Number.NaN }), fill(2, { price: -1 }), fill(2, { qty: 1.5 })]) {
      let error: unknown;
      try {
        store.trading.record('demo', { orders: [order(1)], fills: [fill(1), bad] });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TradingJournalError);
      expect((error as TradingJournalError).message).toContain(
        'trading_fills row of account "demo" with key "f-2"',
      );
    }
    expect(() =>
      store.trading.record('demo', { orders: [order(1, { limitPrice: Number.NaN, type: 'limit' })] }),
    ).toThrow(TradingJournalError);
    expect(store.trading.load('demo')).toEqual({ orders: [], fills: [], cash: [] });
  });

  it('backs the contract with CHECK constraints: a NaN, negative or fractional value aborts the transaction', () => {
    store.close();
    const db = new Database(path);
    try {
      const insert = db.prepare(
        `INSERT INTO trading_fills (account, id, order_id, client_order_id, symbol, side, qty, price, fee, time, seq)
         VALUES ('demo', ?, 'o', 'c', 'SPY', 'buy', ?, ?, 0, ?, ?)`,
      );
      const both = db.transaction((price: number, qty: number) => {
        insert.run('good', 1, 100, T0, 1);
        insert.run('bad', qty, price, T0, 2);
      });
      for (const [price, qty] of [
        [Number.NaN, 1],
        [-1, 1],
        [Number.POSITIVE_INFINITY, 1],
        [100, 1.5],
        [100, 0],
      ] as const) {
        expect(() => both(price, qty)).toThrow(/constraint failed/);
        expect(db.prepare('SELECT count(*) FROM trading_fills').pluck().get()).toBe(0);
      }
    } finally {
      db.close();
      store = openStore(path);
    }
  });

  it('keeps accounts apart and lists the accounts that have rows', () => {
    expect(store.trading.accounts()).toEqual([]);
    store.trading.record('demo', { orders: [order(1)], fills: [fill(1)] });
    store.trading.record('alpaca-paper', { orders: [order(1, { status: 'filled', filledQty: 10 })] });
    store.trading.record('replay', { cash: [deposit] });

    expect(store.trading.load('demo').orders).toEqual([order(1)]);
    expect(store.trading.load('alpaca-paper')).toEqual({
      orders: [order(1, { status: 'filled', filledQty: 10 })],
      fills: [],
      cash: [],
    });
    expect(store.trading.load('alpaca-live')).toEqual({ orders: [], fills: [], cash: [] });
    expect(store.trading.orderByClientId('replay', 'c-1')).toBeNull();
    expect(store.trading.fills('alpaca-paper', { limit: 10 })).toEqual([]);
    expect(store.trading.accounts()).toEqual(['alpaca-paper', 'demo', 'replay']);
  });

  it('answers load() after a restart with exactly what was recorded', () => {
    const orders = [order(1, { status: 'filled', filledQty: 10, avgFillPrice: 470.1 }), order(2)];
    store.trading.record('demo', { cash: [deposit] });
    store.trading.record('demo', { orders, fills: [fill(1), fill(2, { qty: 5, price: 470.1 })] });
    const before = store.trading.load('demo');
    reopen();
    expect(store.trading.load('demo')).toEqual(before);
    expect(before.orders).toEqual(orders);
    // Submit order continues after the restart: a new order comes after the old ones.
    store.trading.record('demo', { orders: [order(3)] });
    store.trading.record('demo', {
      orders: [order(1, { reason: 'note', status: 'filled', filledQty: 10, avgFillPrice: 470.1 })],
    });
    expect(store.trading.load('demo').orders.map((o) => o.clientOrderId)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('lists orders newest first, the open ones or all', () => {
    store.trading.record('demo', {
      orders: [
        order(1, { status: 'filled', filledQty: 10 }),
        order(2, { status: 'pending_new' }),
        order(3, { status: 'canceled', reason: 'asked' }),
        order(4, { status: 'partially_filled', filledQty: 3 }),
        order(5, { status: 'pending_cancel' }),
      ],
    });
    const ids = (orders: { clientOrderId: string }[]) => orders.map((o) => o.clientOrderId);
    expect(ids(store.trading.orders('demo', { open: false, limit: 10 }))).toEqual([
      'c-5',
      'c-4',
      'c-3',
      'c-2',
      'c-1',
    ]);
    expect(ids(store.trading.orders('demo', { open: false, limit: 2 }))).toEqual(['c-5', 'c-4']);
    expect(ids(store.trading.orders('demo', { open: true, limit: 10 }))).toEqual(['c-5', 'c-4', 'c-2']);
    expect(store.trading.orders('demo', { open: true, limit: 10 })[0]).not.toHaveProperty('stopTriggered');
    expect(store.trading.orders('demo', { open: true, limit: 0 })).toEqual([]);
    expect(() => store.trading.orders('demo', { open: true, limit: -1 })).toThrow(RangeError);
    // An order that ends leaves the open list.
    store.trading.record('demo', { orders: [order(4, { status: 'filled', filledQty: 10 })] });
    expect(ids(store.trading.orders('demo', { open: true, limit: 10 }))).toEqual(['c-5', 'c-2']);
  });

  it('calls open exactly the working statuses and pending_new', () => {
    expect([...OPEN_ORDER_STATUSES].sort()).toEqual(
      ORDER_STATUSES.filter((status) => status === 'pending_new' || isWorking({ status })).sort(),
    );
  });

  it('lists fills newest first by time, then by the order written, before a time', () => {
    store.trading.record('demo', {
      fills: [fill(1), fill(3, { id: 'f-3a' }), fill(3, { id: 'f-3b' }), fill(2)],
    });
    const ids = (fills: Fill[]) => fills.map((f) => f.id);
    expect(ids(store.trading.fills('demo', { limit: 10 }))).toEqual(['f-3b', 'f-3a', 'f-2', 'f-1']);
    expect(ids(store.trading.fills('demo', { limit: 2 }))).toEqual(['f-3b', 'f-3a']);
    expect(ids(store.trading.fills('demo', { limit: 10, before: T0 + 3 * 60_000 }))).toEqual(['f-2', 'f-1']);
    expect(store.trading.fills('demo', { limit: 0 })).toEqual([]);
    expect(() => store.trading.fills('demo', { limit: 1.5 })).toThrow(RangeError);
    // load() keeps the order written.
    expect(ids(store.trading.load('demo').fills)).toEqual(['f-1', 'f-3a', 'f-3b', 'f-2']);
  });

  it('throws naming the table and key when a row does not read back as the contract', () => {
    store.trading.record('demo', { orders: [order(1), order(2)], fills: [fill(1)] });
    store.close();
    const db = new Database(path);
    db.prepare("UPDATE trading_orders SET status = 'lost' WHERE client_order_id = 'c-2'").run();
    db.prepare("UPDATE trading_fills SET symbol = '' WHERE id = 'f-1'").run();
    db.close();
    store = openStore(path);

    expect(() => store.trading.load('demo')).toThrow(/trading_orders row of account "demo" with key "c-2"/);
    expect(() => store.trading.orders('demo', { open: false, limit: 10 })).toThrow(TradingJournalError);
    expect(() => store.trading.fills('demo', { limit: 10 })).toThrow(
      /trading_fills row of account "demo" with key "f-1"/,
    );
    expect(store.trading.orderByClientId('demo', 'c-1')).toEqual(order(1));
  });
});

describe('migration 0007_trading', () => {
  it('applies on a database at 0006, keeping its data', () => {
    store.close();
    const oldPath = tmp.file('old.sqlite');
    const old = new Database(oldPath);
    const upTo6 = MIGRATIONS.findIndex((m) => m.id === '0006_news') + 1;
    migrate(old, MIGRATIONS.slice(0, upTo6), oldPath, () => 1000);
    old
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
      .run('theme', '"dark"', 1000);
    old.close();

    store = openStore(oldPath);
    expect(store.settings.get('theme', z.string())).toBe('dark');
    store.trading.record('demo', { orders: [order(1)], cash: [deposit] });
    expect(store.trading.load('demo')).toEqual({ orders: [order(1)], fills: [], cash: [deposit] });
  });
});

describe('TradingJournalRepository across a crash', () => {
  // What a broker relies on when it announces a change right after record() returns.
  it('keeps every change record() returned from when the process is killed (SIGKILL)', async () => {
    store.close();
    const crashPath = tmp.file('crash.sqlite');
    const writer = runFixture('journal-writer.ts', [crashPath]);
    await writer.waitForLine(/^committed 200$/);
    writer.child.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');
    const reported = Math.max(
      ...writer.lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.slice(10))),
    );

    store = openStore(crashPath);
    const { orders, fills } = store.trading.load('demo');
    // Every reported change is there, at most one more (committed, killed before it printed), each whole.
    expect(orders.length).toBeGreaterThanOrEqual(reported + 1);
    expect(orders.length).toBeLessThanOrEqual(reported + 2);
    expect(orders.map((o) => o.clientOrderId)).toEqual(orders.map((_, i) => `c-${i}`));
    expect(fills.map((f) => f.clientOrderId)).toEqual(orders.map((o) => o.clientOrderId));
  });
});
