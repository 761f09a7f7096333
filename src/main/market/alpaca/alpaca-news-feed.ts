/**
 * Alpaca news behind the NewsFeed port (src/main/engine/ports.ts): the news stream (news-stream.ts) with
 * REST history (news-rest.ts) filling every gap, so the sink sees each article once, with no hole.
 *
 * On every (re)connect:
 *   1. the stream subscribes; the articles it delivers are held (in arrival order);
 *   2. REST fetches the news from the newest article known (delivered since the start, or else the newest
 *      in the store, `lastStoredTime`; less `overlapMs`) up to now (Alpaca's clock), oldest first, without bodies;
 *      nothing known: the last `initialWindowMs` (3 days). A gap longer than `maxGapMs` is cut to it;
 *   3. the held articles are released; from then on articles flow straight through ('live').
 * When the history cannot be fetched (after the REST client's own retries), the held articles are
 * released anyway, so streamed news never waits on it, and the failed page is asked again later.
 * Articles are delivered once: ids already delivered are dropped (the overlap and the seam between REST
 * and the held stream both repeat some). History goes to the sink with `backfill = true`, streamed
 * articles with false. A dropped connection discards what was held: the next catch-up fetches it.
 *
 * Symbols: all news by default (`{"news":["*"]}`): one connection carries every article, market-wide
 * news included, and the engine filters per symbol; `symbols` narrows both the stream and the history to
 * a fixed list. `setInterest` is not implemented on purpose: the symbols on screen change often, and
 * re-subscribing would need a catch-up per symbol for news the engine wants anyway.
 *
 * States: `starting` until the first connection ("cannot reach Alpaca at … for news (no internet
 * connection, or blocked by a firewall?); retrying in 3 s [ENOTFOUND]"), `backfilling` while history is
 * fetched, `live`, `reconnecting` after a drop, `error` when Alpaca refused the keys or the plan (halted
 * until `updateKeys`), `stopped`. A cause that repeats is logged once as a warning, then at debug. The
 * keys never appear in a message or a log line (redacted, as a server may echo them).
 */
import type { AlpacaKeys, NEWS_SOURCE_STATES, NewsItem } from '../../../shared/domain';
import type { Timers } from '../../platform/clock';
import type { Logger, LogLevel } from '../../platform/log';
import { redact, redactingLogger } from '../../platform/secrets';
import type { AlpacaConfig } from './config';
import { withCode } from '../../platform/network-error';
import { DroppedNews, newsItemFromRest, newsItemFromStream } from './news-mapper';
import { MAX_NEWS_PAGE, newsPages } from './news-rest';
import { AlpacaNewsStream } from './news-stream';
import { AbortedError, AlpacaRest, waitFor } from './rest';
import { STREAM_ERRORS, type StreamEvent, type StreamTuning } from './stream';
import { catchUpFailed, formatDelay, streamConnecting, streamRetrying } from './trouble';

/**
 * Where the feed delivers: the engine's NewsSink port (src/main/engine/ports.ts), restated here because
 * an adapter does not import the engine; the types match it, so the engine passes its sink unchanged
 * and takes AlpacaNewsFeed as its NewsFeed (alpaca-news-feed.test.ts checks both at compile time).
 */
