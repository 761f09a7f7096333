import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar, Fill, Order, OrderRequest, Trade } from '../../../shared/domain';
import { DEFAULT_FILL_MODEL_CONFIG } from '../../core/trading/fill-model';
import { applyFill, emptyPortfolio, type Portfolio } from '../../core/trading/portfolio';
import type { ReplayAccount } from '../../core/trading/replay-account';
import { MemoryJournal } from '../../test-support/memory-journal';
import { BrokerError, type BrokerConnection, type BrokerListener } from '../broker';
import { DemoBroker } from './demo-broker';

const DAY = 86_400_000;
const MIN = 60_000;
/** A session day: Monday 2026-03-02, 14:30-21:00 UTC. */
const OPEN = Date.UTC(2026, 2, 2, 14, 30);
const CLOSE = Date.UTC(2026, 2, 2, 21, 0);

/** Sessions 14:30-21:00 UTC every day (enough for the broker: it only asks for the close). */
function sessionClose(time: number): number {
  const close = Math.floor(time / DAY) * DAY + 21 * 3_600_000;
  return time < close ? close : close + DAY;
}

interface Heard {
  events: string[];
  orders: Order[];
  fills: Fill[];
  connections: BrokerConnection[];
}

function recorder(journal?: MemoryJournal): BrokerListener & { heard: Heard } {
  const heard: Heard = { events: [], orders: [], fills: [], connections: [] };
  return {
    heard,
    order(order) {
      // Write, then publish: what is announced is already in the journal.
      if (journal) expect(journal.orderByClientId('demo', order.clientOrderId)?.status).toBe(order.status);
      heard.events.push(`order ${order.id} ${order.status}`);
      heard.orders.push(order);
    },
    fill(fill) {
      if (journal) expect(journal.load('demo').fills.some((f) => f.id === fill.id)).toBe(true);
      heard.events.push(`fill ${fill.id} ${fill.qty}@${fill.price}`);
      heard.fills.push(fill);
    },
    connection(state) {
      heard.connections.push(state);
    },
  };
}

/** A replay run's own account (a fresh one per run). */
const REPLAY: ReplayAccount = 'replay:2025-03-14T12:00:00Z';

async function startBroker(journal = new MemoryJournal(), account: 'demo' | ReplayAccount = 'demo') {
  const broker = new DemoBroker({ journal, account, sessionClose });
  const listener = recorder(account === 'demo' ? journal : undefined);
  await broker.start(listener);
  return { broker, journal, heard: listener.heard };
}

function trade(time: number, price: number, size = 100, symbol = 'SPY'): Trade {
  return { symbol, time, price, size };
}

/** What a market buy pays against a trade at 100: the print plus the default 2 bps of slippage. */
const PAID_ON_100 = 100 * (1 + DEFAULT_FILL_MODEL_CONFIG.slippageBps / 10_000);

function minuteBar(
  start: number,
  ohlc: [number, number, number, number],
  volume = 1_000,
  extra: Partial<Bar> = {},
): Bar {
  const [open, high, low, close] = ohlc;
  return { symbol: 'SPY', timeframe: '1m', start, open, high, low, close, volume, closed: true, ...extra };
}

let nextId = 1;
function request(fields: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: `c-${nextId++}`,
    symbol: 'SPY',
    side: 'buy',
    qty: 10,
    type: 'market',
    tif: 'day',
    ...fields,
  };
}

/** The portfolio as the journal's cash and fills say it is. */
function portfolioFromJournal(journal: MemoryJournal, account = 'demo'): Portfolio {
  const state = journal.load(account);
  let book = emptyPortfolio(0);
  for (const entry of state.cash) book = { ...book, cash: book.cash + entry.amount };
  for (const fill of state.fills) book = applyFill(book, fill);
  return book;
}

