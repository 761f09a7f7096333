/**
 * The order path (issue 15), each figure beside its physical floor:
 * - orders.place through the contract on a real demo engine (createDemoEngine, as createModeEngine starts
 *   it, on a temp database, wall clock, speed 1, the generated market running): p50/p99 of place → reply
 *   and place → the 'orders.changed' event carrying the new order, called in-process on the service's
 *   handlers and over the loopback WebSocket with the contract client (the CLI's connection). Each order is
 *   a limit buy below the market (it rests) and is cancelled before the next, so the book stays the same.
 *   The floor: one bare SQLite INSERT + COMMIT of the same row (the order's columns, no keys, no checks) in
 *   WAL mode with synchronous = NORMAL on this disk, as the store runs; beside it, the journal's own
 *   record() of one order (zod check + upsert in one transaction).
 * - A market order's place → its first fill event with trades flowing, in wall time at speed 1 (how long a
 *   trader waits), and what bounds it: the wait from the reply to the symbol's next trade on the bus.
 * - DemoBroker.onTrade with 0 / 10 / 100 / 1,000 working orders of the trade's symbol (limit buys the
 *   trades never reach, the common case of resting orders), and 1,000 working orders of other symbols:
 *   ns per trade and per order offered.
 * - Journal restore: DemoBroker.start over 10,000 orders + 10,000 fills in the SQLite journal, and of that
 *   the journal's load (read + zod check of every row).
 *
 * `TRM_BENCH_ORDERS=broker` runs only the two DemoBroker parts (a quick before/after of the broker's cost).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Order, OrderRequest, Trade } from '../src/shared/domain';
import { sampleOrder } from '../src/shared/test-support/sample-trading';
import type { BrokerListener } from '../src/main/broker/broker';
import { DemoBroker } from '../src/main/broker/demo/demo-broker';
import { connectWorkstation } from '../src/main/cli/engine-link';
import type { JournalOrder } from '../src/main/core/trading/journal';
import type { Engine } from '../src/main/engine/kernel';
import { createDemoEngine } from '../src/main/modes/demo';
import { systemTimers } from '../src/main/platform/clock';
import { createLogger } from '../src/main/platform/log';
import { openStore } from '../src/main/store/store';
import { MemoryJournal } from '../src/main/test-support/memory-journal';
import { startWebServer } from '../src/main/transport/web-server';
import { report, type Metric } from './lib/report';

const PLACES = 300;
const WARMUP_PLACES = 30;
const MARKET_FILLS = 12;
const RESTORE_ORDERS = 10_000;
const WORKING_COUNTS = [0, 10, 100, 1000] as const;
/** A Friday 10:00 New York: the generated market starts inside a session. */
const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0);
const NO_LISTENER: BrokerListener = { order() {}, fill() {}, connection() {} };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A journaled order like the ones the demo broker writes. */
function journalOrder(n: number, overrides: Partial<JournalOrder> = {}): JournalOrder {
  const time = FRIDAY_10AM + n;
  const limit = { type: 'limit', limitPrice: 500.25 } as const;
  return {
    ...sampleOrder({
      id: `D-${n}`,
      clientOrderId: `bench-${n}`,
      ...limit,
      submittedAt: time,
      updatedAt: time,
    }),
    stopTriggered: false,
    ...overrides,
  };
}

