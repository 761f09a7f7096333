/**
 * The news area of the engine: a news source (Alpaca's stream in paper and live, recorded news on the
 * replay clock in replay, none in demo) into the store, scored by the sentiment model, tagged with
 * catalysts, and out to the bus and the contract's listeners.
 *
 * Path of an item: the feed hands items to the sink → they are inserted into the store at once (the store
 * drops duplicates: same id, or same text at the same time; only the new ones go on) → what arrived within
 * one turn of the event loop is scored together, at most SCORE_BATCH headlines per model run, yielding to
 * the event loop between runs → the scores and catalyst tags are written (`setScores`) → the items are
 * published on the bus topic `news.items` (write, then publish) → each `news.items` listener gets those
 * naming one of its symbols (market-wide items, with no symbol, always pass).
 *
 * The sentiment model loads lazily at start (ONNX Runtime is imported by the loader only then). Without one
 * (a missing or corrupt folder, a failed load) the engine keeps running: news arrives unscored (sentiment
 * null), `news.status.sentimentMessage` says why, naming the file, and one log line says so.
 *
 * Replay: the recorded source releases items as the market clock (`market.time`) reaches them; a seek
 * back (`market.rewound` t) deletes the scratch store's news from t on, drops queued items from t on and
 * makes the source re-release from t, so no listener sees an item from the replay's future.
 */
import type { EventSources, RequestHandlers } from '../../shared/api';
import type {
  CatalystTag,
  NewsItem,
  NewsStatus,
  ScoredNews,
  Sentiment,
  SentimentModelInfo,
} from '../../shared/domain';
import { catalystText, tagCatalysts } from '../core/news/catalyst-keywords';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { SettingsRepository } from '../store/settings-repository';
import type { TopicBus } from './bus';
import { withinMessageBudget } from './message-budget';
import type { NewsFeed, NewsSink, NewsSourceState, SentimentScorer } from './ports';
import type { EngineTopics } from './topics';

/** Headlines per sentiment model run at most: one run's work between two turns of the event loop. */
export const SCORE_BATCH = 32;

/** What the news service writes and reads: the store's NewsRepository (store/news-repository.ts). */
export interface NewsRepositoryPort {
  /** Stores the items not stored yet (one transaction); returns those that were new, in input order. */
  insert(items: readonly NewsItem[]): NewsItem[];
  setScores(
    rows: readonly {
      id: string;
      sentiment: Sentiment | null;
      sentimentModel: string | null;
      catalysts: CatalystTag[];
    }[],
  ): void;
  /** Newest first: the `limit` most recent before `before`, naming `symbol` when given. */
  list(query: { symbol?: string; before?: number; limit: number }): ScoredNews[];
  count(): number;
  /** Deletes every item published at or after `time` (a scratch store's rewind). */
  deleteFrom(time: number): void;
}

/** What a mode plugs in for news (EngineParts.news). */
export interface NewsParts {
  /** The news source; null when the mode has none (demo), with `noSourceMessage` saying what to do. */
  feed: NewsFeed | null;
  /** Why there is no source (shown in the news panel), when `feed` is null. */
  noSourceMessage?: string | null;
  /**
   * Loads the sentiment model (inference/sentiment's loadSentimentModel over the configured folder);
   * rejects with a message naming the missing or corrupt file. Null: no model in this build.
   */
  loadSentiment: (() => Promise<SentimentScorer>) | null;
  /** Catalyst tags of a text by keyword rules: core/news/catalyst-keywords' tagCatalysts by default. */
  tagCatalysts?: (text: string) => CatalystTag[];
  /**
   * Loads a zero-shot catalyst tagger (an NLI model fetched with `trm models fetch`), or resolves null when
   * none is installed: the keyword rules then tag. A tagger that fails to load or to run falls back to
   * the keyword rules too (one log line).
   */
  loadCatalystTagger?: () => Promise<CatalystTagger | null>;
  /**
   * Where the meta-score's weights are kept: a database that outlives the run (a replay's scratch store
   * does not: it passes the market database's). Default: the engine store's.
   */
  settings?: SettingsRepository;
}

/**
 * Makes a mode's news part once its databases are open: given the settings that outlive the run (the
 * engine store's, or a replay's market database's), the mode's news source (null in demo mode) and why
 * there is none.
 */