describe('DemoBroker: start and submit', () => {
  it('deposits the starting cash once, into an empty journal only', async () => {
    const { broker, journal, heard } = await startBroker();
    expect(broker.kind).toBe('demo');
    expect(broker.accountLabel).toBe('Demo account');
    expect(broker.portfolio()).toEqual({ cash: 100_000, holdings: {}, feesPaid: 0 });
    expect(heard.connections).toEqual([{ connected: true, message: null }]);
    const again = await startBroker(journal);
    expect(again.broker.portfolio().cash).toBe(100_000);
    expect(journal.load('demo').cash).toHaveLength(1);
    const replay = await startBroker(journal, REPLAY);
    expect(replay.broker.accountLabel).toBe('Replay account');
    expect(journal.load(REPLAY).cash).toHaveLength(1);
  });

  it('accepts an order at once, journals it before announcing it, with deterministic ids', async () => {
    const { broker, heard } = await startBroker();
    const a = await broker.submit(request({ clientOrderId: 'a' }), OPEN);
    const b = await broker.submit(request({ clientOrderId: 'b' }), OPEN + 1);
    expect(a).toMatchObject({ id: 'D-1', status: 'new', filledQty: 0, submittedAt: OPEN, reason: null });
    expect(b.id).toBe('D-2');
    expect(heard.events).toEqual(['order D-1 new', 'order D-2 new']);
  });

  it('is idempotent by clientOrderId: a retry answers with the same order and places nothing', async () => {
    const { broker, journal, heard } = await startBroker();
    const first = await broker.submit(request({ clientOrderId: 'same' }), OPEN);
    const retry = await broker.submit(request({ clientOrderId: 'same', qty: 99 }), OPEN + 5);
    expect(retry).toEqual(first);
    expect(broker.orders({ open: false, limit: 10 })).toHaveLength(1);
    expect(journal.load('demo').orders).toHaveLength(1);
    expect(heard.orders).toHaveLength(1);
    // Also after a restart (the crash-between-send-and-answer case).
    const restarted = await startBroker(journal);
    expect(await restarted.broker.submit(request({ clientOrderId: 'same' }), OPEN + 9)).toEqual(first);
  });

  it('rejects the submit and keeps nothing when the journal cannot write it', async () => {
    const { broker, journal, heard } = await startBroker();
    journal.failNext();
    const failed = broker.submit(request({ clientOrderId: 'x' }), OPEN);
    await expect(failed).rejects.toBeInstanceOf(BrokerError);
    await expect(failed).rejects.toMatchObject({ kind: 'unreachable' });
    expect(broker.orders({ open: false, limit: 10 })).toEqual([]);
    expect(heard.orders).toEqual([]);
    // The retry places it, with the id the failed attempt would have had.
    expect((await broker.submit(request({ clientOrderId: 'x' }), OPEN)).id).toBe('D-1');
  });

  it('refuses a request the contract refuses (defence in depth behind the risk engine)', async () => {
    const { broker } = await startBroker();
    await expect(broker.submit(request({ type: 'limit' }), OPEN)).rejects.toThrow(/needs a limit price/);
  });
});

