/**
 * The Alpaca broker against the loopback Alpaca server (test-support/alpaca-server, trading.ts): what
 * a trader relies on in paper and live modes: orders placed once, fills booked once, cancels and
 * replaces, and a book that agrees with Alpaca after a crash or a dropped connection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FillSchema, OrderSchema, type Fill, type Order, type OrderRequest } from '../../../shared/domain';
import { sampleOrder } from '../../../shared/test-support/sample-trading';
import { systemTimers } from '../../platform/clock';
import { createMemoryLogger } from '../../platform/log';
import { AlpacaTestServer } from '../../test-support/alpaca-server/server';
import { MemoryJournal } from '../../test-support/memory-journal';
import { BrokerError, type Broker, type BrokerConnection, type BrokerListener } from '../broker';
import { createAlpacaBroker } from './alpaca-broker';

const KEYS = { keyId: 'PKTRADINGTEST001', secret: 'tradingSecret0123456789abcd' };
const ACCOUNT = 'alpaca-paper';
const NOW = Date.parse('2025-03-14T15:00:00Z');

let server: AlpacaTestServer;
let journal: MemoryJournal;
const brokers: Broker[] = [];

beforeEach(async () => {
  server = await AlpacaTestServer.start({ keys: KEYS, horizon: NOW });
  journal = new MemoryJournal();
});
afterEach(async () => {
  for (const broker of brokers.splice(0)) broker.stop();
  await server.close();
});

interface Recorder extends BrokerListener {
  orders: Order[];
  fills: { fill: Fill; order: Order }[];
  connections: BrokerConnection[];
  /** For each order event: whether the journal held that exact order when it was announced. */
  journaledFirst: boolean[];
}

function recorder(): Recorder {
  const rec: Recorder = {
    orders: [],
    fills: [],
    connections: [],
    journaledFirst: [],
    order(order) {
      rec.orders.push(order);
      const stored = journal.orderByClientId(ACCOUNT, order.clientOrderId);
      rec.journaledFirst.push(stored?.status === order.status && stored.id === order.id);
    },
    fill(fill, order) {
      rec.fills.push({ fill, order });
      rec.journaledFirst.push(journal.load(ACCOUNT).fills.some((f) => f.id === fill.id));
    },
    connection(state) {
      rec.connections.push(state);
    },
  };
  return rec;
}

function broker(keys = KEYS, where: { environment?: 'paper' | 'live'; tradingUrl?: string } = {}): Broker {
  const tradingUrl = where.tradingUrl ?? server.tradingUrl;
  const b = createAlpacaBroker({
    environment: where.environment ?? 'paper',
    tradingUrl,
    tradingStreamUrl: `${tradingUrl.replace(/^http/, 'ws')}/stream`,
    keys,
    journal,
    account: ACCOUNT,
    timers: systemTimers,
    log: createMemoryLogger(),
    random: () => 0.5,
    streamTuning: { baseDelayMs: 100, maxDelayMs: 200 },
    reconcileRetryMs: 100,
  });
  brokers.push(b);
  return b;
}

async function started(keys = KEYS): Promise<{ broker: Broker; rec: Recorder }> {
  const b = broker(keys);
  const rec = recorder();
  await b.start(rec);
  return { broker: b, rec };
}

