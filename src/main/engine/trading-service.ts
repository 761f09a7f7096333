/**
 * The trading area of the engine: the risk gate in front of the mode's broker, the trading state (kill
 * switch, the day's-loss latch), live arming, strategy following, and the `orders.*`, `fills.*`,
 * `trading.*` and `strategy.*` calls and events of src/shared/api/trading.ts. The service never knows which
 * broker is behind the port (demo, Alpaca paper, Alpaca live): only `broker.kind` names it in the status.
 *
 * Every order goes through one gate (`check`): live arming first (live mode), then core checkOrder with the
 * moment built here: the broker's portfolio marked to the last prices seen on the bus ('market.trade', the
 * closes of 'market.bars'), positions and gross exposure net of the working orders (two sells that each
 * reduce could together flip a position), market time from 'market.time', the submits of the last minute,
 * the day's P&L against the previous session's closing equity (as brokers count it), and the limits kept
 * in the settings. The trader's orders, the CLI's, the strategy follower's and replacements all pass it;
 * only the kill switch's flattening orders bypass it (they are what a halted desk must still send).
 *
 * What outlives a restart lives in the settings of the journal's database, per account: the trading state
 * and its reason (a halted desk stays halted), the limits, the day's start equity and whether the day's
 * loss latched, and whether strategy following is on. Live arming is never kept: false after every start.
 *
 * Events: orders.changed and fills.new are forwarded from the broker's listener (the broker journaled them
 * first); trading.portfolioChanged goes out at once after a fill and, as prices move, at most once a
 * `portfolioIntervalMs` (wall); trading.statusChanged on every change of the status.
 *
 * Units: shares, dollars, epoch ms UTC (market time unless said otherwise).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EventSources, RequestHandlers } from '../../shared/api';
import {
  LIVE_ARM_CONFIRMATION,
  OrderRequestSchema,
  RiskLimitsSchema,
  TradingStateSchema,
  type EngineMode,
  type Fill,
  type Order,
  type OrderPreview,
  type OrderRequest,
  type PlaceOrderResult,
  type PortfolioSnapshot,
  type Prediction,
  type RebalancePlan,
  type RiskDenial,
  type RiskLimits,
  type TradingState,
  type TradingStatus,
} from '../../shared/domain';
import { describeIssues, EngineError } from '../../shared/protocol';
import type { SessionCalendar } from '../core/calendar';
import { STRATEGIES } from '../core/signals/strategies';
import { isTerminal, remainingQty } from '../core/trading/order-state';
import { markToMarket, type Portfolio } from '../core/trading/portfolio';
import { planRebalance } from '../core/trading/rebalance';
import {
  checkOrder,
  DEFAULT_RISK_LIMITS,
  formatDollars,
  ORDER_RATE_WINDOW_MS,
  orderCheckPrice,
  type RiskContext,
} from '../core/trading/risk-rules';
import { afterDayPnl, killSwitch, startTradingDay } from '../core/trading/trading-state';
import type { Broker, BrokerListener } from '../broker/broker';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { TopicBus } from './bus';
import type { EngineTopics } from './topics';

/** The settings the service keeps (the journal's database's SettingsRepository satisfies it). */
export interface TradingSettings {
  get<T>(key: string, schema: z.ZodType<T>): T | undefined;
  set(key: string, value: unknown): void;
}

/** automatic: each new prediction is followed at once (demo, replay); confirmed: via strategy.rebalance only. */
export type FollowingMode = 'automatic' | 'confirmed';

/** What a mode plugs in for trading (EngineParts.trading). */
export interface TradingParts {
  broker: Broker;
  /** The settings of the database that holds the broker's journal (a replay: the market database's). */
  settings: TradingSettings;
  /** The journal's account key: 'demo', a replay run's 'replay:<run start>', 'alpaca-paper', 'alpaca-live'. */
  account: string;
  following: FollowingMode;
  /** A cash account: buys may not cost more than the cash (insufficient_cash). Default false (margin). */
  cashAccount?: boolean;
  /** A rebalance trade worth less than this is not made, dollars. Default MIN_TRADE_DOLLARS. */
  minTradeDollars?: number;
  /**
   * Paper mode's shadow: a demo broker (its own journal account) fed the same market data and sent a copy
   * of every order the real broker accepted, same client order id and market time, and every cancel and
   * replace, for the demo-versus-paper divergence report (`trm divergence`). Invisible to clients (no
   * events, no status), never risk-checked; it acts after the real call resolved, and its failures are
   * logged, never thrown.
   */
  shadow?: Broker;
}

export interface TradingServiceParts extends TradingParts {
  mode: EngineMode;
  bus: TopicBus<EngineTopics>;
  timers: Timers;
  log: Logger;
  calendar: SessionCalendar;
  /** Whether the workstation knows the symbol (its feed's universe). */
  knownSymbol: (symbol: string) => boolean;
  /** The newest stored prediction of the strategy model, or null (store.predictions). */
  latestPrediction: () => Prediction | null;
  /** Wall ms between two portfolio events caused by price moves (default 1000). */
  portfolioIntervalMs?: number;
}

export type TradingHandlers = Pick<
  RequestHandlers,
  | 'trading.status'
  | 'trading.portfolio'
  | 'orders.place'
  | 'orders.preview'
  | 'orders.cancel'
  | 'orders.replace'
  | 'orders.list'
  | 'fills.list'
  | 'trading.killSwitch'
  | 'trading.setLimits'
  | 'trading.armLive'
  | 'trading.disarmLive'
  | 'strategy.plan'
  | 'strategy.rebalance'
  | 'strategy.setFollow'
  | 'trading.shadowExecutions'
>;
export type TradingEvents = Pick<
  EventSources,
  'trading.statusChanged' | 'orders.changed' | 'fills.new' | 'trading.portfolioChanged'
>;

/** A rebalance slice is worth at most this share of the max order notional (a margin for price moves). */
export const SLICE_SHARE_OF_LIMIT = 0.95;
/** Rebalance trades below this many dollars are not made: their fees and noise outweigh them. */
export const MIN_TRADE_DOLLARS = 100;
/** Why a replay's seek back cancels the working orders (the order's reason). */
export const REWIND_CANCEL_REASON = 'the replay moved back in time';
const KILL_SWITCH_REASON = 'the kill switch is on';
const ALL_ORDERS = 1_000_000;