describe('DemoBroker: fills on trades', () => {
  it('fills a market order on the next trade, journal first, then fill, then order', async () => {
    const { broker, journal, heard } = await startBroker();
    await broker.submit(request({ qty: 10 }), OPEN);
    broker.onTrade(trade(OPEN - 1, 99)); // before the order: not for it
    broker.onTrade(trade(OPEN + 1_000, 100));
    const [order] = broker.orders({ open: false, limit: 1 });
    // A trade is a print: the market buy crosses the spread and pays the default 2 bps beyond it.
    expect(order).toMatchObject({
      status: 'filled',
      filledQty: 10,
      avgFillPrice: PAID_ON_100,
      updatedAt: OPEN + 1_000,
    });
    expect(heard.events.slice(1)).toEqual([`fill F-1 10@${PAID_ON_100}`, 'order D-1 filled']);
    expect(journal.load('demo').fills).toEqual([
      {
        id: 'F-1',
        orderId: 'D-1',
        clientOrderId: order!.clientOrderId,
        symbol: 'SPY',
        side: 'buy',
        qty: 10,
        price: PAID_ON_100,
        fee: 1,
        time: OPEN + 1_000,
      },
    ]);
    expect(broker.portfolio()).toEqual({
      cash: 100_000 - 10 * PAID_ON_100 - 1,
      holdings: { SPY: { symbol: 'SPY', qty: 10, avgPrice: PAID_ON_100, realizedPnl: -1 } },
      feesPaid: 1,
    });
  });

  it('a market order against a trade pays the slippage beyond it: a buy +2 bps, a sell −2 bps', async () => {
    expect(DEFAULT_FILL_MODEL_CONFIG.slippageBps).toBe(2); // the prices below assume it
    const { broker } = await startBroker();
    await broker.submit(request({ qty: 10, clientOrderId: 'buy' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 685.21));
    await broker.submit(request({ side: 'sell', qty: 10, clientOrderId: 'flatten' }), OPEN + 2);
    broker.onTrade(trade(OPEN + 3, 685.21));
    const [sell, buy] = broker.fills({ limit: 10 });
    expect(buy!.price).toBeCloseTo(685.21 * 1.0002, 10);
    expect(sell!.price).toBeCloseTo(685.21 * 0.9998, 10);
    // Flat again at an unchanged market: the round trip cost 2 × 2 bps plus the two minimum fees.
    expect(broker.portfolio().holdings.SPY).toMatchObject({ qty: 0 });
    expect(broker.portfolio().cash).toBeCloseTo(100_000 - 10 * 685.21 * 0.0004 - 2, 6);
  });

  it('fills in parts over several trades, capped by the participation share of each trade', async () => {
    const { broker, heard } = await startBroker();
    await broker.submit(request({ qty: 25, type: 'limit', limitPrice: 101, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 100, 100)); // 10 of 100
    expect(broker.orders({ open: true, limit: 1 })[0]).toMatchObject({
      status: 'partially_filled',
      filledQty: 10,
    });
    broker.onTrade(trade(OPEN + 2, 102, 1_000)); // above the limit: nothing
    broker.onTrade(trade(OPEN + 3, 100.5, 1_000)); // 15 more of 100 allowed
    expect(heard.fills.map((f) => [f.id, f.qty, f.price])).toEqual([
      ['F-1', 10, 100],
      ['F-2', 15, 100.5],
    ]);
    const [order] = broker.orders({ open: false, limit: 1 });
    expect(order).toMatchObject({ status: 'filled', filledQty: 25 });
    expect(order!.avgFillPrice).toBeCloseTo((10 * 100 + 15 * 100.5) / 25, 10);
    // The fees of the parts sum to the fee of the whole: max(25 × 0.005, 1) = 1.
    expect(heard.fills.reduce((sum, f) => sum + f.fee, 0)).toBeCloseTo(1, 10);
  });

  it('sells at a limit only at or above it', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ side: 'sell', type: 'limit', limitPrice: 50, qty: 5 }), OPEN);
    broker.onTrade(trade(OPEN + 1, 49.99));
    expect(broker.fills({ limit: 10 })).toEqual([]);
    broker.onTrade(trade(OPEN + 2, 50.2));
    expect(broker.fills({ limit: 10 })[0]).toMatchObject({ side: 'sell', qty: 5, price: 50.2 });
    expect(broker.portfolio().holdings.SPY?.qty).toBe(-5);
  });

  it('fills a buy stop once a trade reaches the stop, as a market order (with its slippage)', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ type: 'stop', stopPrice: 105, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 104.9));
    expect(broker.fills({ limit: 10 })).toEqual([]);
    broker.onTrade(trade(OPEN + 2, 105.5));
    expect(broker.fills({ limit: 10 })[0]).toMatchObject({ qty: 10 });
    expect(broker.fills({ limit: 10 })[0]!.price).toBeCloseTo(105.5 * 1.0002, 10);
  });

  it('keeps a triggered stop-limit triggered (journaled) and fills it at the limit later, also after a restart', async () => {
    const { broker, journal, heard } = await startBroker();
    await broker.submit(
      request({ side: 'sell', type: 'stop_limit', stopPrice: 95, limitPrice: 94, tif: 'gtc' }),
      OPEN,
    );
    broker.onTrade(trade(OPEN + 1, 93)); // triggers (≤ 95) but is below the limit: no fill
    expect(broker.fills({ limit: 10 })).toEqual([]);
    expect(journal.load('demo').orders[0]!.stopTriggered).toBe(true);
    expect(heard.orders).toHaveLength(1); // nothing the trader sees changed
    const restarted = await startBroker(journal);
    restarted.broker.onTrade(trade(OPEN + 2, 96)); // above the stop: only a triggered order (a limit sell at 94) fills
    expect(restarted.broker.fills({ limit: 10 })[0]).toMatchObject({ side: 'sell', qty: 10, price: 96 });
  });

  it('does not fill an untriggered stop-limit on a trade between limit and stop', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ type: 'stop_limit', stopPrice: 110, limitPrice: 111, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 109));
    broker.onTrade(trade(OPEN + 2, 110.5));
    expect(broker.fills({ limit: 10 })[0]).toMatchObject({ qty: 10, price: 110.5 });
  });

  it('ioc: fills what the first trade allows and expires the rest', async () => {
    const { broker, heard } = await startBroker();
    await broker.submit(request({ qty: 50, tif: 'ioc' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 100, 100));
    const [order] = broker.orders({ open: false, limit: 1 });
    expect(order).toMatchObject({
      status: 'expired',
      filledQty: 10,
      reason: 'ioc: 40 of 50 shares unfilled, expired',
    });
    expect(heard.events.slice(1)).toEqual([`fill F-1 10@${PAID_ON_100}`, 'order D-1 expired']);
    broker.onTrade(trade(OPEN + 2, 100, 100));
    expect(broker.fills({ limit: 10 })).toHaveLength(1);
  });

  it('ignores trades of other symbols', async () => {
    const { broker } = await startBroker();
    await broker.submit(request(), OPEN);
    broker.onTrade(trade(OPEN + 1, 10, 100, 'QQQ'));
    expect(broker.orders({ open: true, limit: 1 })[0]!.status).toBe('new');
  });
});

