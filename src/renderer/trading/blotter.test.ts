/** blotter.ts: updates merge into the lists by id without going back in time, and a reconnect reloads. */
import { describe, expect, it } from 'vitest';
import { OrderSchema, type Fill, type Order } from '../../shared/domain';
import { sampleFill, sampleOrder } from '../../shared/test-support/sample-trading';
import {
  blotterReducer,
  canCancel,
  EMPTY_BLOTTER,
  mergeFills,
  mergeOrders,
  splitOrders,
  type BlotterState,
} from './blotter';

const T0 = Date.UTC(2024, 1, 20, 15, 0);

function order(id: string, minute: number, patch: Partial<Order> = {}): Order {
  const time = T0 + minute * 60_000;
  return OrderSchema.parse(
    sampleOrder({
      id,
      clientOrderId: `c-${id}`,
      symbol: 'AAPL',
      qty: 100,
      submittedAt: time,
      updatedAt: time,
      ...patch,
    }),
  );
}

function fill(id: string, minute: number): Fill {
  return sampleFill({ id, orderId: 'o1', clientOrderId: 'c-o1', symbol: 'AAPL', time: T0 + minute * 60_000 });
}

describe('mergeOrders', () => {
  it('adds new orders newest first and replaces one by id with its later state', () => {
    const held = mergeOrders([], [order('a', 1), order('b', 2)]);
    expect(held.map((o) => o.id)).toEqual(['b', 'a']);
    const filled = order('a', 1, {
      status: 'filled',
      filledQty: 100,
      avgFillPrice: 101,
      updatedAt: T0 + 5 * 60_000,
    });
    const next = mergeOrders(held, [filled]);
    expect(next.map((o) => [o.id, o.status])).toEqual([
      ['b', 'new'],
      ['a', 'filled'],
    ]);
  });

  it('never takes an older report over a newer one, nor a working state over a finished one', () => {
    const filled = order('a', 1, {
      status: 'filled',
      filledQty: 100,
      avgFillPrice: 101,
      updatedAt: T0 + 5 * 60_000,
    });
    expect(mergeOrders([filled], [order('a', 1)])[0]?.status).toBe('filled');
    const late = order('a', 1, {
      status: 'partially_filled',
      filledQty: 50,
      avgFillPrice: 101,
      updatedAt: T0 + 9 * 60_000,
    });
    expect(mergeOrders([filled], [late])[0]?.status).toBe('filled');
    // The same moment: the engine sends changes in order, the later message wins.
    const pending = order('a', 1, { status: 'pending_cancel' });
    expect(mergeOrders([order('a', 1)], [pending])[0]?.status).toBe('pending_cancel');
  });

  it('takes a later event even when its market time is earlier (a replay moved back in time)', () => {
    // The limit was last reported at 10:30 market time; the replay seeks back to 09:30 and cancels it.
    const working = order('a', 90, { status: 'partially_filled', filledQty: 10, avgFillPrice: 101 });
    const cancelled = order('a', 90, {
      status: 'canceled',
      filledQty: 10,
      avgFillPrice: 101,
      updatedAt: T0 + 30 * 60_000,
      reason: 'the replay moved back in time',
    });
    expect(mergeOrders([working], [cancelled])[0]?.status).toBe('canceled');
    // A working report sent after another (a replace's pending state) wins the same way.
    const replacing = order('a', 90, { status: 'pending_replace', updatedAt: T0 });
    expect(mergeOrders([order('a', 90)], [replacing])[0]?.status).toBe('pending_replace');
  });

  it('between the lists and the events heard meanwhile: finished wins, then more filled, then later', () => {
    const working = order('a', 90);
    const cancelled = order('a', 90, { status: 'canceled', updatedAt: T0 + 30 * 60_000 });
    expect(mergeOrders([working], [cancelled], 10, 'unknown')[0]?.status).toBe('canceled');
    expect(mergeOrders([cancelled], [working], 10, 'unknown')[0]?.status).toBe('canceled');
    const part = order('a', 90, { status: 'partially_filled', filledQty: 5, avgFillPrice: 1, updatedAt: T0 });
    expect(mergeOrders([part], [working], 10, 'unknown')[0]?.status).toBe('partially_filled');
    const newer = order('a', 90, { status: 'pending_cancel', updatedAt: T0 + 95 * 60_000 });
    expect(mergeOrders([newer], [working], 10, 'unknown')[0]?.status).toBe('pending_cancel');
  });

  it('drops the oldest finished orders past the cap, never a working one', () => {
    const working = order('w', 0);
    const finished = [1, 2, 3].map((m) => order(`f${m}`, m, { status: 'canceled' }));
    const merged = mergeOrders([], [working, ...finished], 2);
    expect(merged.map((o) => o.id)).toEqual(['f3', 'w']);
  });
});