/** Settings keys, one per account. */
export const tradingSettingKeys = (account: string) =>
  ({
    state: `trading.state:${account}`,
    limits: `trading.limits:${account}`,
    day: `trading.day:${account}`,
    follow: `strategy.follow:${account}`,
    /** The time of the last prediction the follower acted on: a restart does not act on it again. */
    followed: `strategy.followed:${account}`,
  }) as const;

const StateRecordSchema = z.object({ state: TradingStateSchema, reason: z.string().nullable() });
/**
 * The trading day: its session date, its base equity (the previous session's closing equity; the first
 * day ever: its first mark), whether its loss latched reducing, and the equity of the latest mark (`last`:
 * after a restart, the base of a new day when no price of the old session came this run).
 */
const DayRecordSchema = z.object({
  date: z.string(),
  equity: z.number().finite(),
  latched: z.boolean(),
  last: z.number().finite().optional(),
});
type DayRecord = z.infer<typeof DayRecordSchema>;

interface Listeners {
  status: Set<(status: TradingStatus) => void>;
  orders: Set<(payload: { orders: Order[] }) => void>;
  fills: Set<(payload: { fills: Fill[] }) => void>;
  portfolio: Set<(snapshot: PortfolioSnapshot) => void>;
}

/** An order not yet at the broker, counted in the positions a plan's later lines are checked against. */
interface VirtualOrder {
  symbol: string;
  signed: number;
}

export class TradingService {
  readonly handlers: TradingHandlers;
  readonly events: TradingEvents;
  private readonly log: Logger;
  private readonly keys: ReturnType<typeof tradingSettingKeys>;
  private readonly prices = new Map<string, number>();
  private marketTime: number | null = null;
  /** Market times of the submits that passed the gate (the last minute's are kept). */
  private recentSubmits: number[] = [];
  private state: TradingState = 'active';
  private stateReason: string | null = null;
  private day: DayRecord | null;
  /** The session of the newest price seen, and the open of the session after it (a price there starts a new one). */
  private priceSession: { date: string; nextOpen: number } | null = null;
  /** The equity at the last prices of the session before `date`, taken as the first price of `date` came. */
  private sessionClose: { date: string; equity: number } | null = null;
  /** The equity of the latest mark this run (null after a replay rewind: its prices were the future's). */
  private lastEquity: number | null = null;
  private liveArmed = false;
  private connection: { connected: boolean; message: string | null } = {
    connected: false,
    message: 'The broker is starting.',
  };
  private ready: Promise<void> = Promise.resolve();
  private readonly byClientId = new Map<string, Order>();
  /** Symbols with a position (qty ≠ 0) at the last mark: their price moves change the portfolio. */
  private held = new Set<string>();
  private prediction: Prediction | null = null;
  /** Replay rewinds so far in this run (part of a plan's id). */
  private rewinds = 0;
  /** The plan last shown by strategy.plan: what strategy.rebalance places when it is still current. */
  private previewed: RebalancePlan | null = null;
  private pendingFollow: Prediction | null = null;
  private work: Promise<unknown> = Promise.resolve();
  private portfolioTimer: unknown = null;
  private lastPortfolioAt = Number.NEGATIVE_INFINITY;
  private readonly listeners: Listeners = {
    status: new Set(),
    orders: new Set(),
    fills: new Set(),
    portfolio: new Set(),
  };
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private stopped = false;
  /** The shadow's mirrored calls, one after another (a cancel never overtakes its submit). */
  private shadowWork: Promise<unknown> = Promise.resolve();
  private shadowReady = false;

  constructor(private readonly parts: TradingServiceParts) {
    this.log = parts.log.child('trading');
    this.keys = tradingSettingKeys(parts.account);
    const stored = parts.settings.get(this.keys.state, StateRecordSchema);
    if (stored) {
      this.state = stored.state;
      this.stateReason = stored.reason;
    }
    this.day = parts.settings.get(this.keys.day, DayRecordSchema) ?? null;
    this.lastEquity = this.day?.last ?? null;
    const subscribe =
      <T>(set: Set<(payload: T) => void>) =>
      (_arg: unknown, emit: (payload: T) => void): (() => void) => {
        set.add(emit);
        return () => set.delete(emit);
      };
    this.handlers = {
      'trading.status': () => this.status(),
      'trading.portfolio': async () => (await this.ready, this.snapshot()),
      'orders.place': (request) => this.place(request, 'trader'),
      'orders.preview': async (request) => (await this.ready, this.preview(request)),
      'orders.cancel': async ({ id }) => (await this.ready, this.cancel(id)),
      'orders.replace': (params) => this.replace(params),
      'orders.list': async ({ status, limit }) => (
        await this.ready,
        parts.broker.orders({ open: status === 'open', limit })
      ),
      'fills.list': async ({ before, limit }) => (
        await this.ready,
        parts.broker.fills(before === undefined ? { limit } : { limit, before })
      ),
      'trading.killSwitch': ({ on, flatten }) => this.killSwitch(on, flatten),
      'trading.setLimits': (limits) => this.setLimits(limits),
      'trading.armLive': ({ confirmation }) => this.armLive(confirmation),
      'trading.disarmLive': () => {
        if (this.liveArmed) {
          this.liveArmed = false;
          this.log.warn('live trading disarmed');
          this.statusChanged();
        }
        return this.status();
      },
      'strategy.plan': async () => {
        await this.ready;
        const plan = this.plan();
        this.previewed = plan;
        return plan;
      },
      'strategy.rebalance': ({ planId }) => this.rebalance(planId),
      'strategy.setFollow': ({ enabled }) => {
        parts.settings.set(this.keys.follow, enabled);
        this.log.info(`strategy following ${enabled ? 'on' : 'off'} (${parts.following})`);
        this.statusChanged();
        return this.status();
      },
      'trading.shadowExecutions': async ({ since, limit }) => {
        await this.ready;
        await this.shadowIdle();
        return this.shadowExecutions(since ?? Number.NEGATIVE_INFINITY, limit);
      },
    };
    this.events = {
      'trading.statusChanged': subscribe(this.listeners.status),
      'orders.changed': subscribe(this.listeners.orders),
      'fills.new': subscribe(this.listeners.fills),
      'trading.portfolioChanged': subscribe(this.listeners.portfolio),
    };
  }

