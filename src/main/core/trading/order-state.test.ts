import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ORDER_STATUSES,
  TERMINAL_ORDER_STATUSES,
  type Order,
  type OrderStatus,
} from '../../../shared/domain';
import {
  ORDER_EVENT_KINDS,
  ORDER_TRANSITIONS,
  OrderTransitionError,
  applyOrderEvent,
  isTerminal,
  isWorking,
  nextStatuses,
  pendingOrder,
  remainingQty,
  type OrderEvent,
  type OrderEventKind,
} from './order-state';

const T0 = 1_700_000_000_000;

function order(over: Partial<Order> = {}): Order {
  return {
    id: 'o-1',
    clientOrderId: 'c-1',
    symbol: 'AAPL',
    side: 'buy',
    qty: 100,
    type: 'limit',
    limitPrice: 190,
    stopPrice: null,
    tif: 'day',
    status: 'pending_new',
    filledQty: 0,
    avgFillPrice: null,
    submittedAt: T0,
    updatedAt: T0,
    reason: null,
    ...over,
  };
}

function eventOf(kind: OrderEventKind): OrderEvent {
  switch (kind) {
    case 'fill':
      return { kind, qty: 10, price: 190 };
    case 'rejected':
    case 'canceled':
    case 'expired':
      return { kind, reason: `${kind} for a test` };
    case 'cancel_rejected':
    case 'replace_rejected':
      return { kind, reason: 'too late' };
    case 'accepted':
    case 'cancel_requested':
    case 'replace_requested':
    case 'replaced':
      return { kind };
  }
}

/**
 * The life cycle written out independently of the module's table, one legal pair per line:
 * [status, event, next status for an order with nothing filled, next status with 40 of 100 filled]
 * (a fill of 10 shares; the complete-fill case is tested on its own).
 */
const EXPECTED: [OrderStatus, OrderEventKind, OrderStatus, OrderStatus | null][] = [
  ['pending_new', 'accepted', 'new', null],
  ['pending_new', 'rejected', 'rejected', null],
  ['pending_new', 'fill', 'partially_filled', null],
  ['pending_new', 'cancel_requested', 'pending_cancel', null],
  ['pending_new', 'canceled', 'canceled', null],
  ['pending_new', 'expired', 'expired', null],
  ['new', 'fill', 'partially_filled', null],
  ['new', 'cancel_requested', 'pending_cancel', null],
  ['new', 'canceled', 'canceled', null],
  ['new', 'replace_requested', 'pending_replace', null],
  ['new', 'expired', 'expired', null],
  ['partially_filled', 'fill', 'partially_filled', 'partially_filled'],
  ['partially_filled', 'cancel_requested', 'pending_cancel', 'pending_cancel'],
  ['partially_filled', 'canceled', 'canceled', 'canceled'],
  ['partially_filled', 'replace_requested', 'pending_replace', 'pending_replace'],
  ['partially_filled', 'expired', 'expired', 'expired'],
  ['pending_cancel', 'accepted', 'pending_cancel', null],
  ['pending_cancel', 'fill', 'pending_cancel', 'pending_cancel'],
  ['pending_cancel', 'canceled', 'canceled', 'canceled'],
  ['pending_cancel', 'expired', 'expired', 'expired'],
  ['pending_cancel', 'cancel_rejected', 'new', 'partially_filled'],
  ['pending_replace', 'fill', 'pending_replace', 'pending_replace'],
  ['pending_replace', 'canceled', 'canceled', 'canceled'],
  ['pending_replace', 'replaced', 'replaced', 'replaced'],
  ['pending_replace', 'expired', 'expired', 'expired'],
  ['pending_replace', 'replace_rejected', 'new', 'partially_filled'],
];

const isLegal = (status: OrderStatus, kind: OrderEventKind): boolean =>
  EXPECTED.some(([s, k]) => s === status && k === kind);

