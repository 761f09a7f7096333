/**
 * The composition root: services per area (market now; signals and trading later) joined by a typed
 * topic bus, and the contract served from what they provide. Demo, replay, paper and live differ only
 * in the parts a mode hands in (feed, clock, later broker); everything after them is one code path.
 * The engine knows nothing of transports or of who listens.
 */
import type { ContractService } from '../../shared/api';
import { EngineError } from '../../shared/protocol';
import type { Bar, EngineMode, EngineStatus } from '../../shared/domain';
import type { SessionCalendar } from '../core/calendar';
import type { MarketFeed } from '../market/feed';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Store } from '../store/store';
import { BarFanout, FANOUT_INTERVAL_MS } from './bar-fanout';
import { TopicBus } from './bus';
import { MarketService } from './market-service';
import { MetaService } from './meta-service';
import { NewsService, type NewsParts } from './news-service';
import type { ImportIntake, KeysKeeper, ReplayControl } from './ports';
import { SignalsService, type SignalsParts } from './signals-service';
import type { EngineTopics } from './topics';
import { TradingService, type TradingParts } from './trading-service';
import { WorkspaceService, type WorkspaceSettings } from './workspace-service';

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
  /** Replay controls (replay mode). */
  replay?: ReplayControl;
  /** Imports sent from the UI. */
  imports?: ImportIntake;
  /** Broker keys. */
  keys?: KeysKeeper;
  /** The strategy model: how to load it, where the shipped one is, Retrain's trainer. */
  signals?: SignalsParts;
  /**
   * News: the mode's source (or why it has none), the sentiment model's loader, and where the meta-score's
   * weights are kept. Absent: no source and no sentiment model (news calls answer with empty state).
   */
  news?: NewsParts;
  /** The latest quote of a symbol, when the feed keeps quotes (the meta-score's micro part). */
  latestQuote?: (symbol: string) => { time: number; bidSize: number; askSize: number } | null;
  /**
   * Trading: the mode's broker over its journal's database, the settings of that database and the journal's
   * account. Absent: the trading calls fail with a message saying so.
   */
  trading?: TradingParts;
  /**
   * Where the workspace (symbol, pane timeframes) is kept. Default: the trading part's settings (a replay's:
   * the market database's, since its own store is scratch), else the store's.
   */
  workspaceSettings?: WorkspaceSettings;
  /** What the mode opened besides the store (a replay's source and scratch folder): released after it. */
  release?: () => void;
}

/** A part this engine was started without: its calls fail with a message that says how to get it. */
function missing(what: string): never {
  throw new EngineError('FAILED', what);
}

const NO_REPLAY = 'Replay controls apply to replay mode only: start with --mode replay.';
const NO_IMPORTS = 'Importing from the window is not available in this mode; use "npx trm import <files>".';
const NO_KEYS = 'Broker keys cannot be kept by this engine.';
const NO_MODEL = 'No strategy model runs in this engine.';
const NO_NEWS_SOURCE = 'This engine has no news source.';
const NO_TRADING = 'This engine has no broker: trading runs in the workstation (npm start, or npx trm web).';

export class Engine {
  readonly service: ContractService;
  readonly bus: TopicBus<EngineTopics>;
  readonly market: MarketService;
  /** The strategy model's decisions (absent when the mode plugs in no `signals` part). */
  readonly signals: SignalsService | null;
  /** News: source → store → sentiment → `news.items`. */
  readonly news: NewsService;
  /** Meta-scores per symbol on screen, the entry gate and the gated strategy decisions. */
  readonly meta: MetaService;
  /** The risk gate in front of the mode's broker (absent when the mode plugs in no `trading` part). */
  readonly trading: TradingService | null;
  private readonly fanout: BarFanout;
  private readonly statusListeners = new Set<(status: EngineStatus) => void>();
  /** Listeners of `market.barsUpdated` per symbol: what is on screen somewhere. */
  private readonly watchers = new Map<string, number>();
  private readonly startedAt: number;
  private statusTimer: unknown = null;
  private running = false;
  private stopped = false;

