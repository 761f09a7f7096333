/**
 * Bars on disk. Statements are prepared once per connection and reused; rows come back as plain `Bar`
 * objects (closed as a boolean), so callers never see the storage encoding.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Bar, Timeframe } from '../../shared/domain';

export interface BarRangeQuery {
  /** Exclusive upper bound on `start`; omitted: the most recent bars. */
  before?: number;
  /** How many bars at most (a non-negative integer). */
  limit: number;
}

type BarRow = [
  string,
  string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
];
type BarParams = BarRow;

const COLUMNS = 'symbol, timeframe, start, open, high, low, close, volume, closed, vwap, trade_count';
/** Larger than any epoch-ms timestamp the domain accepts, so "no upper bound" shares the ranged statement. */
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

export class BarRepository {
  private readonly upsertOne: BetterSqlite3.Statement<BarParams>;
  private readonly upsertMany: (bars: readonly Bar[]) => void;
  private readonly rangeDesc: BetterSqlite3.Statement<[string, string, number, number], BarRow>;
  private readonly latestOne: BetterSqlite3.Statement<[string, string], BarRow>;
  private readonly formingAll: BetterSqlite3.Statement<[], BarRow>;
  private readonly formingOf: BetterSqlite3.Statement<[string], BarRow>;
  private readonly countAll: BetterSqlite3.Statement<[], number>;
  private readonly deleteEvery: BetterSqlite3.Statement<[]>;

  constructor(db: BetterSqlite3.Database) {
    // An upsert, not INSERT OR REPLACE: REPLACE deletes and reinserts, which costs more and would fire
    // delete semantics (foreign keys, triggers) on every update of a forming bar.
    this.upsertOne = db.prepare(
      `INSERT INTO bars (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (symbol, timeframe, start) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
         volume = excluded.volume, closed = excluded.closed, vwap = excluded.vwap,
         trade_count = excluded.trade_count`,
    );
    this.upsertMany = db.transaction((bars: readonly Bar[]) => {
      for (const bar of bars) {
        this.upsertOne.run(
          bar.symbol,
          bar.timeframe,
          bar.start,
          bar.open,
          bar.high,
          bar.low,
          bar.close,
          bar.volume,
          bar.closed ? 1 : 0,
          bar.vwap ?? null,
          bar.tradeCount ?? null,
        );
      }
    });
    this.rangeDesc = db
      .prepare<[string, string, number, number], BarRow>(
        `SELECT ${COLUMNS} FROM bars WHERE symbol = ? AND timeframe = ? AND start < ?
         ORDER BY start DESC LIMIT ?`,
      )
      .raw();
    this.latestOne = db
      .prepare<[string, string], BarRow>(
        `SELECT ${COLUMNS} FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY start DESC LIMIT 1`,
      )
      .raw();
    this.formingAll = db
      .prepare<[], BarRow>(`SELECT ${COLUMNS} FROM bars WHERE closed = 0 ORDER BY symbol, timeframe, start`)
      .raw();
    // The symbol list travels as one JSON parameter, so a single prepared statement serves any list.
    this.formingOf = db
      .prepare<[string], BarRow>(
        `SELECT ${COLUMNS} FROM bars
         WHERE closed = 0 AND symbol IN (SELECT value FROM json_each(?))
         ORDER BY symbol, timeframe, start`,
      )
      .raw();
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM bars').pluck();
    this.deleteEvery = db.prepare<[]>('DELETE FROM bars');
  }

  /** Inserts or overwrites each bar by (symbol, timeframe, start), all in one transaction. */
  upsert(bars: readonly Bar[]): void {
    if (bars.length === 0) return;
    this.upsertMany(bars);
  }

  /** The `limit` most recent bars with start < `before` (or overall), oldest first, as a chart draws them. */
  range(symbol: string, timeframe: Timeframe, query: BarRangeQuery): Bar[] {
    const { before = NO_UPPER_BOUND, limit } = query;
    // SQLite reads a negative LIMIT as "no limit": refuse it rather than return the whole history.
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    if (limit === 0) return [];
    const rows = this.rangeDesc.all(symbol, timeframe, before, limit);
    const bars = new Array<Bar>(rows.length);
    for (let i = 0; i < rows.length; i++) bars[rows.length - 1 - i] = toBar(rows[i]!);
    return bars;
  }

  latest(symbol: string, timeframe: Timeframe): Bar | null {
    const row = this.latestOne.get(symbol, timeframe);
    return row ? toBar(row) : null;
  }

  /** Bars still forming (not closed), for every symbol or the given ones: what a restart resumes from. */
  forming(symbols?: readonly string[]): Bar[] {
    const rows = symbols ? this.formingOf.all(JSON.stringify(symbols)) : this.formingAll.all();
    return rows.map(toBar);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  /** Removes every bar (a demo world reset). */
  deleteAll(): void {
    this.deleteEvery.run();
  }
}

function toBar(row: BarRow): Bar {
  const [symbol, timeframe, start, open, high, low, close, volume, closed, vwap, tradeCount] = row;
  const bar: Bar = {
    symbol,
    timeframe: timeframe as Timeframe,
    start,
    open,
    high,
    low,
    close,
    volume,
    closed: closed === 1,
  };
  // Absent, not undefined: the contract's schemas and the store round trip agree on the shape.
  if (vwap !== null) bar.vwap = vwap;
  if (tradeCount !== null) bar.tradeCount = tradeCount;
  return bar;
}