/** The floor: one row of the order's columns per INSERT + COMMIT, WAL, synchronous NORMAL; ms each. */
function bareInsertCommit(dir: string, count: number): number[] {
  const db = new Database(join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE orders (account TEXT, client_order_id TEXT, id TEXT, symbol TEXT, side TEXT,
    qty INTEGER, type TEXT, limit_price REAL, stop_price REAL, tif TEXT, status TEXT, filled_qty INTEGER,
    avg_fill_price REAL, submitted_at INTEGER, updated_at INTEGER, reason TEXT, stop_triggered INTEGER)`);
  const insert = db.prepare(
    'INSERT INTO orders VALUES (@account, @clientOrderId, @id, @symbol, @side, @qty, @type, @limitPrice, ' +
      '@stopPrice, @tif, @status, @filledQty, @avgFillPrice, @submittedAt, @updatedAt, @reason, @stopTriggered)',
  );
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const row = { account: 'demo', ...journalOrder(n), stopTriggered: 0 };
    const start = performance.now();
    begin.run();
    insert.run(row);
    commit.run();
    times.push(performance.now() - start);
  }
  db.close();
  return times;
}

/** The journal's record() of one new order (zod check + upsert, one transaction); ms each. */
function journalRecord(dir: string, count: number): number[] {
  const store = openStore(join(dir, 'record.sqlite'), { onWarning: () => undefined });
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const order = journalOrder(n);
    const start = performance.now();
    store.trading.record('demo', { orders: [order] });
    times.push(performance.now() - start);
  }
  store.close();
  return times;
}

interface PlaceTimes {
  reply: number[];
  event: number[];
}

/**
 * Places PLACES resting limit buys one after the other through `place`, each cancelled before the next;
 * `onChanged` registers the orders.changed listener. The first WARMUP_PLACES are not counted.
 */
async function placeLoop(
  label: string,
  price: () => number,
  place: (request: OrderRequest) => Promise<{ order: Order | null; denial: { message: string } | null }>,
  cancel: (id: string) => Promise<unknown>,
  onChanged: (listener: (orders: Order[]) => void) => void,
): Promise<PlaceTimes> {
  const times: PlaceTimes = { reply: [], event: [] };
  let waiting: { clientOrderId: string; start: number; seen: number | null } | null = null;
  onChanged((orders) => {
    const now = performance.now();
    if (waiting === null || waiting.seen !== null) return;
    if (orders.some((o) => o.clientOrderId === waiting!.clientOrderId && o.status === 'new')) {
      waiting.seen = now;
    }
  });
  for (let n = 0; n < WARMUP_PLACES + PLACES; n++) {
    const limit = Math.round(price() * 0.97 * 100) / 100;
    const request: OrderRequest = {
      clientOrderId: `${label}-${n}`,
      symbol: 'SPY',
      side: 'buy',
      qty: 1,
      type: 'limit',
      limitPrice: limit,
      tif: 'day',
    };
    const current = { clientOrderId: request.clientOrderId, start: performance.now(), seen: null };
    waiting = current;
    const result = await place(request);
    const replied = performance.now();
    if (result.order === null) throw new Error(`bench order refused: ${result.denial?.message}`);
    // The event may come after the reply over a socket: wait for it (a few ms at most).
    for (let k = 0; k < 200 && current.seen === null; k++) await sleep(1);
    if (current.seen === null) throw new Error(`no orders.changed for ${request.clientOrderId}`);
    if (n >= WARMUP_PLACES) {
      times.reply.push(replied - current.start);
      times.event.push(current.seen - current.start);
    }
    await cancel(result.order.id);
  }
  return times;
}

function placeMetrics(where: string, times: PlaceTimes): Metric[] {
  const reply = sorted(times.reply);
  const event = sorted(times.event);
  return [
    { name: `orders.place ${where}, place → reply p50`, value: percentile(reply, 0.5), unit: 'ms' },
    { name: `orders.place ${where}, place → reply p99`, value: percentile(reply, 0.99), unit: 'ms' },
    { name: `orders.place ${where}, place → orders.changed p50`, value: percentile(event, 0.5), unit: 'ms' },
    { name: `orders.place ${where}, place → orders.changed p99`, value: percentile(event, 0.99), unit: 'ms' },
  ];
}

/** orders.place in-process and over the WebSocket, and market orders' wait for a fill; on one engine. */
async function engineParts(dir: string, metrics: Metric[], details: Record<string, unknown>): Promise<void> {
  const log = createLogger('bench', 'warn');
  const engine: Engine = createDemoEngine({
    dbPath: join(dir, 'demo.sqlite'),
    seed: 7,
    speed: 1,
    startAt: FRIDAY_10AM,
    minuteSessions: 1,
    dailySessions: 5,
    timers: systemTimers,
    log,
  });
  const server = await startWebServer({ service: engine.service, port: 0, log });
  try {
    engine.start();
    await engine.trading!.idle();
    const { handlers, events } = engine.service;
    // Orders one after the other: lift the rate limit and the exposure limits, keep the rest.
    await handlers['trading.setLimits']({
      maxOrderNotional: 1e9,
      maxPositionNotional: 1e9,
      maxGrossExposure: 1e9,
      maxDailyLoss: 1e9,
      maxOrdersPerMinute: 1_000_000,
      priceBand: 0.1,
    });
    const last = new Map<string, { price: number; wall: number }>();
    engine.bus.subscribe('market.trade', (trade: Trade) => {
      last.set(trade.symbol, { price: trade.price, wall: performance.now() });
    });
    const started = performance.now();
    while (!last.has('SPY')) {
      if (performance.now() - started > 60_000) throw new Error('no SPY trade within 60 s of the start');
      await sleep(10);
    }
    const price = () => last.get('SPY')!.price;

    const inProcess = await placeLoop(
      'in',
      price,
      async (request) => handlers['orders.place'](request),
      async (id) => handlers['orders.cancel']({ id }),
      (listener) => events['orders.changed']({}, ({ orders }) => listener(orders)),
    );
    metrics.push(...placeMetrics('in-process', inProcess));

    const link = await connectWorkstation({
      pid: process.pid,
      url: `ws://127.0.0.1:${server.port}/ws`,
      token: server.token,
      mode: 'demo',
      db: join(dir, 'demo.sqlite'),
      startedAt: Date.now(),
    });
    try {
      const overSocket = await placeLoop(
        'ws',
        price,
        (request) => link.client.call('orders.place', request),
        (id) => link.client.call('orders.cancel', { id }),
        (listener) => {
          link.client.listen('orders.changed', {}, ({ orders }) => listener(orders));
        },
      );
      metrics.push(...placeMetrics('over the loopback WebSocket', overSocket));
    } finally {
      link.close();
    }

    // Market orders at speed 1: place → first fill event, and the reply → the symbol's next trade.
    const symbols = ['SPY', 'QQQ', 'AAPL', 'MSFT'].filter((s) => last.has(s));
    const toFill: number[] = [];
    const toNextTrade: number[] = [];
    let awaiting: { clientOrderId: string; resolve: (at: number) => void } | null = null;
    events['fills.new']({}, ({ fills }) => {
      const now = performance.now();
      if (awaiting !== null && fills.some((f) => f.clientOrderId === awaiting!.clientOrderId)) {
        const done = awaiting;
        awaiting = null;
        done.resolve(now);
      }
    });
    for (let n = 0; n < MARKET_FILLS; n++) {
      const symbol = symbols[n % symbols.length]!;
      const clientOrderId = `mkt-${n}`;
      const filled = new Promise<number>((resolve) => (awaiting = { clientOrderId, resolve }));
      let nextTrade: number | null = null;
      const off = engine.bus.subscribe('market.trade', (trade: Trade) => {
        if (trade.symbol === symbol && nextTrade === null) nextTrade = performance.now();
      });
      const start = performance.now();
      const result = await handlers['orders.place']({
        clientOrderId,
        symbol,
        side: n % 2 === 0 ? 'buy' : 'sell',
        qty: 1,
        type: 'market',
        tif: 'day',
      });
      const replied = performance.now();
      if (result.order === null) throw new Error(`market order refused: ${result.denial?.message}`);
      const fillAt = await Promise.race([filled, sleep(120_000).then(() => Number.NaN)]);
      off();
      if (Number.isNaN(fillAt)) throw new Error(`market order ${clientOrderId} not filled within 120 s`);
      toFill.push(fillAt - start);
      toNextTrade.push((nextTrade ?? fillAt) - replied);
    }
    const fill = sorted(toFill);
    const trade = sorted(toNextTrade);
    metrics.push(
      {
        name: 'market order at speed 1, place → first fill p50 (wall)',
        value: percentile(fill, 0.5),
        unit: 'ms',
      },
      { name: 'market order at speed 1, place → first fill max (wall)', value: fill.at(-1)!, unit: 'ms' },
      {
        name: 'bound: reply → next trade of the symbol p50 (wall)',
        value: percentile(trade, 0.5),
        unit: 'ms',
      },
      { name: 'bound: reply → next trade of the symbol max (wall)', value: trade.at(-1)!, unit: 'ms' },
    );
    details.marketOrders = { symbols, placeToFillMs: toFill, replyToNextTradeMs: toNextTrade };
  } finally {
    engine.stop();
    await server.close();
  }
}

