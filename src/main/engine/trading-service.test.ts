/**
 * The trading service through its contract handlers, over a fake broker (orders kept in a MemoryJournal,
 * fills booked by the core portfolio) and in-memory settings: the risk gate in front of every order with
 * each rule named with its numbers, the kill switch, live arming, the day's-loss latch, replay rewinds,
 * strategy following and the events.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type {
  Bar,
  BrokerKind,
  EngineMode,
  Fill,
  Order,
  OrderRequest,
  PortfolioSnapshot,
  Prediction,
  RiskLimits,
  StrategyId,
  Trade,
  TradingStatus,
} from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { isTerminal, pendingOrder } from '../core/trading/order-state';
import { applyFill, emptyPortfolio, type Portfolio } from '../core/trading/portfolio';
import { DEFAULT_RISK_LIMITS } from '../core/trading/risk-rules';
import type { Broker, BrokerListener, OrderChanges } from '../broker/broker';
import { createMemoryLogger } from '../platform/log';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { MemoryJournal } from '../test-support/memory-journal';
import { TopicBus } from './bus';
import type { EngineTopics } from './topics';
import {
  REWIND_CANCEL_REASON,
  TradingService,
  type FollowingMode,
  type TradingSettings,
} from './trading-service';

/** Wednesday 2025-03-05, 10:00 New York (15:00 UTC): inside a regular session. */
const T0 = Date.UTC(2025, 2, 5, 15, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;
const KNOWN = ['SPY', 'QQQ', 'TLT', 'GLD', 'IWM', 'AAPL'];

class MemorySettings implements TradingSettings {
  readonly values = new Map<string, string>();
  get<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const text = this.values.get(key);
    if (text === undefined) return undefined;
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }
  set(key: string, value: unknown): void {
    this.values.set(key, JSON.stringify(value));
  }
}

/** A broker that keeps orders in a journal, fills only when the test says so, and books fills in a portfolio. */
class FakeBroker implements Broker {
  readonly accountLabel = 'Fake account';
  readonly submits: OrderRequest[] = [];
  readonly cancels: { id: string; reason: string | undefined }[] = [];
  readonly trades: Trade[] = [];
  readonly times: number[] = [];
  barsSeen = 0;
  stopped = false;
  private listener: BrokerListener | null = null;
  private book: Portfolio = emptyPortfolio(100_000);
  private allFills: Fill[] = [];
  private nextId = 1;

  constructor(
    readonly journal: MemoryJournal,
    readonly account: string,
    readonly kind: BrokerKind = 'demo',
  ) {}

  start(listener: BrokerListener): Promise<void> {
    this.listener = listener;
    const state = this.journal.load(this.account);
    this.nextId = state.orders.length + 1;
    this.allFills = state.fills;
    this.book = state.fills.reduce(applyFill, emptyPortfolio(100_000));
    return Promise.resolve();
  }
  stop(): void {
    this.stopped = true;
  }
  submit(request: OrderRequest, now: number): Promise<Order> {
    const known = this.journal.orderByClientId(this.account, request.clientOrderId);
    if (known) return Promise.resolve(strip(known));
    this.submits.push(request);
    // The desk acknowledges at once: the order works from the submit.
    const order: Order = { ...pendingOrder(`o${this.nextId++}`, request, now), status: 'new' };
    this.save(order);
    return Promise.resolve(order);
  }
  cancel(orderId: string, now: number, reason?: string): Promise<Order> {
    this.cancels.push({ id: orderId, reason });
    const order = this.byId(orderId);
    const canceled: Order = { ...order, status: 'canceled', updatedAt: now, reason: reason ?? 'cancelled' };
    this.save(canceled);
    return Promise.resolve(canceled);
  }
  replace(orderId: string, changes: OrderChanges, now: number): Promise<Order> {
    const order = this.byId(orderId);
    this.save({ ...order, status: 'replaced', updatedAt: now });
    return this.submit(
      {
        clientOrderId: changes.clientOrderId,
        symbol: order.symbol,
        side: order.side,
        qty: changes.qty ?? order.qty,
        type: order.type,
        tif: order.tif,
        ...(order.limitPrice !== null ? { limitPrice: changes.limitPrice ?? order.limitPrice } : {}),
        ...(order.stopPrice !== null ? { stopPrice: changes.stopPrice ?? order.stopPrice } : {}),
      },
      now,
    );
  }
  orders(filter: { open: boolean; limit: number }): Order[] {
    return this.journal
      .load(this.account)
      .orders.map(strip)
      .filter((o) => !filter.open || !isTerminal(o))
      .reverse()
      .slice(0, filter.limit);
  }
  fills(filter: { limit: number; before?: number }): Fill[] {
    return this.allFills
      .filter((f) => filter.before === undefined || f.time < filter.before)
      .reverse()
      .slice(0, filter.limit);
  }
  portfolio(): Portfolio {
    return this.book;
  }
  onTrade(trade: Trade): void {
    this.trades.push(trade);
  }
  onBars(bars: readonly Bar[]): void {
    this.barsSeen += bars.length;
  }
  onTime(now: number): void {
    this.times.push(now);
  }

