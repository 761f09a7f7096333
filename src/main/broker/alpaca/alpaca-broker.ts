/**
 * The Alpaca broker (paper and live modes): the Broker port over Alpaca's Trading API v2 and its
 * trade_updates stream, with every change journaled before it is announced.
 *
 * - submit: idempotent by client order id. The order is journaled first as `pending_new` with the
 *   placeholder id `pending:<clientOrderId>`, then POSTed with that client_order_id; the reply gives
 *   Alpaca's id and status. A 422 "client_order_id must be unique" (a retry, or a crash between sending
 *   and hearing back) fetches the order by client id and adopts it: an order is never sent twice. No
 *   reply (network): the order stays pending_new and the next reconcile settles it by client id.
 * - cancel: DELETE → pending_cancel; the final `canceled` comes on the stream.
 * - replace: PATCH with the new client order id → the old order ends `replaced`, the new one is
 *   journaled (first as a placeholder, so a crash in between is settled by client id as well).
 * - trade_updates: every event moves the order through core/trading/order-state.ts (order-sync.ts);
 *   fills are booked from Alpaca's cumulative filled quantity, so an event heard twice is booked once.
 * - reconcile on start and after every reconnect: open orders, every journaled order not final (by id,
 *   or by client id for placeholders: one Alpaca does not know was never sent → rejected), fills missed
 *   while away (FILL activities, else the order's filled_qty), account and positions. What changed is
 *   reported in plain words via listener.connection.
 *
 * Stream events and reconciles run one at a time (a queue), so a reconcile's snapshot is never older
 * than an event already applied; REST replies to our own requests only move orders forward.
 */
import type { Fill, Order, OrderRequest } from '../../../shared/domain';
import type { JournalOrder, TradingJournal } from '../../core/trading/journal';
import { applyOrderEvent, isTerminal, isWorking, pendingOrder } from '../../core/trading/order-state';
import { applyFill, emptyPortfolio, type Holding, type Portfolio } from '../../core/trading/portfolio';
import type { Timers } from '../../platform/clock';
import type { Logger } from '../../platform/log';
import {
  BrokerError,
  type Broker,
  type BrokerAsset,
  type BrokerListener,
  type OrderChanges,
} from '../broker';
import { fillsToward, stepToward, type ReportedFill } from './order-sync';
import { TradeUpdatesStream, type TradeStreamEvent, type TradeStreamTuning } from './trade-stream';
import { AlpacaTradingRest, TradingRestError } from './trading-rest';
import { WireTradeUpdateSchema, kindOf, statusOf, type WireFillActivity, type WireOrder } from './wire';

export interface AlpacaBrokerOptions {
  environment: 'paper' | 'live';
  /** Trading REST base (config.ts tradingUrl). */
  tradingUrl: string;
  /** The trade_updates stream (config.ts tradingStreamUrl). */
  tradingStreamUrl: string;
  keys: { keyId: string; secret: string };
  journal: TradingJournal;
  account: 'alpaca-paper' | 'alpaca-live';
  timers: Timers;
  log: Logger;
  /** Uniform [0, 1) for the reconnect jitter. */
  random?: () => number;
  streamTuning?: Partial<TradeStreamTuning>;
  /** After a reconcile failed while the stream is up, try again after this long, ms. */
  reconcileRetryMs?: number;
  fetch?: typeof fetch;
}

const PLACEHOLDER = 'pending:';
const isPlaceholder = (order: Pick<Order, 'id'>): boolean => order.id.startsWith(PLACEHOLDER);

function publicOrder(order: JournalOrder | Order): Order {
  const { stopTriggered: _drop, ...rest } = order as JournalOrder;
  return rest;
}

const REASONS: Partial<Record<string, string>> = {
  canceled: 'canceled at Alpaca',
  expired: 'expired at Alpaca (the end of its time in force)',
  rejected: 'rejected by Alpaca',
  cancel_rejected: 'Alpaca refused the cancel',
  replace_rejected: 'Alpaca refused the replace',
};

interface SyncResult {
  order: Order;
  fills: Fill[];
  /** A difference we could not apply, in plain words. */
  note: string | null;
}

