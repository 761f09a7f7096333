/**
 * News items on disk (tables `news` and `news_symbols`, migration 0006): stored once, read newest first
 * for the news panel and oldest first for the replay feed, scored later by the engine.
 *
 * Dedupe: an item whose `id` is stored, or whose normalised headline (trimmed, whitespace collapsed,
 * case-folded) and `time` are stored under another id, is not stored again; the symbols it names that the
 * stored item lacks are added to the stored item (a tweet naming three tickers arrives as three rows).
 *
 * Reads come back as the contract's ScoredNews; rows are written only by this class from validated items.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import {
  SENTIMENT_LABELS,
  type CatalystTag,
  type NewsItem,
  type ScoredNews,
  type Sentiment,
} from '../../shared/domain';

/** The most symbols one item keeps (NewsItemSchema's bound); merged symbols beyond it are dropped. */
const MAX_SYMBOLS = 64;
/** Larger than any epoch-ms timestamp the domain accepts: "no upper bound" shares the ranged statements. */
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
/** Larger than any `seq`: a cursor at (t, AFTER_ALL_OF_TIME) is past every item published at t. */
const AFTER_ALL_OF_TIME = Number.MAX_SAFE_INTEGER;

const COLUMNS =
  'n.seq, n.id, n.origin, n.kind, n.source, n.time, n.headline, n.summary, n.url, n.symbols, ' +
  'n.sentiment_label, n.p_negative, n.p_neutral, n.p_positive, n.sentiment_score, n.sentiment_model, n.catalysts';

type NewsRow = [
  seq: number,
  id: string,
  origin: string,
  kind: string,
  source: string,
  time: number,
  headline: string,
  summary: string,
  url: string | null,
  symbols: string,
  label: number | null,
  pNegative: number | null,
  pNeutral: number | null,
  pPositive: number | null,
  score: number | null,
  model: string | null,
  catalysts: string,
];

/** A position in publication order: after the item stored as `seq` at `time`. */
export interface NewsCursor {
  /** Epoch ms UTC. */
  time: number;
  seq: number;
}

/** A page of items oldest first, and the cursor after its last item (unchanged when the page is empty). */
export interface NewsPage {
  items: ScoredNews[];
  next: NewsCursor;
}

export interface NewsListQuery {
  /** Only items naming this symbol (market-wide items excluded). */
  symbol?: string;
  /** Exclusive upper bound on `time` (epoch ms UTC); omitted: the most recent items. */
  before?: number;
  /** How many at most (a non-negative integer). */
  limit: number;
}

export interface NewsScoreUpdate {
  id: string;
  /** null clears the score (the item reads as unscored again). */
  sentiment: Sentiment | null;
  sentimentModel: string | null;
  catalysts: readonly CatalystTag[];
}

/**
 * The dedupe key of an item's text (16 bytes): its time (8 bytes, big-endian) then the first 8 bytes of
 * SHA-256 over its headline trimmed, with runs of whitespace collapsed to one space and case-folded
 * (toLowerCase after NFKC, so "ＡＰＰＬ" and "aapl" agree). Keys of news arriving in time order are then
 * appended to the UNIQUE index instead of scattered over it (an import writes far fewer pages); two texts
 * clash only at the same millisecond with a 64-bit hash collision.
 */
export function newsTextKey(time: number, headline: string): Buffer {
  const normalised = headline.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  const key = Buffer.allocUnsafe(16);
  key.writeBigInt64BE(BigInt(time), 0);
  createHash('sha256').update(normalised).digest().copy(key, 8, 0, 8);
  return key;
}

/** A cursor before every item published at `time` or later: a page from it starts at `time`. */
export function cursorBefore(time: number): NewsCursor {
  return { time: time - 1, seq: AFTER_ALL_OF_TIME };
}

/** A cursor after every item published at `time` or earlier. */
export function cursorAfter(time: number): NewsCursor {
  return { time, seq: AFTER_ALL_OF_TIME };
}

export class NewsRepository {
  private readonly insertRow: BetterSqlite3.Statement<unknown[]>;
  private readonly insertSymbol: BetterSqlite3.Statement<[string, number, number]>;
  private readonly findById: BetterSqlite3.Statement<
    [string],
    { seq: number; time: number; symbols: string }
  >;
  private readonly findByText: BetterSqlite3.Statement<
    [Buffer],
    { seq: number; time: number; symbols: string }
  >;
  private readonly updateSymbols: BetterSqlite3.Statement<[string, number]>;
  private readonly insertMany: (items: readonly NewsItem[]) => NewsItem[];
  private readonly scoreRow: BetterSqlite3.Statement<unknown[]>;
  private readonly scoreMany: (rows: readonly NewsScoreUpdate[]) => number;
  private readonly listAll: BetterSqlite3.Statement<[number, number], NewsRow>;
  private readonly listSymbol: BetterSqlite3.Statement<[string, number, number], NewsRow>;
  private readonly pageAsc: BetterSqlite3.Statement<[number, number, number, number, number], NewsRow>;
  private readonly unscoredDesc: BetterSqlite3.Statement<[string, number], NewsRow>;
  private readonly countAll: BetterSqlite3.Statement<[], number>;
  private readonly cutSymbols: BetterSqlite3.Statement<[number]>;
  private readonly cutNews: BetterSqlite3.Statement<[number]>;
  private readonly cut: (time: number) => number;