  /** Fills `qty` of order `id` at `price` (journal first, then the listener). */
  fill(id: string, qty: number, price: number, time: number): void {
    const order = this.byId(id);
    const filledQty = order.filledQty + qty;
    const avg = ((order.avgFillPrice ?? 0) * order.filledQty + price * qty) / filledQty;
    const after: Order = {
      ...order,
      filledQty,
      avgFillPrice: avg,
      status: filledQty === order.qty ? 'filled' : 'partially_filled',
      updatedAt: time,
    };
    const fill: Fill = {
      id: `f${this.allFills.length + 1}`,
      orderId: id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      qty,
      price,
      fee: 0,
      time,
    };
    this.journal.record(this.account, { orders: [{ ...after, stopTriggered: false }], fills: [fill] });
    this.allFills.push(fill);
    this.book = applyFill(this.book, fill);
    this.listener?.fill(fill, after);
  }
  connectionChanged(connected: boolean, message: string | null): void {
    this.listener?.connection({ connected, message });
  }

  private byId(id: string): Order {
    const order = this.journal
      .load(this.account)
      .orders.map(strip)
      .find((o) => o.id === id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }
  private save(order: Order): void {
    this.journal.record(this.account, { orders: [{ ...order, stopTriggered: false }] });
    this.listener?.order(order);
  }
}

function strip(order: Order & { stopTriggered?: boolean }): Order {
  const { stopTriggered: _, ...rest } = order;
  return rest;
}

interface Desk {
  service: TradingService;
  broker: FakeBroker;
  bus: TopicBus<EngineTopics>;
  timers: ManualTimers;
  settings: MemorySettings;
  journal: MemoryJournal;
  log: ReturnType<typeof createMemoryLogger>;
  /** A trade (with the market clock at its time). */
  trade(symbol: string, price: number, time?: number): void;
  place(
    request: Partial<OrderRequest> & { symbol: string; qty: number },
  ): ReturnType<TradingService['handlers']['orders.place']>;
  /** Places a market order and fills it at `price`. */
  hold(symbol: string, qty: number, price: number): Promise<void>;
}

let idSeq = 0;

async function desk(
  options: {
    mode?: EngineMode;
    kind?: BrokerKind;
    following?: FollowingMode;
    settings?: MemorySettings;
    journal?: MemoryJournal;
    limits?: Partial<RiskLimits>;
    cashAccount?: boolean;
    start?: number;
    prediction?: Prediction | null;
  } = {},
): Promise<Desk> {
  const timers = manualTimers(options.start ?? T0);
  const bus = new TopicBus<EngineTopics>((_topic, error) => {
    throw error;
  });
  const settings = options.settings ?? new MemorySettings();
  const journal = options.journal ?? new MemoryJournal();
  const broker = new FakeBroker(journal, 'demo', options.kind ?? 'demo');
  const log = createMemoryLogger();
  const service = new TradingService({
    broker,
    settings,
    account: 'demo',
    following: options.following ?? 'automatic',
    mode: options.mode ?? 'demo',
    bus,
    timers,
    log,
    calendar: nyseCalendar,
    knownSymbol: (symbol) => KNOWN.includes(symbol),
    latestPrediction: () => options.prediction ?? null,
    ...(options.cashAccount !== undefined ? { cashAccount: options.cashAccount } : {}),
  });
  service.start();
  await service.idle();
  if (options.limits) {
    await service.handlers['trading.setLimits']({ ...DEFAULT_RISK_LIMITS, ...options.limits });
  }
  let clock = options.start ?? T0;
  const trade = (symbol: string, price: number, time = clock): void => {
    clock = time;
    bus.publish('market.time', time);
    bus.publish('market.trade', { symbol, price, size: 100, time });
  };
  const place: Desk['place'] = (request) =>
    service.handlers['orders.place']({
      clientOrderId: `c${++idSeq}`,
      side: 'buy',
      type: 'market',
      tif: 'day',
      ...request,
    });
  const hold = async (symbol: string, qty: number, price: number): Promise<void> => {
    const result = await place({ symbol, qty: Math.abs(qty), side: qty > 0 ? 'buy' : 'sell' });
    expect(result.denial).toBeNull();
    broker.fill(result.order!.id, Math.abs(qty), price, clock);
  };
  return { service, broker, bus, timers, settings, journal, log, trade, place, hold };
}

describe('TradingService: the risk gate names each rule with its numbers', () => {
  it('places an order that passes, through the broker, once per client order id', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const request = {
      clientOrderId: 'retry-1',
      symbol: 'SPY',
      side: 'buy',
      qty: 10,
      type: 'market',
      tif: 'day',
    } as const;
    const first = await d.service.handlers['orders.place'](request);
    const again = await d.service.handlers['orders.place'](request);
    expect(first.denial).toBeNull();
    expect(first.order).toMatchObject({ symbol: 'SPY', qty: 10, status: 'new' });
    expect(again.order!.id).toBe(first.order!.id);
    expect(d.broker.submits).toHaveLength(1);
  });

  it('refuses without journaling, placing or failing, and logs the refusal', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const writes = d.journal.writes;
    const result = await d.place({ symbol: 'SPY', qty: 60 });
    expect(result.order).toBeNull();
    expect(result.denial).toEqual({
      rule: 'max_order_notional',
      message: 'max_order_notional: 60 × $500 = $30,000 is above the $25,000 limit',
    });
    expect(d.broker.submits).toHaveLength(0);
    expect(d.journal.writes).toBe(writes);
    expect(d.log.lines.some((line) => line.includes('max_order_notional: 60 × $500'))).toBe(true);
  });

