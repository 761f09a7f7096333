/**
 * The composition root: wires feed -> aggregation -> store -> clients, and serves the contract.
 * Demo, replay, paper and live differ only in the feed (and later the broker) handed to the Engine;
 * everything after the feed is one code path. State is written (queued to the store) before it is
 * published, and `market.bars` flushes the queue first, so a reply never misses a published bar.
 */
import { z } from 'zod';
import type { Bar, EngineMode, EngineStatus, FeedState, Speed } from '../shared/domain';
import { BarAggregator } from './core/bar-aggregator';
import { nyseCalendar, type SessionCalendar } from './core/calendar';
import { planDemoWorld, type StoredWorld } from './core/demo-plan';
import { RateMeter } from './core/rate-meter';
import { DEFAULT_UNIVERSE, SyntheticMarket } from './core/synthetic/market';
import { BarFanout } from './bar-fanout';
import { systemTimers, type Timers } from './clock';
import type { Logger } from './log';
import type { FeedSink, MarketFeed } from './market/feed';
import { createSyntheticFeed } from './market/synthetic-feed';
import type { BarWriter } from './store/bar-writer';
import { openStore, type Store } from './store/store';
import type { ContractService } from './transport/dispatcher';

export interface EngineParts {
  mode: EngineMode;
  feed: MarketFeed;
  store: Store;
  calendar: SessionCalendar;
  timers: Timers;
  log: Logger;
  /** Wall milliseconds between status pushes. */
  statusIntervalMs?: number;
  /** Wall milliseconds over which bar updates are coalesced per listener. */
  fanoutIntervalMs?: number;
}

export class Engine {
  readonly service: ContractService;
  private readonly aggregator: BarAggregator;
  private readonly writer: BarWriter;
  private readonly fanout: BarFanout;
  private readonly statusListeners = new Set<(status: EngineStatus) => void>();
  private readonly barRate = new RateMeter(5);
  private readonly tradeRate = new RateMeter(5);
  private readonly startedAt: number;
  private feedState: FeedState = 'starting';
  private feedMessage: string | null = null;
  private marketTime: number | null = null;
  private lastTradeWall: number | null = null;
  private statusTimer: unknown = null;
  private running = false;
  private stopped = false;

  constructor(private readonly parts: EngineParts) {
    const { timers, store } = parts;
    this.startedAt = timers.now();
    this.aggregator = new BarAggregator(parts.calendar);
    this.fanout = new BarFanout(timers, parts.fanoutIntervalMs ?? 50);
    this.writer = store.barWriter;
    this.service = {
      handlers: {
        'engine.status': () => this.status(),
        'market.symbols': () => [...parts.feed.symbols],
        'market.bars': ({ symbol, timeframe, before, limit }) => {
          this.writer.flush();
          return store.bars.range(symbol, timeframe, before === undefined ? { limit } : { before, limit });
        },
      },
      events: {
        'market.barsUpdated': ({ symbols }, emit) => this.fanout.subscribe(symbols, emit),
        'engine.statusChanged': (_arg, emit) => {
          this.statusListeners.add(emit);
          return () => this.statusListeners.delete(emit);
        },
      },
    };
  }

  start(): void {
    if (this.running || this.stopped) throw new Error('the engine can be started once');
    this.running = true;
    const { feed, timers } = this.parts;
    // Resume forming bars, with each symbol's newest minute so the aggregator knows which minutes
    // those bars already hold (a minute replayed after a restart is not counted twice).
    const { bars } = this.parts.store;
    const newestMinutes = feed.symbols.flatMap((info) => bars.latest(info.symbol, '1m') ?? []);
    this.aggregator.restore([...bars.forming(), ...newestMinutes]);
    const handle = (bars: readonly Bar[]): void => {
      if (bars.length === 0) return;
      this.writer.enqueue(bars);
      this.fanout.publish(bars);
    };
    const sink: FeedSink = {
      trade: (trade) => {
        const now = timers.now();
        this.lastTradeWall = now;
        this.tradeRate.record(now);
        this.advanceMarketTime(trade.time);
        handle(this.aggregator.onTrade(trade));
      },
      minuteBar: (bar) => {
        this.barRate.record(timers.now());
        this.advanceMarketTime(bar.start + 60_000);
        handle(this.aggregator.onMinuteBar(bar));
      },
      historyBars: (bars) => handle(bars),
      time: (t) => {
        this.advanceMarketTime(t);
        handle(this.aggregator.onTime(t));
      },
      state: (state, message) => {
        if (state === this.feedState && message === this.feedMessage) return;
        this.feedState = state;
        this.feedMessage = message;
        this.parts.log.info(`feed ${feed.source}: ${state}${message ? ` (${message})` : ''}`);
        this.pushStatus();
      },
    };
    feed.start(sink);
    const tick = (): void => {
      this.pushStatus();
      this.statusTimer = timers.setTimeout(tick, this.parts.statusIntervalMs ?? 1000);
    };
    tick();
  }