  /**
   * Follows the bus (prices, market time, rewinds, predictions), feeds the broker the running market and
   * starts it (it restores its journal and, remote, reconciles). Calls wait until the broker is ready; a
   * broker that fails to start leaves the service running with the failure in the status.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { bus, broker } = this.parts;
    this.unsubscribe.push(
      bus.subscribe('market.trade', (trade) => {
        this.priceAt(trade.time);
        this.prices.set(trade.symbol, trade.price);
        broker.onTrade(trade);
        this.toShadow((shadow) => shadow.onTrade(trade));
        if (this.held.has(trade.symbol)) this.pricesMoved();
      }),
      bus.subscribe('market.bars', (bars) => {
        let moved = false;
        let newest = Number.NEGATIVE_INFINITY;
        for (const bar of bars) newest = Math.max(newest, bar.start);
        if (bars.length > 0) this.priceAt(newest);
        for (const bar of bars) {
          this.prices.set(bar.symbol, bar.close);
          moved ||= this.held.has(bar.symbol);
        }
        broker.onBars(bars);
        this.toShadow((shadow) => shadow.onBars(bars));
        if (moved) this.pricesMoved();
      }),
      bus.subscribe('market.time', (t) => {
        this.marketTime = t;
        broker.onTime(t);
        this.toShadow((shadow) => shadow.onTime(t));
      }),
      bus.subscribe('market.rewound', (t) => this.rewound(t)),
      bus.subscribe('signals.prediction', (prediction) => this.predicted(prediction)),
    );
    this.startShadow();
    let reported = false;
    const listener: BrokerListener = {
      order: (order) => this.orderChanged(order),
      fill: (fill, order) => {
        this.orderChanged(order);
        for (const emit of this.listeners.fills) emit({ fills: [fill] });
        this.publishPortfolio();
      },
      connection: (connection) => {
        reported = true;
        this.connection = { connected: connection.connected, message: connection.message };
        this.statusChanged();
      },
    };
    let starting: Promise<void>;
    try {
      starting = broker.start(listener);
    } catch (error) {
      // A journal that cannot be read must not keep the workstation from starting: the status says it.
      starting = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.ready = starting.then(
      () => {
        if (this.stopped) return;
        for (const order of broker.orders({ open: false, limit: ALL_ORDERS }))
          if (!this.byClientId.has(order.clientOrderId)) this.byClientId.set(order.clientOrderId, order);
        if (!reported) this.connection = { connected: true, message: null };
        this.held = heldSymbols(broker.portfolio());
        this.log.info(
          `${broker.accountLabel}: ready (${this.state}${this.stateReason ? `: ${this.stateReason}` : ''})`,
        );
        this.statusChanged();
      },
      (error: unknown) => {
        const message = errorText(error);
        this.connection = { connected: false, message: `The broker did not start: ${message}` };
        this.log.error(`the broker did not start: ${message}`);
        this.statusChanged();
      },
    );
  }

  /** Stops following the bus and the broker (before the store closes). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const stop of this.unsubscribe.splice(0)) stop();
    if (this.portfolioTimer !== null) this.parts.timers.clearTimeout(this.portfolioTimer);
    this.portfolioTimer = null;
    this.parts.broker.stop();
    this.parts.shadow?.stop();
    for (const set of Object.values(this.listeners) as Set<unknown>[]) set.clear();
  }

  /** Resolves when the broker is ready and the work queued so far (following, rewinds) is done. */
  async idle(): Promise<void> {
    await this.ready;
    let seen: Promise<unknown> | null = null;
    while (seen !== this.work) {
      seen = this.work;
      await seen;
    }
  }