  it('unknown_symbol and no_price', async () => {
    const d = await desk();
    expect((await d.place({ symbol: 'ZZZZ', qty: 1 })).denial?.rule).toBe('unknown_symbol');
    const noPrice = await d.place({ symbol: 'QQQ', qty: 1 });
    expect(noPrice.denial?.rule).toBe('no_price');
    expect(noPrice.denial?.message).toContain('no last price for QQQ');
    // A bar's close is a price too.
    d.bus.publish('market.bars', [bar('QQQ', 400)]);
    expect((await d.place({ symbol: 'QQQ', qty: 1 })).denial).toBeNull();
  });

  it('max_position_notional counts the working orders in the position', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    expect((await d.place({ symbol: 'SPY', qty: 45 })).denial).toBeNull();
    expect((await d.place({ symbol: 'SPY', qty: 45 })).denial).toBeNull();
    const third = await d.place({ symbol: 'SPY', qty: 45 });
    expect(third.denial).toEqual({
      rule: 'max_position_notional',
      message:
        'max_position_notional: the position after the order, 135 × $500 = $67,500, is above the $50,000 limit',
    });
  });

  it('max_gross_exposure values the other positions at their last prices', async () => {
    const d = await desk({ limits: { maxGrossExposure: 50_000, maxOrderNotional: 50_000 } });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    await d.hold('SPY', 90, 500);
    d.trade('SPY', 510);
    const result = await d.place({ symbol: 'QQQ', qty: 20 });
    expect(result.denial).toEqual({
      rule: 'max_gross_exposure',
      message:
        'max_gross_exposure: the gross exposure after the order, $45,900 in other symbols + 20 × $400 in QQQ = ' +
        '$53,900, is above the $50,000 limit',
    });
  });

  it('max_orders_per_minute counts the submits of the last 60 s of market time', async () => {
    const d = await desk({ limits: { maxOrdersPerMinute: 2 } });
    d.trade('SPY', 500, T0);
    expect((await d.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
    d.trade('SPY', 500, T0 + 30_000);
    expect((await d.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
    const third = await d.place({ symbol: 'SPY', qty: 1 });
    expect(third.denial?.rule).toBe('max_orders_per_minute');
    expect(third.denial?.message).toContain(
      '2 orders were submitted in the last 60 s; the limit is 2 a minute',
    );
    d.trade('SPY', 500, T0 + MINUTE);
    expect((await d.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
  });

  it('price_band against the last trade', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const result = await d.place({ symbol: 'SPY', qty: 1, type: 'limit', limitPrice: 600 });
    expect(result.denial).toEqual({
      rule: 'price_band',
      message: 'price_band: the limit price $600 is 20% from the last price $500, beyond the 10% band',
    });
  });

  it('insufficient_cash in a cash account', async () => {
    const big = { maxOrderNotional: 1e9, maxPositionNotional: 1e9, maxGrossExposure: 1e9 };
    const d = await desk({ cashAccount: true, limits: big });
    d.trade('SPY', 500);
    const result = await d.place({ symbol: 'SPY', qty: 250 });
    expect(result.denial).toEqual({
      rule: 'insufficient_cash',
      message: 'insufficient_cash: 250 × $500 = $125,000 is above the cash of $100,000',
    });
    const margin = await desk({ limits: big });
    margin.trade('SPY', 500);
    expect((await margin.place({ symbol: 'SPY', qty: 250 })).denial).toBeNull();
  });

  it('orders.preview says what orders.place would, with the check price and notional, and places nothing', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const preview = await d.service.handlers['orders.preview']({
      clientOrderId: 'p1',
      symbol: 'SPY',
      side: 'buy',
      qty: 10,
      type: 'limit',
      limitPrice: 490,
      tif: 'day',
    });
    expect(preview).toEqual({ checkPrice: 490, notional: 4900, denial: null });
    const tooBig = await d.service.handlers['orders.preview']({
      clientOrderId: 'p2',
      symbol: 'SPY',
      side: 'buy',
      qty: 100,
      type: 'market',
      tif: 'day',
    });
    expect(tooBig.denial?.rule).toBe('max_order_notional');
    expect(d.broker.submits).toHaveLength(0);
  });

  it('a replacement passes the gate as a new order, without the order it replaces', async () => {
    const d = await desk({ limits: { maxPositionNotional: 30_000 } });
    d.trade('SPY', 500);
    const placed = await d.place({ symbol: 'SPY', qty: 40, type: 'limit', limitPrice: 495 });
    const far = await d.service.handlers['orders.replace']({
      id: placed.order!.id,
      clientOrderId: 'r-far',
      limitPrice: 400,
    });
    expect(far.denial?.rule).toBe('price_band');
    // 40 → 50 shares: a position of 50 × $498 = $24,900, under $30,000 (the 40 replaced are not counted).
    const bigger = await d.service.handlers['orders.replace']({
      id: placed.order!.id,
      clientOrderId: 'r-ok',
      qty: 50,
      limitPrice: 498,
    });
    expect(bigger.denial).toBeNull();
    expect(bigger.order).toMatchObject({ clientOrderId: 'r-ok', qty: 50, limitPrice: 498 });
    await expect(
      Promise.resolve().then(() =>
        d.service.handlers['orders.replace']({ id: 'nope', clientOrderId: 'r-x', qty: 1 }),
      ),
    ).rejects.toThrow(/no working order nope/);
  });
});

describe('TradingService: the kill switch', () => {
  it('cancels working orders, flattens, blocks new orders, and stays on across a restart', async () => {
    const settings = new MemorySettings();
    const journal = new MemoryJournal();
    const d = await desk({ settings, journal });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    await d.hold('SPY', 30, 500);
    await d.hold('QQQ', -10, 400);
    const working = await d.place({ symbol: 'SPY', qty: 5, type: 'limit', limitPrice: 490 });
    const statuses: TradingStatus[] = [];
    d.service.events['trading.statusChanged']({}, (s) => statuses.push(s));

    const status = await d.service.handlers['trading.killSwitch']({ on: true, flatten: true });
    expect(status.tradingState).toBe('halted');
    expect(status.stateReason).toContain('kill switch');
    expect(statuses.at(-1)?.tradingState).toBe('halted');
    expect(d.broker.cancels).toEqual([{ id: working.order!.id, reason: 'the kill switch is on' }]);
    const flattening = d.broker.submits.slice(-2).map((r) => [r.symbol, r.side, r.qty, r.type]);
    expect(flattening.sort()).toEqual([
      ['QQQ', 'buy', 10, 'market'],
      ['SPY', 'sell', 30, 'market'],
    ]);
    const refused = await d.place({ symbol: 'SPY', qty: 1, side: 'sell' });
    expect(refused.denial?.rule).toBe('trading_state');
    expect(refused.denial?.message).toContain('halted');

    // A restart over the same settings and journal: still halted.
    d.service.stop();
    expect(d.broker.stopped).toBe(true);
    const again = await desk({ settings, journal });
    again.trade('SPY', 500);
    expect(again.service.status().tradingState).toBe('halted');
    expect((await again.place({ symbol: 'SPY', qty: 1 })).denial?.rule).toBe('trading_state');
    const off = await again.service.handlers['trading.killSwitch']({ on: false, flatten: false });
    expect(off.tradingState).toBe('active');
    expect((await again.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
  });
});

describe('TradingService: live arming', () => {
  it('refuses every order until armed with the typed confirmation, and forgets arming on restart', async () => {
    const settings = new MemorySettings();
    const live = await desk({ mode: 'live', kind: 'live', settings });
    live.trade('SPY', 500);
    const refused = await live.place({ symbol: 'SPY', qty: 1 });
    expect(refused.denial?.rule).toBe('live_not_armed');
    expect(refused.denial?.message).toContain('TRADE LIVE');
    expect(live.broker.submits).toHaveLength(0);
    await expect(
      Promise.resolve().then(() => live.service.handlers['trading.armLive']({ confirmation: 'trade live' })),
    ).rejects.toThrow(/type TRADE LIVE exactly/);
    expect(live.service.status().liveArmed).toBe(false);
    const armed = await live.service.handlers['trading.armLive']({ confirmation: 'TRADE LIVE' });
    expect(armed.liveArmed).toBe(true);
    expect((await live.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
    const disarmed = await live.service.handlers['trading.disarmLive']({});
    expect(disarmed.liveArmed).toBe(false);
    await live.service.handlers['trading.armLive']({ confirmation: 'TRADE LIVE' });
    live.service.stop();

    const restarted = await desk({ mode: 'live', kind: 'live', settings });
    restarted.trade('SPY', 500);
    expect(restarted.service.status().liveArmed).toBe(false);
    expect((await restarted.place({ symbol: 'SPY', qty: 1 })).denial?.rule).toBe('live_not_armed');
  });

  it('paper and demo need no arming, and refuse to arm', async () => {
    const paper = await desk({ mode: 'paper', kind: 'paper' });
    paper.trade('SPY', 500);
    expect((await paper.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
    await expect(
      Promise.resolve().then(() => paper.service.handlers['trading.armLive']({ confirmation: 'TRADE LIVE' })),
    ).rejects.toThrow(/live mode only/);
  });
});

describe("TradingService: the day's-loss latch", () => {
  it('latches reducing past the limit, names max_daily_loss, keeps it through a bounce and a restart, and lifts it the next session', async () => {
    const settings = new MemorySettings();
    const journal = new MemoryJournal();
    const d = await desk({ settings, journal, limits: { maxOrderNotional: 50_000 } });
    d.trade('SPY', 500);
    await d.hold('SPY', 90, 500); // the first mark of the day: equity $100,000
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBe(0);
    d.trade('SPY', 477, T0 + 10 * MINUTE); // −$2,070
    const buy = await d.place({ symbol: 'SPY', qty: 1 });
    expect(buy.denial).toEqual({
      rule: 'max_daily_loss',
      message:
        "max_daily_loss: the day's P&L of -$2,070 passed the -$2,000 limit; only orders that shrink a position " +
        'pass until the next session',
    });
    expect(d.service.status()).toMatchObject({ tradingState: 'reducing' });
    expect((await d.place({ symbol: 'SPY', qty: 10, side: 'sell' })).denial).toBeNull();

    d.trade('SPY', 505, T0 + 20 * MINUTE); // a bounce does not lift the latch
    expect((await d.place({ symbol: 'SPY', qty: 1 })).denial?.rule).toBe('max_daily_loss');
    d.service.stop();

    const again = await desk({ settings, journal, start: T0 + 30 * MINUTE });
    again.trade('SPY', 505, T0 + 30 * MINUTE);
    expect((await again.place({ symbol: 'SPY', qty: 1 })).denial?.rule).toBe('max_daily_loss');
    // The next session (Thursday 10:00 New York): a new day, active again, P&L from this first mark.
    again.trade('SPY', 505, T0 + DAY);
    expect((await again.place({ symbol: 'SPY', qty: 1 })).denial).toBeNull();
    expect(again.service.status().tradingState).toBe('active');
    expect((await again.service.handlers['trading.portfolio']({})).account.dayPnl).toBe(0);
  });
});

describe('TradingService: the trading day on a simulated clock', () => {
  it("keeps the kept day until the feed says what time it is (the wall's date is not the market's)", async () => {
    const settings = new MemorySettings();
    const journal = new MemoryJournal();
    const d = await desk({ settings, journal, limits: { maxOrderNotional: 50_000 } });
    d.trade('SPY', 500);
    await d.hold('SPY', 90, 500);
    d.trade('SPY', 470, T0 + MINUTE);
    await d.service.handlers['trading.portfolio']({});
    expect(d.service.status().tradingState).toBe('reducing');
    d.service.stop();
    // A restart a week later on the wall clock: the demo world resumes on its own date.
    const again = await desk({ settings, journal, start: T0 + 7 * DAY });
    const portfolio = await again.service.handlers['trading.portfolio']({});
    expect(again.service.status().tradingState).toBe('reducing');
    expect(portfolio.account.dayPnl).toBe(0); // no price yet: SPY valued at its cost against the kept base
    again.trade('SPY', 470, T0 + 2 * MINUTE);
    expect((await again.service.handlers['trading.portfolio']({})).account.dayPnl).toBeCloseTo(-2700);
    expect(again.service.status().tradingState).toBe('reducing');
  });
});

describe('TradingService: events', () => {
  it('forwards order changes and fills, and sends the portfolio at once after a fill and at most once a second as prices move', async () => {
    const d = await desk();
    const orders: Order[] = [];
    const fills: Fill[] = [];
    const snapshots: PortfolioSnapshot[] = [];
    d.service.events['orders.changed']({}, ({ orders: o }) => orders.push(...o));
    d.service.events['fills.new']({}, ({ fills: f }) => fills.push(...f));
    d.service.events['trading.portfolioChanged']({}, (s) => snapshots.push(s));
    d.trade('SPY', 500);
    expect(snapshots).toHaveLength(0); // nothing held: prices alone change nothing
    await d.hold('SPY', 10, 500);
    expect(orders.map((o) => o.status)).toEqual(['new', 'filled']);
    expect(fills).toHaveLength(1);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.positions).toMatchObject([{ symbol: 'SPY', qty: 10 }]);

    for (let i = 1; i <= 5; i++) d.trade('SPY', 500 + i);
    expect(snapshots).toHaveLength(1);
    d.timers.advance(1000);
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1]!.account.unrealizedPnl).toBeCloseTo(50);
    d.timers.advance(5000);
    expect(snapshots).toHaveLength(2); // no move, no event
  });

  it('feeds the broker the running market and reports its connection in the status', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    d.bus.publish('market.bars', [bar('SPY', 501)]);
    expect(d.broker.trades).toHaveLength(1);
    expect(d.broker.barsSeen).toBe(1);
    expect(d.broker.times).toEqual([T0]);
    expect(d.service.status()).toMatchObject({ connected: true, message: null, broker: 'demo' });
    d.broker.connectionChanged(false, 'connection lost; retrying');
    expect(d.service.status()).toMatchObject({ connected: false, message: 'connection lost; retrying' });
  });

  it('keeps running when the broker cannot start, saying why in the status', async () => {
    const broker = new FakeBroker(new MemoryJournal(), 'demo');
    broker.start = () => {
      throw new Error('the journal is unreadable (database disk image is malformed)');
    };
    const service = new TradingService({
      broker,
      settings: new MemorySettings(),
      account: 'demo',
      following: 'automatic',
      mode: 'demo',
      bus: new TopicBus<EngineTopics>(() => {}),
      timers: manualTimers(T0),
      log: createMemoryLogger(),
      calendar: nyseCalendar,
      knownSymbol: () => true,
      latestPrediction: () => null,
    });
    expect(() => service.start()).not.toThrow();
    await service.idle();
    expect(service.status()).toMatchObject({
      connected: false,
      message: 'The broker did not start: the journal is unreadable (database disk image is malformed)',
    });
  });

  it('cancels the working orders when a replay moves back in time', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const working = await d.place({ symbol: 'SPY', qty: 5, type: 'limit', limitPrice: 490 });
    d.bus.publish('market.rewound', T0 - DAY);
    await d.service.idle();
    expect(d.broker.cancels).toEqual([{ id: working.order!.id, reason: REWIND_CANCEL_REASON }]);
    // Prices from the replay's future are forgotten.
    expect((await d.place({ symbol: 'SPY', qty: 1 })).denial?.rule).toBe('no_price');
  });

  it('sends the portfolio after a replay moved back, its positions no longer marked at the future prices', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    await d.hold('SPY', 10, 500);
    d.trade('SPY', 520);
    const snapshots: PortfolioSnapshot[] = [];
    d.service.events['trading.portfolioChanged']({}, (s) => snapshots.push(s));
    d.bus.publish('market.rewound', T0 - DAY);
    await d.service.idle();
    expect(snapshots.at(-1)?.positions).toMatchObject([{ symbol: 'SPY', qty: 10, marketPrice: null }]);
  });
});

describe('TradingService: strategy following', () => {
  const big = { maxOrderNotional: 1e6, maxPositionNotional: 1e6, maxGrossExposure: 1e6 };

  it('automatic (demo, replay): a new prediction plans and places, sells first, and only its newest of a burst', async () => {
    const d = await desk({ limits: big });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    d.trade('AAPL', 200);
    await d.hold('AAPL', 50, 200);
    await d.service.handlers['strategy.setFollow']({ enabled: true });
    const before = d.broker.submits.length;
    d.bus.publish('signals.prediction', prediction('max_growth', T0 - DAY)); // older, same burst
    d.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
    d.timers.drain();
    await d.service.idle();
    // Equity $100,000: SPY 50 % → 100 shares, QQQ 30 % → 75, IWM 20 % has no price; AAPL is sold first.
    expect(d.broker.submits.slice(before).map((r) => [r.side, r.qty, r.symbol])).toEqual([
      ['sell', 50, 'AAPL'],
      ['buy', 75, 'QQQ'],
      ['buy', 100, 'SPY'],
    ]);
    expect(d.log.lines.some((l) => l.includes('following aggressive_growth: 3 order(s) placed'))).toBe(true);
  });

  it('acts on a prediction once: not again after a restart, again after a replay moved back before it', async () => {
    const settings = new MemorySettings();
    const journal = new MemoryJournal();
    const d = await desk({ limits: { ...big, maxDailyLoss: 1e6 }, settings, journal });
    d.trade('SPY', 500);
    await d.service.handlers['strategy.setFollow']({ enabled: true });
    const follow = async (desk: Desk): Promise<void> => {
      desk.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
      desk.timers.drain();
      await desk.service.idle();
    };
    await follow(d);
    expect(d.broker.submits.map((r) => [r.side, r.qty, r.symbol])).toEqual([['buy', 100, 'SPY']]);
    d.broker.fill(d.broker.orders({ open: true, limit: 1 })[0]!.id, 100, 500, T0);
    d.service.stop();

    // At $400 the same decision would buy 12 more (50 % of $90,000): a restart does not act on it again.
    const again = await desk({ settings, journal });
    again.trade('SPY', 400);
    await follow(again);
    expect(again.broker.submits).toEqual([]);
    // Seek back before the decision: the decision is acted on again when the replay reaches it.
    again.bus.publish('market.rewound', T0 - MINUTE);
    await again.service.idle();
    again.trade('SPY', 400, T0 - MINUTE);
    await follow(again);
    expect(again.broker.submits.map((r) => [r.side, r.qty, r.symbol])).toEqual([['buy', 12, 'SPY']]);
  });

  it('following off, or confirmed (paper, live): a prediction places nothing; strategy.rebalance places the previewed plan', async () => {
    const off = await desk({ limits: big });
    off.trade('SPY', 500);
    off.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
    off.timers.drain();
    await off.service.idle();
    expect(off.broker.submits).toHaveLength(0);

    const d = await desk({ mode: 'paper', kind: 'paper', following: 'confirmed', limits: big });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    await d.service.handlers['strategy.setFollow']({ enabled: true });
    d.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
    d.timers.drain();
    await d.service.idle();
    expect(d.broker.submits).toHaveLength(0);
    expect(d.service.status().following).toEqual({ enabled: true, automatic: false });

    const plan = await d.service.handlers['strategy.plan']({});
    expect(plan.strategy).toBe('aggressive_growth');
    expect(
      plan.lines.map((l) => [l.symbol, l.targetQty, l.order?.qty ?? null, l.denial?.rule ?? null]),
    ).toEqual([
      ['QQQ', 75, 75, null],
      ['SPY', 100, 100, null],
      ['IWM', 0, null, 'no_price'],
    ]);
    const { results } = await d.service.handlers['strategy.rebalance']({ planId: plan.id });
    expect(results.map((r) => r.order?.symbol)).toEqual(['QQQ', 'SPY']);
    // Its orders are on their way: the plan is stale, and a new one buys nothing twice.
    const submitted = d.broker.submits.length;
    await expect(
      Promise.resolve().then(() => d.service.handlers['strategy.rebalance']({ planId: plan.id })),
    ).rejects.toThrow(/the plan changed; preview again/i);
    expect(d.broker.submits).toHaveLength(submitted);
    const next = await d.service.handlers['strategy.plan']({});
    expect(next.lines.filter((l) => l.order !== null)).toEqual([]);
    // A fill does not change what is on its way: still nothing to do.
    d.broker.fill(results[0]!.order!.id, 75, 400, T0);
    const afterFill = await d.service.handlers['strategy.plan']({});
    expect(afterFill.lines.filter((l) => l.order !== null)).toEqual([]);
    expect(afterFill.lines.find((l) => l.symbol === 'QQQ')).toMatchObject({ currentQty: 75, targetQty: 75 });
  });

  it("checks a plan's later lines as if its earlier orders were working", async () => {
    // Gross exposure limit $60,000 with $50,000 of AAPL: the AAPL sale makes room for the buys.
    const d = await desk({ limits: { ...big, maxGrossExposure: 60_000 } });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    d.trade('IWM', 200);
    d.trade('AAPL', 200);
    await d.hold('AAPL', 250, 200);
    d.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
    const plan = await d.service.handlers['strategy.plan']({});
    const rules = Object.fromEntries(plan.lines.map((l) => [l.symbol, l.denial?.rule ?? null]));
    expect(rules).toEqual({ AAPL: null, IWM: null, QQQ: null, SPY: 'max_gross_exposure' });
    // A symbol of the strategy the workstation does not follow (not in its universe) stays in cash.
    d.bus.publish('signals.prediction', prediction('balanced_growth', T0 + DAY));
    const efa = (await d.service.handlers['strategy.plan']({})).lines.find((l) => l.symbol === 'EFA');
    expect(efa?.denial).toEqual({
      rule: 'unknown_symbol',
      message: 'unknown_symbol: EFA is not a symbol this workstation follows; its 10% stays in cash',
    });
  });

  it('slices a rebalance trade above the max order notional so the default limits let it through', async () => {
    // Default limits: $25,000 a ticket. SPY 50 % of $100,000 at $500 is 100 shares ($50,000): three slices
    // of at most 95 % of the limit, all placed, none refused.
    const d = await desk({ limits: { ...DEFAULT_RISK_LIMITS, maxPositionNotional: 60_000 } });
    d.trade('SPY', 500);
    d.trade('QQQ', 400);
    d.bus.publish('signals.prediction', prediction('aggressive_growth', T0));
    const plan = await d.service.handlers['strategy.plan']({});
    const spy = plan.lines.find((l) => l.symbol === 'SPY')!;
    expect(spy.order?.qty).toBe(100);
    expect(spy.orders.map((o) => o.qty)).toEqual([34, 33, 33]);
    expect(spy.denial).toBeNull();
    const { results } = await d.service.handlers['strategy.rebalance']({ planId: plan.id });
    expect(results.every((r) => r.denial === null)).toBe(true);
    expect(d.broker.submits.map((r) => [r.symbol, r.qty])).toEqual([
      ['QQQ', 38],
      ['QQQ', 37],
      ['SPY', 34],
      ['SPY', 33],
      ['SPY', 33],
    ]);
  });

  it('strategy.plan fails plainly before the first prediction', async () => {
    const d = await desk();
    await expect(Promise.resolve().then(() => d.service.handlers['strategy.plan']({}))).rejects.toThrow(
      /no prediction yet/,
    );
  });
});

describe('TradingService: a client order id names one order', () => {
  it('answers a retry with the order, and refuses a different order under a used id, naming it', async () => {
    const d = await desk();
    d.trade('QQQ', 640);
    const request = {
      clientOrderId: 'my-q-1',
      symbol: 'QQQ',
      side: 'buy',
      qty: 4,
      type: 'limit',
      limitPrice: 640,
      tif: 'gtc',
    } as const;
    const first = await d.service.handlers['orders.place'](request);
    expect((await d.service.handlers['orders.place'](request)).order!.id).toBe(first.order!.id);
    const other = { ...request, side: 'sell', qty: 9, type: 'market', limitPrice: undefined } as const;
    const refused = Promise.resolve().then(() => d.service.handlers['orders.place'](other));
    await expect(refused).rejects.toMatchObject({
      code: 'BAD_PARAMS',
      message: `client order id my-q-1 is already buy 4 QQQ limit 640.00 gtc (${first.order!.id}); use a new id`,
    });
    expect(d.broker.submits).toHaveLength(1);
  });

  it('refuses an order the broker already holds under that id (placed elsewhere)', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const elsewhere = { ...pendingOrder('x9', sampleRequest('ext-1', 3), T0), status: 'new' } as const;
    d.journal.record('demo', { orders: [{ ...elsewhere, stopTriggered: false }] });
    const refused = Promise.resolve().then(() =>
      d.service.handlers['orders.place'](sampleRequest('ext-1', 5)),
    );
    await expect(refused).rejects.toThrow(/^client order id ext-1 is already buy 3 SPY market day \(x9\)/);
  });

  it('answers a retried replacement with it, and refuses the id for another replacement or the old order', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const placed = await d.place({ symbol: 'SPY', qty: 4, type: 'limit', limitPrice: 495, tif: 'gtc' });
    const id = placed.order!.id;
    const replace = { id, clientOrderId: 'r-1', limitPrice: 496 };
    const first = await d.service.handlers['orders.replace'](replace);
    expect((await d.service.handlers['orders.replace'](replace)).order!.id).toBe(first.order!.id);
    const otherPrice = Promise.resolve().then(() =>
      d.service.handlers['orders.replace']({ ...replace, limitPrice: 497 }),
    );
    await expect(otherPrice).rejects.toThrow(/client order id r-1 is already buy 4 SPY limit 496.00 gtc/);
    const ownId = Promise.resolve().then(() =>
      d.service.handlers['orders.replace']({ id: first.order!.id, clientOrderId: 'r-1', qty: 2 }),
    );
    await expect(ownId).rejects.toThrow(/client order id r-1 is already/);
    expect(d.broker.submits).toHaveLength(2);
  });
});