  /** Stops the feed, writes what is queued and closes the store. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.parts.feed.stop();
    if (this.statusTimer !== null) this.parts.timers.clearTimeout(this.statusTimer);
    this.statusTimer = null;
    this.fanout.flush();
    this.fanout.dispose();
    this.statusListeners.clear();
    this.parts.store.close(); // flushes the write queue first
  }

  status(): EngineStatus {
    const now = this.parts.timers.now();
    return {
      mode: this.parts.mode,
      feed: { source: this.parts.feed.source, state: this.feedState, message: this.feedMessage },
      marketTime: this.marketTime,
      speed: this.parts.feed.speed,
      barsPerSecond: this.barRate.perSecond(now),
      tradesPerSecond: this.tradeRate.perSecond(now),
      lastTickAgeMs: this.lastTradeWall === null ? null : Math.max(0, now - this.lastTradeWall),
      store: {
        path: this.parts.store.path,
        bytes: this.parts.store.sizeBytes(),
        pendingWrites: this.writer.pending,
      },
      symbols: this.parts.feed.symbols.length,
      startedAt: this.startedAt,
    };
  }

  private advanceMarketTime(t: number): void {
    if (this.marketTime === null || t > this.marketTime) this.marketTime = t;
  }

  private pushStatus(): void {
    if (this.statusListeners.size === 0) return;
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }
}

// ---------------------------------------------------------------------------------------------------
// Demo mode: the synthetic market in a database of its own.

const DemoWorldSchema = z.object({ seed: z.number().int() });
const DEMO_WORLD_KEY = 'demo.world';

export interface DemoEngineOptions {
  dbPath: string;
  seed: number;
  speed: Speed;
  /** Where a fresh world starts (defaults to the wall clock). */
  startAt?: number;
  /** Start a fresh world even if the database holds one. */
  reset?: boolean;
  minuteSessions?: number;
  dailySessions?: number;
  timers?: Timers;
  log: Logger;
  /** better-sqlite3 addon built for Electron's ABI, when running in Electron. */
  sqliteBinding?: string;
}

export class NotADemoDatabaseError extends Error {
  override readonly name = 'NotADemoDatabaseError';
}

function readStoredWorld(store: Store, symbols: readonly string[]): StoredWorld | null {
  const world = store.settings.get(DEMO_WORLD_KEY, DemoWorldSchema);
  if (!world) return null;
  let lastMinute: number | null = null;
  const lastCloses: Record<string, number> = {};
  for (const symbol of symbols) {
    const latest = store.bars.latest(symbol, '1m');
    if (!latest) {
      lastMinute = null;
      break;
    }
    lastCloses[symbol] = latest.close;
    // Resume after the oldest of the symbols' last minutes: a crash may have cut a minute's batch.
    lastMinute = lastMinute === null ? latest.start : Math.min(lastMinute, latest.start);
  }
  return { seed: world.seed, lastMinute, lastCloses };
}

/** Opens (or creates) a demo world and returns an engine ready to start. */
export function createDemoEngine(options: DemoEngineOptions): Engine {
  const timers = options.timers ?? systemTimers;
  const calendar = nyseCalendar;
  const { log } = options;
  const store = openStore(options.dbPath, {
    writer: {
      setTimer: (fn, ms) => timers.setTimeout(fn, ms),
      clearTimer: (handle) => timers.clearTimeout(handle),
      onError: (error) =>
        log.error(
          `writing bars failed (kept for the next attempt): ${error instanceof Error ? error.message : String(error)}`,
        ),
    },
    onWarning: (message) => log.warn(message),
    ...(options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {}),
  });
  try {
    const symbols = DEFAULT_UNIVERSE.map((spec) => spec.symbol);
    const stored = readStoredWorld(store, symbols);
    if (stored === null && store.bars.count() > 0) {
      throw new NotADemoDatabaseError(
        `${store.path} holds market data that is not a demo world; demo mode will not overwrite it. ` +
          'Start the demo with --db <another file>.',
      );
    }
    const plan = planDemoWorld({
      now: options.startAt ?? timers.now(),
      calendar,
      seed: options.seed,
      stored,
      reset: options.reset ?? false,
      minuteSessions: options.minuteSessions ?? 20,
      dailySessions: options.dailySessions ?? 250,
    });
    if (plan.reset) {
      log.info(`starting a fresh demo world (seed ${options.seed}) in ${store.path}`);
      store.bars.deleteAll();
    } else if (stored) {
      log.info(`resuming the demo world (seed ${options.seed}) at ${new Date(plan.liveFrom).toISOString()}`);
    }
    store.settings.set(DEMO_WORLD_KEY, { seed: options.seed });
    const market = new SyntheticMarket({
      seed: plan.generatorSeed,
      ...(plan.initialPrices ? { initialPrices: plan.initialPrices } : {}),
    });
    const feed = createSyntheticFeed({ market, calendar, plan, speed: options.speed, timers });
    return new Engine({ mode: 'demo', feed, store, calendar, timers, log });
  } catch (error) {
    store.close();
    throw error;
  }
}