describe('ORDER_TRANSITIONS', () => {
  it('holds exactly the legal pairs of the written-out life cycle, and none for terminal statuses', () => {
    const inTable: string[] = [];
    for (const status of ORDER_STATUSES) {
      for (const kind of ORDER_EVENT_KINDS) {
        if (nextStatuses(status, kind).length > 0) inTable.push(`${status}+${kind}`);
      }
    }
    expect(inTable.sort()).toEqual(EXPECTED.map(([s, k]) => `${s}+${k}`).sort());
    for (const status of TERMINAL_ORDER_STATUSES) expect(ORDER_TRANSITIONS[status]).toEqual({});
  });

  it.each(EXPECTED)(
    '%s + %s → %s (nothing filled) / %s (40 of 100 filled)',
    (status, kind, next, nextPartial) => {
      const time = T0 + 5_000;
      if (status !== 'partially_filled') {
        const after = applyOrderEvent(order({ status }), eventOf(kind), time);
        expect(after.status).toBe(next);
        expect(after.updatedAt).toBe(time);
        expect(nextStatuses(status, kind)).toContain(next);
      }
      if (nextPartial !== null) {
        const partial = order({ status, filledQty: 40, avgFillPrice: 189 });
        const after = applyOrderEvent(partial, eventOf(kind), time);
        expect(after.status).toBe(nextPartial);
        expect(after.filledQty).toBe(kind === 'fill' ? 50 : 40);
        expect(nextStatuses(status, kind)).toContain(nextPartial);
      }
    },
  );

  it('refuses every illegal (status, event) pair with an error naming both', () => {
    let refused = 0;
    for (const status of ORDER_STATUSES) {
      for (const kind of ORDER_EVENT_KINDS) {
        if (isLegal(status, kind)) continue;
        const o = order({ status, filledQty: status === 'filled' ? 100 : 0 });
        let caught: unknown;
        try {
          applyOrderEvent(o, eventOf(kind), T0 + 1);
        } catch (e) {
          caught = e;
        }
        expect(caught, `${status} + ${kind}`).toBeInstanceOf(OrderTransitionError);
        const err = caught as OrderTransitionError;
        expect(err.message).toContain(`'${kind}'`);
        expect(err.message).toContain(`'${status}'`);
        expect(err.status).toBe(status);
        expect(err.eventKind).toBe(kind);
        expect(err.orderId).toBe('o-1');
        refused++;
      }
    }
    expect(refused).toBe(ORDER_STATUSES.length * ORDER_EVENT_KINDS.length - EXPECTED.length);
  });
});

