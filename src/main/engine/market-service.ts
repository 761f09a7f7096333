/**
 * The market area of the engine: feed -> aggregation -> store writer -> bus. It owns the aggregator and
 * the feed's life cycle, answers the market calls of the contract, and reports its part of the status.
 *
 * Closed bars are queued to the store as they close and published right after (write, then publish).
 * Forming bars are not written on every update: the aggregator keeps their latest state (read on
 * demand), changed ones are published once per turn of the event loop (however many minutes or trades
 * moved them), and they are written as a snapshot every `snapshotIntervalMs` of wall time and on stop,
 * so a restart resumes them. `market.bars` flushes the queue before reading and merges the forming bar
 * from memory, so a reply never misses a published bar.
 *
 * On restart, forming bars are repaired from the stored minutes before they are resumed: a snapshot may
 * be older than the minutes written after it, and the minutes are the truth.
 *
 * Each symbol aggregates on its own session calendar (SymbolInfo.calendar; the engine's otherwise).
 */
import type { RequestHandlers } from '../../shared/api';
import type { SymbolMatch } from '../../shared/api/market';
import { TIMEFRAMES, type Bar, type EngineStatus, type FeedState, type Timeframe } from '../../shared/domain';
import { BarAggregator } from '../core/bar-aggregator';
import { calendarById, type SessionCalendar } from '../core/calendar';
import { RateMeter } from '../core/rate-meter';
import { bucketEndIn, bucketStartIn, timeframeMs } from '../core/session-buckets';
import type { BrokerAsset } from '../broker/broker';
import type { FeedSink, MarketFeed } from '../market/feed';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Store } from '../store/store';
import type { TopicBus } from './bus';
import type { EngineTopics } from './topics';

const MINUTE = 60_000;
const HIGHER_TIMEFRAMES = TIMEFRAMES.filter((tf) => tf !== '1m');

export interface MarketServiceParts {
  feed: MarketFeed;
  store: Store;
  calendar: SessionCalendar;
  timers: Timers;
  log: Logger;
  bus: TopicBus<EngineTopics>;
  /** Wall milliseconds between snapshots of changed forming bars into the store. Default 1000. */
  snapshotIntervalMs?: number;
  /**
   * The broker's asset list for symbol search (Broker.assets), fetched once per run when the service
   * starts; absent (demo, replay) or failed: search covers the feed and the store only.
   */
  assets?: () => Promise<readonly BrokerAsset[]>;
  /** How long a search waits for the asset list still on its way before answering without it, ms. Default 3000. */
  assetsWaitMs?: number;
}

export type MarketHandlers = Pick<RequestHandlers, 'market.symbols' | 'market.bars' | 'market.searchSymbols'>;

/** A symbol search candidate: where it was found (feed before store before broker) and its name. */
export interface SymbolCandidate {
  symbol: string;
  name: string;
  source: SymbolMatch['source'];
  live: boolean;
}

/**
 * Ranks candidates for a symbol search (case-insensitive): the exact symbol, then symbols starting with
 * the query, then names (or symbols) containing it; within each rank the source order of `candidates`
 * (feed, store, broker), then shorter symbols, then alphabetical. A symbol listed twice keeps its first
 * (best-source) entry, with a real name from a later one where the first has only the bare symbol. An
 * empty query keeps every candidate in source order. At most `limit` results.
 */
export function rankSymbols(
  candidates: Iterable<SymbolCandidate>,
  query: string,
  limit: number,
): SymbolMatch[] {
  const q = query.trim().toUpperCase();
  const best = new Map<string, SymbolCandidate & { rank: number; order: number }>();
  let order = 0;
  for (const c of candidates) {
    order++;
    const seen = best.get(c.symbol);
    if (seen !== undefined) {
      if (seen.name === seen.symbol && c.name !== c.symbol) seen.name = c.name;
      continue;
    }
    let rank: number;
    if (q === '') rank = 1;
    else if (c.symbol === q) rank = 0;
    else if (c.symbol.startsWith(q)) rank = 1;
    else if (c.name.toUpperCase().includes(q) || c.symbol.includes(q)) rank = 2;
    else rank = 3;
    best.set(c.symbol, { ...c, rank, order: q === '' ? order : SOURCE_ORDER[c.source] });
  }
  return [...best.values()]
    .filter((c) => c.rank < 3)
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.order - b.order ||
        a.symbol.length - b.symbol.length ||
        (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
    )
    .slice(0, limit)
    .map(({ symbol, name, source, live }) => ({ symbol, name, source, live }));
}

