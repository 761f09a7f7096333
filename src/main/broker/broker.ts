/**
 * The Broker port: one interface for every mode. The demo broker (demo and replay: the core fill model
 * against the running feed) and the Alpaca broker (paper and live) implement it; the engine's trading
 * service puts the risk engine in front of it and never knows which one it talks to.
 *
 * Every broker moves its orders with core/trading/order-state.ts (the one transition table) and writes
 * every change to its journal before it tells its listener (write, then publish).
 *
 * Units: shares, dollars, epoch ms UTC (market time).
 */
import type { Bar, BrokerKind, Fill, Order, OrderRequest, Trade } from '../../shared/domain';
import type { Portfolio } from '../core/trading/portfolio';

/** What a broker tells the engine, each after it was journaled. */
export interface BrokerListener {
  /** An order changed (placed, acknowledged, filled in part or whole, cancelled, expired, rejected, replaced). */
  order(order: Order): void;
  /** A new fill; `order` is the order after it. */
  fill(fill: Fill, order: Order): void;
  /** The broker's connection or health changed (the demo broker is always connected). */
  connection(state: BrokerConnection): void;
}

export interface BrokerConnection {
  connected: boolean;
  /** A problem in plain words (keys refused, connection lost, reconciliation differences); else null. */
  message: string | null;
}

/** What a replace may change (the replacement is a new order with `clientOrderId`). */
export interface OrderChanges {
  clientOrderId: string;
  qty?: number;
  limitPrice?: number;
  stopPrice?: number;
}

/** Thrown when the broker refuses a request itself (not the risk engine): the message says why, plainly. */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    message: string,
    /** unreachable: the broker could not be asked (the request may be retried); refused: it said no. */
    readonly kind: 'unreachable' | 'refused' | 'not_found' = 'refused',
  ) {
    super(message);
  }
}

/** One tradable asset of a broker's asset list (symbol search). */
export interface BrokerAsset {
  symbol: string;
  /** The asset's name as the broker gives it (the symbol when it gives none). */
  name: string;
}

export interface Broker {
  readonly kind: BrokerKind;
  /** The account as a trader reads it ("Demo account", "Alpaca paper PA3…"). */
  readonly accountLabel: string;
  /**
   * Restores the journal and, for a remote broker, reconciles open orders, fills and positions with the
   * server (reporting what it changed to `listener`); then keeps reporting to it. Resolves when ready.
   */
  start(listener: BrokerListener): Promise<void>;
  /** Stops streams and timers; idempotent. */
  stop(): void;
  /**
   * Places an order (the risk engine already passed it). Idempotent by `request.clientOrderId`: an id
   * already used answers with that order, whatever its state, and never places a second one, also after a
   * crash between sending and hearing back. Resolves with the order as the broker holds it now.
   * @throws BrokerError when the broker refuses or cannot be reached.
   */
  submit(request: OrderRequest, now: number): Promise<Order>;
  /**
   * Asks to cancel; resolves with the order (pending_cancel, or canceled at once). `reason` (plain words,
   * e.g. "the replay moved back in time") becomes the order's reason where the broker keeps one; default
   * the broker's own. @throws BrokerError
   */
  cancel(orderId: string, now: number, reason?: string): Promise<Order>;
  /** Replaces a working order; resolves with the replacement. @throws BrokerError */
  replace(orderId: string, changes: OrderChanges, now: number): Promise<Order>;
  /** Orders newest first (from the broker's journal/cache): the working ones or all, at most `limit`. */
  orders(filter: { open: boolean; limit: number }): Order[];
  /** Fills newest first, at most `limit`, before `before` (epoch ms) when given. */
  fills(filter: { limit: number; before?: number }): Fill[];
  /** Cash and holdings now (not marked: the engine marks them to its last prices). */
  portfolio(): Portfolio;
  /** Market data from the running feed (the demo broker fills against it; a remote broker ignores it). */
  onTrade(trade: Trade): void;
  /** Bars that changed, every timeframe, as the engine publishes them (closed and forming). */
  onBars(bars: readonly Bar[]): void;
  /** The market clock moved (epoch ms): the demo broker expires day orders at the session's close. */
  onTime(now: number): void;
  /**
   * The broker's active, tradable US equities (symbol search), where it has such a list (Alpaca: GET
   * /v2/assets); the demo broker has none (its universe is the feed's). @throws BrokerError
   */
  assets?(): Promise<BrokerAsset[]>;
}