async function until(what: string, condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const market = (clientOrderId: string, qty = 10, side: 'buy' | 'sell' = 'buy'): OrderRequest => ({
  clientOrderId,
  symbol: 'AAPL',
  side,
  qty,
  type: 'market',
  tif: 'day',
});

const limit = (clientOrderId: string, qty: number, limitPrice: number): OrderRequest => ({
  clientOrderId,
  symbol: 'AAPL',
  side: 'buy',
  qty,
  type: 'limit',
  limitPrice,
  tif: 'gtc',
});

const lastOrder = (rec: Recorder, clientOrderId: string): Order | undefined =>
  rec.orders.filter((o) => o.clientOrderId === clientOrderId).pop();

describe('Alpaca broker: submit and fills', () => {
  it('places an order once with our client order id, journals it first, and books its fill from the stream', async () => {
    const { broker: b, rec } = await started();
    expect(b.accountLabel).toBe(`Alpaca paper ${server.trading.accountNumber}`);
    expect(b.kind).toBe('paper');

    const placed = await b.submit(market('t-1'), NOW);
    const atAlpaca = server.trading.order('t-1');
    expect(placed).toMatchObject({ id: atAlpaca.id, clientOrderId: 't-1', status: 'new', qty: 10 });
    expect(server.trading.requests.find((r) => r.method === 'POST')?.body).toMatchObject({
      client_order_id: 't-1',
      symbol: 'AAPL',
      qty: '10',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    // The first announcement is the journaled placeholder, before Alpaca answered.
    expect(rec.orders[0]).toMatchObject({ id: 'pending:t-1', status: 'pending_new' });

    const executionId = server.trading.fill('t-1', 10, 187.25);
    await until('the fill', () => rec.fills.length === 1);
    const { fill, order } = rec.fills[0]!;
    expect(FillSchema.parse(fill)).toEqual({
      id: executionId,
      orderId: atAlpaca.id,
      clientOrderId: 't-1',
      symbol: 'AAPL',
      side: 'buy',
      qty: 10,
      price: 187.25,
      fee: 0,
      time: expect.any(Number) as number,
    });
    expect(OrderSchema.parse(order)).toMatchObject({ status: 'filled', filledQty: 10, avgFillPrice: 187.25 });
    await until('the order event', () => lastOrder(rec, 't-1')?.status === 'filled');
    expect(rec.journaledFirst.every(Boolean)).toBe(true);
    expect(journal.load(ACCOUNT).fills.map((f) => f.id)).toEqual([executionId]);
    expect(b.portfolio().holdings.AAPL).toMatchObject({ qty: 10, avgPrice: 187.25 });
    expect(b.orders({ open: true, limit: 10 })).toEqual([]);
    expect(b.fills({ limit: 10 })).toEqual([fill]);
    expect(server.trading.orderPosts).toBe(1);
  });

  it('books a partial fill, then the rest, at the volume-weighted average', async () => {
    const { broker: b, rec } = await started();
    await b.submit(market('t-2', 10), NOW);
    server.trading.fill('t-2', 4, 100);
    await until('the partial fill', () => rec.fills.length === 1);
    expect(rec.fills[0]!.order).toMatchObject({ status: 'partially_filled', filledQty: 4 });
    server.trading.fill('t-2', 6, 110);
    await until('the full fill', () => rec.fills.length === 2);
    expect(rec.fills[1]!.fill).toMatchObject({ qty: 6, price: 110 });
    expect(rec.fills[1]!.order).toMatchObject({ status: 'filled', filledQty: 10, avgFillPrice: 106 });
    expect(b.portfolio().holdings.AAPL).toMatchObject({ qty: 10, avgPrice: 106 });
  });

  it('ignores a repeated event: the same execution is booked once, a status already held changes nothing', async () => {
    const { broker: b, rec } = await started();
    await b.submit(market('t-6', 10), NOW);
    server.trading.fill('t-6', 3, 50);
    await until('the fill', () => rec.fills.length === 1);
    const events = rec.orders.length;
    server.trading.repeatLastEvent();
    server.trading.expire('t-6');
    server.trading.repeatLastEvent();
    await until('the expiry', () => lastOrder(rec, 't-6')?.status === 'expired');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rec.fills).toHaveLength(1);
    expect(journal.load(ACCOUNT).fills).toHaveLength(1);
    expect(rec.orders.slice(events).map((o) => o.status)).toEqual(['expired']);
    expect(journal.orderByClientId(ACCOUNT, 't-6')).toMatchObject({ status: 'expired', filledQty: 3 });
  });

  it('answers a retried submit with the same order and never sends it twice', async () => {
    const { broker: b } = await started();
    const [first, concurrent] = await Promise.all([
      b.submit(market('t-3'), NOW),
      b.submit(market('t-3'), NOW),
    ]);
    const again = await b.submit(market('t-3'), NOW + 1000);
    expect(concurrent.id).toBe(first.id);
    expect(again.id).toBe(first.id);
    expect(server.trading.orderPosts).toBe(1);
    expect(server.trading.allOrders()).toHaveLength(1);
  });

  it('adopts the order Alpaca already holds when it answers 422 to a reused client order id', async () => {
    // An earlier attempt placed it, but our journal does not have it (another process, a lost write):
    // the POST gets 422 and the broker fetches the order by its client id instead.
    const first = broker();
    const original = await first.submit(market('t-4'), NOW);
    first.stop();
    const fresh = new MemoryJournal();
    journal = fresh;
    const b = broker();
    const adopted = await b.submit(market('t-4'), NOW + 5);
    expect(adopted).toMatchObject({ id: original.id, clientOrderId: 't-4', status: 'new' });
    expect(server.trading.allOrders()).toHaveLength(1);
    expect(server.trading.orderPosts).toBe(2);
    expect(
      server.trading.requests.some(
        (r) => r.path === '/v2/orders:by_client_order_id' && r.query.client_order_id === 't-4',
      ),
    ).toBe(true);
    expect(fresh.orderByClientId(ACCOUNT, 't-4')).toMatchObject({ id: original.id, status: 'new' });
    expect(b.orders({ open: true, limit: 5 }).map((o) => o.id)).toEqual([original.id]);
  });

  it('refuses plainly when Alpaca refuses the keys (401), and marks the order rejected', async () => {
    const { broker: b, rec } = await started({ keyId: 'PKWRONG', secret: 'nope' });
    expect(rec.connections.some((c) => !c.connected && /refused the API keys/.test(c.message ?? ''))).toBe(
      true,
    );
    const error = await b.submit(market('t-5'), NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).kind).toBe('refused');
    expect((error as BrokerError).message).toMatch(/Alpaca refused the API keys \(HTTP 401\)/);
    expect((error as BrokerError).message).not.toContain('nope');
    expect(journal.orderByClientId(ACCOUNT, 't-5')).toMatchObject({ status: 'rejected' });
    expect(server.trading.allOrders()).toHaveLength(0);
  });
});

describe('Alpaca broker: connection', () => {
  it('says plainly when Alpaca cannot be reached, and a submit then fails as unreachable', async () => {
    const closed = await AlpacaTestServer.start({ keys: KEYS, horizon: NOW });
    const deadUrl = closed.tradingUrl;
    await closed.close();
    const b = broker(KEYS, { environment: 'live', tradingUrl: deadUrl });
    const rec = recorder();
    await b.start(rec);
    expect(b.kind).toBe('live');
    expect(b.accountLabel).toBe('Alpaca LIVE');
    expect(rec.connections[0]).toMatchObject({ connected: false });
    expect(rec.connections[0]!.message).toMatch(
      /^cannot connect to Alpaca \(cannot reach .*ECONNREFUSED.*\); retrying in \d+ s$/,
    );
    const error = await b.submit(market('u-1'), NOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toMatch(
      /^cannot reach Alpaca at 127\.0\.0\.1:\d+ .*\[ECONNREFUSED\]\. The order may or may not have reached Alpaca/,
    );
    expect(journal.orderByClientId(ACCOUNT, 'u-1')).toMatchObject({ status: 'pending_new' });
  });

  it('labels a live account with its number once connected', async () => {
    const b = broker(KEYS, { environment: 'live' });
    await b.start(recorder());
    expect(b.accountLabel).toBe(`Alpaca LIVE ${server.trading.accountNumber}`);
  });
});

describe('Alpaca broker: cancel and replace', () => {
  it('cancels: pending_cancel at once, canceled when Alpaca confirms on the stream', async () => {
    server.trading.autoCancel = false;
    const { broker: b, rec } = await started();
    const placed = await b.submit(limit('c-1', 5, 150), NOW);
    const pending = await b.cancel(placed.id, NOW + 1);
    expect(pending).toMatchObject({ id: placed.id, status: 'pending_cancel' });
    expect(
      server.trading.requests.some((r) => r.method === 'DELETE' && r.path === `/v2/orders/${placed.id}`),
    ).toBe(true);
    server.trading.cancel(placed.id);
    await until('the cancel', () => lastOrder(rec, 'c-1')?.status === 'canceled');
    expect(journal.orderByClientId(ACCOUNT, 'c-1')).toMatchObject({
      status: 'canceled',
      reason: 'canceled at Alpaca',
    });
    await expect(b.cancel(placed.id, NOW + 2)).rejects.toThrow(/already canceled/);
    await expect(b.cancel('no-such-order', NOW + 2)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('replaces: the old order ends replaced and the replacement is journaled with its new client order id', async () => {
    const { broker: b, rec } = await started();
    const old = await b.submit(limit('r-1', 10, 150), NOW);
    const replacement = await b.replace(old.id, { clientOrderId: 'r-2', qty: 8, limitPrice: 151.5 }, NOW + 1);
    const atAlpaca = server.trading.order('r-2');
    expect(replacement).toMatchObject({
      id: atAlpaca.id,
      clientOrderId: 'r-2',
      qty: 8,
      limitPrice: 151.5,
      status: 'new',
    });
    expect(atAlpaca.replaces).toBe(old.id);
    expect(journal.orderByClientId(ACCOUNT, 'r-1')).toMatchObject({ status: 'replaced' });
    expect(server.trading.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      client_order_id: 'r-2',
      qty: '8',
      limit_price: '151.5',
    });
    // The stream's replaced/new events change nothing more, and a retried replace sends nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.replace(old.id, { clientOrderId: 'r-2', qty: 8 }, NOW + 2)).toMatchObject({
      id: atAlpaca.id,
    });
    expect(server.trading.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(b.orders({ open: true, limit: 5 }).map((o) => o.clientOrderId)).toEqual(['r-2']);
    server.trading.fill('r-2', 8, 151);
    await until('the replacement filled', () => lastOrder(rec, 'r-2')?.status === 'filled');
  });

  it('keeps the old order working when Alpaca refuses the replace', async () => {
    const { broker: b } = await started();
    const old = await b.submit(limit('r-3', 10, 150), NOW);
    server.trading.fill('r-3', 10, 150);
    await until('the fill', () => b.orders({ open: false, limit: 5 })[0]?.status === 'filled');
    await expect(b.replace(old.id, { clientOrderId: 'r-4', qty: 5 }, NOW + 1)).rejects.toThrow(
      /only a working order/,
    );
    expect(server.trading.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });
});

describe('Alpaca broker: crash, drop and reconcile', () => {
  it('after a crash between sending and hearing back, a new broker over the same journal adopts the real order without a second POST', async () => {
    server.trading.cutNextOrderReplyAfterCreating();
    const crashed = broker(); // never started: no stream, as a process that died before its reply
    const error = await crashed.submit(market('x-1', 3), NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect((error as BrokerError).kind).toBe('unreachable');
    expect(journal.orderByClientId(ACCOUNT, 'x-1')).toMatchObject({
      id: 'pending:x-1',
      status: 'pending_new',
    });
    crashed.stop();

    const { broker: b, rec } = await started();
    const real = server.trading.order('x-1');
    expect(journal.orderByClientId(ACCOUNT, 'x-1')).toMatchObject({ id: real.id, status: 'new' });
    expect(rec.connections.at(-1)).toMatchObject({ connected: true });
    expect(rec.connections.at(-1)?.message).toMatch(
      /1 order sent without hearing back was found at Alpaca \(x-1\)/,
    );
    expect(await b.submit(market('x-1', 3), NOW + 10)).toMatchObject({ id: real.id });
    expect(server.trading.orderPosts).toBe(1);
    expect(server.trading.allOrders()).toHaveLength(1);
  });

  it('settles a submit that got no reply while the stream stays up: found by the stream, or never sent', async () => {
    const { broker: b, rec } = await started();
    server.trading.cutNextOrderReplyAfterCreating();
    await expect(b.submit(market('n-1'), NOW)).rejects.toMatchObject({ kind: 'unreachable' });
    await until('the order from the stream', () => journal.orderByClientId(ACCOUNT, 'n-1')?.status === 'new');
    expect(journal.orderByClientId(ACCOUNT, 'n-1')?.id).toBe(server.trading.order('n-1').id);

    server.trading.cutNextOrderPostBeforeCreating();
    await expect(b.submit(market('n-2'), NOW)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(journal.orderByClientId(ACCOUNT, 'n-2')).toMatchObject({ status: 'pending_new' });
    await until('the settling reconcile', () =>
      rec.connections.some((c) => c.connected && /never reached Alpaca.*\(n-2\)/.test(c.message ?? '')),
    );
    expect(journal.orderByClientId(ACCOUNT, 'n-2')).toMatchObject({ status: 'rejected' });
    expect(server.trading.orderPosts).toBe(2);
    expect(server.trading.allOrders().map((o) => o.client_order_id)).toEqual(['n-1']);
  });

  it('marks an unconfirmed order that never reached Alpaca rejected, saying so', async () => {
    journal.record(ACCOUNT, {
      orders: [
        {
          ...sampleOrder({
            id: 'pending:x-2',
            clientOrderId: 'x-2',
            symbol: 'AAPL',
            qty: 1,
            status: 'pending_new',
            submittedAt: NOW,
            updatedAt: NOW,
          }),
          stopTriggered: false,
        },
      ],
    });
    const { rec } = await started();
    expect(journal.orderByClientId(ACCOUNT, 'x-2')).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/never reached Alpaca/) as string,
    });
    expect(rec.connections.at(-1)?.message).toMatch(/1 unconfirmed order never reached Alpaca/);
    expect(server.trading.orderPosts).toBe(0);
  });

  it('books a fill made while the stream was down exactly once after reconnecting', async () => {
    const { broker: b, rec } = await started();
    const placed = await b.submit(market('d-1', 10), NOW);
    server.trading.fill('d-1', 4, 100);
    await until('the first fill', () => rec.fills.length === 1);
    const connectionsBefore = server.trading.streamConnections;

    server.trading.dropStream();
    server.trading.fill('d-1', 6, 102); // nobody hears this one
    await until('the reconnect and reconcile', () =>
      rec.connections.some((c) => c.connected && /1 fill booked/.test(c.message ?? '')),
    );
    expect(server.trading.streamConnections).toBe(connectionsBefore + 1);
    expect(rec.connections.some((c) => !c.connected && /lost the connection/.test(c.message ?? ''))).toBe(
      true,
    );
    const fills = journal.load(ACCOUNT).fills;
    expect(fills.map((f) => [f.qty, f.price])).toEqual([
      [4, 100],
      [6, 102],
    ]);
    expect(journal.orderByClientId(ACCOUNT, 'd-1')).toMatchObject({
      id: placed.id,
      status: 'filled',
      filledQty: 10,
    });
    expect(b.portfolio().holdings.AAPL?.qty).toBe(10);
    expect(b.portfolio().cash).toBeCloseTo(100_000 - 400 - 612, 6);

    // Another drop and reconcile books nothing more.
    const reported = rec.connections.length;
    server.trading.dropStream();
    await until(
      'the second reconcile',
      () => rec.connections.length >= reported + 2 && rec.connections.at(-1)!.connected,
    );
    expect(rec.connections.at(-1)?.message).toBeNull();
    expect(journal.load(ACCOUNT).fills).toHaveLength(2);
    expect(rec.fills).toHaveLength(2);
  });

  it('settles an order canceled at Alpaca while the workstation was away', async () => {
    const first = await started();
    await first.broker.submit(limit('a-1', 5, 120), NOW);
    first.broker.stop();
    server.trading.fill('a-1', 2, 119.5);
    server.trading.cancel('a-1');
    const { broker: b, rec } = await started();
    expect(journal.orderByClientId(ACCOUNT, 'a-1')).toMatchObject({ status: 'canceled', filledQty: 2 });
    expect(journal.load(ACCOUNT).fills).toHaveLength(1);
    expect(rec.connections.at(-1)?.message).toMatch(
      /1 fill booked.*1 order changed at Alpaca \(a-1 new → canceled\)/,
    );
    expect(b.portfolio().holdings.AAPL?.qty).toBe(2);
  });
});
