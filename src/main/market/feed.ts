/**
 * The one interface every market-data source implements (synthetic, replay, Alpaca): the engine
 * wires a feed to aggregation, the store and the clients without knowing which world it is in.
 */
import type { Bar, FeedState, Speed, SymbolInfo, Trade } from '../../shared/domain';
import type { LogLevel } from '../platform/log';

export interface FeedSink {
  /** A trade, in time order per symbol. */
  trade(trade: Trade): void;
  /** An authoritative closed 1-minute bar (it replaces whatever trades built for that minute). */
  minuteBar(bar: Bar): void;
  /**
   * Closed bars that need no aggregation (history at daily resolution, for instance). `paced`: the bars
   * are the feed's own stream at its pace (a daily replay's sessions), so they count in the status's bar
   * rate; history caught up on at start does not.
   */
  historyBars(bars: readonly Bar[], options?: { paced?: boolean }): void;
  /**
   * The source's own daily bar for a session (Alpaca's daily bars): its OHLCV are the official ones and
   * win over the 1D bar aggregated from minutes, now and when later minutes or corrections arrive.
   * `start` is the session's open; `closed` says whether the source considers the day final.
   */
  officialDailyBar(bar: Bar): void;
  /** The feed's clock reached `t` (market time), with or without data. */
  time(t: number): void;
  /**
   * The feed goes back to market time `t` (a replay seeking backwards) and will deliver again what
   * follows it: everything from `t` on is forgotten (stored bars, forming bars, the clock). `t` must be
   * a boundary of every bucket of every symbol (no session open across it, or a session's open).
   */
  rewind(t: number): void;
  /**
   * The feed's state changed. `level` (default info) is how loudly the change deserves logging: only
   * the feed knows whether a retry repeats a known cause (debug) or is news (warn).
   */
  state(state: FeedState, message: string | null, level?: LogLevel): void;
}

export interface MarketFeed {
  /** Shown in the status bar, e.g. "synthetic". */
  readonly source: string;
  readonly symbols: readonly SymbolInfo[];
  readonly speed: Speed;
  start(sink: FeedSink): void;
  /** Stops emitting; idempotent. Nothing reaches the sink after it returns. */
  stop(): void;
  /**
   * Optional: change the symbols followed while running (live feeds). New symbols are subscribed and
   * caught up (their missed bars reach the sink like any others); dropped ones stop. `symbols` reflects
   * the change at once.
   */
  setSymbols?(symbols: readonly string[]): void;
  /**
   * Optional: the symbols on screen. A live feed with per-symbol limits (Alpaca's free plan streams
   * trades and quotes for 30 symbols) subscribes trades and quotes for these only; bars still come for
   * every symbol. Until called, the feed chooses (Alpaca: the first 30 symbols).
   */
  setInterest?(symbols: readonly string[]): void;
}