/** CPU ns per onTrade with `working` resting limit buys of `symbol`, trades of `traded`. */
function onTradeCost(working: number, symbol: string, traded: string): number {
  const journal = new MemoryJournal();
  const broker = new DemoBroker({
    journal,
    account: 'demo',
    sessionClose: () => FRIDAY_10AM + 6 * 3_600_000,
  });
  void broker.start(NO_LISTENER);
  for (let n = 0; n < working; n++) {
    void broker.submit(
      {
        clientOrderId: `w-${n}`,
        symbol,
        side: 'buy',
        qty: 10,
        type: 'limit',
        limitPrice: 90 - (n % 50) * 0.01,
        tif: 'day',
      },
      FRIDAY_10AM,
    );
  }
  let time = FRIDAY_10AM + 1;
  const trade = (): void => {
    // Trades a millisecond apart inside the session, above every limit: nothing fills.
    broker.onTrade({ symbol: traded, time: time++, price: 100 + (time % 7) * 0.01, size: 100 });
  };
  const batch = working >= 1000 ? 200 : 2000;
  for (let k = 0; k < batch; k++) trade(); // warm-up
  // CPU time of this process, not wall time: the machine may be shared, and a descheduled moment is no
  // cost of the broker's.
  let trades = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < 600) {
    for (let k = 0; k < batch; k++) trade();
    trades += batch;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  if (broker.orders({ open: true, limit: 1_000_000 }).length !== working) {
    throw new Error('a resting order changed during the onTrade bench');
  }
  return (elapsed * 1e6) / trades;
}