describe('applyOrderEvent', () => {
  it('fills completely from every status that takes fills, a race with a pending cancel or replace included', () => {
    for (const status of [
      'pending_new',
      'new',
      'partially_filled',
      'pending_cancel',
      'pending_replace',
    ] as const) {
      const o = order({ status, filledQty: 60, avgFillPrice: 190 });
      const after = applyOrderEvent(o, { kind: 'fill', qty: 40, price: 190 }, T0 + 1);
      expect(after.status, status).toBe('filled');
      expect(after.filledQty).toBe(100);
      expect(remainingQty(after)).toBe(0);
    }
  });

  it('refuses an overfill and leaves the order as it was', () => {
    const o = order({ status: 'partially_filled', filledQty: 90, avgFillPrice: 190 });
    const snapshot = structuredClone(o);
    expect(() => applyOrderEvent(o, { kind: 'fill', qty: 11, price: 190 }, T0 + 1)).toThrow(
      /overfill.*90 of 100 filled, 10 remaining/,
    );
    expect(() => applyOrderEvent(o, { kind: 'fill', qty: 11, price: 190 }, T0 + 1)).toThrow(
      OrderTransitionError,
    );
    expect(o).toEqual(snapshot);
    expect(applyOrderEvent(o, { kind: 'fill', qty: 10, price: 190 }, T0 + 1).status).toBe('filled');
  });

  it('refuses a fill of no, negative or fractional shares, or at a price that is not above 0', () => {
    const o = order({ status: 'new' });
    for (const qty of [0, -5, 2.5, Number.NaN]) {
      expect(() => applyOrderEvent(o, { kind: 'fill', qty, price: 190 }, T0)).toThrow(OrderTransitionError);
    }
    for (const price of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => applyOrderEvent(o, { kind: 'fill', qty: 1, price }, T0)).toThrow(OrderTransitionError);
    }
  });

  it('keeps avgFillPrice as the exact volume-weighted mean of the fills', () => {
    let o = order({ status: 'new' });
    o = applyOrderEvent(o, { kind: 'fill', qty: 25, price: 10 }, T0 + 1);
    expect(o.avgFillPrice).toBe(10);
    o = applyOrderEvent(o, { kind: 'fill', qty: 75, price: 11 }, T0 + 2);
    // (25·10 + 75·11) / 100 = 10.75, exact in binary.
    expect(o.avgFillPrice).toBe(10.75);
    expect(o.status).toBe('filled');

    let p = order({ status: 'new', qty: 3 });
    p = applyOrderEvent(p, { kind: 'fill', qty: 1, price: 100.01 }, T0 + 1);
    p = applyOrderEvent(p, { kind: 'fill', qty: 2, price: 100.04 }, T0 + 2);
    expect(p.avgFillPrice).toBeCloseTo(100.03, 10);
  });

  it('goes back to the working state after a refused cancel, counting fills that raced the cancel', () => {
    let o = order({ status: 'new' });
    o = applyOrderEvent(o, { kind: 'cancel_requested' }, T0 + 1);
    expect(o.status).toBe('pending_cancel');
    o = applyOrderEvent(o, { kind: 'fill', qty: 30, price: 190 }, T0 + 2);
    expect(o.status).toBe('pending_cancel');
    expect(o.filledQty).toBe(30);
    o = applyOrderEvent(o, { kind: 'cancel_rejected', reason: 'order is being filled' }, T0 + 3);
    expect(o.status).toBe('partially_filled');
    expect(o.reason).toBeNull();
    expect(o.updatedAt).toBe(T0 + 3);
  });

  it('goes back to new after a refused replace when nothing filled, and ends replaced when it takes effect', () => {
    const pending = applyOrderEvent(order({ status: 'new' }), { kind: 'replace_requested' }, T0 + 1);
    expect(applyOrderEvent(pending, { kind: 'replace_rejected' }, T0 + 2).status).toBe('new');
    const replaced = applyOrderEvent(pending, { kind: 'replaced' }, T0 + 2);
    expect(replaced.status).toBe('replaced');
    expect(replaced.reason).toMatch(/replaced/);
  });

  it('a cancel asked before the acknowledgement survives the late acknowledgement', () => {
    let o = applyOrderEvent(order(), { kind: 'cancel_requested' }, T0 + 1);
    o = applyOrderEvent(o, { kind: 'accepted' }, T0 + 2);
    expect(o.status).toBe('pending_cancel');
    o = applyOrderEvent(o, { kind: 'canceled', reason: 'cancelled by the trader' }, T0 + 3);
    expect(o.status).toBe('canceled');
    expect(o.reason).toBe('cancelled by the trader');
  });

  it('records the reason of a rejection or an expiry, and never changes the input order', () => {
    const o = order();
    const rejected = applyOrderEvent(o, { kind: 'rejected', reason: 'insufficient buying power' }, T0 + 9);
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: 'insufficient buying power',
      updatedAt: T0 + 9,
    });
    expect(o.status).toBe('pending_new');
    const ioc = order({ status: 'partially_filled', tif: 'ioc', filledQty: 40, avgFillPrice: 190 });
    const expired = applyOrderEvent(
      ioc,
      { kind: 'expired', reason: 'ioc: the rest did not fill at once' },
      T0 + 1,
    );
    expect(expired).toMatchObject({ status: 'expired', filledQty: 40, avgFillPrice: 190 });
    expect(remainingQty(expired)).toBe(60);
  });
});

describe('pendingOrder', () => {
  it("is the request as an unacknowledged order: the request's fields, prices null where it has none", () => {
    const market = pendingOrder(
      'D-1',
      { clientOrderId: 'c-9', symbol: 'SPY', side: 'sell', qty: 5, type: 'market', tif: 'ioc' },
      T0,
    );
    expect(market).toEqual(
      order({
        id: 'D-1',
        clientOrderId: 'c-9',
        symbol: 'SPY',
        side: 'sell',
        qty: 5,
        type: 'market',
        limitPrice: null,
        tif: 'ioc',
      }),
    );
    const stopLimit = pendingOrder(
      'D-2',
      {
        clientOrderId: 'c-10',
        symbol: 'AAPL',
        side: 'buy',
        qty: 3,
        type: 'stop_limit',
        limitPrice: 191,
        stopPrice: 190,
        tif: 'gtc',
      },
      T0 + 1,
    );
    expect([stopLimit.limitPrice, stopLimit.stopPrice, stopLimit.submittedAt]).toEqual([191, 190, T0 + 1]);
    // It starts the life cycle: the broker's acknowledgement makes it work.
    expect(isWorking(stopLimit)).toBe(false);
    expect(applyOrderEvent(stopLimit, { kind: 'accepted' }, T0 + 2).status).toBe('new');
  });
});