export type NewsSourceState = (typeof NEWS_SOURCE_STATES)[number];
export interface NewsSink {
  /** New articles, oldest first; `backfill`: fetched history, not streamed as published. */
  items(items: readonly NewsItem[], backfill: boolean): void;
  state(state: NewsSourceState, message: string | null): void;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface AlpacaNewsFeedTuning {
  /** How far back history is fetched when no news is known (the store is empty), ms. */
  initialWindowMs: number;
  /** The longest gap filled from history, ms; older news in a longer gap is skipped (and logged). */
  maxGapMs: number;
  /**
   * Fetched again before the newest article known, ms: articles published in the same second, or that
   * reached Alpaca's history a moment late, are not lost; the repeats are dropped by id.
   */
  overlapMs: number;
  /** Wait before retrying a failed catch-up, ms (doubles up to 5 minutes). */
  catchUpRetryMs: number;
  /** Articles per REST page (Alpaca allows at most 50). */
  pageLimit: number;
  /** Ids of delivered articles remembered for de-duplication (the newest are kept). */
  rememberedIds: number;
  stream: Partial<StreamTuning>;
}

export const DEFAULT_ALPACA_NEWS_TUNING: AlpacaNewsFeedTuning = {
  initialWindowMs: 3 * DAY,
  maxGapMs: 7 * DAY,
  overlapMs: MINUTE,
  catchUpRetryMs: 30_000,
  pageLimit: MAX_NEWS_PAGE,
  rememberedIds: 20_000,
  stream: {},
};

export interface AlpacaNewsFeedOptions {
  /** Hosts and URLs (dataUrl for history, newsStreamUrl for the stream). */
  config: AlpacaConfig;
  keys: AlpacaKeys;
  timers: Timers;
  /** Uniform [0, 1) for reconnect jitter (seeded in tests); Math.random by default. */
  random?: () => number;
  log: Logger;
  /** Publication time (epoch ms) of the newest Alpaca article in the store, or null when none. */
  lastStoredTime(): number | null;
  /** '*' (default): all news; or the symbols (upper case) to follow, in the stream and the history. */
  symbols?: '*' | readonly string[];
  tuning?: Partial<AlpacaNewsFeedTuning>;
}

export class AlpacaNewsFeed {
  readonly name = 'Alpaca news';
  private readonly tuning: AlpacaNewsFeedTuning;
  private readonly symbols: readonly string[];
  private readonly rest: AlpacaRest;
  private readonly stream: AlpacaNewsStream;
  private readonly dropped: DroppedNews;
  /** Every line this feed logs, with the keys redacted. */
  private readonly log: Logger;
  private keys: AlpacaKeys;
  private sink: NewsSink | null = null;
  private stopped = false;
  /** Bumped on every connect and drop: work started for an older connection stops delivering. */
  private generation = 0;
  private abort: AbortController | null = null;
  private holding = true;
  private held: NewsItem[] = [];
  /** Ids delivered, with their publication times (for pruning). */
  private readonly delivered = new Map<string, number>();
  private newestDelivered: number | null = null;
  /**
   * Start of a history fetch that has not completed (articles streamed since may be newer than the hole
   * it leaves): the next catch-up starts there at the latest. Null when history is complete.
   */
  private unfetchedFrom: number | null = null;
  private connectedOnce = false;
  private streamTrouble: string | null = null;
  private catchUpTrouble: string | null = null;
  private state: NewsSourceState = 'starting';
  private message: string | null = null;

  constructor(private readonly options: AlpacaNewsFeedOptions) {
    this.tuning = { ...DEFAULT_ALPACA_NEWS_TUNING, ...options.tuning };
    this.keys = options.keys;
    this.symbols = options.symbols === undefined || options.symbols === '*' ? [] : [...options.symbols];
    this.log = redactingLogger(options.log, () => this.secrets());
    this.dropped = new DroppedNews(this.log);
    const random = options.random ?? Math.random;
    this.rest = new AlpacaRest({
      dataUrl: options.config.dataUrl,
      tradingUrl: options.config.tradingUrl,
      keys: () => this.keys,
      timers: options.timers,
      random,
      onRateLimited: (waitMs) =>
        this.setState(
          this.holding ? 'backfilling' : 'live',
          `Alpaca's rate limit was reached; waiting ${formatDelay(waitMs)} as it asked (Retry-After)`,
        ),
    });
    this.stream = new AlpacaNewsStream({
      url: options.config.newsStreamUrl,
      keys: options.keys,
      timers: options.timers,
      random,
      log: this.log,
      symbols: this.symbols.length > 0 ? this.symbols : ['*'],
      tuning: this.tuning.stream,
      listener: {
        status: (event) => this.onStreamEvent(event),
        news: (payload) => this.onStreamed(payload),
      },
    });
  }

  /** Connects and starts delivering to `sink`; throws when called twice. */
  start(sink: NewsSink): void {
    if (this.sink || this.stopped) throw new Error('the Alpaca news feed can be started once');
    this.sink = sink;
    this.setState('starting', 'connecting to Alpaca news');
    this.stream.start();
  }

  stop(): void {
    if (this.stopped) return;
    this.setState('stopped', null);
    this.stopped = true;
    this.sink = null;
    this.generation++;
    this.abort?.abort();
    this.abort = null;
    this.stream.stop();
  }