describe('mergeFills', () => {
  it('keeps fills unique by id, newest first, at most the cap', () => {
    const merged = mergeFills([fill('1', 1)], [fill('2', 2), fill('1', 1), fill('3', 0)], 2);
    expect(merged.map((f) => f.id)).toEqual(['2', '1']);
  });
});

describe('splitOrders and canCancel', () => {
  it('splits working from finished and offers Cancel only where a cancel can go', () => {
    const orders = [
      order('a', 4, { status: 'partially_filled', filledQty: 10, avgFillPrice: 100 }),
      order('b', 3, { status: 'pending_cancel' }),
      order('c', 2, { status: 'rejected', reason: 'max_order_notional' }),
      order('d', 1, { status: 'expired' }),
    ];
    const { working, history } = splitOrders(orders);
    expect(working.map((o) => o.id)).toEqual(['a', 'b']);
    expect(history.map((o) => o.id)).toEqual(['c', 'd']);
    expect(working.map(canCancel)).toEqual([true, false]);
  });
});

describe('blotterReducer', () => {
  const loadedAt = (epoch: number, orders: Order[], fills: Fill[]): BlotterState =>
    blotterReducer(blotterReducer(EMPTY_BLOTTER, { kind: 'reload', epoch }), {
      kind: 'loaded',
      epoch,
      orders,
      fills,
    });

  it('merges what arrived before the lists on top of them', () => {
    let state = blotterReducer(EMPTY_BLOTTER, { kind: 'reload', epoch: 1 });
    const filled = order('a', 1, {
      status: 'filled',
      filledQty: 100,
      avgFillPrice: 100,
      updatedAt: T0 + 2 * 60_000,
    });
    state = blotterReducer(state, { kind: 'orders', epoch: 1, orders: [filled] });
    state = blotterReducer(state, { kind: 'fills', epoch: 1, fills: [fill('9', 2)] });
    expect(state.orders).toEqual([]);
    state = blotterReducer(state, {
      kind: 'loaded',
      epoch: 1,
      orders: [order('a', 1), order('b', 0)],
      fills: [],
    });
    expect(state.loaded).toBe(true);
    expect(state.orders.map((o) => [o.id, o.status])).toEqual([
      ['a', 'filled'],
      ['b', 'new'],
    ]);
    expect(state.fills.map((f) => f.id)).toEqual(['9']);
  });

  it('after the load, a cancel sent after a seek back replaces the working row', () => {
    let state = loadedAt(1, [order('a', 90)], []);
    const cancelled = order('a', 90, { status: 'canceled', updatedAt: T0, reason: 'the replay moved back' });
    state = blotterReducer(state, { kind: 'orders', epoch: 1, orders: [cancelled] });
    expect(splitOrders(state.orders).working).toEqual([]);
    expect(state.orders[0]?.status).toBe('canceled');
  });

  it('after a reconnect keeps the rows on screen until the new lists replace them', () => {
    let state = loadedAt(1, [order('a', 1), order('gone', 0)], [fill('1', 1)]);
    state = blotterReducer(state, { kind: 'reload', epoch: 2 });
    expect(state.loaded).toBe(false);
    expect(state.orders.map((o) => o.id)).toEqual(['a', 'gone']);
    // An answer of the old link arriving late changes nothing.
    state = blotterReducer(state, { kind: 'orders', epoch: 1, orders: [order('stale', 9)] });
    expect(state.orders.map((o) => o.id)).toEqual(['a', 'gone']);
    const canceled = order('a', 1, { status: 'canceled', updatedAt: T0 + 3 * 60_000, reason: 'by you' });
    state = blotterReducer(state, {
      kind: 'loaded',
      epoch: 2,
      orders: [canceled],
      fills: [fill('1', 1), fill('2', 3)],
    });
    expect(state.orders.map((o) => [o.id, o.status])).toEqual([['a', 'canceled']]);
    expect(state.fills.map((f) => f.id)).toEqual(['2', '1']);
  });

  it('live updates after the load merge in; a failed load says why and shows no stale rows', () => {
    let state = loadedAt(1, [order('a', 1)], []);
    state = blotterReducer(state, { kind: 'orders', epoch: 1, orders: [order('b', 2)] });
    expect(state.orders.map((o) => o.id)).toEqual(['b', 'a']);
    state = blotterReducer(state, { kind: 'reload', epoch: 2 });
    state = blotterReducer(state, {
      kind: 'failed',
      epoch: 2,
      error: 'Trading is not wired into this engine yet.',
    });
    expect(state).toMatchObject({
      loaded: true,
      orders: [],
      error: 'Trading is not wired into this engine yet.',
    });
  });
});