/** Wall ms a search reuses the list of symbols with stored bars (an import shows up after this at most). */
const STORED_SYMBOLS_TTL_MS = 2000;

const SOURCE_ORDER: Record<SymbolMatch['source'], number> = { feed: 0, store: 1, broker: 2 };

/** The market part of `EngineStatus`. */
export type MarketStatus = Pick<
  EngineStatus,
  'feed' | 'marketTime' | 'speed' | 'barsPerSecond' | 'tradesPerSecond' | 'lastTickAgeMs' | 'symbols'
>;

export class MarketService {
  readonly handlers: MarketHandlers;
  private readonly aggregator: BarAggregator;
  private readonly calendars = new Map<string, SessionCalendar>();
  private readonly barRate = new RateMeter(5);
  private readonly tradeRate = new RateMeter(5);
  private feedState: FeedState = 'starting';
  private feedMessage: string | null = null;
  private marketTime: number | null = null;
  private lastTradeWall: number | null = null;
  /** Per symbol, the source's official daily bars of its latest sessions (see FeedSink.officialDailyBar). */
  private readonly officialDaily = new Map<string, Bar[]>();
  /** Symbols whose forming bars changed since they were last published, and since the last snapshot. */
  private readonly toPublish = new Set<string>();
  private readonly toSnapshot = new Set<string>();
  private publishQueued = false;
  private snapshotTimer: unknown = null;
  private running = false;
  /** The broker's asset list: fetched once per run (null until it arrives, or when it failed). */
  private brokerAssets: readonly BrokerAsset[] | null = null;
  private assetsOnTheWay: Promise<void> | null = null;
  private storedCache: { at: number; list: readonly { symbol: string; name: string }[] } | null = null;

  constructor(private readonly parts: MarketServiceParts) {
    const { store, feed } = parts;
    for (const info of feed.symbols) {
      if (info.calendar !== undefined) this.calendars.set(info.symbol, calendarById(info.calendar));
    }
    this.aggregator = new BarAggregator(parts.calendar, {
      forming: 'on-demand',
      calendarOf: (symbol) => this.calendarOf(symbol),
    });
    this.handlers = {
      'market.symbols': () => [...feed.symbols],
      'market.bars': ({ symbol, timeframe, before, limit }) => {
        store.barWriter.flush();
        const stored = store.bars.range(
          symbol,
          timeframe,
          before === undefined ? { limit } : { before, limit },
        );
        return this.withForming(stored, symbol, timeframe, before, limit);
      },
      'market.searchSymbols': async ({ query, limit }) => {
        await this.assetsArrived();
        return rankSymbols(this.searchCandidates(), query, limit);
      },
    };
  }

  /** Feed symbols, then symbols with stored bars, then the broker's assets (each as that source sees it). */
  private *searchCandidates(): Generator<SymbolCandidate> {
    const { feed, store } = this.parts;
    const live = new Set(feed.symbols.map((info) => info.symbol));
    for (const info of feed.symbols)
      yield { symbol: info.symbol, name: info.name, source: 'feed', live: true };
    for (const record of this.storedSymbols(store)) {
      yield { symbol: record.symbol, name: record.name, source: 'store', live: live.has(record.symbol) };
    }
    for (const asset of this.brokerAssets ?? []) {
      yield { symbol: asset.symbol, name: asset.name, source: 'broker', live: live.has(asset.symbol) };
    }
  }

  /**
   * The registered symbols with stored bars, read again at most every STORED_SYMBOLS_TTL_MS of wall time:
   * the registry reads each symbol's coverage (a few index seeks per timeframe), and a search runs per
   * keystroke.
   */
  private storedSymbols(store: Store): readonly { symbol: string; name: string }[] {
    const now = this.parts.timers.now();
    if (this.storedCache === null || now - this.storedCache.at >= STORED_SYMBOLS_TTL_MS) {
      const list = store.symbols
        .list()
        .filter((record) => record.lastBarStart !== null)
        .map(({ symbol, name }) => ({ symbol, name }));
      this.storedCache = { at: now, list };
    }
    return this.storedCache.list;
  }