describe('isTerminal, isWorking, remainingQty', () => {
  it('classify every status', () => {
    const working = ['new', 'partially_filled', 'pending_cancel', 'pending_replace'];
    for (const status of ORDER_STATUSES) {
      expect(isTerminal({ status }), status).toBe(TERMINAL_ORDER_STATUSES.includes(status));
      expect(isWorking({ status }), status).toBe(working.includes(status));
      expect(isTerminal({ status }) && isWorking({ status })).toBe(false);
    }
    expect(isTerminal({ status: 'pending_new' }) || isWorking({ status: 'pending_new' })).toBe(false);
    expect(remainingQty({ qty: 100, filledQty: 37 })).toBe(63);
  });
});

describe('random event sequences (property)', () => {
  const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
    fc.record({
      kind: fc.constant('fill' as const),
      qty: fc.integer({ min: 1, max: 60 }),
      price: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
    }),
    fc.constantFrom(...ORDER_EVENT_KINDS.filter((k) => k !== 'fill')).map(eventOf),
  );

  it('either refuse an event exactly where the table has no pair or overfill, or keep the invariants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.array(eventArb, { maxLength: 40 }), (qty, events) => {
        let o = order({ qty });
        let notional = 0;
        let minPrice = Infinity;
        let maxPrice = -Infinity;
        events.forEach((event, i) => {
          const before = o;
          const legalPair = nextStatuses(before.status, event.kind).length > 0;
          const overfill = event.kind === 'fill' && before.filledQty + event.qty > before.qty;
          let after: Order | null = null;
          try {
            after = applyOrderEvent(before, event, T0 + i);
          } catch (e) {
            expect(e).toBeInstanceOf(OrderTransitionError);
          }
          // The table is the oracle: refused iff the pair is illegal or the fill overfills.
          expect(after === null).toBe(!legalPair || overfill);
          if (isTerminal(before)) expect(after).toBeNull();
          if (after === null) return;
          expect(nextStatuses(before.status, event.kind)).toContain(after.status);
          expect(after.filledQty).toBeGreaterThanOrEqual(0);
          expect(after.filledQty).toBeLessThanOrEqual(after.qty);
          expect(after.status === 'filled').toBe(after.filledQty === after.qty);
          expect(after.updatedAt).toBe(T0 + i);
          if (event.kind === 'fill') {
            notional += event.qty * event.price;
            minPrice = Math.min(minPrice, event.price);
            maxPrice = Math.max(maxPrice, event.price);
            expect(after.filledQty).toBe(before.filledQty + event.qty);
          } else {
            expect(after.filledQty).toBe(before.filledQty);
          }
          if (after.filledQty > 0) {
            const avg = after.avgFillPrice!;
            expect(avg).toBeGreaterThanOrEqual(minPrice - 1e-9);
            expect(avg).toBeLessThanOrEqual(maxPrice + 1e-9);
            expect(Math.abs(avg - notional / after.filledQty)).toBeLessThan(1e-9 * maxPrice);
          } else {
            expect(after.avgFillPrice).toBeNull();
          }
          o = after;
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('reaches every status of the life cycle from pending_new', () => {
    // Guards the property above against a generator that never leaves the first statuses.
    const seen = new Set<OrderStatus>(['pending_new']);
    let frontier: Order[] = [order({ qty: 20 })];
    for (let depth = 0; depth < 4; depth++) {
      const next: Order[] = [];
      for (const o of frontier) {
        for (const kind of ORDER_EVENT_KINDS) {
          if (nextStatuses(o.status, kind).length === 0) continue;
          const after = applyOrderEvent(o, eventOf(kind), T0 + depth);
          if (!seen.has(after.status)) next.push(after);
          seen.add(after.status);
        }
      }
      frontier = next;
    }
    expect([...seen].sort()).toEqual([...ORDER_STATUSES].sort());
  });
});
