/**
 * The demo broker (demo and replay modes): orders fill against the running feed through the core fill
 * model (core/trading/fill-model.ts), move through the one transition table (core/trading/order-state.ts)
 * and are journaled before anything is announced, so a restart restores the exact state.
 *
 * - Ids are deterministic, never random: orders `${idPrefix}D-<n>`, fills `${idPrefix}F-<n>`, the
 *   starting deposit `${idPrefix}C-1`, numbered from what the account's journal already holds.
 * - Market data: see fill-source.ts (trades when the feed has them, else closed 1m bars, never both for
 *   one minute of a symbol; a daily replay's closed 1D bars for symbols without minute data). Each
 *   working order of the symbol is offered each piece in submit order, but for those the piece cannot
 *   change (core quietBounds: a trade costs a few ns per resting order); the fill model caps each order
 *   at its share of the piece's volume (partials), independently per order.
 * - A fill's time is the trade's time, or the start of the bar it came from.
 * - A fill that cannot be journaled is not booked: the order stays as it was, the broker reports
 *   {connected: true, message: 'journal write failed: …'} and the next trade or bar tries again.
 *
 * Units: shares, dollars, epoch ms UTC (market time, always from the caller).
 */
import {
  OrderRequestSchema,
  type Bar,
  type Fill,
  type Order,
  type OrderRequest,
  type Trade,
} from '../../../shared/domain';
import type { CashEntry, JournalChange, JournalOrder, TradingJournal } from '../../core/trading/journal';
import {
  checkFillBar,
  checkFillModelConfig,
  DEFAULT_FILL_MODEL_CONFIG,
  fillOnCheckedBar,
  isQuietBar,
  quietBounds,
  type FillContext,
  type FillModelConfig,
  type QuietBounds,
} from '../../core/trading/fill-model';
import {
  applyOrderEvent,
  isTerminal,
  isWorking,
  pendingOrder,
  type OrderEvent,
} from '../../core/trading/order-state';
import {
  applyFill,
  emptyPortfolio,
  portfolioFromJournal,
  type Portfolio,
} from '../../core/trading/portfolio';
import {
  BrokerError,
  type Broker,
  type BrokerConnection,
  type BrokerListener,
  type OrderChanges,
} from '../broker';
import { isReplayAccount, type ReplayAccount } from '../../core/trading/replay-account';
import { FillSource, type FillInput } from './fill-source';

/**
 * 'demo'; a replay run's own account (`replay:<run start>`, core/trading/replay-account.ts);
 * 'alpaca-paper-shadow': the demo fills of paper mode's orders, for the divergence report.
 */
export type DemoAccount = 'demo' | ReplayAccount | 'alpaca-paper-shadow';

export interface DemoBrokerOptions {
  journal: TradingJournal;
  /**
   * The journal's account key: 'demo' (demo database), a replay run's `replay:<run start>` (the market
   * database a replay reads; a fresh account per run) or 'alpaca-paper-shadow' (paper mode's shadow, in
   * the market database).
   */
  account: DemoAccount;
  /** Dollars deposited the first time the account's journal is empty (default 100 000). */
  startingCash?: number;
  /**
   * The fill model's costs (default DEFAULT_FILL_MODEL_CONFIG), copied and checked once: the constructor
   * throws FillModelError for one the fill model refuses.
   */
  fillConfig?: FillModelConfig;
  /**
   * Epoch ms of the close of the trading session containing `time`, or of the next session when `time`
   * is outside one (the engine passes one from the calendar). A day order lives until the close of the
   * session of its submit time.
   */
  sessionClose: (time: number) => number;
  /** Prepended to every order, fill and cash id (default ''). */
  idPrefix?: string;
}

export const DEFAULT_STARTING_CASH = 100_000;

const NO_LISTENER: BrokerListener = { order() {}, fill() {}, connection() {} };

export class DemoBroker implements Broker {
  readonly kind = 'demo' as const;
  readonly accountLabel: string;

  private readonly journal: TradingJournal;
  private readonly account: DemoAccount;
  private readonly startingCash: number;
  private readonly fillConfig: FillModelConfig;
  private readonly sessionClose: (time: number) => number;
  private readonly idPrefix: string;
  private readonly source = new FillSource();