/** Creates the broker; `start` connects, reconciles and keeps it in step. */
export function createAlpacaBroker(options: AlpacaBrokerOptions): Broker {
  return new AlpacaBroker(options);
}

class AlpacaBroker implements Broker {
  readonly kind: 'paper' | 'live';
  private readonly rest: AlpacaTradingRest;
  private readonly stream: TradeUpdatesStream;
  private readonly log: Logger;
  private readonly orderByClientId = new Map<string, JournalOrder>();
  private readonly clientIdById = new Map<string, string>();
  private readonly fillList: Fill[] = [];
  private readonly fillIds = new Set<string>();
  private readonly inflight = new Map<string, Promise<Order>>();
  private portfolioNow: Portfolio = emptyPortfolio(0);
  private accountNumber: string | null = null;
  private listener: BrokerListener | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private firstStatus: (() => void) | null = null;
  private connected = false;
  private stopped = false;
  private retryTimer: unknown = null;

  constructor(private readonly options: AlpacaBrokerOptions) {
    this.kind = options.environment;
    this.log = options.log.child(`broker:${options.account}`);
    this.rest = new AlpacaTradingRest({
      baseUrl: options.tradingUrl,
      keys: options.keys,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.stream = new TradeUpdatesStream({
      url: options.tradingStreamUrl,
      keys: options.keys,
      timers: options.timers,
      log: this.log,
      ...(options.random ? { random: options.random } : {}),
      ...(options.streamTuning ? { tuning: options.streamTuning } : {}),
      status: (event) => this.onStreamStatus(event),
      update: (data) => void this.enqueue(() => this.applyUpdate(data)),
    });
    const state = options.journal.load(options.account);
    for (const order of state.orders) this.remember(order);
    for (const fill of state.fills) {
      this.fillList.push(fill);
      this.fillIds.add(fill.id);
    }
  }

  get accountLabel(): string {
    const name = this.kind === 'live' ? 'Alpaca LIVE' : 'Alpaca paper';
    return this.accountNumber ? `${name} ${this.accountNumber}` : name;
  }

  async start(listener: BrokerListener): Promise<void> {
    this.listener = listener;
    this.stopped = false;
    const first = new Promise<void>((resolve) => (this.firstStatus = resolve));
    this.stream.start();
    await first;
    await this.queue;
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.firstStatus?.();
    this.firstStatus = null;
  }

  /** The active US equities (GET /v2/assets), for symbol search. @throws BrokerError */
  async assets(): Promise<BrokerAsset[]> {
    try {
      return await this.rest.assets();
    } catch (error) {
      if (error instanceof TradingRestError) throw new BrokerError(error.plain, 'unreachable');
      throw error;
    }
  }

  // ---- orders ----

  async submit(request: OrderRequest, now: number): Promise<Order> {
    // A submit under way answers its retries with its own outcome; then the journal answers.
    const pending = this.inflight.get(request.clientOrderId);
    if (pending) return pending;
    const known = this.orderByClientId.get(request.clientOrderId);
    if (known) return publicOrder(known);
    const work = this.send(request, now).finally(() => this.inflight.delete(request.clientOrderId));
    this.inflight.set(request.clientOrderId, work);
    return work;
  }

  private async send(request: OrderRequest, now: number): Promise<Order> {
    const cid = request.clientOrderId;
    const placeholder = pendingOrder(PLACEHOLDER + cid, request, now);
    this.commitOrThrow([placeholder], [], 'nothing was sent to Alpaca');
    let remote: WireOrder | null;
    try {
      remote = await this.rest.submitOrder(request);
    } catch (error) {
      remote = await this.afterFailedWrite(cid, error, now);
    }
    return this.adoptReply(remote, now);
  }

  /** What a failed POST or PATCH means for order `cid`: its order at Alpaca (a reused id), or a throw. */
  private async afterFailedWrite(cid: string, error: unknown, now: number): Promise<WireOrder> {
    if (!(error instanceof TradingRestError)) throw error;
    if (error.failure === 'duplicate') {
      // The id was used: by our own earlier attempt (a retry, a crash before the reply). Adopt it.
      let found: WireOrder | null;
      try {
        found = await this.rest.orderByClientId(cid);
      } catch (lookup) {
        throw this.unreachable(lookup);
      }
      if (found) return found;
      throw new BrokerError(
        `Alpaca says client order id ${cid} was already used, but does not find an order with it. Use a new client order id.`,
        'refused',
      );
    }
    if (error.failure === 'network' || error.failure === 'server' || error.failure === 'bad_reply') {
      // Settle it by client id soon, also when the stream stays up (a reconnect reconciles anyway).
      this.scheduleReconcile();
      throw this.unreachable(error);
    }
    // Alpaca said no (keys, buying power, a bad price...): the order ends rejected with its words.
    const current = this.orderByClientId.get(cid);
    if (current && !isTerminal(current)) {
      const rejected = stepToward(current, 'rejected', error.plain, now);
      if (rejected) this.commitOrThrow([rejected], [], 'the refusal was not recorded');
    }
    throw new BrokerError(error.plain, 'refused');
  }

  private unreachable(error: unknown): BrokerError {
    const why = error instanceof TradingRestError ? error.plain : String(error);
    return new BrokerError(
      `${why}. The order may or may not have reached Alpaca: it stays pending and is settled with Alpaca ` +
        'as soon as the connection is back (never sent twice).',
      'unreachable',
    );
  }

  /** The reply to our own POST/PATCH: forward-only (a stream event may already have moved the order on). */
  private adoptReply(remote: WireOrder, now: number): Order {
    const local = this.orderByClientId.get(remote.client_order_id);
    if (!local) {
      const adopted = this.adoptUnknown(remote, now);
      return (
        adopted ??
        this.fail(`Alpaca answered with an order we cannot hold (${remote.type}, ${remote.time_in_force})`)
      );
    }
    const result = this.sync(local, remote, [], remote.updated_at ?? now, { forwardOnly: true });
    this.commitChanges(local, result);
    return publicOrder(this.orderByClientId.get(remote.client_order_id) ?? result.order);
  }

  private fail(message: string): never {
    throw new BrokerError(message, 'refused');
  }

  async cancel(orderId: string, now: number): Promise<Order> {
    let local = this.lookup(orderId);
    if (isTerminal(local)) {
      throw new BrokerError(
        `Order ${local.clientOrderId} is already ${local.status}; nothing to cancel.`,
        'refused',
      );
    }
    if (isPlaceholder(local)) local = await this.resolvePlaceholder(local, now);
    try {
      await this.rest.cancelOrder(local.id);
    } catch (error) {
      if (!(error instanceof TradingRestError)) throw error;
      if (error.failure === 'network' || error.failure === 'server' || error.failure === 'bad_reply') {
        throw new BrokerError(`${error.plain}. The order was not cancelled; try again.`, 'unreachable');
      }
      await this.refresh(local, now);
      throw new BrokerError(
        `Alpaca would not cancel order ${local.clientOrderId}: ${error.alpacaMessage ?? error.plain}`,
        error.failure === 'not_found' ? 'not_found' : 'refused',
      );
    }
    const current = this.orderByClientId.get(local.clientOrderId) ?? local;
    const next = stepToward(current, 'pending_cancel', '', now, { forwardOnly: true });
    if (next && next !== current) this.commitOrThrow([next], [], 'the cancel request was not recorded');
    return publicOrder(this.orderByClientId.get(local.clientOrderId) ?? current);
  }

  async replace(orderId: string, changes: OrderChanges, now: number): Promise<Order> {
    const known = this.orderByClientId.get(changes.clientOrderId);
    if (known) return publicOrder(known);
    let old = this.lookup(orderId);
    if (!isWorking(old) && !isPlaceholder(old)) {
      throw new BrokerError(
        `Order ${old.clientOrderId} is ${old.status}: only a working order can be replaced.`,
        'refused',
      );
    }
    if (isPlaceholder(old)) old = await this.resolvePlaceholder(old, now);
    if (old.status === 'pending_cancel' || old.status === 'pending_replace') {
      throw new BrokerError(
        `Order ${old.clientOrderId} is ${old.status}: wait for Alpaca's answer first.`,
        'refused',
      );
    }
    const cid = changes.clientOrderId;
    const placeholder: Order = {
      ...publicOrder(old),
      id: PLACEHOLDER + cid,
      clientOrderId: cid,
      qty: changes.qty ?? old.qty - old.filledQty,
      limitPrice: changes.limitPrice ?? old.limitPrice,
      stopPrice: changes.stopPrice ?? old.stopPrice,
      status: 'pending_new',
      filledQty: 0,
      avgFillPrice: null,
      submittedAt: now,
      updatedAt: now,
      reason: null,
    };
    const requested = applyOrderEvent(old, { kind: 'replace_requested' }, now);
    this.commitOrThrow([requested, placeholder], [], 'nothing was sent to Alpaca');
    let remote: WireOrder;
    try {
      remote = await this.rest.replaceOrder(old.id, {
        clientOrderId: cid,
        ...(changes.qty !== undefined ? { qty: changes.qty } : {}),
        ...(changes.limitPrice !== undefined ? { limitPrice: changes.limitPrice } : {}),
        ...(changes.stopPrice !== undefined ? { stopPrice: changes.stopPrice } : {}),
      });
    } catch (error) {
      if (
        error instanceof TradingRestError &&
        (error.failure === 'refused' || error.failure === 'not_found')
      ) {
        // Alpaca kept the old order as it was: it works again; the replacement never existed.
        const oldNow = this.orderByClientId.get(old.clientOrderId);
        const back = oldNow
          ? stepToward(oldNow, oldNow.filledQty > 0 ? 'partially_filled' : 'new', error.plain, now)
          : null;
        const newNow = this.orderByClientId.get(cid);
        const gone = newNow ? stepToward(newNow, 'rejected', error.plain, now) : null;
        this.commitOrThrow(
          [back, gone].filter((o): o is Order => o !== null && o !== undefined),
          [],
          'the refusal was not recorded',
        );
        throw new BrokerError(
          `Alpaca would not replace order ${old.clientOrderId}: ${error.alpacaMessage ?? error.plain}`,
          'refused',
        );
      }
      remote = await this.afterFailedWrite(cid, error, now);
    }
    const oldNow = this.orderByClientId.get(old.clientOrderId);
    const ended = oldNow ? stepToward(oldNow, 'replaced', '', now, { forwardOnly: true }) : null;
    if (ended && oldNow && ended !== oldNow) this.commitOrThrow([ended], [], 'the replace was not recorded');
    return this.adoptReply(remote, now);
  }

  orders(filter: { open: boolean; limit: number }): Order[] {
    return [...this.orderByClientId.values()]
      .filter((o) => !filter.open || !isTerminal(o))
      .sort((a, b) => b.submittedAt - a.submittedAt)
      .slice(0, filter.limit)
      .map(publicOrder);
  }

  fills(filter: { limit: number; before?: number }): Fill[] {
    return this.fillList
      .filter((f) => filter.before === undefined || f.time < filter.before)
      .sort((a, b) => b.time - a.time)
      .slice(0, filter.limit)
      .map((f) => ({ ...f }));
  }

  portfolio(): Portfolio {
    return this.portfolioNow;
  }

  onTrade(): void {}
  onBars(): void {}
  onTime(): void {}

  // ---- the stream ----

  private onStreamStatus(event: TradeStreamEvent): void {
    const first = this.firstStatus;
    this.firstStatus = null;
    if (event.kind === 'ready') {
      this.connected = true;
      this.log.info(event.reconnect ? 'trade updates: connected again' : 'trade updates: connected');
      void this.enqueue(() => this.reconcileAndReport(event.reconnect));
    } else {
      this.connected = false;
      const message =
        event.kind === 'halted'
          ? event.reason
          : `${event.wasReady ? 'lost the connection to Alpaca' : 'cannot connect to Alpaca'} (${event.reason}); retrying in ${Math.max(1, Math.round(event.delayMs / 1000))} s`;
      if (event.kind === 'halted') this.log.error(`trade updates: ${message}`);
      else this.log.warn(`trade updates: ${message}`);
      this.announceConnection(false, message);
      // Not connected at start: still show what Alpaca's REST says (once; the stream's ready reconciles again).
      if (first) void this.enqueue(() => this.reconcileQuietly());
    }
    first?.();
  }

  private async reconcileQuietly(): Promise<void> {
    try {
      await this.reconcile(false);
    } catch (error) {
      this.log.warn(`reconcile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async reconcileAndReport(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const differences = await this.reconcile(reconnect);
      const message =
        differences.length === 0
          ? null
          : `Reconciled with Alpaca${reconnect ? ' after reconnecting' : ''}: ${differences.join('; ')}.`;
      if (message) this.log.info(message);
      this.announceConnection(this.connected, message);
    } catch (error) {
      const why = error instanceof TradingRestError || error instanceof Error ? error.message : String(error);
      const retryMs = this.options.reconcileRetryMs ?? 10_000;
      const keys = error instanceof TradingRestError && error.failure === 'keys';
      const message = keys
        ? why
        : `Could not check orders and positions with Alpaca (${why}); trying again in ${Math.round(retryMs / 1000)} s.`;
      this.log.warn(message);
      this.announceConnection(this.connected && !keys, message);
      if (!keys) this.scheduleReconcile(reconnect);
    }
  }

  /** A reconcile after `reconcileRetryMs` while the stream is up (one pending at a time). */
  private scheduleReconcile(reconnect = false): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.connected && !this.stopped) void this.enqueue(() => this.reconcileAndReport(reconnect));
    }, this.options.reconcileRetryMs ?? 10_000);
  }

  private applyUpdate(data: unknown): Promise<void> {
    this.applyUpdateNow(data);
    return Promise.resolve();
  }

  private applyUpdateNow(data: unknown): void {
    const parsed = WireTradeUpdateSchema.safeParse(data);
    if (!parsed.success) {
      this.log.warn(
        `trade updates: an update we do not understand was ignored (${parsed.error.issues[0]?.message})`,
      );
      return;
    }
    const update = parsed.data;
    const remote = update.order;
    const time = update.timestamp ?? remote.updated_at ?? this.options.timers.now();
    const local = this.orderByClientId.get(remote.client_order_id) ?? this.lookupOrNull(remote.id);
    if (!local) {
      this.adoptUnknown(remote, time);
      return;
    }
    const reported: ReportedFill[] =
      (update.event === 'fill' || update.event === 'partial_fill') &&
      update.execution_id &&
      typeof update.qty === 'number' &&
      typeof update.price === 'number'
        ? [{ id: update.execution_id, qty: update.qty, price: update.price, time, cumQty: remote.filled_qty }]
        : [];
    // Only Alpaca's refusals of a cancel or replace move an order back to working; anything else
    // only forward (a late `new` after our cancel request must not undo it).
    const back = update.event === 'order_cancel_rejected' || update.event === 'order_replace_rejected';
    const result = this.sync(local, remote, reported, time, { forwardOnly: !back });
    if (result.note) this.log.warn(`trade updates: ${result.note}`);
    this.commitChanges(local, result);
  }

  // ---- reconcile ----

  /** Brings journal, orders, fills and portfolio in step with Alpaca; returns the differences found. */
  private async reconcile(reconnect: boolean): Promise<string[]> {
    const notes: string[] = [];
    const account = await this.rest.account();
    this.accountNumber = account.account_number;
    const now = this.options.timers.now();
    const remotes = new Map<string, WireOrder>();
    for (const order of await this.rest.openOrders()) remotes.set(order.client_order_id, order);
    const neverSent: string[] = [];
    const confirmed: string[] = [];
    for (const local of [...this.orderByClientId.values()]) {
      if (isTerminal(local) || remotes.has(local.clientOrderId)) continue;
      if (isPlaceholder(local) && this.inflight.has(local.clientOrderId)) continue; // our POST is under way
      const remote = isPlaceholder(local)
        ? await this.rest.orderByClientId(local.clientOrderId)
        : ((await this.rest.order(local.id)) ?? (await this.rest.orderByClientId(local.clientOrderId)));
      if (remote) {
        remotes.set(remote.client_order_id, remote);
      } else if (isPlaceholder(local)) {
        const rejected = stepToward(
          local,
          'rejected',
          'never reached Alpaca (no reply before the connection failed)',
          now,
        );
        if (rejected) {
          this.commitOrThrow([rejected], [], 'the reconcile was not recorded');
          neverSent.push(local.clientOrderId);
        }
      } else {
        notes.push(
          `Alpaca does not know order ${local.clientOrderId} (${local.symbol}), which we hold as ${local.status}`,
        );
      }
    }
    if (neverSent.length > 0) {
      notes.push(
        `${plural(neverSent.length, 'unconfirmed order')} never reached Alpaca and ${neverSent.length === 1 ? 'was' : 'were'} marked rejected (${neverSent.join(', ')})`,
      );
    }

    const activities = await this.missedActivities([...remotes.values()]);
    let fillsBooked = 0;
    let adopted = 0;
    const moved: string[] = [];
    for (const remote of remotes.values()) {
      const local = this.orderByClientId.get(remote.client_order_id);
      if (!local) {
        if (this.adoptUnknown(remote, now)) adopted++;
        continue;
      }
      const reported = (activities.get(remote.id) ?? []).map((a): ReportedFill => ({
        id: a.id,
        qty: a.qty,
        price: a.price,
        time: a.transaction_time,
        cumQty: a.cum_qty,
      }));
      const result = this.sync(local, remote, reported, remote.updated_at ?? now, { forwardOnly: false });
      if (result.note) notes.push(result.note);
      fillsBooked += result.fills.length;
      const before = local.status;
      if (isPlaceholder(local) && !this.inflight.has(local.clientOrderId))
        confirmed.push(local.clientOrderId);
      this.commitChanges(local, result);
      const after = this.orderByClientId.get(remote.client_order_id);
      if (
        after &&
        after.status !== before &&
        !(result.fills.length > 0 && (after.status === 'filled' || after.status === 'partially_filled'))
      ) {
        if (!(before === 'pending_new' && (after.status === 'new' || after.status === 'partially_filled'))) {
          moved.push(`${after.clientOrderId} ${before} → ${after.status}`);
        }
      }
    }
    if (confirmed.length > 0) {
      notes.push(
        `${plural(confirmed.length, 'order')} sent without hearing back ${confirmed.length === 1 ? 'was' : 'were'} found at Alpaca (${confirmed.join(', ')})`,
      );
    }
    if (fillsBooked > 0)
      notes.push(
        `${plural(fillsBooked, 'fill')} booked that arrived while ${reconnect ? 'disconnected' : 'the workstation was away'}`,
      );
    if (moved.length > 0)
      notes.push(`${plural(moved.length, 'order')} changed at Alpaca (${moved.join(', ')})`);
    if (adopted > 0) notes.push(`${plural(adopted, 'order')} placed outside the workstation now shown`);

    const positions = await this.rest.positions();
    this.portfolioNow = this.portfolioFrom(account.cash, positions);
    return notes;
  }

  /** FILL activities since just before our newest fill (or the oldest order to settle), by order id. */
  private async missedActivities(remotes: readonly WireOrder[]): Promise<Map<string, WireFillActivity[]>> {
    const byOrder = new Map<string, WireFillActivity[]>();
    const behind = remotes.filter((r) => {
      const local = this.orderByClientId.get(r.client_order_id);
      return r.filled_qty > (local?.filledQty ?? 0);
    });
    if (behind.length === 0) return byOrder;
    const newestFill = this.fillList.reduce((t, f) => Math.max(t, f.time), -Infinity);
    const oldestOrder = behind.reduce((t, r) => Math.min(t, r.submitted_at ?? r.created_at), Infinity);
    // A minute of overlap: fills already booked are skipped by their cumulative quantity, not their time.
    const after = Math.min(Number.isFinite(newestFill) ? newestFill : Infinity, oldestOrder) - 60_000;
    for (const activity of await this.rest.fillsAfter(after)) {
      const list = byOrder.get(activity.order_id) ?? [];
      list.push(activity);
      byOrder.set(activity.order_id, list);
    }
    return byOrder;
  }

  private portfolioFrom(
    cash: number,
    positions: readonly { symbol: string; qty: number; side?: string | undefined; avg_entry_price: number }[],
  ): Portfolio {
    const holdings: Record<string, Holding> = {};
    for (const [symbol, holding] of Object.entries(this.portfolioNow.holdings)) {
      holdings[symbol] = { ...holding, qty: 0, avgPrice: 0 };
    }
    for (const p of positions) {
      const qty = p.side === 'short' && p.qty > 0 ? -p.qty : p.qty;
      holdings[p.symbol] = {
        symbol: p.symbol,
        qty,
        avgPrice: p.avg_entry_price,
        realizedPnl: holdings[p.symbol]?.realizedPnl ?? 0,
      };
    }
    return { cash, holdings, feesPaid: this.portfolioNow.feesPaid };
  }

  // ---- order bookkeeping ----

  /**
   * `local` brought to `remote`: Alpaca's id for a placeholder, the fills not yet booked (reported ones
   * first, then the rest of Alpaca's filled_qty), then the status through the transition table.
   */
  private sync(
    local: Order,
    remote: WireOrder,
    reported: readonly ReportedFill[],
    time: number,
    options: { forwardOnly: boolean },
  ): SyncResult {
    let order: Order = publicOrder(local);
    if (isPlaceholder(order) || order.id !== remote.id) order = { ...order, id: remote.id };
    const target = statusOf(remote);
    if (isTerminal(order)) {
      const differs =
        target !== null && target !== order.status && !(target === 'canceled' && order.status === 'replaced');
      return {
        order,
        fills: [],
        note: differs
          ? `order ${order.clientOrderId} (${order.symbol}) is ${order.status} here but ${remote.status} at Alpaca`
          : null,
      };
    }
    let fills: Fill[];
    try {
      const filled = fillsToward(order, reported, {
        filledQty: remote.filled_qty,
        avgPrice: remote.filled_avg_price,
        time,
      });
      order = filled.order;
      fills = filled.fills;
    } catch (error) {
      return {
        order,
        fills: [],
        note: `order ${order.clientOrderId}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (target === null) {
      return {
        order,
        fills,
        note: `order ${order.clientOrderId}: Alpaca reports a status we do not know (${remote.status})`,
      };
    }
    if (target === 'partially_filled' || target === 'filled') {
      // Fills set these; a refused cancel or replace of a partly filled order comes back here too.
      if (order.status === 'pending_new') order = applyOrderEvent(order, { kind: 'accepted' }, time);
      if (target === 'partially_filled' && order.status !== target && !options.forwardOnly) {
        order = stepToward(order, target, REASONS.cancel_rejected ?? '', time) ?? order;
      }
      return { order, fills, note: null };
    }
    const stepped = stepToward(order, target, REASONS[target] ?? `${target} at Alpaca`, time, options);
    if (stepped) return { order: stepped, fills, note: null };
    const note =
      options.forwardOnly || order.status === target
        ? null
        : `order ${order.clientOrderId} (${order.symbol}) is ${order.status} here but ${remote.status} at Alpaca`;
    return { order, fills, note };
  }

  /** An order Alpaca holds that we never journaled (placed elsewhere): journaled as Alpaca has it. */
  private adoptUnknown(remote: WireOrder, time: number): Order | null {
    const kind = kindOf(remote);
    const qty = remote.qty;
    if (!kind || qty === null || !Number.isInteger(qty) || qty <= 0) {
      this.log.info(
        `order ${remote.client_order_id} at Alpaca (${remote.type}, ${remote.time_in_force}) is not one we can show; left alone`,
      );
      return null;
    }
    const base: Order = {
      id: remote.id,
      clientOrderId: remote.client_order_id,
      symbol: remote.symbol,
      side: remote.side,
      qty,
      type: kind.type,
      limitPrice: remote.limit_price ?? null,
      stopPrice: remote.stop_price ?? null,
      tif: kind.tif,
      status: 'pending_new',
      filledQty: 0,
      avgFillPrice: null,
      submittedAt: remote.submitted_at ?? remote.created_at,
      updatedAt: remote.created_at,
      reason: null,
    };
    const result = this.sync(base, remote, [], remote.updated_at ?? time, { forwardOnly: false });
    this.commit([result.order], result.fills);
    return result.order;
  }

  /** The order for our id or Alpaca's id. @throws BrokerError not_found */
  private lookup(orderId: string): JournalOrder {
    const found = this.lookupOrNull(orderId);
    if (!found)
      throw new BrokerError(`There is no order ${orderId} in this Alpaca account's book.`, 'not_found');
    return found;
  }

  private lookupOrNull(orderId: string): JournalOrder | null {
    const cid = this.clientIdById.get(orderId);
    return (cid ? this.orderByClientId.get(cid) : this.orderByClientId.get(orderId)) ?? null;
  }

  /** A placeholder settled by client id before we ask something of it. @throws BrokerError */
  private async resolvePlaceholder(local: JournalOrder, now: number): Promise<JournalOrder> {
    let remote: WireOrder | null;
    try {
      remote = await this.rest.orderByClientId(local.clientOrderId);
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!remote) {
      throw new BrokerError(
        `Order ${local.clientOrderId} has not reached Alpaca yet; try again in a moment.`,
        'refused',
      );
    }
    this.adoptReply(remote, now);
    return this.orderByClientId.get(local.clientOrderId) ?? local;
  }

  /** Fetches one order and applies what Alpaca says (after a refused cancel: it may have filled). */
  private async refresh(local: Order, now: number): Promise<void> {
    try {
      const remote =
        (await this.rest.order(local.id)) ?? (await this.rest.orderByClientId(local.clientOrderId));
      if (!remote) return;
      const current = this.orderByClientId.get(local.clientOrderId);
      if (!current) return;
      this.commitChanges(
        current,
        this.sync(current, remote, [], remote.updated_at ?? now, { forwardOnly: false }),
      );
    } catch (error) {
      this.log.warn(
        `could not refresh order ${local.clientOrderId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private commitChanges(before: Order, result: SyncResult): void {
    const changed =
      result.fills.length > 0 ||
      result.order.status !== before.status ||
      result.order.id !== before.id ||
      result.order.filledQty !== before.filledQty;
    if (changed) this.commit([result.order], result.fills);
  }

  private commitOrThrow(orders: readonly Order[], fills: readonly Fill[], consequence: string): void {
    try {
      this.commit(orders, fills);
    } catch (error) {
      throw new BrokerError(
        `Could not write to the trading journal (${error instanceof Error ? error.message : String(error)}); ${consequence}.`,
        'refused',
      );
    }
  }

  /** Journal first (one transaction), then memory, then the listener. @throws when the journal refuses. */
  private commit(orders: readonly Order[], fills: readonly Fill[]): void {
    const fresh = fills.filter((f) => !this.fillIds.has(f.id));
    this.options.journal.record(this.options.account, {
      orders: orders.map((o) => ({ ...publicOrder(o), stopTriggered: false })),
      fills: fresh,
    });
    for (const order of orders) this.remember({ ...publicOrder(order), stopTriggered: false });
    for (const fill of fresh) {
      this.fillList.push(fill);
      this.fillIds.add(fill.id);
      this.portfolioNow = applyFill(this.portfolioNow, fill);
    }
    const listener = this.listener;
    if (!listener) return;
    try {
      for (const fill of fresh) {
        const order = this.orderByClientId.get(fill.clientOrderId);
        if (order) listener.fill(fill, publicOrder(order));
      }
      for (const order of orders)
        listener.order(publicOrder(this.orderByClientId.get(order.clientOrderId) ?? order));
    } catch (error) {
      this.log.error(`a trading listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private remember(order: JournalOrder): void {
    const previous = this.orderByClientId.get(order.clientOrderId);
    if (previous && previous.id !== order.id) this.clientIdById.delete(previous.id);
    this.orderByClientId.set(order.clientOrderId, order);
    this.clientIdById.set(order.id, order.clientOrderId);
  }

  private announceConnection(connected: boolean, message: string | null): void {
    try {
      this.listener?.connection({ connected, message });
    } catch (error) {
      this.log.error(`a trading listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T | undefined> {
    const next = this.queue.then(work).catch((error: unknown) => {
      this.log.error(`trade updates: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    this.queue = next;
    return next;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