describe('DemoBroker: every order type × time in force on one script of trades and a bar', () => {
  // Buy 150; trades 99.8 × 100 (cap 10) and 100.4 × 200 (cap 20), then a quiet minute's closed bar
  // [open 100.3, high 100.5, low 100.1] × 1 000 (cap 100), then the close. Limit 100.5; stop 100.2;
  // stop-limit 100.2 / 100.6.
  const cases = [
    // type, tif, filled, status, bar fill price (null: none)
    ['market', 'day', 130, 'expired', 100.3 * 1.0002],
    ['market', 'gtc', 130, 'partially_filled', 100.3 * 1.0002],
    ['market', 'ioc', 10, 'expired', null],
    ['limit', 'day', 130, 'expired', 100.3],
    ['limit', 'gtc', 130, 'partially_filled', 100.3],
    ['limit', 'ioc', 10, 'expired', null],
    ['stop', 'day', 120, 'expired', 100.3 * 1.0002],
    ['stop', 'gtc', 120, 'partially_filled', 100.3 * 1.0002],
    ['stop', 'ioc', 0, 'expired', null], // the first trade does not trigger it: nothing fills at once
    ['stop_limit', 'day', 120, 'expired', 100.3],
    ['stop_limit', 'gtc', 120, 'partially_filled', 100.3],
    ['stop_limit', 'ioc', 0, 'expired', null],
  ] as const;

  it.each(cases)('%s %s', async (type, tif, filled, status, barPrice) => {
    const { broker } = await startBroker();
    await broker.submit(
      request({
        qty: 150,
        type,
        tif,
        ...(type === 'limit' ? { limitPrice: 100.5 } : {}),
        ...(type === 'stop' ? { stopPrice: 100.2 } : {}),
        ...(type === 'stop_limit' ? { stopPrice: 100.2, limitPrice: 100.6 } : {}),
      }),
      OPEN,
    );
    broker.onTrade(trade(OPEN + 1_000, 99.8, 100));
    broker.onTrade(trade(OPEN + 2_000, 100.4, 200));
    broker.onBars([minuteBar(OPEN + MIN, [100.3, 100.5, 100.1, 100.4], 1_000)]);
    broker.onTime(CLOSE);
    const [order] = broker.orders({ open: false, limit: 1 });
    expect(order).toMatchObject({ status, filledQty: filled });
    const fills = broker.fills({ limit: 10 });
    expect(fills.reduce((sum, f) => sum + f.qty, 0)).toBe(filled);
    const fromBar = fills.find((f) => f.time === OPEN + MIN);
    if (barPrice === null) expect(fromBar).toBeUndefined();
    else expect(fromBar?.price).toBeCloseTo(barPrice, 10);
  });
});