  status(): TradingStatus {
    const { broker } = this.parts;
    return {
      broker: broker.kind,
      account: broker.accountLabel,
      tradingState: this.state,
      stateReason: this.stateReason,
      liveArmed: this.liveArmed,
      connected: this.connection.connected,
      message: this.connection.message,
      limits: this.limits(),
      following: { enabled: this.followEnabled(), automatic: this.parts.following === 'automatic' },
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Orders

  private async place(request: OrderRequest, source: string): Promise<PlaceOrderResult> {
    await this.ready;
    const existing = this.byClientId.get(request.clientOrderId);
    if (existing) {
      // A retry answers with the order; a different order under a used id is refused, never swapped in.
      if (!sameOrder(existing, request)) throw usedClientOrderId(existing);
      return { order: existing, denial: null };
    }
    const now = this.now();
    const denial = this.check(request, now);
    if (denial !== null) {
      this.log.info(`${source} order refused (${describeOrder(request)}): ${denial.message}`);
      return { order: null, denial };
    }
    this.submitted(now);
    const order = await this.broker(() => this.parts.broker.submit(request, now));
    this.remember(order);
    // The broker may answer with an order it already held under this id (Alpaca's 422 on a reused id).
    if (!sameOrder(order, request)) throw usedClientOrderId(order);
    this.mirrorSubmit(request, order, now);
    return { order, denial: null };
  }

  private preview(request: OrderRequest): OrderPreview {
    const last = this.prices.get(request.symbol) ?? null;
    const checkPrice =
      last === null ? (request.limitPrice ?? request.stopPrice ?? null) : orderCheckPrice(request, last);
    return {
      checkPrice,
      notional: checkPrice === null ? null : request.qty * checkPrice,
      denial: this.check(request, this.now()),
    };
  }

  private async cancel(id: string, reason?: string): Promise<Order> {
    const now = this.now();
    const held = this.parts.broker.orders({ open: false, limit: ALL_ORDERS }).find((o) => o.id === id);
    if (held !== undefined && isTerminal(held)) {
      // A second cancel (a stale window, a retried command): the contract answers with the cancelled order.
      if (held.status === 'canceled') return held;
      throw new EngineError(
        'FAILED',
        `Order ${id} (${describeOrder(held)}) is already ${held.status}; there is nothing left to cancel.`,
      );
    }
    const order = await this.broker(() =>
      reason === undefined ? this.parts.broker.cancel(id, now) : this.parts.broker.cancel(id, now, reason),
    );
    this.remember(order);
    this.mirror(`cancel ${order.clientOrderId}`, (shadow) => {
      const twin = shadowTwin(shadow, order.clientOrderId);
      if (twin === null || isTerminal(twin)) return Promise.resolve();
      return reason === undefined ? shadow.cancel(twin.id, now) : shadow.cancel(twin.id, now, reason);
    });
    return order;
  }

  private async replace(params: {
    id: string;
    clientOrderId: string;
    qty?: number | undefined;
    limitPrice?: number | undefined;
    stopPrice?: number | undefined;
  }): Promise<PlaceOrderResult> {
    await this.ready;
    const existing = this.byClientId.get(params.clientOrderId);
    if (existing) {
      if (!this.isReplacementOf(existing, params)) throw usedClientOrderId(existing);
      return { order: existing, denial: null };
    }
    const { broker } = this.parts;
    const order = broker.orders({ open: true, limit: ALL_ORDERS }).find((o) => o.id === params.id);
    if (order === undefined || isTerminal(order)) {
      throw new EngineError(
        'FAILED',
        `There is no working order ${params.id} to replace (it may have filled or been cancelled); refresh the orders.`,
      );
    }
    const limitPrice = params.limitPrice ?? order.limitPrice;
    const stopPrice = params.stopPrice ?? order.stopPrice;
    const parsed = OrderRequestSchema.safeParse({
      clientOrderId: params.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      qty: params.qty ?? order.qty,
      type: order.type,
      tif: order.tif,
      ...(limitPrice !== null ? { limitPrice } : {}),
      ...(stopPrice !== null ? { stopPrice } : {}),
    });
    if (!parsed.success) {
      throw new EngineError(
        'BAD_PARAMS',
        `The replacement is not a valid order: ${describeIssues(parsed.error)}`,
      );
    }
    const now = this.now();
    const denial = this.check(parsed.data, now, { exclude: order.id });
    if (denial !== null) {
      this.log.info(`replacement of ${order.id} refused (${describeOrder(parsed.data)}): ${denial.message}`);
      return { order: null, denial };
    }
    this.submitted(now);
    const replacement = await this.broker(() =>
      broker.replace(
        order.id,
        {
          clientOrderId: params.clientOrderId,
          ...(params.qty !== undefined ? { qty: params.qty } : {}),
          ...(params.limitPrice !== undefined ? { limitPrice: params.limitPrice } : {}),
          ...(params.stopPrice !== undefined ? { stopPrice: params.stopPrice } : {}),
        },
        now,
      ),
    );
    this.remember(replacement);
    this.mirror(`replace ${order.clientOrderId} by ${params.clientOrderId}`, (shadow) => {
      const twin = shadowTwin(shadow, order.clientOrderId);
      if (twin === null || isTerminal(twin)) return Promise.resolve();
      return shadow.replace(
        twin.id,
        {
          clientOrderId: params.clientOrderId,
          ...(params.qty !== undefined ? { qty: params.qty } : {}),
          ...(params.limitPrice !== undefined ? { limitPrice: params.limitPrice } : {}),
          ...(params.stopPrice !== undefined ? { stopPrice: params.stopPrice } : {}),
        },
        now,
      );
    });
    return { order: replacement, denial: null };
  }

  /**
   * Whether `existing` (the order held under a replacement's client order id) is what this replacement
   * asked for: a replacement of order `params.id` (same symbol, side, type and tif) with the quantity and
   * prices the parameters give. A retry of a replacement is answered with it; anything else is refused.
   */
  private isReplacementOf(
    existing: Order,
    params: {
      id: string;
      qty?: number | undefined;
      limitPrice?: number | undefined;
      stopPrice?: number | undefined;
    },
  ): boolean {
    if (existing.id === params.id) return false;
    const old = this.parts.broker.orders({ open: false, limit: ALL_ORDERS }).find((o) => o.id === params.id);
    return (
      old !== undefined &&
      (old.status === 'replaced' || old.status === 'pending_replace') &&
      old.symbol === existing.symbol &&
      old.side === existing.side &&
      old.type === existing.type &&
      old.tif === existing.tif &&
      (params.qty === undefined || params.qty === existing.qty) &&
      (params.limitPrice === undefined || samePrice(params.limitPrice, existing.limitPrice)) &&
      (params.stopPrice === undefined || samePrice(params.stopPrice, existing.stopPrice))
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Paper mode's shadow (see TradingParts.shadow)

  /** Starts the shadow with a listener that tells no one; a shadow that cannot start is logged and left. */
  private startShadow(): void {
    const { shadow } = this.parts;
    if (shadow === undefined) return;
    const silent: BrokerListener = { order() {}, fill() {}, connection() {} };
    this.shadowWork = (async () => {
      try {
        await shadow.start(silent);
        this.shadowReady = true;
      } catch (error) {
        this.log.warn(`the shadow demo broker did not start (no divergence report): ${errorText(error)}`);
      }
    })();
  }

  /** Feeds the shadow market data; a failure there never reaches the bus or the real broker. */
  private toShadow(feed: (shadow: Broker) => void): void {
    const { shadow } = this.parts;
    if (shadow === undefined || !this.shadowReady) return;
    try {
      feed(shadow);
    } catch (error) {
      this.log.warn(`the shadow demo broker failed on market data: ${errorText(error)}`);
    }
  }

  /** Queues a call on the shadow after the ones before it; never awaited by the real order, never throws. */
  private mirror(what: string, call: (shadow: Broker) => Promise<unknown>): void {
    const { shadow } = this.parts;
    if (shadow === undefined) return;
    this.shadowWork = this.shadowWork
      .then(() => (this.shadowReady && !this.stopped ? call(shadow) : undefined))
      .catch((error: unknown) => this.log.warn(`shadow ${what} failed: ${errorText(error)}`));
  }

  /** Copies an order the real broker accepted to the shadow (same client order id, same market time). */
  private mirrorSubmit(request: OrderRequest, order: Order, now: number): void {
    if (order.status === 'rejected') return;
    this.mirror(`submit ${request.clientOrderId}`, (shadow) => shadow.submit(request, now));
  }

  /**
   * The paper account's orders submitted at or after `since` (the newest `limit`), their twins at the
   * shadow, and each side's fills of them.
   * @throws EngineError when there is no shadow (every mode but paper)
   */
  private shadowExecutions(
    since: number,
    limit: number,
  ): { paper: { orders: Order[]; fills: Fill[] }; shadow: { orders: Order[]; fills: Fill[] } } {
    const { shadow } = this.parts;
    if (shadow === undefined || !this.shadowReady) {
      throw new EngineError(
        'FAILED',
        `The divergence report compares paper mode's orders with their demo-broker shadow; this workstation ` +
          `runs in ${this.parts.mode} mode, which has none. Stop it and run the command again to read the ` +
          `journals, or start the workstation in paper mode.`,
      );
    }
    const side = (broker: Broker): { orders: Order[]; fills: Fill[] } => {
      const orders = broker
        .orders({ open: false, limit: ALL_ORDERS })
        .filter((o) => o.submittedAt >= since)
        .slice(0, limit);
      const ids = new Set(orders.map((o) => o.clientOrderId));
      const fills = broker.fills({ limit: ALL_ORDERS }).filter((f) => ids.has(f.clientOrderId));
      return { orders, fills };
    };
    return { paper: side(this.parts.broker), shadow: side(shadow) };
  }

  /** Resolves when the shadow's mirrored calls queued so far are done (tests). */
  async shadowIdle(): Promise<void> {
    let seen: Promise<unknown> | null = null;
    while (seen !== this.shadowWork) {
      seen = this.shadowWork;
      await seen;
    }
  }

  /**
   * The gate: live arming (live mode), then core checkOrder in the moment's context. `exclude` leaves a
   * working order out of the positions (the order a replacement replaces); `virtual` adds orders not yet
   * placed (a plan's earlier lines) to the positions and the submit count.
   */
  private check(
    request: OrderRequest,
    now: number,
    extra: { exclude?: string; virtual?: readonly VirtualOrder[] } = {},
  ): RiskDenial | null {
    if (this.parts.mode === 'live' && !this.liveArmed) {
      return {
        rule: 'live_not_armed',
        message:
          `live_not_armed: live trading is not armed; arm it by typing "${LIVE_ARM_CONFIRMATION}" ` +
          '(orders then use real money)',
      };
    }
    const denial = checkOrder(request, this.context(request.symbol, now, extra));
    // Reducing because the day's loss latched: the refusal names the rule that latched it.
    if (denial?.rule === 'trading_state' && this.state === 'reducing' && this.day?.latched === true) {
      return {
        rule: 'max_daily_loss',
        message: `max_daily_loss: ${this.stateReason ?? "the day's loss passed its limit"}`,
      };
    }
    return denial;
  }

  private context(
    symbol: string,
    now: number,
    extra: { exclude?: string; virtual?: readonly VirtualOrder[] },
  ): RiskContext {
    const { broker } = this.parts;
    const portfolio = broker.portfolio();
    const marked = this.mark(portfolio);
    const projected = this.projected(portfolio, extra.exclude);
    for (const order of extra.virtual ?? [])
      projected.set(order.symbol, (projected.get(order.symbol) ?? 0) + order.signed);
    const valueOf = (s: string, qty: number): number =>
      Math.abs(qty) * (this.prices.get(s) ?? portfolio.holdings[s]?.avgPrice ?? 0);
    let grossExposure = 0;
    for (const [s, qty] of projected) grossExposure += valueOf(s, qty);
    const position = projected.get(symbol) ?? 0;
    const submits = [...this.recentSubmits, ...(extra.virtual ?? []).map(() => now)];
    return {
      limits: this.limits(),
      tradingState: this.state,
      lastPrice: this.prices.get(symbol) ?? null,
      knownSymbol: this.parts.knownSymbol(symbol),
      position,
      grossExposure,
      symbolValue: valueOf(symbol, position),
      dayPnl: marked.account.dayPnl,
      recentSubmits: submits,
      now,
      cash: portfolio.cash,
      cashAccount: this.parts.cashAccount ?? false,
    };
  }

  /** Shares by symbol as they will be once the working orders fill (but `exclude`). */
  private projected(portfolio: Portfolio, exclude?: string): Map<string, number> {
    const projected = new Map<string, number>();
    for (const h of Object.values(portfolio.holdings)) projected.set(h.symbol, h.qty);
    for (const order of this.parts.broker.orders({ open: true, limit: ALL_ORDERS })) {
      if (isTerminal(order) || order.id === exclude) continue;
      const signed = (order.side === 'buy' ? 1 : -1) * remainingQty(order);
      projected.set(order.symbol, (projected.get(order.symbol) ?? 0) + signed);
    }
    return projected;
  }

  private submitted(now: number): void {
    this.recentSubmits = this.recentSubmits.filter((t) => t <= now && now - t < ORDER_RATE_WINDOW_MS);
    this.recentSubmits.push(now);
  }

  /** Runs a broker call; a BrokerError (or any failure) becomes an EngineError with its plain message. */
  private async broker<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw new EngineError('FAILED', errorText(error));
    }
  }

  private remember(order: Order): void {
    this.byClientId.set(order.clientOrderId, order);
  }

  private orderChanged(order: Order): void {
    const known = this.byClientId.get(order.clientOrderId);
    // A fill's order may come both as the fill's order and as an order change: announce it once.
    if (
      known !== undefined &&
      known.id === order.id &&
      known.status === order.status &&
      known.filledQty === order.filledQty &&
      known.updatedAt === order.updatedAt &&
      known.reason === order.reason
    ) {
      this.remember(order);
      return;
    }
    this.remember(order);
    for (const emit of this.listeners.orders) emit({ orders: [order] });
  }

  // -------------------------------------------------------------------------------------------------
  // Portfolio, the trading day and the day's-loss latch

  /**
   * The portfolio marked to the last prices, with the day's P&L. The first mark of a trading session starts
   * a new day (a latched reducing state is lifted) whose base is the previous session's closing equity: the
   * equity at the prices in force when the session's first price came (priceAt), else the last mark's (kept
   * in the settings, for a restart); the first day ever counts from its first mark. A day's P&L at or past
   * −maxDailyLoss latches reducing for the rest of the day.
   */
  private mark(portfolio: Portfolio = this.parts.broker.portfolio()): ReturnType<typeof markToMarket> {
    const marked = markToMarket(portfolio, this.prices, 0);
    const equity = marked.account.equity;
    // A simulated clock (demo, replay) is not the wall's: until the feed says what time it is, the day
    // stays as kept (a mark on the wall's date would start a day the market is not in).
    const simulated = this.parts.mode === 'demo' || this.parts.mode === 'replay';
    if (this.marketTime === null && simulated) {
      marked.account.dayPnl = this.day === null ? 0 : equity - this.day.equity;
      this.held = heldSymbols(portfolio);
      return marked;
    }
    const date = this.parts.calendar.sessionOnOrBefore(this.now()).date;
    if (this.day === null || this.day.date !== date) {
      const newDay = this.day !== null;
      // Day P&L counts from the previous session's closing equity, as brokers do (Alpaca's last_equity):
      // a day's first mark may already hold the day's move (a daily replay marks once, at the close).
      const base = this.sessionClose?.date === date ? this.sessionClose.equity : (this.lastEquity ?? equity);
      this.day = { date, equity: newDay ? base : equity, latched: false, last: equity };
      this.lastEquity = equity;
      this.parts.settings.set(this.keys.day, this.day);
      if (newDay) {
        const next = startTradingDay(this.state);
        if (next.changed) {
          this.setState(next.state, null);
          this.log.info(`a new trading day (${date}): trading is active again`);
        }
      }
    }
    if (this.lastEquity === null || Math.abs(equity - this.lastEquity) >= 0.005) {
      this.lastEquity = equity;
      this.day = { ...this.day, last: equity };
      this.parts.settings.set(this.keys.day, this.day);
    }
    marked.account.dayPnl = equity - this.day.equity;
    const limits = this.limits();
    const latch = afterDayPnl(this.state, marked.account.dayPnl, limits.maxDailyLoss);
    if (latch.changed) {
      this.day = { ...this.day, latched: true };
      this.parts.settings.set(this.keys.day, this.day);
      const reason =
        `the day's P&L of ${formatDollars(marked.account.dayPnl)} passed the ` +
        `${formatDollars(-limits.maxDailyLoss)} limit; only orders that shrink a position pass until the next session`;
      this.setState(latch.state, reason);
      this.log.warn(`trading is reducing only: ${reason}`);
    }
    this.held = heldSymbols(portfolio);
    return marked;
  }

  /**
   * Before a price of market time `t` is applied: when it is the first of a later session, the equity at
   * the prices so far is that session's base (its previous session's close). One mark per session.
   */
  private priceAt(t: number): void {
    const session = this.priceSession;
    if (session !== null && t < session.nextOpen) return;
    const { calendar } = this.parts;
    const now = calendar.sessionOnOrBefore(t);
    if (session !== null && now.date !== session.date) {
      try {
        const equity = markToMarket(this.parts.broker.portfolio(), this.prices, 0).account.equity;
        this.sessionClose = { date: now.date, equity };
      } catch (error) {
        this.log.error(`marking the portfolio failed: ${errorText(error)}`);
      }
    }
    this.priceSession = { date: now.date, nextOpen: calendar.nextSession(now).open };
  }

  private snapshot(): PortfolioSnapshot {
    const marked = this.mark();
    return { time: this.now(), account: marked.account, positions: marked.positions };
  }

  private pricesMoved(): void {
    if (this.portfolioTimer !== null || this.stopped) return;
    const { timers } = this.parts;
    const interval = this.parts.portfolioIntervalMs ?? 1000;
    const wait = Math.max(0, this.lastPortfolioAt + interval - timers.now());
    this.portfolioTimer = timers.setTimeout(() => {
      this.portfolioTimer = null;
      this.publishPortfolio();
    }, wait);
  }

  private publishPortfolio(): void {
    if (this.stopped) return;
    this.lastPortfolioAt = this.parts.timers.now();
    try {
      // Marks even without listeners: the day's-loss latch follows the prices.
      const snapshot = this.snapshot();
      for (const emit of this.listeners.portfolio) emit(snapshot);
    } catch (error) {
      this.log.error(`marking the portfolio failed: ${errorText(error)}`);
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Trading state, limits, live arming

  private setState(state: TradingState, reason: string | null): void {
    this.state = state;
    this.stateReason = reason;
    this.parts.settings.set(this.keys.state, { state, reason });
    this.statusChanged();
  }

  private limits(): RiskLimits {
    return this.parts.settings.get(this.keys.limits, RiskLimitsSchema) ?? { ...DEFAULT_RISK_LIMITS };
  }

  private followEnabled(): boolean {
    return this.parts.settings.get(this.keys.follow, z.boolean()) ?? false;
  }

  private statusChanged(): void {
    if (this.listeners.status.size === 0) return;
    const status = this.status();
    for (const emit of this.listeners.status) emit(status);
  }

  /**
   * The kill switch (core killSwitch). On: halted (kept in the settings), every working order cancelled,
   * and with `flatten` every position closed by market orders that bypass the gate. Off: active again, or
   * reducing when the day's loss latched today. Fails (after doing all it can) when a cancel or a
   * flattening order failed, naming them.
   */
  private async killSwitch(on: boolean, flatten: boolean): Promise<TradingStatus> {
    await this.ready;
    const transition = killSwitch(this.state, on, { flatten });
    if (on) {
      this.setState('halted', flatten ? `${KILL_SWITCH_REASON}, positions flattened` : KILL_SWITCH_REASON);
      this.log.warn(`kill switch on${flatten ? ', flattening every position' : ''}`);
    } else if (transition.changed) {
      this.setState('active', null);
      this.log.warn('kill switch off');
      this.mark(); // the day's loss may latch reducing again
      if (this.day?.latched === true && this.state === 'active') {
        this.setState(
          'reducing',
          "the day's loss passed its limit earlier today; only orders that shrink a position pass",
        );
      }
    }
    const failures: string[] = [];
    for (const action of transition.actions) {
      if (action === 'cancel_open_orders') failures.push(...(await this.cancelAll(KILL_SWITCH_REASON)));
      else failures.push(...(await this.flattenAll()));
    }
    if (failures.length > 0) {
      throw new EngineError(
        'FAILED',
        `Trading is halted, but the broker refused part of it: ${failures.join('; ')}. Check the orders and positions.`,
      );
    }
    return this.status();
  }

  /** Cancels every working order; returns what failed, in plain words. */
  private async cancelAll(reason: string): Promise<string[]> {
    const failures: string[] = [];
    for (const order of this.parts.broker.orders({ open: true, limit: ALL_ORDERS })) {
      if (isTerminal(order)) continue;
      try {
        await this.cancel(order.id, reason);
      } catch (error) {
        failures.push(`cancelling ${describeOrder(order)} failed: ${errorText(error)}`);
        this.log.error(failures.at(-1)!);
      }
    }
    return failures;
  }

  /** Market orders taking every position to flat, past the gate (the kill switch's own); returns failures. */
  private async flattenAll(): Promise<string[]> {
    const failures: string[] = [];
    const now = this.now();
    const { broker } = this.parts;
    for (const holding of Object.values(broker.portfolio().holdings)) {
      if (holding.qty === 0) continue;
      const request: OrderRequest = {
        clientOrderId: `kill-${now}-${holding.symbol.replace(/[^A-Za-z0-9._:-]/g, '.')}`,
        symbol: holding.symbol,
        side: holding.qty > 0 ? 'sell' : 'buy',
        qty: Math.abs(holding.qty),
        type: 'market',
        tif: 'day',
      };
      try {
        const order = await this.broker(() => broker.submit(request, now));
        this.remember(order);
        this.mirrorSubmit(request, order, now);
        this.log.warn(`kill switch: ${describeOrder(request)} sent to flatten`);
      } catch (error) {
        failures.push(`flattening ${holding.symbol} failed: ${errorText(error)}`);
        this.log.error(failures.at(-1)!);
      }
    }
    return failures;
  }

  private setLimits(limits: RiskLimits): TradingStatus {
    this.parts.settings.set(this.keys.limits, limits);
    this.log.info(`risk limits set: ${JSON.stringify(limits)}`);
    this.statusChanged();
    try {
      this.mark(); // a tighter day's-loss limit may latch at once
    } catch (error) {
      this.log.error(`marking the portfolio failed: ${errorText(error)}`);
    }
    return this.status();
  }

  private armLive(confirmation: string): TradingStatus {
    if (this.parts.mode !== 'live') {
      throw new EngineError(
        'FAILED',
        `Arming applies to live mode only; this workstation runs in ${this.parts.mode} mode, where orders need no arming.`,
      );
    }
    if (confirmation !== LIVE_ARM_CONFIRMATION) {
      throw new EngineError(
        'FAILED',
        `Live trading stays disarmed: type ${LIVE_ARM_CONFIRMATION} exactly (capital letters, one space) to arm it.`,
      );
    }
    if (!this.liveArmed) {
      this.liveArmed = true;
      this.log.warn(`LIVE TRADING ARMED on ${this.parts.broker.accountLabel}: orders now use real money`);
      this.statusChanged();
    }
    return this.status();
  }

  // -------------------------------------------------------------------------------------------------
  // Replay rewinds and strategy following

  private rewound(t: number): void {
    this.marketTime = t;
    this.rewinds++;
    // Prices from the replay's future must not value or check anything; the replay delivers them again.
    this.prices.clear();
    this.priceSession = null;
    this.sessionClose = null;
    this.lastEquity = null;
    this.recentSubmits = this.recentSubmits.filter((submit) => submit <= t);
    // The predictions from t on come again: the follower acts on them again.
    const followed = this.parts.settings.get(this.keys.followed, z.number());
    if (followed !== undefined && followed >= t) this.parts.settings.set(this.keys.followed, t - 1);
    this.queue(async () => {
      const failures = await this.cancelAll(REWIND_CANCEL_REASON);
      if (failures.length > 0) this.log.warn(`after the replay moved back: ${failures.join('; ')}`);
      // The window still shows the marks of the replay's future: it hears the unpriced positions now.
      this.publishPortfolio();
    });
  }

  private predicted(prediction: Prediction): void {
    if (this.prediction === null || prediction.time >= this.prediction.time) this.prediction = prediction;
    if (this.parts.following !== 'automatic' || !this.followEnabled()) return;
    // A burst (the history's predictions at start) is followed once, by its newest.
    const first = this.pendingFollow === null;
    if (this.pendingFollow === null || prediction.time >= this.pendingFollow.time)
      this.pendingFollow = prediction;
    if (!first) return;
    this.parts.timers.defer(() =>
      this.queue(async () => {
        const target = this.pendingFollow!;
        this.pendingFollow = null;
        if (!this.followEnabled() || this.stopped) return;
        const followed = this.parts.settings.get(this.keys.followed, z.number()) ?? Number.NEGATIVE_INFINITY;
        if (target.time <= followed) return;
        await this.ready;
        const plan = this.plan();
        this.parts.settings.set(this.keys.followed, Math.max(target.time, plan.predictionTime));
        const results = await this.placePlan(plan, 'strategy follower');
        const placed = results.filter((r) => r.order !== null).length;
        const refused = results.filter((r) => r.denial !== null);
        this.log.info(
          `following ${plan.strategy}: ${placed} order(s) placed` +
            (refused.length > 0
              ? `, ${refused.length} refused (${refused.map((r) => r.denial!.rule).join(', ')})`
              : ''),
        );
      }),
    );
  }

  /** Runs `task` after the work queued before it; a failure is logged, never thrown at the bus. */
  private queue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.log.error(`trading: ${errorText(error)}`);
    });
  }

  /**
   * The rebalance toward the current prediction's strategy, from the positions as they will be once the
   * working orders fill (so a plan never buys twice what is already on its way), each order checked by the
   * gate as if the plan's earlier orders were working already. The id names the prediction, the strategy,
   * those positions and the replay's rewinds: a new prediction, a fill, a new or cancelled order makes it
   * stale, and a rewind gives the same decision new client order ids (its old orders were cancelled).
   * @throws EngineError when the model has made no prediction yet.
   */
  private plan(): RebalancePlan {
    const prediction = this.prediction ?? this.parts.latestPrediction();
    if (prediction === null) {
      throw new EngineError(
        'FAILED',
        'The strategy model has made no prediction yet; a plan follows its first decision at a daily close.',
      );
    }
    this.prediction = prediction;
    const strategy = STRATEGIES.find((s) => s.id === prediction.strategy)!;
    const portfolio = this.parts.broker.portfolio();
    const marked = this.mark(portfolio);
    const holdings: Record<string, number> = {};
    for (const [symbol, qty] of this.projected(portfolio)) if (qty !== 0) holdings[symbol] = qty;
    const holdingsText = Object.keys(holdings)
      .sort()
      .map((s) => `${s}=${holdings[s]}`)
      .join(',');
    const id = `plan-${prediction.time}-${strategy.id}-${sha(`${holdingsText}|${this.rewinds}`).slice(0, 12)}`;
    const lines = planRebalance({
      allocation: strategy.allocation,
      equity: marked.account.equity,
      holdings,
      prices: this.prices,
      minTradeDollars: this.parts.minTradeDollars ?? MIN_TRADE_DOLLARS,
      clientOrderIdPrefix: `reb-${sha(id).slice(0, 16)}`,
      // Slices keep a margin below the limit: the price may move between the plan and its orders.
      maxOrderDollars: this.limits().maxOrderNotional * SLICE_SHARE_OF_LIMIT,
    });
    const now = this.now();
    const virtual: VirtualOrder[] = [];
    for (const line of lines) {
      if (line.price === null && !this.parts.knownSymbol(line.symbol)) {
        line.denial = {
          rule: 'unknown_symbol',
          message:
            `unknown_symbol: ${line.symbol} is not a symbol this workstation follows; its ` +
            `${Math.round(line.targetWeight * 100)}% stays in cash`,
        };
      }
      // The line's verdict is its first refused slice's (null: every slice passes).
      for (const order of line.orders) {
        const denial = this.check(order, now, { virtual });
        if (denial === null)
          virtual.push({ symbol: line.symbol, signed: (order.side === 'buy' ? 1 : -1) * order.qty });
        else line.denial ??= denial;
      }
    }
    return {
      id,
      strategy: strategy.id,
      predictionTime: prediction.time,
      equity: marked.account.equity,
      lines,
    };
  }

  private async rebalance(planId: string): Promise<{ results: PlaceOrderResult[] }> {
    await this.ready;
    const current = this.plan();
    if (current.id !== planId) {
      throw new EngineError(
        'FAILED',
        'The plan changed; preview again (a new prediction or a fill changed what the rebalance must do).',
      );
    }
    // The orders the trader saw, when the preview is the current plan.
    const plan = this.previewed?.id === planId ? this.previewed : current;
    return { results: await this.placePlan(plan, 'rebalance') };
  }

  /** Places a plan's orders in order (sells first), each through the gate. */
  private async placePlan(plan: RebalancePlan, source: string): Promise<PlaceOrderResult[]> {
    const results: PlaceOrderResult[] = [];
    for (const line of plan.lines)
      for (const order of line.orders) results.push(await this.place(order, source));
    return results;
  }

  private now(): number {
    return this.marketTime ?? this.parts.timers.now();
  }
}

/** The shadow's order with `clientOrderId`, or null (it never had it: placed before the shadow ran). */
function shadowTwin(shadow: Broker, clientOrderId: string): Order | null {
  return (
    shadow.orders({ open: false, limit: ALL_ORDERS }).find((o) => o.clientOrderId === clientOrderId) ?? null
  );
}

function heldSymbols(portfolio: Portfolio): Set<string> {
  const held = new Set<string>();
  for (const h of Object.values(portfolio.holdings)) if (h.qty !== 0) held.add(h.symbol);
  return held;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** "buy 100 SPY limit 512.4". */
function describeOrder(
  order: Pick<OrderRequest, 'side' | 'qty' | 'symbol' | 'type'> & {
    limitPrice?: number | null | undefined;
    stopPrice?: number | null | undefined;
  },
): string {
  const prices = [
    typeof order.limitPrice === 'number' ? `limit ${order.limitPrice}` : '',
    typeof order.stopPrice === 'number' ? `stop ${order.stopPrice}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `${order.side} ${order.qty} ${order.symbol} ${order.type}${prices ? ` ${prices}` : ''}`;
}

/** Whether an order is the one `request` asks for (everything but the client order id agrees). */
function sameOrder(order: Order, request: OrderRequest): boolean {
  return (
    order.symbol === request.symbol &&
    order.side === request.side &&
    order.qty === request.qty &&
    order.type === request.type &&
    order.tif === request.tif &&
    samePrice(request.limitPrice ?? null, order.limitPrice) &&
    samePrice(request.stopPrice ?? null, order.stopPrice)
  );
}

/** Two prices (or their absence) agree; a broker's echo of a price may differ in its last binary digits. */
function samePrice(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : Math.abs(a - b) < 1e-6;
}

/**
 * The refusal of a client order id already used for a different order: "client order id my-q-1 is already
 * buy 4 QQQ limit 640.00 gtc (D-4); use a new id". BAD_PARAMS: the request is wrong, not the desk.
 */
function usedClientOrderId(order: Order): EngineError {
  const prices = [
    order.stopPrice !== null ? `stop ${order.stopPrice.toFixed(2)}` : null,
    order.limitPrice !== null ? `limit ${order.limitPrice.toFixed(2)}` : null,
  ].filter((part) => part !== null);
  const type = order.type === 'market' ? ['market'] : []; // the prices name the other types
  const terms = [order.side, String(order.qty), order.symbol, ...type, ...prices, order.tif].join(' ');
  return new EngineError(
    'BAD_PARAMS',
    `client order id ${order.clientOrderId} is already ${terms} (${order.id}); use a new id`,
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
