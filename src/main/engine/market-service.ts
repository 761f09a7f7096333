/**
 * The market area of the engine: feed -> aggregation -> store writer -> bus. It owns the aggregator and
 * the feed's life cycle, answers the market calls of the contract, and reports its part of the status.
 * Bars are queued to the store before they are published (write, then publish), and `market.bars`
 * flushes the queue before reading, so a reply never misses a bar that was already published.
 */
import type { RequestHandlers } from '../../shared/api';
import type { Bar, EngineStatus, FeedState } from '../../shared/domain';
import { BarAggregator } from '../core/bar-aggregator';
import type { SessionCalendar } from '../core/calendar';
import { RateMeter } from '../core/rate-meter';
import type { FeedSink, MarketFeed } from '../market/feed';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Store } from '../store/store';
import type { TopicBus } from './bus';
import type { EngineTopics } from './topics';

export interface MarketServiceParts {
  feed: MarketFeed;
  store: Store;
  calendar: SessionCalendar;
  timers: Timers;
  log: Logger;
  bus: TopicBus<EngineTopics>;
}

export type MarketHandlers = Pick<RequestHandlers, 'market.symbols' | 'market.bars'>;

/** The market part of `EngineStatus`. */
export type MarketStatus = Pick<
  EngineStatus,
  'feed' | 'marketTime' | 'speed' | 'barsPerSecond' | 'tradesPerSecond' | 'lastTickAgeMs' | 'symbols'
>;

export class MarketService {
  readonly handlers: MarketHandlers;
  private readonly aggregator: BarAggregator;
  private readonly barRate = new RateMeter(5);
  private readonly tradeRate = new RateMeter(5);
  private feedState: FeedState = 'starting';
  private feedMessage: string | null = null;
  private marketTime: number | null = null;
  private lastTradeWall: number | null = null;
  /** Per symbol, the source's official daily bars of its latest sessions (see FeedSink.officialDailyBar). */
  private readonly officialDaily = new Map<string, Bar[]>();

  constructor(private readonly parts: MarketServiceParts) {
    this.aggregator = new BarAggregator(parts.calendar);
    const { store, feed } = parts;
    this.handlers = {
      'market.symbols': () => [...feed.symbols],
      'market.bars': ({ symbol, timeframe, before, limit }) => {
        store.barWriter.flush();
        return store.bars.range(symbol, timeframe, before === undefined ? { limit } : { before, limit });
      },
    };
  }

  start(): void {
    const { feed, timers, store, bus } = this.parts;
    // Resume forming bars, with each symbol's newest minute so the aggregator knows which minutes
    // those bars already hold (a minute replayed after a restart is not counted twice).
    const newestMinutes = feed.symbols.flatMap((info) => store.bars.latest(info.symbol, '1m') ?? []);
    this.aggregator.restore([...store.bars.forming(), ...newestMinutes]);
    const handle = (produced: readonly Bar[]): void => {
      if (produced.length === 0) return;
      const bars = this.officialDaily.size === 0 ? produced : produced.map((bar) => this.withOfficial(bar));
      store.barWriter.enqueue(bars);
      bus.publish('market.bars', bars);
    };
    const sink: FeedSink = {
      trade: (trade) => {
        const now = timers.now();
        this.lastTradeWall = now;
        this.tradeRate.record(now);
        this.advanceMarketTime(trade.time);
        handle(this.aggregator.onTrade(trade));
        bus.publish('market.trade', trade);
      },
      minuteBar: (bar) => {
        this.barRate.record(timers.now());
        this.advanceMarketTime(bar.start + 60_000);
        handle(this.aggregator.onMinuteBar(bar));
      },
      historyBars: (bars) => handle(bars),
      officialDailyBar: (bar) => {
        this.rememberOfficial(bar);
        handle([bar]);
      },
      time: (t) => {
        this.advanceMarketTime(t);
        handle(this.aggregator.onTime(t));
      },
      state: (state, message) => {
        if (state === this.feedState && message === this.feedMessage) return;
        this.feedState = state;
        this.feedMessage = message;
        this.parts.log.info(`feed ${feed.source}: ${state}${message ? ` (${message})` : ''}`);
        bus.publish('market.feedState', { state, message });
      },
    };
    feed.start(sink);
  }

  stop(): void {
    this.parts.feed.stop();
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