describe('DemoBroker: fills on closed minute bars (replay)', () => {
  it('fills on closed 1m bars and ignores forming bars and other timeframes', async () => {
    const { broker } = await startBroker(new MemoryJournal(), REPLAY);
    await broker.submit(request({ qty: 150, type: 'limit', limitPrice: 100, tif: 'gtc' }), OPEN);
    broker.onBars([
      minuteBar(OPEN, [101, 101, 99, 100], 1_000, { closed: false }),
      minuteBar(OPEN, [101, 101, 99, 100], 5_000, { timeframe: '5m' }),
    ]);
    expect(broker.fills({ limit: 10 })).toEqual([]);
    broker.onBars([minuteBar(OPEN, [101, 101, 99, 100], 1_000)]);
    broker.onBars([minuteBar(OPEN + MIN, [99.5, 100, 99, 99.8], 1_000)]);
    expect(broker.fills({ limit: 10 }).map((f) => [f.qty, f.price, f.time])).toEqual([
      [50, 99.5, OPEN + MIN], // newest first: the rest, at the open (below the limit)
      [100, 100, OPEN], // min(limit, open) on the first bar, capped at 10 % of its 1 000 shares
    ]);
  });

  it('does not use the same closed minute twice when it is delivered again', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ qty: 500, tif: 'gtc' }), OPEN);
    const bar = minuteBar(OPEN, [100, 101, 99, 100], 1_000);
    broker.onBars([bar]);
    broker.onBars([bar]);
    expect(broker.fills({ limit: 10 })).toHaveLength(1);
  });

  it('never counts a minute twice when it came as trades and then as its closed bar', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ qty: 200, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1_000, 100, 100)); // 10 shares
    broker.onTrade(trade(OPEN + 2_000, 100.1, 100)); // 10 shares
    broker.onBars([minuteBar(OPEN, [100, 100.1, 100, 100.1], 200)]); // the same minute: not again
    expect(broker.fills({ limit: 10 }).map((f) => f.qty)).toEqual([10, 10]);
    // A minute without trades (a quiet symbol, or a replay): its closed bar fills.
    broker.onBars([minuteBar(OPEN + MIN, [100.2, 100.3, 100.1, 100.2], 300)]);
    expect(broker.fills({ limit: 10 }).map((f) => f.qty)).toEqual([30, 10, 10]);
  });

  it('takes a minute that had trades from its trades only, even when its closed bar reaches further', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ type: 'limit', limitPrice: 100, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1_000, 100.5)); // above the limit
    broker.onBars([minuteBar(OPEN, [100.5, 100.6, 99.8, 100.5], 500)]); // low 99.8, but the minute traded
    expect(broker.fills({ limit: 10 })).toEqual([]);
    broker.onBars([minuteBar(OPEN + MIN, [100.5, 100.6, 99.8, 100.5], 500)]); // no trades: the bar counts
    expect(broker.fills({ limit: 10 })[0]).toMatchObject({ qty: 10, price: 100, time: OPEN + MIN });
  });

  it('expires a day order with the session’s last bar; a gtc order keeps working', async () => {
    const { broker } = await startBroker();
    const day = await broker.submit(request({ type: 'limit', limitPrice: 90, tif: 'day' }), CLOSE - 5 * MIN);
    const gtc = await broker.submit(request({ type: 'limit', limitPrice: 90, tif: 'gtc' }), CLOSE - 5 * MIN);
    broker.onBars([minuteBar(CLOSE - MIN, [100, 100, 99, 100])]);
    const byId = new Map(broker.orders({ open: false, limit: 10 }).map((o) => [o.id, o]));
    expect(byId.get(day.id)).toMatchObject({
      status: 'expired',
      reason: 'day order expired at the session close',
    });
    expect(byId.get(gtc.id)!.status).toBe('new');
  });
});

describe('DemoBroker: fills on session bars (daily replay)', () => {
  it('fills on the next session’s 1D bar; a day order’s rest expires with it, a gtc order works on', async () => {
    const { broker } = await startBroker(new MemoryJournal(), REPLAY);
    const day = await broker.submit(request({ qty: 2_000, tif: 'day' }), CLOSE); // after the session
    const gtc = await broker.submit(request({ qty: 2_000, tif: 'gtc' }), CLOSE);
    const session = (open: number): Bar => minuteBar(open, [100, 102, 99, 101], 10_000, { timeframe: '1D' });
    broker.onBars([session(OPEN)]); // the session the orders came after: not theirs
    expect(broker.fills({ limit: 10 })).toEqual([]);
    broker.onBars([session(OPEN + DAY)]);
    const byId = new Map(broker.orders({ open: false, limit: 10 }).map((o) => [o.id, o]));
    expect(byId.get(day.id)).toMatchObject({ status: 'expired', filledQty: 1_000 });
    expect(byId.get(gtc.id)).toMatchObject({ status: 'partially_filled', filledQty: 1_000 });
    broker.onBars([session(OPEN + DAY)]); // the same session again: not counted twice
    broker.onBars([session(OPEN + 2 * DAY)]);
    expect(broker.orders({ open: false, limit: 10 }).find((o) => o.id === gtc.id)?.status).toBe('filled');
    expect(broker.fills({ limit: 10 }).map((f) => f.time)).toEqual([OPEN + 2 * DAY, OPEN + DAY, OPEN + DAY]);
  });
});