  /** Starts fetching the broker's asset list (once per run); failures are logged once and drop the source. */
  private fetchAssets(): void {
    const { assets, log } = this.parts;
    if (assets === undefined || this.assetsOnTheWay !== null) return;
    this.assetsOnTheWay = assets().then(
      (list) => {
        this.brokerAssets = list;
      },
      (error: unknown) => {
        log.warn(
          `symbol search without the broker's asset list: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  }

  /** Waits (at most assetsWaitMs) for an asset list still on its way; resolves at once otherwise. */
  private async assetsArrived(): Promise<void> {
    const pending = this.assetsOnTheWay;
    if (pending === null || this.brokerAssets !== null) return;
    const { timers, assetsWaitMs = 3000 } = this.parts;
    let timer: unknown = null;
    await Promise.race([
      pending,
      new Promise<void>((resolve) => (timer = timers.setTimeout(resolve, assetsWaitMs))),
    ]);
    if (timer !== null) timers.clearTimeout(timer);
  }

  start(): void {
    const { feed, timers, bus } = this.parts;
    const feedLog = this.parts.log.child('feed');
    this.running = true;
    this.fetchAssets();
    this.resume();
    const sink: FeedSink = {
      trade: (trade) => {
        const now = timers.now();
        this.lastTradeWall = now;
        this.tradeRate.record(now);
        this.advanceMarketTime(trade.time);
        this.handle(this.aggregator.onTrade(trade));
        bus.publish('market.trade', trade);
      },
      minuteBar: (bar) => {
        this.barRate.record(timers.now());
        this.advanceMarketTime(bar.start + MINUTE);
        this.handle(this.aggregator.onMinuteBar(bar));
      },
      historyBars: (bars, options) => {
        if (options?.paced) this.barRate.record(timers.now(), bars.length);
        this.handle(bars);
      },
      officialDailyBar: (bar) => {
        this.rememberOfficial(bar);
        this.handle([bar]);
      },
      time: (t) => {
        this.advanceMarketTime(t);
        this.handle(this.aggregator.onTime(t));
      },
      state: (state, message, level = 'info') => {
        if (state === this.feedState && message === this.feedMessage) return;
        this.feedState = state;
        this.feedMessage = message;
        // Under its own scope, so that a client already showing feed states (trm feed) can quieten it.
        feedLog[level](`feed ${feed.source}: ${state}${message ? ` (${message})` : ''}`);
        bus.publish('market.feedState', { state, message });
      },
      rewind: (t) => this.rewind(t),
    };
    feed.start(sink);
  }

  /** Stops the feed and writes the forming bars' last state (the store's close flushes it). */
  stop(): void {
    this.parts.feed.stop();
    if (!this.running) return;
    this.running = false;
    this.collectChanged();
    this.snapshot();
  }

  status(now: number): MarketStatus {
    const { feed } = this.parts;
    return {
      feed: { source: feed.source, state: this.feedState, message: this.feedMessage },
      marketTime: this.marketTime,
      speed: feed.speed,
      barsPerSecond: this.barRate.perSecond(now),
      tradesPerSecond: this.tradeRate.perSecond(now),
      lastTickAgeMs: this.lastTradeWall === null ? null : Math.max(0, now - this.lastTradeWall),
      symbols: feed.symbols.length,
    };
  }

  /** The forming bars of a symbol as clients see them (official daily values applied). */
  formingBars(symbol: string): Bar[] {
    const bars = this.aggregator.formingBars(symbol);
    return this.officialDaily.size === 0 ? bars : bars.map((bar) => this.withOfficial(bar));
  }

  private calendarOf(symbol: string): SessionCalendar {
    return this.calendars.get(symbol) ?? this.parts.calendar;
  }

  /** Closed bars: written (queued), then published; forming ones follow on the next turn. */
  private handle(produced: readonly Bar[]): void {
    if (produced.length > 0) {
      const bars = this.officialDaily.size === 0 ? produced : produced.map((bar) => this.withOfficial(bar));
      this.parts.store.barWriter.enqueue(bars);
      this.parts.bus.publish('market.bars', bars);
    }
    if (!this.publishQueued) {
      this.publishQueued = true;
      this.parts.timers.defer(() => {
        this.publishQueued = false;
        this.publishForming();
      });
    }
  }

  /** Moves the aggregator's changed symbols into the to-publish and to-snapshot sets. */
  private collectChanged(): void {
    for (const symbol of this.aggregator.takeChangedSymbols()) {
      this.toPublish.add(symbol);
      this.toSnapshot.add(symbol);
    }
  }

  private publishForming(): void {
    if (!this.running) return;
    this.collectChanged();
    if (this.toPublish.size === 0) return;
    const bars: Bar[] = [];
    for (const symbol of this.toPublish) for (const bar of this.formingBars(symbol)) bars.push(bar);
    this.toPublish.clear();
    if (bars.length > 0) this.parts.bus.publish('market.bars', bars);
    if (this.snapshotTimer === null) {
      this.snapshotTimer = this.parts.timers.setTimeout(() => {
        this.snapshotTimer = null;
        this.collectChanged();
        this.snapshot();
      }, this.parts.snapshotIntervalMs ?? 1000);
    }
  }

  /** Queues the forming bars of the symbols changed since the last snapshot for the store. */
  private snapshot(): void {
    if (this.toSnapshot.size === 0) return;
    const bars: Bar[] = [];
    for (const symbol of this.toSnapshot) for (const bar of this.formingBars(symbol)) bars.push(bar);
    this.toSnapshot.clear();
    if (bars.length > 0) this.parts.store.barWriter.enqueue(bars);
  }

  /**
   * A reply of stored bars, with the symbol's forming bar of that timeframe from memory in place of (or
   * after) its stored snapshot, still `limit` bars at most.
   */
  private withForming(
    stored: Bar[],
    symbol: string,
    timeframe: Timeframe,
    before: number | undefined,
    limit: number,
  ): Bar[] {
    if (limit === 0) return stored;
    const forming = this.formingBars(symbol).find((bar) => bar.timeframe === timeframe);
    if (forming === undefined || (before !== undefined && forming.start >= before)) return stored;
    const last = stored.at(-1);
    if (last !== undefined && last.start === forming.start) {
      stored[stored.length - 1] = forming;
    } else if (last === undefined || last.start < forming.start) {
      stored.push(forming);
      if (stored.length > limit) stored.shift();
    }
    return stored;
  }

  /**
   * Resumes forming bars from the store. They are rebuilt from the stored minutes first: a snapshot may
   * be older than the minutes written after it (or predate a bucket altogether), and the minutes are
   * the truth. Each symbol's newest minute goes along, so the aggregator knows which minutes those bars
   * already hold.
   */
  private resume(): void {
    const { store, feed } = this.parts;
    const stored = new Map<string, Bar[]>();
    for (const bar of store.bars.forming()) {
      const list = stored.get(bar.symbol);
      if (list === undefined) stored.set(bar.symbol, [bar]);
      else list.push(bar);
    }
    const symbols = new Set([...feed.symbols.map((info) => info.symbol), ...stored.keys()]);
    const bars: Bar[] = [];
    for (const symbol of symbols) {
      const newest = store.bars.latest(symbol, '1m');
      const current = newest === null ? [] : this.formingAround(newest);
      for (const bar of stored.get(symbol) ?? []) {
        const replaced = current.some((c) => c.timeframe === bar.timeframe && c.start === bar.start);
        if (!replaced) bars.push(this.repaired(bar));
      }
      bars.push(...current);
      if (newest !== null) bars.push(newest);
    }
    this.aggregator.restore(bars);
  }

  /** The forming bars of the buckets holding a symbol's newest stored minute, from the stored minutes. */
  private formingAround(newest: Bar): Bar[] {
    const session = this.calendarOf(newest.symbol).sessionAt(newest.start);
    if (session === null) return [];
    const minuteEnd = Math.min(newest.start + MINUTE, session.close);
    const rebuilt = this.aggregated(
      newest.symbol,
      this.minutesIn(newest.symbol, session.open, newest.start + 1),
    );
    const out: Bar[] = [];
    for (const timeframe of HIGHER_TIMEFRAMES) {
      const lengthMs = timeframeMs(timeframe);
      const start = bucketStartIn(session, lengthMs, newest.start);
      // A bucket the newest (closed) minute ended was closed with it, in the same write.
      if (newest.closed && bucketEndIn(session, lengthMs, start) <= minuteEnd) continue;
      const bar = rebuilt.get(`${timeframe} ${start}`);
      if (bar !== undefined) out.push({ ...bar, closed: false });
    }
    return out;
  }

  /** A stored forming bar re-aggregated from the stored minutes of its bucket (as it was if none). */
  private repaired(bar: Bar): Bar {
    if (bar.timeframe === '1m') return bar;
    const session = this.calendarOf(bar.symbol).sessionAt(bar.start);
    if (session === null) return bar;
    const end = bucketEndIn(session, timeframeMs(bar.timeframe), bar.start);
    const rebuilt = this.aggregated(bar.symbol, this.minutesIn(bar.symbol, bar.start, end));
    const again = rebuilt.get(`${bar.timeframe} ${bar.start}`);
    return again === undefined ? bar : { ...again, closed: false };
  }

  /** Every bar a fresh aggregator builds from `minutes` (oldest first), by "timeframe start". */
  private aggregated(symbol: string, minutes: readonly Bar[]): Map<string, Bar> {
    const aggregator = new BarAggregator(this.parts.calendar, {
      forming: 'on-demand',
      calendarOf: (s) => this.calendarOf(s),
    });
    const bars = new Map<string, Bar>();
    const keep = (bar: Bar): void => {
      bars.set(`${bar.timeframe} ${bar.start}`, bar);
    };
    for (const minute of minutes) aggregator.onMinuteBar(minute).forEach(keep);
    aggregator.formingBars(symbol).forEach(keep);
    return bars;
  }

  /** Stored 1m bars (forming included) of a symbol with from <= start < to, oldest first. */
  private minutesIn(symbol: string, from: number, to: number): Bar[] {
    const limit = Math.ceil((to - from) / MINUTE) + 1;
    return this.parts.store.bars.range(symbol, '1m', { before: to, limit }).filter((m) => m.start >= from);
  }

  /**
   * The feed starts over from market time t (a replay seeking back): every stored bar from t on is
   * deleted, aggregation restarts from what is left, and the bus announces it (the engine's fan-out then
   * sends what it still holds for listeners, before any bar from after the rewind).
   */
  private rewind(t: number): void {
    const { store, bus } = this.parts;
    store.barWriter.flush();
    store.barScan.deleteFrom(t);
    this.toPublish.clear();
    this.toSnapshot.clear();
    this.officialDaily.clear();
    this.aggregator.reset();
    this.resume();
    this.aggregator.takeChangedSymbols();
    this.marketTime = t;
    bus.publish('market.rewound', t);
    bus.publish('market.time', t);
  }

  /** Keeps the two latest sessions' official daily bars per symbol: corrections reach no further back. */
  private rememberOfficial(bar: Bar): void {
    const kept = (this.officialDaily.get(bar.symbol) ?? []).filter((b) => b.start !== bar.start);
    kept.push(bar);
    kept.sort((a, b) => a.start - b.start);
    this.officialDaily.set(bar.symbol, kept.slice(-2));
  }

  /** A 1D bar aggregated from minutes takes the official values of its session where the source gave them. */
  private withOfficial(bar: Bar): Bar {
    if (bar.timeframe !== '1D') return bar;
    const official = this.officialDaily.get(bar.symbol)?.find((b) => b.start === bar.start);
    if (official === undefined || official === bar) return bar;
    return { ...official, closed: bar.closed || official.closed };
  }

  private advanceMarketTime(t: number): void {
    if (this.marketTime === null || t > this.marketTime) {
      this.marketTime = t;
      this.parts.bus.publish('market.time', t);
    }
  }
}