describe('TradingService: a second cancel', () => {
  it('answers with the cancelled order, and says plainly when the order already filled', async () => {
    const d = await desk();
    d.trade('SPY', 500);
    const placed = await d.place({ symbol: 'SPY', qty: 2, type: 'limit', limitPrice: 495, tif: 'gtc' });
    const id = placed.order!.id;
    const first = await d.service.handlers['orders.cancel']({ id });
    const again = await d.service.handlers['orders.cancel']({ id });
    expect(again).toEqual(first);
    expect(d.broker.cancels).toHaveLength(1);
    const filled = await d.place({ symbol: 'SPY', qty: 1 });
    d.broker.fill(filled.order!.id, 1, 500, T0);
    await expect(
      Promise.resolve().then(() => d.service.handlers['orders.cancel']({ id: filled.order!.id })),
    ).rejects.toThrow(/is already filled; there is nothing left to cancel/);
  });
});

describe("TradingService: the day's P&L counts from the previous session's close", () => {
  const open = (day: number) => Date.UTC(2025, 2, 5 + day, 14, 30); // Wednesday + day, 9:30 New York
  const close = (day: number) => Date.UTC(2025, 2, 5 + day, 21, 0);

  it("minute cadence: the overnight gap is in the new day's P&L", async () => {
    const d = await desk({ limits: { maxOrderNotional: 50_000 } });
    d.trade('SPY', 500);
    await d.hold('SPY', 90, 500);
    d.trade('SPY', 510, close(0) - MINUTE);
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBeCloseTo(900);
    d.trade('SPY', 505, open(1));
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBeCloseTo(-450);
  });

  it('daily cadence: the day marked once, at its close, has its move, and max_daily_loss latches', async () => {
    const d = await desk({ limits: { maxOrderNotional: 50_000 }, start: open(0) });
    const session = (day: number, price: number): void => {
      d.bus.publish('market.bars', [{ ...bar('SPY', price), timeframe: '1D', start: open(day) }]);
      d.bus.publish('market.time', close(day));
    };
    session(0, 500);
    const buy = await d.place({ symbol: 'SPY', qty: 90 });
    d.broker.fill(buy.order!.id, 90, 500, close(0));
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBe(0);
    session(1, 477); // no mark between the two closes
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBeCloseTo(-2070);
    expect(d.service.status().tradingState).toBe('reducing');
    session(2, 480);
    expect((await d.service.handlers['trading.portfolio']({})).account.dayPnl).toBeCloseTo(270);
    expect(d.service.status().tradingState).toBe('active');
  });
});

function sampleRequest(clientOrderId: string, qty: number): OrderRequest {
  return { clientOrderId, symbol: 'SPY', side: 'buy', qty, type: 'market', tif: 'day' };
}

function bar(symbol: string, close: number): Bar {
  return {
    symbol,
    timeframe: '1m',
    start: T0,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1000,
    closed: true,
  };
}

function prediction(strategy: StrategyId, time: number): Prediction {
  return {
    barStart: time - 6.5 * 3_600_000,
    time,
    modelVersion: 'test',
    strategy,
    probabilities: [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125],
    haltProbability: 0.5,
    features: [],
    imputed: 0,
  };
}