  constructor(private readonly parts: EngineParts) {
    const { timers, log } = parts;
    this.startedAt = timers.now();
    this.bus = new TopicBus<EngineTopics>((topic, error) =>
      log.error(
        `a subscriber of ${String(topic)} failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    const broker = parts.trading?.broker;
    this.market = new MarketService({
      ...parts,
      bus: this.bus,
      // Symbol search also covers the broker's asset list, where it has one (Alpaca).
      ...(broker?.assets ? { assets: () => broker.assets?.() ?? Promise.resolve([]) } : {}),
    });
    this.fanout = new BarFanout(timers, parts.fanoutIntervalMs ?? FANOUT_INTERVAL_MS);
    this.bus.subscribe('market.bars', (bars) => this.fanout.publish(bars));
    // What listeners hold pending predates a rewind: send it now, before anything after the rewind.
    this.bus.subscribe('market.rewound', () => this.fanout.flush());
    this.bus.subscribe('market.feedState', () => this.pushStatus());
    const { replay, imports, keys } = parts;
    const signals = parts.signals
      ? new SignalsService({
          ...parts.signals,
          store: parts.store,
          bus: this.bus,
          calendar: parts.calendar,
          timers,
          log,
          readDailyBars: (symbol, before, limit) =>
            this.market.handlers['market.bars']({ symbol, timeframe: '1D', before, limit }) as Bar[],
        })
      : null;
    this.signals = signals;
    const newsParts = parts.news ?? { feed: null, noSourceMessage: NO_NEWS_SOURCE, loadSentiment: null };
    this.news = new NewsService({ ...newsParts, news: parts.store.news, bus: this.bus, timers, log });
    this.meta = new MetaService({
      bus: this.bus,
      timers,
      log,
      settings: newsParts.settings ?? parts.store.settings,
      readBars: (symbol, timeframe, before, limit) =>
        this.market.handlers['market.bars']({ symbol, timeframe, before, limit }) as Bar[],
      readNews: (before, limit) => parts.store.news.list({ before, limit }),
      ...(parts.latestQuote ? { latestQuote: parts.latestQuote } : {}),
    });
    const trading = parts.trading
      ? new TradingService({
          ...parts.trading,
          mode: parts.mode,
          bus: this.bus,
          timers,
          log,
          calendar: parts.calendar,
          knownSymbol: (symbol) => parts.feed.symbols.some((info) => info.symbol === symbol),
          latestPrediction: () => parts.store.predictions.list({ limit: 1 })[0] ?? null,
        })
      : null;
    this.trading = trading;
    const workspace = new WorkspaceService(
      parts.workspaceSettings ?? parts.trading?.settings ?? parts.store.settings,
    );
    this.service = {
      handlers: {
        'engine.status': () => this.status(),
        ...this.market.handlers,
        'replay.state': () => (replay ? replay.state() : missing(NO_REPLAY)),
        'replay.control': (command) => (replay ? replay.control(command) : missing(NO_REPLAY)),
        'import.begin': ({ importId, name, bytes }) =>
          imports ? (imports.begin(importId, name, bytes), null) : missing(NO_IMPORTS),
        'import.chunk': ({ importId, name, seq, text }) =>
          imports ? (imports.chunk(importId, name, seq, text), null) : missing(NO_IMPORTS),
        'import.finish': ({ importId }) => (imports ? imports.finish(importId) : missing(NO_IMPORTS)),
        'settings.keysStatus': () => (keys ? keys.status() : missing(NO_KEYS)),
        'settings.saveKeys': (given) => (keys ? keys.save(given) : missing(NO_KEYS)),
        'settings.clearKeys': () => (keys ? keys.clear() : missing(NO_KEYS)),
        ...(signals
          ? signals.handlers
          : {
              'signals.model': () => ({ model: null, message: NO_MODEL }),
              'signals.features': () => missing(NO_MODEL),
              'signals.predictions': () => missing(NO_MODEL),
              'signals.explain': () => missing(NO_MODEL),
              'signals.scorecard': () => missing(NO_MODEL),
              'signals.retrain': () => missing(NO_MODEL),
              'signals.decideCandidate': () => missing(NO_MODEL),
              'signals.useShippedModel': () => missing(NO_MODEL),
            }),
        ...this.news.handlers,
        ...this.meta.handlers,
        ...workspace.handlers,
        ...(trading
          ? trading.handlers
          : {
              'trading.status': () => missing(NO_TRADING),
              'trading.portfolio': () => missing(NO_TRADING),
              'orders.place': () => missing(NO_TRADING),
              'orders.preview': () => missing(NO_TRADING),
              'orders.cancel': () => missing(NO_TRADING),
              'orders.replace': () => missing(NO_TRADING),
              'orders.list': () => missing(NO_TRADING),
              'fills.list': () => missing(NO_TRADING),
              'trading.killSwitch': () => missing(NO_TRADING),
              'trading.setLimits': () => missing(NO_TRADING),
              'trading.armLive': () => missing(NO_TRADING),
              'trading.disarmLive': () => missing(NO_TRADING),
              'strategy.plan': () => missing(NO_TRADING),
              'strategy.rebalance': () => missing(NO_TRADING),
              'strategy.setFollow': () => missing(NO_TRADING),
              'trading.shadowExecutions': () => missing(NO_TRADING),
            }),
      },
      events: {
        'market.barsUpdated': ({ symbols }, emit) => {
          const stop = this.fanout.subscribe(symbols, emit);
          this.watch(symbols, +1);
          return () => {
            stop();
            this.watch(symbols, -1);
          };
        },
        'engine.statusChanged': (_arg, emit) => {
          this.statusListeners.add(emit);
          return () => this.statusListeners.delete(emit);
        },
        'replay.stateChanged': (_arg, emit) => (replay ? replay.subscribe(emit) : missing(NO_REPLAY)),
        'import.progress': ({ importId }, emit) =>
          imports ? imports.progress(importId, emit) : missing(NO_IMPORTS),
        ...(signals
          ? signals.events
          : {
              'signals.prediction': () => missing(NO_MODEL),
              'signals.training': () => missing(NO_MODEL),
            }),
        ...this.news.events,
        ...this.meta.events,
        ...(trading
          ? trading.events
          : {
              'trading.statusChanged': () => missing(NO_TRADING),
              'orders.changed': () => missing(NO_TRADING),
              'fills.new': () => missing(NO_TRADING),
              'trading.portfolioChanged': () => missing(NO_TRADING),
            }),
      },
    };
  }

  get mode(): EngineMode {
    return this.parts.mode;
  }

  start(): void {
    if (this.running || this.stopped) throw new Error('the engine can be started once');
    this.running = true;
    // Before the feed starts: the history bars it delivers first are decision bars too.
    this.meta.start();
    this.news.start();
    this.signals?.start();
    // The broker restores its journal (and reconciles) before the feed's first trade reaches it.
    this.trading?.start();
    this.market.start();
    const tick = (): void => {
      this.pushStatus();
      this.statusTimer = this.parts.timers.setTimeout(tick, this.parts.statusIntervalMs ?? 1000);
    };
    tick();
  }

  /** Stops the feed, writes what is queued and closes the store. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.market.stop();
    // The broker stops before the store (and its journal's database) closes.
    this.trading?.stop();
    this.signals?.stop();
    this.news.stop();
    this.meta.stop();
    if (this.statusTimer !== null) this.parts.timers.clearTimeout(this.statusTimer);
    this.statusTimer = null;
    this.fanout.flush();
    this.fanout.dispose();
    this.statusListeners.clear();
    this.bus.clear();
    try {
      // Imports write through the store: stop them (and drop their temporary files) before it closes.
      this.parts.imports?.close?.();
      this.parts.store.close(); // flushes the write queue first
    } finally {
      this.parts.release?.();
    }
  }

  status(): EngineStatus {
    const now = this.parts.timers.now();
    const { store } = this.parts;
    return {
      mode: this.parts.mode,
      ...this.market.status(now),
      store: { path: store.path, bytes: store.sizeBytes(), pendingWrites: store.barWriter.pending },
      model: this.signals?.statusModel() ?? null,
      startedAt: this.startedAt,
    };
  }

  /**
   * Counts the listeners of each symbol and tells the feed which symbols are on screen when that set
   * changes (a live feed with per-symbol limits subscribes trades and quotes for those only).
   */
  private watch(symbols: readonly string[], change: 1 | -1): void {
    let changed = false;
    for (const symbol of new Set(symbols)) {
      const count = (this.watchers.get(symbol) ?? 0) + change;
      if (count <= 0) changed = this.watchers.delete(symbol) || changed;
      else {
        changed = changed || !this.watchers.has(symbol);
        this.watchers.set(symbol, count);
      }
    }
    if (!changed) return;
    const watched = [...this.watchers.keys()];
    this.parts.feed.setInterest?.(watched);
    this.news.setInterest(watched);
  }

  private pushStatus(): void {
    if (this.statusListeners.size === 0) return;
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }
}
