/**
 * Recorded news released on the replay clock: the news items `trm news import` stored in the market
 * database, delivered as the replay reaches their publication time, as if they were arriving live.
 *
 * It implements the engine's NewsFeed port (src/main/engine/ports.ts) structurally: adapters do not
 * import the engine, so the sink and the source are described here by what this feed uses of them. The
 * source is the SOURCE (market) database's news repository, only read; the engine stores what it
 * delivers in its own (scratch) store.
 *
 * No timers: the engine calls `advanceTo(t)` on each `market.time` and `rewindTo(t)` on a seek back.
 * Reads go by a (time, seq) cursor in windows, at most `maxPerAdvance` items per call, so a jump of a year
 * at top speed never builds one giant array: the rest follows on the next calls (`behind` says whether
 * any is left up to the last time asked for).
 */
import type { NewsItem, NewsStatus } from '../../../shared/domain';

/** A position in the source's publication order (store/news-repository.ts NewsCursor). */
export interface RecordedNewsCursor {
  /** Epoch ms UTC. */
  time: number;
  seq: number;
}

/** What the feed reads of the source database's NewsRepository (which satisfies it). */
export interface RecordedNewsSource {
  /** The `limit` most recent items published before `time` (exclusive), oldest first. */
  latestBefore(time: number, limit: number): NewsItem[];
  /** Items after `after` and published at or before `to`, oldest first, at most `limit`, and the next cursor. */
  page(after: RecordedNewsCursor, to: number, limit: number): { items: NewsItem[]; next: RecordedNewsCursor };
}

/** Where the feed delivers (the engine's NewsSink). */
export interface RecordedNewsSink {
  items(items: readonly NewsItem[], backfill: boolean): void;
  state(state: NewsStatus['sources'][number]['state'], message: string | null): void;
}

export interface RecordedNewsFeedOptions {
  /** The replay's start (epoch ms): items published up to it are history, delivered at start as backfill. */
  startTime: number;
  /** How many items of history to deliver at start. Default 50. */
  backfill?: number;
  /** Items read (and delivered in one `items` call) per window. Default 500. */
  window?: number;
  /** Items delivered per `advanceTo` call at most; the rest follows on the next calls. Default 2,000. */
  maxPerAdvance?: number;
  /** The name news.status shows. Default "Recorded news". */
  name?: string;
}

/** Larger than any `seq`: a cursor at (t, END_OF_TIME) is past every item published at t. */
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export class RecordedNewsFeed {
  readonly name: string;
  private readonly startTime: number;
  private readonly backfill: number;
  private readonly window: number;
  private readonly maxPerAdvance: number;
  private sink: RecordedNewsSink | null = null;
  /** After the last item delivered (or skipped as history). */
  private cursor: RecordedNewsCursor;
  /** The latest time the clock was advanced to. */
  private clock: number;
  private stopped = false;

  constructor(
    private readonly source: RecordedNewsSource,
    options: RecordedNewsFeedOptions,
  ) {
    this.name = options.name ?? 'Recorded news';
    this.startTime = options.startTime;
    this.backfill = options.backfill ?? 50;
    this.window = Math.max(1, options.window ?? 500);
    this.maxPerAdvance = Math.max(1, options.maxPerAdvance ?? 2000);
    this.cursor = { time: options.startTime, seq: END_OF_TIME };
    this.clock = options.startTime;
  }

  /**
   * Reports 'backfilling', delivers the last `backfill` items published at or before the start time
   * (with `backfill = true`, oldest first), then reports 'live'. Later items come with `advanceTo`.
   */
  start(sink: RecordedNewsSink): void {
    this.sink = sink;
    this.stopped = false;
    sink.state('backfilling', null);
    // The clock stands at the start: what was published up to it (inclusive) is history.
    const history = this.backfill > 0 ? this.source.latestBefore(this.startTime + 1, this.backfill) : [];
    if (history.length > 0) sink.items(history.map(newsItemOf), true);
    this.cursor = { time: this.startTime, seq: END_OF_TIME };
    this.clock = this.startTime;
    sink.state('live', null);
  }

  /**
   * The replay clock reached `time` (epoch ms): delivers the items published after the last one delivered
   * and at or before `time`, oldest first, in windows of `window` items, at most `maxPerAdvance` in this
   * call. An item is never delivered before the clock reaches its time. A time earlier than the clock
   * delivers nothing (use `rewindTo` to go back).
   */
  advanceTo(time: number): void {
    const sink = this.sink;
    if (sink === null || this.stopped) return;
    if (time > this.clock) this.clock = time;
    let budget = this.maxPerAdvance;
    while (budget > 0) {
      const page = this.source.page(this.cursor, this.clock, Math.min(this.window, budget));
      if (page.items.length === 0) break;
      this.cursor = page.next;
      budget -= page.items.length;
      sink.items(page.items.map(newsItemOf), false);
      if (this.stopped) return;
    }
  }

  /** Whether items published at or before the clock's time are still to be delivered (a capped advance). */
  get behind(): boolean {
    if (this.sink === null || this.stopped) return false;
    return this.source.page(this.cursor, this.clock, 1).items.length > 0;
  }

  /** The replay went back to `time` (epoch ms): the next advance delivers again from the items published at `time`. */
  rewindTo(time: number): void {
    this.cursor = { time: time - 1, seq: END_OF_TIME };
    this.clock = time - 1;
  }

  /** Stops delivering; reports 'stopped'. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink?.state('stopped', null);
  }
}

/** The item's NewsItem fields only (the source may answer with scored rows). */
function newsItemOf(item: NewsItem): NewsItem {
  const { id, origin, kind, source, time, headline, summary, symbols, url } = item;
  return { id, origin, kind, source, time, headline, summary, symbols, url };
}