describe('DemoBroker: expiry on the clock', () => {
  it('expires day orders when the clock passes the close, even without data', async () => {
    const { broker, journal, heard } = await startBroker();
    const day = await broker.submit(request({ type: 'limit', limitPrice: 90 }), OPEN);
    const gtc = await broker.submit(request({ type: 'limit', limitPrice: 90, tif: 'gtc' }), OPEN);
    broker.onTime(CLOSE - 1);
    expect(broker.orders({ open: true, limit: 10 })).toHaveLength(2);
    broker.onTime(CLOSE);
    expect(broker.orders({ open: true, limit: 10 }).map((o) => o.id)).toEqual([gtc.id]);
    expect(journal.orderByClientId('demo', day.clientOrderId)?.status).toBe('expired');
    expect(heard.events.at(-1)).toBe(`order ${day.id} expired`);
  });

  it('a day order placed after the close lives until the next session’s close', async () => {
    const { broker } = await startBroker();
    await broker.submit(request({ type: 'limit', limitPrice: 90 }), CLOSE + 3_600_000);
    broker.onTime(CLOSE + 7_200_000);
    expect(broker.orders({ open: true, limit: 10 })).toHaveLength(1);
    broker.onTime(CLOSE + DAY);
    expect(broker.orders({ open: true, limit: 10 })).toHaveLength(0);
  });
});