  private listener: BrokerListener = NO_LISTENER;
  private started = false;
  private stopped = false;
  /** Every order by id, in submit order (Map keeps insertion order). */
  private readonly orderById = new Map<string, JournalOrder>();
  private readonly idByClientId = new Map<string, string>();
  /** The working orders' ids, in submit order (the ones the feed is offered to). */
  private readonly workingIds = new Set<string>();
  /** The same, by symbol (a trade is offered only to its symbol's orders), with their quiet bounds. */
  private readonly workingBySymbol = new Map<string, WorkingBook>();
  /** Epoch ms of each order's last fill (a closed bar of a minute at or before it is not used again). */
  private readonly lastFillTime = new Map<string, number>();
  /** Each day order's session close (from sessionClose(submittedAt)), computed once. */
  private readonly closeOf = new Map<string, number>();
  /** One order's quiet bounds at a time, refilled from a WorkingBook's arrays (see offer). */
  private readonly quiet: QuietBounds = { lowAbove: 0, highBelow: 0, endBefore: 0 };
  /** The fill model's context, refilled for each order a bar is offered to (see offerTo). */
  private readonly fillContext: Required<FillContext> = { sessionClose: 0, barMs: 0, stopTriggered: false };
  private fillList: Fill[] = [];
  private book: Portfolio = emptyPortfolio(0);
  private orderSeq = 0;
  private fillSeq = 0;
  /** The last journal write failure reported through connection(), or null. */
  private journalProblem: string | null = null;

  constructor(options: DemoBrokerOptions) {
    this.journal = options.journal;
    this.account = options.account;
    this.startingCash = options.startingCash ?? DEFAULT_STARTING_CASH;
    // A copy checked once here (a FillModelError for a config the fill model refuses), not on every order
    // a trade is offered to: fillOnCheckedBar trusts it from then on, so the caller must not change it.
    this.fillConfig = { ...(options.fillConfig ?? DEFAULT_FILL_MODEL_CONFIG) };
    checkFillModelConfig(this.fillConfig);
    this.sessionClose = options.sessionClose;
    this.idPrefix = options.idPrefix ?? '';
    this.accountLabel =
      options.account === 'demo'
        ? 'Demo account'
        : isReplayAccount(options.account)
          ? 'Replay account'
          : 'Paper shadow (demo fills)';
    if (!Number.isFinite(this.startingCash) || this.startingCash < 0) {
      throw new Error(`starting cash must be a number of dollars ≥ 0, got ${this.startingCash}`);
    }
  }

  /**
   * Loads the account's journal and rebuilds orders (stop triggers included), fills, cash and the
   * portfolio exactly; deposits the starting cash into an empty journal; then reports connected.
   * @throws when the journal cannot be read or the deposit cannot be written.
   */
  start(listener: BrokerListener): Promise<void> {
    this.listener = listener;
    this.stopped = false;
    if (!this.started) {
      this.restore();
      this.started = true;
    }
    this.listener.connection(this.connectionState());
    return Promise.resolve();
  }

  stop(): void {
    this.stopped = true;
    this.listener = NO_LISTENER;
  }