export type NewsFactory = (context: {
  settings: SettingsRepository;
  feed: NewsFeed | null;
  noSourceMessage?: string;
}) => NewsParts;

export interface NewsServiceParts extends NewsParts {
  news: NewsRepositoryPort;
  bus: TopicBus<EngineTopics>;
  timers: Timers;
  log: Logger;
  /** Headlines per model run at most (default SCORE_BATCH). */
  scoreBatch?: number;
}

/** A model that tags texts with catalysts (inference/sentiment's zero-shot tagger). */
export interface CatalystTagger {
  /** Tags per text, in CATALYST_TAGS order. */
  tag(texts: readonly string[]): Promise<CatalystTag[][]>;
  close(): Promise<void>;
}

export type NewsHandlers = Pick<RequestHandlers, 'news.list' | 'news.status'>;
export type NewsEvents = Pick<EventSources, 'news.items'>;

const LOADING = 'The sentiment model is loading; news waits for it.';
const NO_MODEL_ADVICE =
  'News arrives unscored. Build the shipped model with "npm run sentiment-model", or fetch one with ' +
  '"npx trm models fetch <name>", then start again.';

export class NewsService {
  readonly handlers: NewsHandlers;
  readonly events: NewsEvents;
  private readonly log: Logger;
  private readonly tag: (text: string) => CatalystTag[];
  private readonly batchSize: number;
  private scorer: SentimentScorer | null = null;
  private tagger: CatalystTagger | null = null;
  private taggerFailing = false;
  private sentimentMessage: string | null = LOADING;
  private loading: Promise<void> | null = null;
  private source: { state: NewsSourceState; message: string | null } = { state: 'starting', message: null };
  /** Items from the feed not yet inserted. */
  private arrivals: NewsItem[] = [];
  /** New (stored) items waiting to be scored and published, in arrival order. */
  private queue: NewsItem[] = [];
  private drainQueued = false;
  /** The latest market time not yet handed to the source (advances are coalesced per turn). */
  private pendingAdvance: number | null = null;
  private draining = false;
  /** The earliest rewind point since the batch in flight started (Infinity when none). */
  private rewoundTo = Number.POSITIVE_INFINITY;
  private scoreFailing = false;
  private idleWaiters: (() => void)[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private stopped = false;

  constructor(private readonly parts: NewsServiceParts) {
    this.log = parts.log.child('news');
    this.batchSize = Math.max(1, parts.scoreBatch ?? SCORE_BATCH);
    this.tag = parts.tagCatalysts ?? tagCatalysts;
    if (parts.loadSentiment === null) {
      this.sentimentMessage = `No sentiment model is configured in this build. ${NO_MODEL_ADVICE}`;
    }
    this.handlers = {
      'news.list': ({ symbol, before, limit }) =>
        withinMessageBudget(
          parts.news.list({
            limit,
            ...(symbol !== undefined ? { symbol } : {}),
            ...(before !== undefined ? { before } : {}),
          }),
        )[0]!,
      'news.status': () => this.status(),
    };
    this.events = {
      'news.items': ({ symbols }, emit) => {
        const wanted = symbols && symbols.length > 0 ? new Set(symbols) : null;
        return parts.bus.subscribe('news.items', (items) => {
          const passed = wanted === null ? items : items.filter((item) => passes(item, wanted));
          if (passed.length > 0) for (const chunk of withinMessageBudget(passed)) emit({ items: chunk });
        });
      },
    };
  }

  /** Loads the sentiment model, follows the market clock and starts the news source. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { bus, feed } = this.parts;
    this.unsubscribe.push(
      bus.subscribe('market.time', (t) => this.onTime(t)),
      bus.subscribe('market.rewound', (t) => this.onRewound(t)),
    );
    const loads: Promise<void>[] = [];
    if (this.parts.loadSentiment !== null) loads.push(this.load(this.parts.loadSentiment));
    if (this.parts.loadCatalystTagger) loads.push(this.loadTagger(this.parts.loadCatalystTagger));
    if (loads.length > 0) {
      this.loading = Promise.all(loads)
        .then(() => undefined)
        .finally(() => {
          this.loading = null;
          this.kick();
        });
    }
    if (feed === null) {
      this.source = { state: 'stopped', message: this.parts.noSourceMessage ?? null };
      return;
    }
    const sink: NewsSink = {
      items: (items) => this.onItems(items),
      state: (state, message) => {
        if (state === this.source.state && message === this.source.message) return;
        this.source = { state, message };
        const line = `news source ${feed.name}: ${state}${message ? ` (${message})` : ''}`;
        if (state === 'error') this.log.warn(line);
        else this.log.info(line);
      },
    };
    feed.start(sink);
  }

  /** Stops the source and scoring; the model closes once a run in progress ends. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.parts.feed?.stop();
    for (const stop of this.unsubscribe) stop();
    this.arrivals = [];
    this.queue = [];
    const models: { close(): Promise<void> }[] = [this.scorer, this.tagger].filter((m) => m !== null);
    this.scorer = null;
    this.tagger = null;
    for (const model of models) {
      void this.inFlight
        .catch(() => undefined)
        .then(() => model.close())
        .catch((error: unknown) => this.log.warn(`closing a news model failed: ${messageOf(error)}`));
    }
    this.resolveIdle();
  }

  /** The symbols on screen (a live source may subscribe to those only). */
  setInterest(symbols: readonly string[]): void {
    this.parts.feed?.setInterest?.(symbols);
  }

  /** The sentiment model that runs, or null. */
  get sentiment(): SentimentModelInfo | null {
    return this.scorer?.info ?? null;
  }

  status(): NewsStatus {
    const { feed } = this.parts;
    return {
      sources: feed === null ? [] : [{ name: feed.name, ...this.source }],
      sentiment: this.scorer?.info ?? null,
      sentimentMessage: this.sentimentMessage,
      catalystTagger: this.tagger !== null ? 'zero-shot' : 'keywords',
      stored: this.parts.news.count(),
      message: feed === null ? (this.parts.noSourceMessage ?? null) : null,
    };
  }

  /** Resolves once the model is loaded and every item that arrived is stored, scored and published. */
  whenIdle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private busy(): boolean {
    return (
      !this.stopped &&
      (this.loading !== null ||
        this.drainQueued ||
        this.draining ||
        this.arrivals.length > 0 ||
        this.queue.length > 0)
    );
  }

  private resolveIdle(): void {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async load(loader: () => Promise<SentimentScorer>): Promise<void> {
    try {
      const scorer = await loader();
      if (this.stopped) {
        await scorer.close();
        return;
      }
      this.scorer = scorer;
      this.sentimentMessage = null;
    } catch (error) {
      this.sentimentMessage = `No sentiment model runs: ${messageOf(error).replace(/\.$/, '')}. ${NO_MODEL_ADVICE}`;
      this.log.warn(this.sentimentMessage);
    }
  }

  private async loadTagger(loader: () => Promise<CatalystTagger | null>): Promise<void> {
    try {
      const tagger = await loader();
      if (tagger === null) return;
      if (this.stopped) {
        await tagger.close();
        return;
      }
      this.tagger = tagger;
    } catch (error) {
      this.log.warn(
        `the zero-shot catalyst tagger cannot be used (keyword rules tag instead): ${messageOf(error)}`,
      );
    }
  }

  /** Catalyst tags per item: the zero-shot tagger when one runs (else, or when it fails, the keyword rules). */
  private async catalystsOf(texts: readonly string[]): Promise<CatalystTag[][]> {
    const tagger = this.tagger;
    if (tagger !== null) {
      try {
        const tags = await tagger.tag(texts);
        this.taggerFailing = false;
        return tags;
      } catch (error) {
        if (!this.taggerFailing)
          this.log.warn(
            `the zero-shot catalyst tagger failed (keyword rules tag instead): ${messageOf(error)}`,
          );
        this.taggerFailing = true;
      }
    }
    return texts.map((text) => this.tag(text));
  }

  // ---- arrivals ---------------------------------------------------------------------------------

  private onItems(items: readonly NewsItem[]): void {
    if (this.stopped || items.length === 0) return;
    for (const item of items) this.arrivals.push(item);
    // Whatever else arrives in this turn of the event loop goes into the same insert and model run.
    if (!this.drainQueued) {
      this.drainQueued = true;
      this.parts.timers.defer(() => {
        this.drainQueued = false;
        this.kick();
      });
    }
  }

  /**
   * The market clock moved: the source is advanced once per turn of the event loop to the latest time (a
   * replay at top speed moves the clock thousands of times a second; one read of the source per turn).
   */
  private onTime(t: number): void {
    const feed = this.parts.feed;
    if (feed?.advanceTo === undefined || this.stopped) return;
    const queued = this.pendingAdvance !== null;
    if (this.pendingAdvance === null || t > this.pendingAdvance) this.pendingAdvance = t;
    if (queued) return;
    this.parts.timers.defer(() => {
      const time = this.pendingAdvance;
      this.pendingAdvance = null;
      if (time !== null && !this.stopped) feed.advanceTo?.(time);
    });
  }

  private onRewound(t: number): void {
    // A queued advance belongs to the time before the seek: the source must not release up to it.
    this.pendingAdvance = null;
    this.arrivals = this.arrivals.filter((item) => item.time < t);
    this.queue = this.queue.filter((item) => item.time < t);
    this.rewoundTo = Math.min(this.rewoundTo, t);
    this.parts.news.deleteFrom(t);
    this.parts.feed?.rewindTo?.(t);
  }

  /** Inserts what arrived, then drains the queue unless a drain runs. */
  private kick(): void {
    if (this.stopped) return this.resolveIdle();
    this.insertArrivals();
    if (this.draining || this.loading !== null || this.queue.length === 0) return this.resolveIdle();
    this.draining = true;
    void this.drain();
  }

  /** Stores what arrived (the store drops duplicates) and queues the new items for scoring. */
  private insertArrivals(): void {
    if (this.arrivals.length === 0) return;
    const arrived = this.arrivals;
    this.arrivals = [];
    try {
      for (const item of this.parts.news.insert(arrived)) this.queue.push(item);
    } catch (error) {
      this.log.error(`storing ${arrived.length} news items failed (they are dropped): ${messageOf(error)}`);
    }
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && this.loading === null) {
        this.insertArrivals();
        if (this.queue.length === 0) break;
        const batch = this.queue.splice(0, this.batchSize);
        this.rewoundTo = Number.POSITIVE_INFINITY;
        const run = this.scoreBatch(batch);
        this.inFlight = run;
        await run;
        // Yield between batches so bars, calls and other events keep flowing during a backfill.
        if (this.queue.length > 0 || this.arrivals.length > 0) await this.yieldTurn();
      }
    } catch (error) {
      this.log.error(`scoring news failed: ${messageOf(error)}`);
    } finally {
      this.draining = false;
      if (this.arrivals.length > 0 || this.queue.length > 0) this.kick();
      else this.resolveIdle();
    }
  }

