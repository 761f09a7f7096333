/**
 * The stock data stream (v2) kept alive the way a trader needs it. The SDK's `StockDataStream` speaks
 * the protocol (auth, subscribe, msgpack with nanosecond timestamps, frame mapping); this class owns the
 * connection's life, on the injected timers, because the SDK's own keepalive and reconnect run on the
 * wall clock and reset the backoff on every successful auth (a server that accepts and drops at once
 * would be hammered). So each connection is a fresh SDK stream with its reconnect and ping turned off,
 * on a socket we create and watch:
 *
 * - ping every `pingIntervalMs`; no pong within `pongWaitMs`: the socket is dead;
 * - while the trading session is open, no data for `silenceMs`: the socket is dead (a connection that
 *   stays "open" but delivers nothing is the failure pings cannot see);
 * - no auth and subscription within `handshakeTimeoutMs`: dead;
 * - dead or closed: reconnect after `backoffDelay` (full jitter); the attempt count resets only after a
 *   connection stayed up `stableMs`;
 * - Alpaca's error codes: 401/402 (keys refused) and 409 (plan lacks the feed) halt until new keys
 *   (`setKeys`) or a restart; 406 (connection limit) retries on the minutes-long schedule; 405 (symbol
 *   limit) is a warning, the connection stays.
 *
 * The news stream (`/v1beta1/news`, endpoint 'news': the SDK's `NewsStream`) is the same protocol on
 * another path with one channel, `news`; it shares this connection life (news-stream.ts).
 *
 * Every (re)connect subscribes the current channels; `ready` is reported once Alpaca acknowledged them.
 * A retry says how far the connection got (never opened, opened but not subscribed, or ready) and the
 * network failure behind it (network-error.ts), so the feed can tell "cannot reach" from "lost".
 */