  /** The state last reported to the sink, with its message. */
  status(): { state: NewsSourceState; message: string | null } {
    return { state: this.state, message: this.message };
  }

  /** New keys (saved in the UI): a feed stopped on refused keys reconnects with them. */
  updateKeys(keys: AlpacaKeys): void {
    this.keys = keys;
    this.stream.setKeys(keys);
  }

  private secrets(): string[] {
    return [this.keys.keyId, this.keys.secret, this.options.keys.keyId, this.options.keys.secret];
  }

  /** Reports a state to the sink and logs it at `level`; the message never carries a key. */
  private setState(state: NewsSourceState, message: string | null, level: LogLevel = 'info'): void {
    if (this.stopped) return;
    const text = message === null ? null : redact(message, this.secrets());
    this.state = state;
    this.message = text;
    this.log[level](`Alpaca news: ${state}${text === null ? '' : `: ${text}`}`);
    this.sink?.state(state, text);
  }

  // ---- the stream's life ----

  private onStreamEvent(event: StreamEvent): void {
    if (this.stopped) return;
    switch (event.kind) {
      case 'connecting': {
        const connecting = streamConnecting(event, this.connectedOnce, 'Alpaca news');
        if (connecting) this.setState(connecting.state, connecting.message, 'debug');
        return;
      }
      case 'ready':
        this.onReady();
        return;
      case 'retrying': {
        this.onDown();
        const retrying = streamRetrying(
          event,
          this.options.config.newsStreamUrl,
          'news',
          this.connectedOnce,
          this.streamTrouble,
        );
        this.streamTrouble = retrying.trouble;
        this.setState(retrying.state, retrying.message, retrying.level);
        return;
      }
      case 'halted':
        this.onDown();
        this.streamTrouble = `halted ${event.code}`;
        this.setState('error', this.explainHalt(event.code), 'error');
        return;
      case 'warning':
        this.log.warn(`Alpaca news reported: ${event.reason} (${event.code})`);
        return;
    }
  }

  private onReady(): void {
    const first = !this.connectedOnce;
    this.connectedOnce = true;
    const generation = ++this.generation;
    this.abort = new AbortController();
    this.streamTrouble = null;
    this.setState(
      'backfilling',
      first
        ? 'connected; fetching the news published before the start'
        : 'connected again; fetching the news missed',
    );
    void this.catchUp(generation, this.abort.signal);
  }

  private onDown(): void {
    this.generation++;
    this.abort?.abort();
    this.abort = null;
    // What was held is dropped: the next catch-up fetches everything after the newest article delivered.
    this.holding = true;
    this.held = [];
  }

  private explainHalt(code: number): string {
    if (code === STREAM_ERRORS.insufficientSubscription) {
      return (
        'Your Alpaca plan does not include the news stream (409 insufficient subscription). ' +
        'Check the plan on alpaca.markets, then restart.'
      );
    }
    return (
      `Alpaca refused the API keys for news (${code} ${code === STREAM_ERRORS.authFailed ? 'auth failed' : 'not authenticated'}). ` +
      'Check APCA_API_KEY_ID and APCA_API_SECRET_KEY, or save new keys under Broker keys in the window: news reconnects when new keys are saved.'
    );
  }

  // ---- articles ----

  private onStreamed(payload: unknown): void {
    const mapped = newsItemFromStream(payload);
    if (!mapped.item) {
      this.dropped.report(mapped.problem, 'stream');
      return;
    }
    if (this.holding) this.held.push(mapped.item);
    else this.deliver([mapped.item], false);
  }

  /** Hands the articles not delivered before to the sink, oldest first, and remembers their ids. */
  private deliver(items: readonly NewsItem[], backfill: boolean): void {
    const sink = this.sink;
    if (!sink) return;
    const fresh: NewsItem[] = [];
    for (const item of items) {
      if (this.delivered.has(item.id)) continue;
      this.delivered.set(item.id, item.time);
      fresh.push(item);
      if (this.newestDelivered === null || item.time > this.newestDelivered) this.newestDelivered = item.time;
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => a.time - b.time);
    this.forgetOldIds();
    sink.items(fresh, backfill);
  }