  private yieldTurn(): Promise<void> {
    return new Promise((resolve) => this.parts.timers.defer(resolve));
  }

  /** Scores and tags one batch, writes the scores, then publishes (write, then publish). */
  private async scoreBatch(batch: readonly NewsItem[]): Promise<void> {
    const scorer = this.scorer;
    let sentiments: (Sentiment | null)[] = batch.map(() => null);
    if (scorer !== null) {
      try {
        sentiments = await scorer.score(batch.map((item) => item.headline));
        if (this.scoreFailing) this.log.info('the sentiment model scores again');
        this.scoreFailing = false;
      } catch (error) {
        // One line per run of failures, not one per batch: the items still go out, unscored.
        if (!this.scoreFailing)
          this.log.warn(`the sentiment model failed (news unscored): ${messageOf(error)}`);
        this.scoreFailing = true;
        sentiments = batch.map(() => null);
      }
    }
    const catalysts = await this.catalystsOf(batch.map(catalystText));
    if (this.stopped) return;
    const model = scorer?.info.version ?? null;
    const scored: ScoredNews[] = [];
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      // A seek back during the run deleted this item: it belongs to a future that is gone.
      if (item.time >= this.rewoundTo) continue;
      const sentiment = sentiments[i] ?? null;
      scored.push({
        ...item,
        sentiment,
        sentimentModel: sentiment === null ? null : model,
        catalysts: catalysts[i] ?? [],
      });
    }
    if (scored.length === 0) return;
    this.parts.news.setScores(
      scored.map(({ id, sentiment, sentimentModel, catalysts }) => ({
        id,
        sentiment,
        sentimentModel,
        catalysts,
      })),
    );
    this.parts.bus.publish('news.items', scored);
  }
}

/** Whether an item names one of `symbols` (market-wide items, naming none, always pass). */
function passes(item: ScoredNews, symbols: ReadonlySet<string>): boolean {
  return item.symbols.length === 0 || item.symbols.some((symbol) => symbols.has(symbol));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