import { streaming } from '@alpacahq/alpaca-trade-api';
import { WebSocket } from 'ws';
import type { AlpacaKeys } from '../../../shared/domain';
import type { Timers } from '../../platform/clock';
import type { Logger } from '../../platform/log';
import { CONNECTION_LIMIT_BACKOFF, RECONNECT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { networkFailureOf, type NetworkFailure } from '../../platform/network-error';

export interface StreamTuning {
  /** Keepalive ping period, ms (0: no pings). */
  pingIntervalMs: number;
  /** How long a pong may take, ms. */
  pongWaitMs: number;
  /** Longest data silence tolerated while the session is open, ms (0: no watchdog). */
  silenceMs: number;
  handshakeTimeoutMs: number;
  /** How long a connection must stay up before the backoff starts from the beginning again, ms. */
  stableMs: number;
  reconnect: BackoffPolicy;
  connectionLimit: BackoffPolicy;
}

export const DEFAULT_STREAM_TUNING: StreamTuning = {
  pingIntervalMs: 15_000,
  pongWaitMs: 5_000,
  silenceMs: 120_000,
  handshakeTimeoutMs: 20_000,
  stableMs: 60_000,
  reconnect: RECONNECT_BACKOFF,
  connectionLimit: CONNECTION_LIMIT_BACKOFF,
};

export interface StreamChannels {
  /** Minute bars, updated bars and daily bars. */
  bars: readonly string[];
  trades: readonly string[];
  quotes: readonly string[];
  /** News symbols ('*': all news); only the news endpoint serves it. */
  news?: readonly string[];
}

/** Alpaca's stream error codes (docs: "Real-time stock data", errors). */
export const STREAM_ERRORS = {
  notAuthenticated: 401,
  authFailed: 402,
  authTimeout: 404,
  symbolLimit: 405,
  connectionLimit: 406,
  slowClient: 407,
  insufficientSubscription: 409,
} as const;

/**
 * How far a connection got before it ended: `nothing` (the socket never opened: the host could not be
 * reached), `opened` (open, but not authenticated and subscribed), `ready` (data was flowing).
 */
export type StreamReach = 'nothing' | 'opened' | 'ready';

export type StreamEvent =
  | { kind: 'connecting'; attempt: number }
  /** Authenticated and subscribed: data flows from here on. */
  | { kind: 'ready' }
  | {
      kind: 'retrying';
      delayMs: number;
      attempt: number;
      /** The raw reason (an Alpaca message, a socket error, why we ended it), for the log. */
      reason: string;
      /** Alpaca's stream error code, when Alpaca sent one. */
      code: number | null;
      reached: StreamReach;
      /** The network failure the socket reported, if any (DNS, refused, timeout, TLS, reset). */
      network: NetworkFailure | null;
      /** The HTTP status the server answered the upgrade with instead of opening the stream. */
      httpStatus: number | null;
    }
  /** No reconnect until `setKeys` (401/402) or a restart (409). */
  | { kind: 'halted'; code: number; reason: string }
  | { kind: 'warning'; code: number; reason: string };

export interface StreamListener {
  status(event: StreamEvent): void;
  /** Payloads are the SDK's mapped objects, unvalidated (see mapper.ts, news-mapper.ts). */
  bar?(payload: unknown): void;
  updatedBar?(payload: unknown): void;
  dailyBar?(payload: unknown): void;
  trade?(payload: unknown): void;
  quote?(payload: unknown): void;
  news?(payload: unknown): void;
}

export interface AlpacaStockStreamOptions {
  url: string;
  /** Which of Alpaca's market-data streams `url` is: the stock stream (default) or the news stream. */
  endpoint?: 'stock' | 'news';
  keys: AlpacaKeys;
  timers: Timers;
  /** Uniform [0, 1) for the backoff jitter. */
  random: () => number;
  log: Logger;
  listener: StreamListener;
  /** Whether the trading session is open now (the silence watchdog runs only then). */
  isSessionOpen: () => boolean;
  tuning?: Partial<StreamTuning>;
}

const CODE_BY_MESSAGE = new Map([...streaming.CONN_ERROR].map(([code, message]) => [message, code]));
const HALTING = new Set<number>([
  STREAM_ERRORS.notAuthenticated,
  STREAM_ERRORS.authFailed,
  STREAM_ERRORS.insufficientSubscription,
]);

interface Connection {
  readonly id: number;
  readonly sdk: streaming.MarketDataStream;
  socket: WebSocket | null;
  /** The socket opened (the host was reached). */
  opened: boolean;
  /** The first error the socket reported (with its system code: ENOTFOUND, ECONNREFUSED...). */
  socketError: unknown;
  /** Our handshake deadline ended it before the socket opened. */
  timedOut: boolean;
  ready: boolean;
  down: boolean;
  lastDataAt: number;
  lastError: { code: number | null; message: string } | null;
  /** Why we ended it, when we did. */
  endReason: string | null;
  timers: unknown[];
  pongTimer: unknown;
}

function sameSet(a: readonly string[], b: readonly string[]): { added: string[]; removed: string[] } {
  const before = new Set(a);
  const after = new Set(b);
  return { added: b.filter((s) => !before.has(s)), removed: a.filter((s) => !after.has(s)) };
}

export class AlpacaStockStream {
  private readonly tuning: StreamTuning;
  private conn: Connection | null = null;
  private seq = 0;
  private attempts = 0;
  private limitAttempts = 0;
  private retryTimer: unknown = null;
  private started = false;
  private stopped = false;
  private halted = false;
  private keys: AlpacaKeys;
  private channels: StreamChannels = { bars: [], trades: [], quotes: [], news: [] };

  constructor(private readonly options: AlpacaStockStreamOptions) {
    this.tuning = { ...DEFAULT_STREAM_TUNING, ...options.tuning };
    this.keys = options.keys;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  /** Closes the connection and cancels every timer; nothing reaches the listener afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const conn = this.conn;
    this.conn = null;
    if (conn) this.dispose(conn);
  }

  /** The channels to keep subscribed; applied now when connected, and on every reconnect. */
  setChannels(next: StreamChannels): void {
    const previous = this.channels;
    this.channels = {
      bars: [...next.bars],
      trades: [...next.trades],
      quotes: [...next.quotes],
      news: [...(next.news ?? [])],
    };
    const conn = this.conn;
    if (!conn?.ready) return;
    const bars = sameSet(previous.bars, this.channels.bars);
    const trades = sameSet(previous.trades, this.channels.trades);
    const quotes = sameSet(previous.quotes, this.channels.quotes);
    const news = sameSet(previous.news ?? [], this.channels.news ?? []);
    const { sdk } = conn;
    if (bars.added.length > 0) {
      sdk.subscribeForBars(bars.added);
      sdk.subscribeForUpdatedBars(bars.added);
      sdk.subscribeForDailyBars(bars.added);
    }
    if (bars.removed.length > 0) {
      sdk.unsubscribeFromBars(bars.removed);
      sdk.unsubscribeFromUpdatedBars(bars.removed);
      sdk.unsubscribeFromDailyBars(bars.removed);
    }
    if (trades.added.length > 0) sdk.subscribeForTrades(trades.added);
    if (trades.removed.length > 0) sdk.unsubscribeFromTrades(trades.removed);
    if (quotes.added.length > 0) sdk.subscribeForQuotes(quotes.added);
    if (quotes.removed.length > 0) sdk.unsubscribeFromQuotes(quotes.removed);
    if (news.added.length > 0) sdk.subscribeForNews(news.added);
    if (news.removed.length > 0) sdk.unsubscribeFromNews(news.removed);
  }

  /** New keys: used from the next connection on; a stream halted on refused keys reconnects now. */
  setKeys(keys: AlpacaKeys): void {
    this.keys = keys;
    if (this.halted && this.started && !this.stopped) {
      this.halted = false;
      this.attempts = 0;
      this.connect();
    }
  }

  private connect(): void {
    if (this.stopped || this.conn) return;
    const { timers, url } = this.options;
    const id = ++this.seq;
    const channels = this.channels;
    this.options.listener.status({ kind: 'connecting', attempt: this.attempts + 1 });
    const Stream = this.options.endpoint === 'news' ? streaming.NewsStream : streaming.StockDataStream;
    const sdk = new Stream({
      credentials: { keyId: this.keys.keyId, secret: this.keys.secret },
      url,
      reconnect: false,
      pingIntervalMs: 0,
      wsFactory: (target, codec) => {
        const socket = new WebSocket(target, {
          perMessageDeflate: false,
          handshakeTimeout: this.tuning.handshakeTimeoutMs,
          ...(codec === 'msgpack' ? { headers: { 'Content-Type': 'application/msgpack' } } : {}),
        });
        conn.socket = socket;
        this.watchSocket(conn, socket);
        return socket;
      },
    });
    const conn: Connection = {
      id,
      sdk,
      socket: null,
      opened: false,
      socketError: null,
      timedOut: false,
      ready: false,
      down: false,
      lastDataAt: timers.now(),
      lastError: null,
      endReason: null,
      timers: [],
      pongTimer: null,
    };
    this.conn = conn;
    const current = () => this.conn === conn && !conn.down;
    const data =
      (deliver: (payload: unknown) => void) =>
      (payload: unknown): void => {
        if (!current()) return;
        conn.lastDataAt = timers.now();
        deliver(payload);
      };
    const { listener } = this.options;
    sdk.onBar(data((p) => listener.bar?.(p)));
    sdk.onUpdatedBar(data((p) => listener.updatedBar?.(p)));
    sdk.onDailyBar(data((p) => listener.dailyBar?.(p)));
    sdk.onTrade(data((p) => listener.trade?.(p)));
    sdk.onQuote(data((p) => listener.quote?.(p)));
    sdk.onNews(data((p) => listener.news?.(p)));
    sdk.onError((message) => {
      if (current()) this.onError(conn, message);
    });
    sdk.onDisconnect(() => {
      if (current()) this.down(conn);
    });
    const becomeReady = (): void => {
      if (current() && !conn.ready) this.onReady(conn);
    };
    // Alpaca acknowledges a subscription with a `subscription` frame; with nothing to subscribe, auth is enough.
    sdk.on(streaming.EVENT.SUBSCRIPTION, becomeReady);
    const news = channels.news ?? [];
    if (channels.bars.length + channels.trades.length + channels.quotes.length + news.length === 0)
      sdk.onConnect(becomeReady);

    if (channels.bars.length > 0) {
      sdk.subscribeForBars([...channels.bars]);
      sdk.subscribeForUpdatedBars([...channels.bars]);
      sdk.subscribeForDailyBars([...channels.bars]);
    }
    if (channels.trades.length > 0) sdk.subscribeForTrades([...channels.trades]);
    if (channels.quotes.length > 0) sdk.subscribeForQuotes([...channels.quotes]);
    if (news.length > 0) sdk.subscribeForNews([...news]);
    conn.timers.push(
      timers.setTimeout(() => {
        if (current() && !conn.ready) {
          conn.timedOut = !conn.opened;
          this.fail(
            conn,
            `no answer from Alpaca within ${Math.round(this.tuning.handshakeTimeoutMs / 1000)} s`,
          );
        }
      }, this.tuning.handshakeTimeoutMs),
    );
    sdk.connect();
  }

  private watchSocket(conn: Connection, socket: WebSocket): void {
    const { timers } = this.options;
    socket.on('pong', () => {
      if (conn.pongTimer !== null) timers.clearTimeout(conn.pongTimer);
      conn.pongTimer = null;
    });
    socket.on('close', () => {
      if (this.conn === conn && !conn.down) this.down(conn);
    });
    // Registered before the SDK's, which passes on only the message: the error object carries the code.
    socket.on('error', (error) => {
      conn.socketError ??= error;
    });
    socket.on('open', () => {
      conn.opened = true;
      if (this.conn !== conn || conn.down || this.tuning.pingIntervalMs <= 0) return;
      const ping = (): void => {
        if (this.conn !== conn || conn.down) return;
        if (socket.readyState === WebSocket.OPEN && conn.pongTimer === null) {
          socket.ping();
          conn.pongTimer = timers.setTimeout(() => {
            conn.pongTimer = null;
            if (this.conn === conn && !conn.down) {
              this.fail(conn, `no answer to a ping within ${Math.round(this.tuning.pongWaitMs / 1000)} s`);
            }
          }, this.tuning.pongWaitMs);
        }
        conn.timers.push(timers.setTimeout(ping, this.tuning.pingIntervalMs));
      };
      conn.timers.push(timers.setTimeout(ping, this.tuning.pingIntervalMs));
    });
  }

  private onReady(conn: Connection): void {
    const { timers } = this.options;
    conn.ready = true;
    conn.lastDataAt = timers.now();
    conn.timers.push(
      timers.setTimeout(() => {
        if (this.conn === conn && !conn.down) {
          this.attempts = 0;
          this.limitAttempts = 0;
        }
      }, this.tuning.stableMs),
    );
    const { silenceMs } = this.tuning;
    if (silenceMs > 0) {
      const check = (): void => {
        if (this.conn !== conn || conn.down) return;
        const now = timers.now();
        if (!this.options.isSessionOpen()) {
          conn.lastDataAt = now; // silence while the market is closed is normal; count from the open
        } else if (now - conn.lastDataAt >= silenceMs) {
          this.fail(
            conn,
            `no data for ${Math.round((now - conn.lastDataAt) / 1000)} s while the market is open`,
          );
          return;
        }
        conn.timers.push(timers.setTimeout(check, Math.max(1_000, Math.floor(silenceMs / 4))));
      };
      conn.timers.push(timers.setTimeout(check, Math.max(1_000, Math.floor(silenceMs / 4))));
    }
    this.options.listener.status({ kind: 'ready' });
  }

  private onError(conn: Connection, message: string): void {
    const code = CODE_BY_MESSAGE.get(message) ?? null;
    if (code === STREAM_ERRORS.symbolLimit) {
      this.options.listener.status({ kind: 'warning', code, reason: message });
      return;
    }
    // The first error explains the close that usually follows; keep it rather than a later echo.
    if (conn.lastError === null || (conn.lastError.code === null && code !== null))
      conn.lastError = { code, message };
    this.options.log.debug(`stream error${code === null ? '' : ` ${code}`}: ${message}`);
    if (code !== null && HALTING.has(code)) this.fail(conn, message);
  }

  /** Ends a live connection for `reason`; the close that follows schedules what comes next. */
  private fail(conn: Connection, reason: string): void {
    if (conn.down) return;
    conn.endReason ??= reason;
    this.down(conn);
  }

  private down(conn: Connection): void {
    if (conn.down) return;
    conn.down = true;
    this.dispose(conn);
    if (this.conn === conn) this.conn = null;
    if (this.stopped) return;
    const code = conn.lastError?.code ?? null;
    const reason = conn.lastError?.message ?? conn.endReason ?? 'the connection closed';
    if (code !== null && HALTING.has(code)) {
      this.halted = true;
      this.options.listener.status({ kind: 'halted', code, reason });
      return;
    }
    const limited = code === STREAM_ERRORS.connectionLimit;
    const delayMs = limited
      ? backoffDelay(this.limitAttempts++, this.tuning.connectionLimit, this.options.random)
      : backoffDelay(this.attempts++, this.tuning.reconnect, this.options.random);
    const network =
      networkFailureOf(conn.socketError) ?? (conn.timedOut ? { kind: 'timeout' as const, code: null } : null);
    const refusedWith = /Unexpected server response: (\d{3})/.exec(
      conn.socketError instanceof Error ? conn.socketError.message : '',
    );
    this.options.listener.status({
      kind: 'retrying',
      delayMs,
      attempt: limited ? this.limitAttempts : this.attempts,
      reason,
      code,
      reached: conn.ready ? 'ready' : conn.opened ? 'opened' : 'nothing',
      network,
      httpStatus: refusedWith ? Number(refusedWith[1]) : null,
    });
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  private dispose(conn: Connection): void {
    const { timers } = this.options;
    conn.down = true;
    for (const handle of conn.timers) timers.clearTimeout(handle);
    conn.timers = [];
    if (conn.pongTimer !== null) timers.clearTimeout(conn.pongTimer);
    conn.pongTimer = null;
    conn.sdk.removeAllListeners();
    try {
      conn.sdk.disconnect();
    } catch {
      // already closed
    }
    // terminate, not close: a dead peer would keep a closing socket (and the process) alive for 30 s.
    conn.socket?.terminate();
  }
}