  /** Keeps the newest `rememberedIds` ids (by publication time): an old repeat at worst reaches the store, which drops it. */
  private forgetOldIds(): void {
    const limit = this.tuning.rememberedIds;
    if (this.delivered.size <= limit) return;
    const times = [...this.delivered.values()].sort((a, b) => b - a);
    const keepFrom = times[Math.floor(limit / 2)]!;
    for (const [id, time] of this.delivered) if (time < keepFrom) this.delivered.delete(id);
  }

  private current(generation: number): boolean {
    return !this.stopped && this.generation === generation;
  }

  /**
   * Where history starts now: the newest article known less the overlap, else the initial window; no
   * later than where an unfinished fetch started; no earlier than `maxGapMs` ago.
   */
  private catchUpFrom(now: number): number {
    const known = [this.newestDelivered, this.options.lastStoredTime()].filter(
      (t): t is number => t !== null,
    );
    const earliest = now - this.tuning.maxGapMs;
    const newest =
      known.length === 0 ? now - this.tuning.initialWindowMs : Math.max(...known) - this.tuning.overlapMs;
    const from = Math.min(newest, this.unfetchedFrom ?? Infinity);
    if (from < earliest) {
      this.log.warn(
        `Alpaca news: the gap since the newest article known (${new Date(from).toISOString()}) is longer than ` +
          `${Math.round(this.tuning.maxGapMs / DAY)} days; fetching the news from ${new Date(earliest).toISOString()} only`,
      );
      return earliest;
    }
    return from;
  }

  /**
   * Fetches the history from `catchUpFrom` page by page, then releases what the stream held. A failed
   * page is asked again (same page token) after a growing wait; meanwhile the held articles are released
   * so the stream's news does not wait for the history, which arrives later with `backfill = true`.
   */
  private async catchUp(generation: number, signal: AbortSignal): Promise<void> {
    let retryMs = this.tuning.catchUpRetryMs;
    const from = this.catchUpFrom(this.options.timers.now());
    // No `end`: up to now on Alpaca's clock. With ours as the end, a local clock running behind
    // Alpaca's would leave out the articles of the last moments, and the stream held only later ones.
    const query = { from, symbols: this.symbols, pageLimit: this.tuning.pageLimit };
    this.unfetchedFrom = from;
    let pageToken: string | undefined;
    let count = 0;
    while (this.current(generation)) {
      try {
        for await (const page of newsPages(this.rest, query, signal, pageToken)) {
          if (!this.current(generation)) return;
          const items: NewsItem[] = [];
          for (const raw of page.news) {
            const mapped = newsItemFromRest(raw);
            if (mapped.item) items.push(mapped.item);
            else this.dropped.report(mapped.problem, 'history');
          }
          count += items.length;
          this.deliver(items, true);
          pageToken = page.nextPageToken ?? undefined;
        }
        this.catchUpTrouble = null;
        this.unfetchedFrom = null;
        this.log.info(
          `Alpaca news: fetched ${count} article(s) published since ${new Date(from).toISOString()}`,
        );
        this.release();
        return;
      } catch (error) {
        if (error instanceof AbortedError || !this.current(generation)) return;
        const { why, technical, level, trouble } = catchUpFailed(error, this.catchUpTrouble);
        this.catchUpTrouble = trouble;
        const message = withCode(
          `streaming, but the news since ${new Date(from).toISOString()} could not be fetched: ${why}; retrying in ${formatDelay(retryMs)}`,
          technical,
        );
        if (this.holding) this.release(message, level);
        else this.setState('live', message, level);
        try {
          await waitFor(this.options.timers, retryMs, signal);
        } catch {
          return;
        }
        retryMs = Math.min(retryMs * 2, 5 * MINUTE);
      }
    }
  }

  /** History is in: what the stream delivered meanwhile goes out, and articles flow straight through. */
  private release(message: string | null = null, level: LogLevel = 'info'): void {
    const held = this.held;
    this.held = [];
    this.holding = false;
    this.deliver(held, false);
    this.setState('live', message, level);
  }
}

/** An Alpaca news source for the engine's news service (paper and live modes). */
export function createAlpacaNewsFeed(options: AlpacaNewsFeedOptions): AlpacaNewsFeed {
  return new AlpacaNewsFeed(options);
}