function brokerParts(dir: string, metrics: Metric[], details: Record<string, unknown>): void {
  const perTrade: Record<string, number> = {};
  for (const working of WORKING_COUNTS) {
    const ns = onTradeCost(working, 'SPY', 'SPY');
    perTrade[String(working)] = ns;
    metrics.push({
      name: `DemoBroker.onTrade, ${working.toLocaleString('en-US')} working orders of the symbol`,
      value: ns,
      unit: 'ns/trade (CPU)',
    });
    if (working > 0) {
      metrics.push({
        name: `DemoBroker.onTrade, ${working.toLocaleString('en-US')} working orders, per order`,
        value: ns / working,
        unit: 'ns/order (CPU)',
      });
    }
  }
  const others = onTradeCost(1000, 'QQQ', 'SPY');
  metrics.push({
    name: 'DemoBroker.onTrade, 1,000 working orders of another symbol',
    value: others,
    unit: 'ns/trade (CPU)',
  });
  details.onTradeNsPerTrade = { ...perTrade, '1000 of another symbol': others };

  // Restore: 10,000 filled orders with one fill each, journaled in SQLite, then a fresh broker's start.
  const path = join(dir, 'restore.sqlite');
  const store = openStore(path, { onWarning: () => undefined });
  const fillTime = (n: number) => FRIDAY_10AM + n * 10 + 5;
  for (let n = 1; n <= RESTORE_ORDERS; n++) {
    const order = journalOrder(n, {
      status: 'filled',
      filledQty: 10,
      avgFillPrice: 500,
      updatedAt: fillTime(n),
      submittedAt: FRIDAY_10AM + n * 10,
      symbol: n % 2 === 0 ? 'SPY' : 'QQQ',
      side: n % 4 < 2 ? 'buy' : 'sell',
    });
    store.trading.record('demo', {
      orders: [order],
      fills: [
        {
          id: `F-${n}`,
          orderId: order.id,
          clientOrderId: order.clientOrderId,
          symbol: order.symbol,
          side: order.side,
          qty: 10,
          price: 500,
          fee: 1,
          time: fillTime(n),
        },
      ],
      ...(n === 1 ? { cash: [{ id: 'C-1', time: 0, amount: 100_000, reason: 'starting cash' }] } : {}),
    });
  }
  store.close();
  const loads: number[] = [];
  const starts: number[] = [];
  for (let run = 0; run < 5; run++) {
    const again = openStore(path, { onWarning: () => undefined });
    let start = performance.now();
    again.trading.load('demo');
    loads.push(performance.now() - start);
    const broker = new DemoBroker({ journal: again.trading, account: 'demo', sessionClose: () => 0 });
    start = performance.now();
    void broker.start(NO_LISTENER);
    starts.push(performance.now() - start);
    if (broker.fills({ limit: 1_000_000 }).length !== RESTORE_ORDERS) throw new Error('restore lost fills');
    again.close();
  }
  metrics.push(
    {
      name: 'journal restore: DemoBroker.start over 10,000 orders + 10,000 fills (SQLite), median of 5',
      value: percentile(sorted(starts), 0.5),
      unit: 'ms',
    },
    {
      name: 'the journal load alone (read + check every row), median of 5',
      value: percentile(sorted(loads), 0.5),
      unit: 'ms',
    },
  );
}

export default async function ordersBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-orders-bench-'));
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};
  try {
    if (process.env.TRM_BENCH_ORDERS !== 'broker') {
      const floor = sorted(bareInsertCommit(dir, 2000).slice(200));
      const record = sorted(journalRecord(dir, 2000).slice(200));
      metrics.push(
        {
          name: 'limit: bare SQLite INSERT + COMMIT of one order row (WAL) p50',
          value: percentile(floor, 0.5),
          unit: 'ms',
        },
        {
          name: 'limit: bare SQLite INSERT + COMMIT of one order row (WAL) p99',
          value: percentile(floor, 0.99),
          unit: 'ms',
        },
        { name: 'journal record() of one order p50', value: percentile(record, 0.5), unit: 'ms' },
        { name: 'journal record() of one order p99', value: percentile(record, 0.99), unit: 'ms' },
      );
      await engineParts(dir, metrics, details);
    }
    brokerParts(dir, metrics, details);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report('orders', metrics, { ...details, places: PLACES, marketOrders: details.marketOrders });
}