describe('DemoBroker: cancel and replace', () => {
  it('cancels a working order at once; a second cancel is refused, an unknown id is not found', async () => {
    const { broker, journal, heard } = await startBroker();
    const order = await broker.submit(request({ type: 'limit', limitPrice: 90, tif: 'gtc' }), OPEN);
    const canceled = await broker.cancel(order.id, OPEN + 10);
    expect(canceled).toMatchObject({
      id: order.id,
      status: 'canceled',
      updatedAt: OPEN + 10,
      reason: 'canceled by the trader',
    });
    expect(journal.orderByClientId('demo', order.clientOrderId)?.status).toBe('canceled');
    expect(heard.events).toEqual([`order ${order.id} new`, `order ${order.id} canceled`]);
    await expect(broker.cancel(order.id, OPEN + 11)).rejects.toMatchObject({ kind: 'refused' });
    await expect(broker.cancel('D-999', OPEN + 11)).rejects.toMatchObject({ kind: 'not_found' });
    broker.onTrade(trade(OPEN + 20, 80));
    expect(broker.fills({ limit: 10 })).toEqual([]);
  });

  it('keeps the reason a cancel gives (a replay moving back, the kill switch)', async () => {
    const { broker } = await startBroker();
    const order = await broker.submit(request({ tif: 'gtc' }), OPEN);
    const canceled = await broker.cancel(order.id, OPEN + 1, 'the replay moved back in time');
    expect(canceled).toMatchObject({ status: 'canceled', reason: 'the replay moved back in time' });
  });

  it('keeps the order working when the cancel cannot be journaled', async () => {
    const { broker, journal } = await startBroker();
    const order = await broker.submit(request({ tif: 'gtc' }), OPEN);
    journal.failNext();
    await expect(broker.cancel(order.id, OPEN + 1)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(broker.orders({ open: true, limit: 1 })[0]!.status).toBe('new');
  });

  it('replaces a partly filled order: the old one ends replaced, the new one works the remaining shares', async () => {
    const { broker, journal, heard } = await startBroker();
    const old = await broker.submit(request({ qty: 30, type: 'limit', limitPrice: 100, tif: 'gtc' }), OPEN);
    broker.onTrade(trade(OPEN + 1, 100, 100)); // 10 of 30
    const replacement = await broker.replace(old.id, { clientOrderId: 'r-1', limitPrice: 99 }, OPEN + 2);
    expect(replacement).toMatchObject({
      id: 'D-2',
      clientOrderId: 'r-1',
      symbol: 'SPY',
      side: 'buy',
      type: 'limit',
      tif: 'gtc',
      qty: 20,
      limitPrice: 99,
      status: 'new',
      submittedAt: OPEN + 2,
    });
    expect(journal.orderByClientId('demo', old.clientOrderId)).toMatchObject({
      status: 'replaced',
      filledQty: 10,
    });
    expect(heard.events.slice(-2)).toEqual([`order ${old.id} replaced`, 'order D-2 new']);
    // A retry of the same replace answers with the same replacement.
    expect(await broker.replace(old.id, { clientOrderId: 'r-1', limitPrice: 99 }, OPEN + 3)).toEqual(
      replacement,
    );
    // The replacement works at its own limit; the old one no longer fills.
    broker.onTrade(trade(OPEN + 4, 99.5, 1_000));
    expect(broker.fills({ limit: 10 })).toHaveLength(1);
    broker.onTrade(trade(OPEN + 5, 99, 1_000));
    expect(broker.orders({ open: false, limit: 1 })[0]).toMatchObject({
      id: 'D-2',
      status: 'filled',
      filledQty: 20,
    });
  });

  it('refuses a replace of a final order, a used clientOrderId or changes the order cannot take', async () => {
    const { broker } = await startBroker();
    const market = await broker.submit(request({ clientOrderId: 'm', tif: 'gtc' }), OPEN);
    await expect(broker.replace(market.id, { clientOrderId: 'm' }, OPEN)).rejects.toMatchObject({
      kind: 'refused',
    });
    await expect(broker.replace(market.id, { clientOrderId: 'n', limitPrice: 5 }, OPEN)).rejects.toThrow(
      /takes no limit price/,
    );
    await expect(broker.replace('nope', { clientOrderId: 'n' }, OPEN)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await broker.cancel(market.id, OPEN);
    await expect(broker.replace(market.id, { clientOrderId: 'n' }, OPEN)).rejects.toMatchObject({
      kind: 'refused',
    });
  });
});

describe('DemoBroker: journal failures and restart', () => {
  it('does not book a fill it cannot journal; says so, and fills on the next trade', async () => {
    const { broker, journal, heard } = await startBroker();
    await broker.submit(request({ tif: 'gtc' }), OPEN);
    journal.failNext();
    broker.onTrade(trade(OPEN + 1, 100));
    expect(broker.fills({ limit: 10 })).toEqual([]);
    expect(broker.portfolio().cash).toBe(100_000);
    expect(broker.orders({ open: true, limit: 1 })[0]!.status).toBe('new');
    expect(heard.connections.at(-1)).toEqual({
      connected: true,
      message: 'journal write failed: disk I/O error (MemoryJournal.failNext)',
    });
    broker.onTrade(trade(OPEN + 2, 101));
    expect(broker.fills({ limit: 10 })[0]).toMatchObject({ id: 'F-1', price: 101 * 1.0002 });
    expect(heard.connections.at(-1)).toEqual({ connected: true, message: null });
  });

  it('restores orders, fills, cash and holdings exactly, and keeps filling a working order', async () => {
    const first = await startBroker();
    await first.broker.submit(request({ qty: 30, tif: 'gtc' }), OPEN);
    await first.broker.submit(request({ side: 'sell', qty: 5, type: 'limit', limitPrice: 200 }), OPEN);
    await first.broker.submit(request({ symbol: 'QQQ', qty: 3, tif: 'ioc' }), OPEN);
    first.broker.onTrade(trade(OPEN + 1, 100, 100));
    first.broker.onTrade(trade(OPEN + 2, 50, 100, 'QQQ'));
    const cancelMe = await first.broker.submit(
      request({ type: 'limit', limitPrice: 1, tif: 'gtc' }),
      OPEN + 3,
    );
    await first.broker.cancel(cancelMe.id, OPEN + 4);

    const second = await startBroker(first.journal);
    expect(second.broker.orders({ open: false, limit: 100 })).toEqual(
      first.broker.orders({ open: false, limit: 100 }),
    );
    expect(second.broker.fills({ limit: 100 })).toEqual(first.broker.fills({ limit: 100 }));
    expect(second.broker.portfolio()).toEqual(first.broker.portfolio());

    second.broker.onTrade(trade(OPEN + 10, 100.5, 100));
    expect(second.broker.fills({ limit: 1 })[0]).toMatchObject({ id: 'F-3', orderId: 'D-1', qty: 10 });
    expect((await second.broker.submit(request(), OPEN + 11)).id).toBe('D-5');
    expect(second.broker.portfolio()).toEqual(portfolioFromJournal(first.journal));
  });
});

describe('DemoBroker: the books always agree with the fills', () => {
  const orderArb = fc.record({
    side: fc.constantFrom('buy' as const, 'sell' as const),
    qty: fc.integer({ min: 1, max: 300 }),
    type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stop_limit' as const),
    tif: fc.constantFrom('day' as const, 'gtc' as const, 'ioc' as const),
    offset: fc.integer({ min: -300, max: 300 }),
    symbol: fc.constantFrom('SPY', 'QQQ'),
  });
  const stepArb = fc.oneof(
    fc.record({ kind: fc.constant('order' as const), order: orderArb }),
    fc.record({
      kind: fc.constant('trade' as const),
      symbol: fc.constantFrom('SPY', 'QQQ'),
      price: fc.integer({ min: 9_000, max: 11_000 }),
      size: fc.integer({ min: 0, max: 2_000 }),
    }),
    fc.record({
      kind: fc.constant('bar' as const),
      symbol: fc.constantFrom('SPY', 'QQQ'),
      low: fc.integer({ min: 9_000, max: 11_000 }),
      range: fc.integer({ min: 0, max: 300 }),
      volume: fc.integer({ min: 0, max: 5_000 }),
    }),
    fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant('replace' as const),
      pick: fc.nat(),
      qty: fc.integer({ min: 1, max: 300 }),
    }),
    fc.record({ kind: fc.constant('restart' as const) }),
    fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 200 }) }),
  );

  it('portfolio() equals cash entries + journaled fills, and a restart changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 60 }), async (steps) => {
        const journal = new MemoryJournal();
        let { broker } = await startBroker(journal);
        let now = OPEN;
        let n = 0;
        for (const step of steps) {
          now += 7_000;
          if (step.kind === 'order') {
            const o = step.order;
            const ref = 100 + o.offset / 100;
            const needsLimit = o.type === 'limit' || o.type === 'stop_limit';
            const needsStop = o.type === 'stop' || o.type === 'stop_limit';
            await broker.submit(
              {
                clientOrderId: `p-${n++}`,
                symbol: o.symbol,
                side: o.side,
                qty: o.qty,
                type: o.type,
                tif: o.tif,
                ...(needsLimit ? { limitPrice: ref } : {}),
                ...(needsStop ? { stopPrice: ref } : {}),
              },
              now,
            );
          } else if (step.kind === 'trade') {
            broker.onTrade({ symbol: step.symbol, time: now, price: step.price / 100, size: step.size });
          } else if (step.kind === 'bar') {
            const low = step.low / 100;
            const high = (step.low + step.range) / 100;
            broker.onBars([
              {
                symbol: step.symbol,
                timeframe: '1m',
                start: Math.floor(now / MIN) * MIN,
                open: high,
                high,
                low,
                close: low,
                volume: step.volume,
                closed: true,
              },
            ]);
          } else if (step.kind === 'cancel') {
            const open = broker.orders({ open: true, limit: 100 });
            if (open.length > 0) await broker.cancel(open[step.pick % open.length]!.id, now);
          } else if (step.kind === 'replace') {
            const open = broker.orders({ open: true, limit: 100 });
            const old = open[step.pick % Math.max(1, open.length)];
            if (old) await broker.replace(old.id, { clientOrderId: `p-${n++}`, qty: step.qty }, now);
          } else if (step.kind === 'time') {
            now += step.minutes * MIN;
            broker.onTime(now);
          } else {
            const before = {
              orders: broker.orders({ open: false, limit: 1_000 }),
              fills: broker.fills({ limit: 1_000 }),
              portfolio: broker.portfolio(),
            };
            broker.stop();
            ({ broker } = await startBroker(journal));
            expect({
              orders: broker.orders({ open: false, limit: 1_000 }),
              fills: broker.fills({ limit: 1_000 }),
              portfolio: broker.portfolio(),
            }).toEqual(before);
          }
          expect(broker.portfolio()).toEqual(portfolioFromJournal(journal));
        }
        // Every order's filled shares are the sum of its fills, and never above its qty.
        const fills = journal.load('demo').fills;
        for (const order of broker.orders({ open: false, limit: 1_000 })) {
          const filled = fills.filter((f) => f.orderId === order.id).reduce((s, f) => s + f.qty, 0);
          expect(filled).toBe(order.filledQty);
          expect(order.filledQty).toBeLessThanOrEqual(order.qty);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('DemoBroker: listing', () => {
  it('lists orders and fills newest first, open only and before a time when asked', async () => {
    const { broker } = await startBroker();
    const a = await broker.submit(request({ qty: 20, tif: 'gtc' }), OPEN);
    const b = await broker.submit(request({ type: 'limit', limitPrice: 1, tif: 'gtc' }), OPEN + 1);
    broker.onTrade(trade(OPEN + 2, 100));
    broker.onTrade(trade(OPEN + 3, 100));
    expect(broker.orders({ open: false, limit: 10 }).map((o) => o.id)).toEqual([b.id, a.id]);
    expect(broker.orders({ open: true, limit: 10 }).map((o) => o.id)).toEqual([b.id]);
    expect(broker.orders({ open: false, limit: 1 }).map((o) => o.id)).toEqual([b.id]);
    expect(broker.fills({ limit: 10 }).map((f) => f.time)).toEqual([OPEN + 3, OPEN + 2]);
    expect(broker.fills({ limit: 10, before: OPEN + 3 }).map((f) => f.time)).toEqual([OPEN + 2]);
    expect(DEFAULT_FILL_MODEL_CONFIG.maxParticipation).toBe(0.1); // the caps above assume it
  });
});