  constructor(db: BetterSqlite3.Database) {
    // OR IGNORE: a clash on `id` or `text_key` is a duplicate, told apart below by `changes`.
    this.insertRow = db.prepare(
      `INSERT OR IGNORE INTO news (id, text_key, origin, kind, source, time, headline, summary, url, symbols)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertSymbol = db.prepare('INSERT OR IGNORE INTO news_symbols (symbol, time, seq) VALUES (?, ?, ?)');
    this.findById = db.prepare('SELECT seq, time, symbols FROM news WHERE id = ?');
    this.findByText = db.prepare('SELECT seq, time, symbols FROM news WHERE text_key = ?');
    this.updateSymbols = db.prepare('UPDATE news SET symbols = ? WHERE seq = ?');
    this.insertMany = db.transaction((items: readonly NewsItem[]) => this.insertAll(items));
    this.scoreRow = db.prepare(
      `UPDATE news SET sentiment_label = ?, p_negative = ?, p_neutral = ?, p_positive = ?, sentiment_score = ?,
       sentiment_model = ?, catalysts = ? WHERE id = ?`,
    );
    this.scoreMany = db.transaction((rows: readonly NewsScoreUpdate[]) => {
      let changed = 0;
      for (const row of rows) {
        const s = row.sentiment;
        changed += this.scoreRow.run(
          s === null ? null : SENTIMENT_LABELS.indexOf(s.label),
          s?.probabilities[0] ?? null,
          s?.probabilities[1] ?? null,
          s?.probabilities[2] ?? null,
          s?.score ?? null,
          s === null ? null : row.sentimentModel,
          JSON.stringify(row.catalysts),
          row.id,
        ).changes;
      }
      return changed;
    });
    this.listAll = db
      .prepare<[number, number], NewsRow>(
        `SELECT ${COLUMNS} FROM news n WHERE n.time < ? ORDER BY n.time DESC, n.seq DESC LIMIT ?`,
      )
      .raw();
    this.listSymbol = db
      .prepare<[string, number, number], NewsRow>(
        `SELECT ${COLUMNS} FROM news_symbols s JOIN news n ON n.seq = s.seq
         WHERE s.symbol = ? AND s.time < ? ORDER BY s.time DESC, s.seq DESC LIMIT ?`,
      )
      .raw();
    // Keyset paging in (time, seq) order: `time >= ?` bounds the index range, the OR skips the items of
    // the cursor's own time already read.
    this.pageAsc = db
      .prepare<[number, number, number, number, number], NewsRow>(
        `SELECT ${COLUMNS} FROM news n
         WHERE n.time >= ? AND (n.time > ? OR n.seq > ?) AND n.time <= ?
         ORDER BY n.time, n.seq LIMIT ?`,
      )
      .raw();
    this.unscoredDesc = db
      .prepare<[string, number], NewsRow>(
        `SELECT ${COLUMNS} FROM news n WHERE n.sentiment_model IS NULL OR n.sentiment_model <> ?
         ORDER BY n.time DESC, n.seq DESC LIMIT ?`,
      )
      .raw();
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM news').pluck();
    this.cutSymbols = db.prepare<[number]>('DELETE FROM news_symbols WHERE time >= ?');
    this.cutNews = db.prepare<[number]>('DELETE FROM news WHERE time >= ?');
    this.cut = db.transaction((time: number) => {
      this.cutSymbols.run(time);
      return this.cutNews.run(time).changes;
    });
  }

  /**
   * Stores `items` in one transaction and returns those that were new, in input order. A duplicate (same
   * id, or same normalised headline and time) is not stored; the symbols it adds are merged into the
   * stored item (and into the returned copy when that item was new in this same batch).
   */
  insert(items: readonly NewsItem[]): NewsItem[] {
    return items.length === 0 ? [] : this.insertMany(items);
  }

  private insertAll(items: readonly NewsItem[]): NewsItem[] {
    const fresh: NewsItem[] = [];
    // Items new in this batch by seq, so a later duplicate's symbols reach the returned copy too.
    const freshBySeq = new Map<number, NewsItem>();
    for (const item of items) {
      const key = newsTextKey(item.time, item.headline);
      const symbols = dedupeSymbols(item.symbols);
      const result = this.insertRow.run(
        item.id,
        key,
        item.origin,
        item.kind,
        item.source,
        item.time,
        item.headline,
        item.summary,
        item.url,
        symbols.join(' '),
      );
      if (result.changes === 1) {
        const seq = Number(result.lastInsertRowid);
        for (const symbol of symbols) this.insertSymbol.run(symbol, item.time, seq);
        // A copy: merging a later duplicate's symbols into it must not touch the caller's item.
        const stored = { ...item, symbols: [...symbols] };
        fresh.push(stored);
        freshBySeq.set(seq, stored);
        continue;
      }
      if (symbols.length === 0) continue;
      const existing = this.findById.get(item.id) ?? this.findByText.get(key);
      if (existing === undefined) continue;
      const had = existing.symbols === '' ? [] : existing.symbols.split(' ');
      const added = symbols.filter((s) => !had.includes(s)).slice(0, MAX_SYMBOLS - had.length);
      if (added.length === 0) continue;
      const merged = [...had, ...added];
      this.updateSymbols.run(merged.join(' '), existing.seq);
      for (const symbol of added) this.insertSymbol.run(symbol, existing.time, existing.seq);
      const returned = freshBySeq.get(existing.seq);
      if (returned !== undefined) returned.symbols = merged;
    }
    return fresh;
  }

  /**
   * Records the sentiment (or none), the model version and the catalyst tags of stored items, in one
   * transaction; ids not stored are skipped. Returns how many items were updated.
   */
  setScores(rows: readonly NewsScoreUpdate[]): number {
    return rows.length === 0 ? 0 : this.scoreMany(rows);
  }

  /**
   * The `limit` most recent items published before `before` (or overall), newest first (ties: the later
   * stored first); only those naming `symbol` when given. The `news.list` call's semantics.
   * @throws RangeError when `limit` is not a non-negative integer
   */
  list(query: NewsListQuery): ScoredNews[] {
    const { symbol, before = NO_UPPER_BOUND, limit } = query;
    checkLimit(limit);
    if (limit === 0) return [];
    const rows =
      symbol === undefined ? this.listAll.all(before, limit) : this.listSymbol.all(symbol, before, limit);
    return rows.map(toScoredNews);
  }

  /** The `limit` most recent items published before `time` (exclusive), oldest first. */
  latestBefore(time: number, limit: number): ScoredNews[] {
    return this.list({ before: time, limit }).reverse();
  }

  /**
   * Items published in (`from`, `to`] (epoch ms), oldest first (ties in the order they were stored), at
   * most `limit`. @throws RangeError when `limit` is not a non-negative integer
   */
  between(from: number, to: number, limit: number): ScoredNews[] {
    return this.page(cursorAfter(from), to, limit).items;
  }

  /**
   * Items after `after` in (time, seq) order and published at or before `to`, oldest first, at most
   * `limit`; with the cursor to continue from. Unlike `between`, paging by cursor never skips items that
   * share a time with the last one read. @throws RangeError when `limit` is not a non-negative integer
   */
  page(after: NewsCursor, to: number, limit: number): NewsPage {
    checkLimit(limit);
    if (limit === 0 || to < after.time) return { items: [], next: after };
    const rows = this.pageAsc.all(after.time, after.time, after.seq, to, limit);
    const last = rows[rows.length - 1];
    return { items: rows.map(toScoredNews), next: last ? { time: last[5], seq: last[0] } : after };
  }

  /** Up to `limit` items not scored by `model` (unscored, or scored by another version), newest first. */
  unscored(model: string, limit: number): ScoredNews[] {
    checkLimit(limit);
    return limit === 0 ? [] : this.unscoredDesc.all(model, limit).map(toScoredNews);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  /** Deletes the items published at or after `time` (a scratch store's rewind); returns how many. */
  deleteFrom(time: number): number {
    return this.cut(time);
  }
}

function checkLimit(limit: number): void {
  // SQLite reads a negative LIMIT as "no limit": refuse it rather than return the whole table.
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

/** The symbols without repeats, at most MAX_SYMBOLS; the same array when it has no repeats. */
function dedupeSymbols(symbols: readonly string[]): string[] {
  if (symbols.length <= 1) return symbols as string[];
  const unique = [...new Set(symbols)].slice(0, MAX_SYMBOLS);
  return unique.length === symbols.length ? (symbols as string[]) : unique;
}

function toScoredNews(row: NewsRow): ScoredNews {
  const [
    ,
    id,
    origin,
    kind,
    source,
    time,
    headline,
    summary,
    url,
    symbols,
    label,
    pNegative,
    pNeutral,
    pPositive,
    score,
    model,
    catalysts,
  ] = row;
  const scored = label !== null && pNegative !== null && pNeutral !== null && pPositive !== null;
  return {
    id,
    origin: origin as ScoredNews['origin'],
    kind: kind as ScoredNews['kind'],
    source,
    time,
    headline,
    summary,
    symbols: symbols === '' ? [] : symbols.split(' '),
    url,
    sentiment: scored
      ? {
          label: SENTIMENT_LABELS[label] ?? 'neutral',
          probabilities: [pNegative, pNeutral, pPositive],
          score: score ?? pPositive - pNegative,
        }
      : null,
    sentimentModel: scored ? model : null,
    catalysts: JSON.parse(catalysts) as CatalystTag[],
  };
}