  /**
   * Places an order, idempotent by clientOrderId: a used id answers with that order, whatever its state.
   * The order is accepted at once (status new) and works from `now` on.
   * @throws BrokerError 'refused' for a request the contract refuses; 'unreachable' when the journal
   *   cannot write the order (nothing was placed; the same request may be retried).
   */
  submit(request: OrderRequest, now: number): Promise<Order> {
    try {
      this.requireStarted();
      const known = this.byClientId(request.clientOrderId);
      if (known !== null) return Promise.resolve(toOrder(known));
      const parsed = OrderRequestSchema.safeParse(request);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => i.message).join('; ');
        throw new BrokerError(`The demo broker refused the order: ${why}.`, 'refused');
      }
      const placed = this.newOrder(parsed.data, now, false);
      this.write({ orders: [placed] }, 'the order');
      this.remember(placed);
      this.listener.order(toOrder(placed));
      return Promise.resolve(toOrder(placed));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Cancels a working order at once (canceled, with `reason`, by default 'canceled by the trader').
   * @throws BrokerError 'not_found' for an unknown id, 'refused' for an order that is already final,
   *   'unreachable' when the journal cannot write it (the order still works).
   */
  cancel(orderId: string, now: number, reason?: string): Promise<Order> {
    try {
      this.requireStarted();
      const order = this.live(orderId, 'cancel');
      let after = applyOrderEvent(order, { kind: 'cancel_requested' }, now);
      after = applyOrderEvent(after, { kind: 'canceled', reason: reason ?? 'canceled by the trader' }, now);
      const journaled = { ...after, stopTriggered: order.stopTriggered };
      this.write({ orders: [journaled] }, 'the cancel');
      this.remember(journaled);
      this.listener.order(toOrder(journaled));
      return Promise.resolve(toOrder(journaled));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Replaces a working order: the old one ends 'replaced', a new one (changes.clientOrderId, same symbol,
   * side, type and tif; qty default the old one's remaining shares, prices default the old ones) works
   * from `now`. A triggered stop stays triggered when the stop price is unchanged. Idempotent: a retry
   * with a clientOrderId already used for this replacement answers with that order.
   * @throws BrokerError 'not_found' for an unknown id; 'refused' for a final order, a clientOrderId
   *   already used, or changes the contract refuses; 'unreachable' when the journal cannot write it.
   */
  replace(orderId: string, changes: OrderChanges, now: number): Promise<Order> {
    try {
      this.requireStarted();
      const known = this.byClientId(changes.clientOrderId);
      if (known !== null) {
        const old = this.orderById.get(orderId);
        if (old?.status === 'replaced' && known.submittedAt >= old.updatedAt) {
          return Promise.resolve(toOrder(known));
        }
        throw new BrokerError(
          `The client order id ${changes.clientOrderId} is already used by order ${known.id}; ` +
            'give the replacement a new one.',
          'refused',
        );
      }
      const old = this.live(orderId, 'replace');
      const request = {
        clientOrderId: changes.clientOrderId,
        symbol: old.symbol,
        side: old.side,
        qty: changes.qty ?? old.qty - old.filledQty,
        type: old.type,
        tif: old.tif,
        ...(old.type === 'limit' || old.type === 'stop_limit' || changes.limitPrice !== undefined
          ? { limitPrice: changes.limitPrice ?? old.limitPrice ?? undefined }
          : {}),
        ...(old.type === 'stop' || old.type === 'stop_limit' || changes.stopPrice !== undefined
          ? { stopPrice: changes.stopPrice ?? old.stopPrice ?? undefined }
          : {}),
      };
      const parsed = OrderRequestSchema.safeParse(request);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => i.message).join('; ');
        throw new BrokerError(`The demo broker refused the replacement of ${orderId}: ${why}.`, 'refused');
      }
      let ended = applyOrderEvent(old, { kind: 'replace_requested' }, now);
      ended = applyOrderEvent(ended, { kind: 'replaced' }, now);
      const endedJournal = { ...ended, stopTriggered: old.stopTriggered };
      const keepTrigger = old.stopTriggered && parsed.data.stopPrice === (old.stopPrice ?? undefined);
      const replacement = this.newOrder(parsed.data, now, keepTrigger);
      this.write({ orders: [endedJournal, replacement] }, 'the replacement');
      this.remember(endedJournal);
      this.remember(replacement);
      this.listener.order(toOrder(endedJournal));
      this.listener.order(toOrder(replacement));
      return Promise.resolve(toOrder(replacement));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  orders(filter: { open: boolean; limit: number }): Order[] {
    const out: Order[] = [];
    const all = [...this.orderById.values()];
    for (let i = all.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const order = all[i]!;
      if (filter.open && isTerminal(order)) continue;
      out.push(toOrder(order));
    }
    return out;
  }

  fills(filter: { limit: number; before?: number }): Fill[] {
    const out: Fill[] = [];
    for (let i = this.fillList.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const fill = this.fillList[i]!;
      if (filter.before !== undefined && fill.time >= filter.before) continue;
      out.push({ ...fill });
    }
    return out;
  }

  /** Cash and holdings from the cash entries and every fill (a copy). */
  portfolio(): Portfolio {
    return { ...this.book, holdings: { ...this.book.holdings } };
  }

  onTrade(trade: Trade): void {
    if (!this.started || this.stopped) return;
    const input = this.source.fromTrade(trade);
    if (this.workingIds.size === 0) return;
    this.offer(input);
  }

  onBars(bars: readonly Bar[]): void {
    if (!this.started || this.stopped) return;
    const inputs = this.source.fromBars(bars);
    if (this.workingIds.size === 0) return;
    for (const input of inputs) this.offer(input);
  }

  /** Expires the working day orders whose session closed at or before `now`. */
  onTime(now: number): void {
    if (!this.started || this.stopped || this.workingIds.size === 0) return;
    for (const id of [...this.workingIds]) {
      const order = this.orderById.get(id)!;
      if (order.tif !== 'day' || this.closeOfOrder(order) > now) continue;
      const after = applyOrderEvent(
        order,
        { kind: 'expired', reason: 'day order expired at the session close' },
        now,
      );
      this.bookChange({ ...after, stopTriggered: order.stopTriggered }, []);
    }
  }

  // ---------------------------------------------------------------------------------------------------

  private restore(): void {
    const state = this.journal.load(this.account);
    if (state.orders.length === 0 && state.fills.length === 0 && state.cash.length === 0) {
      const deposit: CashEntry = {
        id: `${this.idPrefix}C-1`,
        // Before any market time is known: the deposit precedes every order.
        time: 0,
        amount: this.startingCash,
        reason: 'starting cash of the demo account',
      };
      this.journal.record(this.account, { cash: [deposit] });
      state.cash.push(deposit);
    }
    this.book = portfolioFromJournal(state);
    for (const fill of state.fills) {
      const last = this.lastFillTime.get(fill.orderId);
      if (last === undefined || fill.time > last) this.lastFillTime.set(fill.orderId, fill.time);
    }
    this.fillList = state.fills;
    this.fillSeq = Math.max(state.fills.length, maxSeq(state.fills, `${this.idPrefix}F-`));
    this.orderSeq = Math.max(state.orders.length, maxSeq(state.orders, `${this.idPrefix}D-`));
    for (const order of state.orders) this.remember(order);
    // An order journaled before its acknowledgement (never by this broker, but a journal may hold one).
    for (const order of state.orders) {
      if (order.status !== 'pending_new') continue;
      const accepted = {
        ...applyOrderEvent(order, { kind: 'accepted' }, order.submittedAt),
        stopTriggered: false,
      };
      this.journal.record(this.account, { orders: [accepted] });
      this.remember(accepted);
    }
  }

  private newOrder(request: OrderRequest, now: number, stopTriggered: boolean): JournalOrder {
    let seq = this.orderSeq + 1;
    while (this.orderById.has(`${this.idPrefix}D-${seq}`)) seq++;
    const pending = pendingOrder(`${this.idPrefix}D-${seq}`, request, now);
    return { ...applyOrderEvent(pending, { kind: 'accepted' }, now), stopTriggered };
  }

  /** Keeps `order` in memory (after it was journaled). */
  private remember(order: JournalOrder): void {
    this.orderById.set(order.id, order);
    this.idByClientId.set(order.clientOrderId, order.id);
    const seq = seqOf(order.id, `${this.idPrefix}D-`);
    if (seq !== null && seq > this.orderSeq) this.orderSeq = seq;
    let ofSymbol = this.workingBySymbol.get(order.symbol);
    if (isWorking(order)) {
      this.workingIds.add(order.id);
      if (ofSymbol === undefined) {
        ofSymbol = new WorkingBook();
        this.workingBySymbol.set(order.symbol, ofSymbol);
      }
      const context = { sessionClose: this.closeOfOrder(order), stopTriggered: order.stopTriggered };
      ofSymbol.set(order.id, quietBounds(order, context));
    } else {
      this.workingIds.delete(order.id);
      ofSymbol?.delete(order.id);
      if (ofSymbol?.size === 0) this.workingBySymbol.delete(order.symbol);
    }
  }

  private byClientId(clientOrderId: string): JournalOrder | null {
    const id = this.idByClientId.get(clientOrderId);
    if (id !== undefined) return this.orderById.get(id) ?? null;
    // The journal is the authority (an order written by an earlier run this one did not load).
    return this.journal.orderByClientId(this.account, clientOrderId);
  }

  /** A non-final order by id, for cancel and replace. */
  private live(orderId: string, what: 'cancel' | 'replace'): JournalOrder {
    const order = this.orderById.get(orderId);
    if (order === undefined) {
      throw new BrokerError(
        `There is no order ${orderId} in the ${this.accountLabel.toLowerCase()}.`,
        'not_found',
      );
    }
    if (!isWorking(order)) {
      throw new BrokerError(
        `Order ${orderId} (${order.symbol}) is ${order.status.replace('_', ' ')}: it can no longer be ${
          what === 'cancel' ? 'cancelled' : 'replaced'
        }.`,
        'refused',
      );
    }
    return order;
  }

  /**
   * Offers one trade or closed minute to the working orders of its symbol, in submit order, skipping those
   * it leaves as they are by their quiet bounds (core isQuietBar: three comparisons of numbers kept side by
   * side, so a trade among many resting orders does not touch the orders themselves).
   */
  private offer(input: FillInput): void {
    const book = this.workingBySymbol.get(input.symbol);
    if (book === undefined) return;
    // The bar is checked once for all the orders it is offered to (fillOnCheckedBar trusts it).
    let badBar: Error | null = null;
    try {
      checkFillBar(input.bar);
    } catch (error) {
      badBar = error instanceof Error ? error : new Error(String(error));
    }
    // A session's bar lasts until that session's close.
    const barMs = input.barMs ?? this.sessionClose(input.bar.start) - input.bar.start;
    // A snapshot: booking a fill or an expiry changes the book (see WorkingBook.view).
    const view = book.view();
    const bounds = this.quiet;
    for (let k = 0; k < view.ids.length; k++) {
      if (badBar === null) {
        bounds.lowAbove = view.lowAbove[k]!;
        bounds.highBelow = view.highBelow[k]!;
        bounds.endBefore = view.endBefore[k]!;
        if (isQuietBar(bounds, input.bar, barMs)) continue;
      }
      const order = this.orderById.get(view.ids[k]!)!;
      try {
        if (badBar !== null) throw badBar;
        this.offerTo(order, input, barMs);
      } catch (error) {
        // A bar the fill model cannot price (or a bug) must not stop the feed: say so, keep the order.
        this.report(
          `order ${order.id} could not be filled: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private offerTo(order: JournalOrder, input: FillInput, barMs: number): void {
    const id = order.id;
    const last = this.lastFillTime.get(id);
    // A closed bar starting at or before the last fill was already counted (through trades, or this very
    // bar delivered again); a trade before it is a replay rewinding.
    if (last !== undefined && (input.source === 'trade' ? input.bar.start < last : input.bar.start <= last)) {
      return;
    }
    // One context object refilled per order (the fill model keeps nothing of it): no allocation per order.
    const context = this.fillContext;
    context.sessionClose = this.closeOfOrder(order);
    context.barMs = barMs;
    context.stopTriggered = order.stopTriggered;
    const outcome = fillOnCheckedBar(order, input.bar, this.fillConfig, context);
    const time = input.bar.start;
    let after: Order = order;
    const fills: Fill[] = [];
    let seq = this.fillSeq;
    for (const proposed of outcome.fills) {
      after = applyOrderEvent(after, { kind: 'fill', qty: proposed.qty, price: proposed.price }, time);
      seq++;
      fills.push({
        id: `${this.idPrefix}F-${seq}`,
        orderId: order.id,
        clientOrderId: order.clientOrderId,
        symbol: order.symbol,
        side: order.side,
        qty: proposed.qty,
        price: proposed.price,
        fee: proposed.fee,
        time,
      });
    }
    if (outcome.expired && !isTerminal(after)) {
      const event: OrderEvent = { kind: 'expired', reason: outcome.reason ?? 'expired' };
      after = applyOrderEvent(after, event, time);
    }
    if (fills.length === 0 && after === order && outcome.stopTriggered === order.stopTriggered) return;
    this.bookChange({ ...after, stopTriggered: outcome.stopTriggered }, fills);
  }

  /**
   * Journals an order change with its fills in one record(), then books it and announces it (fills,
   * then the order). A failed write books nothing and is reported through connection().
   */
  private bookChange(order: JournalOrder, fills: Fill[]): void {
    try {
      this.journal.record(this.account, { orders: [order], fills });
    } catch (error) {
      this.report(`journal write failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.journalProblem !== null) {
      this.journalProblem = null;
      this.listener.connection(this.connectionState());
    }
    const previous = this.orderById.get(order.id);
    this.remember(order);
    for (const fill of fills) {
      this.book = applyFill(this.book, fill);
      this.fillList.push(fill);
      this.fillSeq = Math.max(this.fillSeq, seqOf(fill.id, `${this.idPrefix}F-`) ?? 0);
      this.lastFillTime.set(order.id, fill.time);
    }
    // A stop that only triggered changes nothing the trader sees; the journal keeps it for a restart.
    const visible = previous === undefined || !sameOrder(previous, order);
    const announced = toOrder(order);
    for (const fill of fills) this.listener.fill({ ...fill }, announced);
    if (visible) this.listener.order(announced);
  }

  /** Reports a problem once (until it changes or clears) through connection(). */
  private report(message: string): void {
    if (this.journalProblem === message) return;
    this.journalProblem = message;
    this.listener.connection(this.connectionState());
  }

  private closeOfOrder(order: Order): number {
    let close = this.closeOf.get(order.id);
    if (close === undefined) {
      close = this.sessionClose(order.submittedAt);
      this.closeOf.set(order.id, close);
    }
    return close;
  }

  /** Writes a submit, cancel or replace, turning a failure into a BrokerError the caller can retry. */
  private write(change: JournalChange, what: string): void {
    try {
      this.journal.record(this.account, change);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new BrokerError(
        `The demo broker could not save ${what} (${why}); nothing changed. Check the disk and try again.`,
        'unreachable',
      );
    }
  }

  private connectionState(): BrokerConnection {
    return { connected: true, message: this.journalProblem };
  }

  private requireStarted(): void {
    if (!this.started || this.stopped) {
      throw new BrokerError('The demo broker is not running; start trading again.', 'unreachable');
    }
  }
}

/** A WorkingBook's orders as parallel arrays, in submit order. */
interface WorkingView {
  ids: string[];
  lowAbove: Float64Array;
  highBelow: Float64Array;
  endBefore: Float64Array;
}

/**
 * The working orders of one symbol in submit order (a Map keeps the first insertion's place), each with its
 * quiet bounds (core quietBounds), and the same as typed arrays for the per-trade scan: contiguous numbers
 * instead of one object per order keep a trade among a thousand resting orders inside the CPU cache.
 */
class WorkingBook {
  private readonly bounds = new Map<string, QuietBounds>();
  private snapshot: WorkingView | null = null;
  /** Each id's slot in `snapshot`. */
  private readonly slot = new Map<string, number>();

  get size(): number {
    return this.bounds.size;
  }

  /** Adds an order, or updates its bounds in place (a scan in progress sees the new bounds). */
  set(id: string, bounds: QuietBounds): void {
    const known = this.bounds.has(id);
    this.bounds.set(id, bounds);
    const k = known ? this.slot.get(id) : undefined;
    if (this.snapshot !== null && k !== undefined) {
      this.snapshot.lowAbove[k] = bounds.lowAbove;
      this.snapshot.highBelow[k] = bounds.highBelow;
      this.snapshot.endBefore[k] = bounds.endBefore;
    } else {
      this.snapshot = null;
    }
  }

  delete(id: string): void {
    if (!this.bounds.delete(id)) return;
    const k = this.slot.get(id);
    // A scan in progress over the old snapshot offers it (as the id list it copied before did).
    if (this.snapshot !== null && k !== undefined) {
      this.snapshot.lowAbove[k] = Infinity;
      this.snapshot.endBefore[k] = -Infinity;
    }
    this.snapshot = null;
  }

  /**
   * The orders as arrays. A new one after an order was added or removed; the one a scan holds keeps its
   * ids (updates of bounds reach it in place).
   */
  view(): WorkingView {
    if (this.snapshot !== null) return this.snapshot;
    const n = this.bounds.size;
    const view: WorkingView = {
      ids: [],
      lowAbove: new Float64Array(n),
      highBelow: new Float64Array(n),
      endBefore: new Float64Array(n),
    };
    this.slot.clear();
    let k = 0;
    for (const [id, bounds] of this.bounds) {
      view.ids.push(id);
      view.lowAbove[k] = bounds.lowAbove;
      view.highBelow[k] = bounds.highBelow;
      view.endBefore[k] = bounds.endBefore;
      this.slot.set(id, k);
      k++;
    }
    this.snapshot = view;
    return view;
  }
}

/** The contract's order (without the journal's stopTriggered). */
function toOrder(order: JournalOrder | Order): Order {
  const { stopTriggered: _ignored, ...plain } = order as JournalOrder;
  return plain;
}

function sameOrder(a: Order, b: Order): boolean {
  return (
    a.status === b.status &&
    a.filledQty === b.filledQty &&
    a.avgFillPrice === b.avgFillPrice &&
    a.updatedAt === b.updatedAt &&
    a.reason === b.reason
  );
}

function seqOf(id: string, prefix: string): number | null {
  if (!id.startsWith(prefix)) return null;
  const n = Number(id.slice(prefix.length));
  return Number.isInteger(n) && n > 0 ? n : null;
}

function maxSeq(items: readonly { id: string }[], prefix: string): number {
  let max = 0;
  for (const item of items) max = Math.max(max, seqOf(item.id, prefix) ?? 0);
  return max;
}
