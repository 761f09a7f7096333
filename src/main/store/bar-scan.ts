/**
 * The replay's paths over the bars table: stored 1-minute bars of chosen symbols in delivery order,
 * what a replay needs to know about them to pick its range, and cutting a (scratch) store back to a
 * point in time when a replay seeks backwards.
 *
 * Reads go by the primary key (symbol, timeframe, start): a window [from, to) of several symbols is one
 * index range per symbol, sorted by (start, symbol) in SQLite; rows come back raw (arrays) and become
 * Bar objects here, in that order. Callers read a long range window by window, so memory stays bounded.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { TIMEFRAMES, type Bar, type Timeframe } from '../../shared/domain';

type MinuteRow = [string, number, number, number, number, number, number, number | null, number | null];

export class BarScan {
  private readonly minutesIn: BetterSqlite3.Statement<[string, number, number], MinuteRow>;
  private readonly anyMinuteIn: BetterSqlite3.Statement<[string, number, number], number>;
  private readonly firstMinute: BetterSqlite3.Statement<[string], number>;
  private readonly lastMinute: BetterSqlite3.Statement<[string], number>;
  private readonly lastMinuteBefore: BetterSqlite3.Statement<[string, number], number>;
  private readonly seriesExtent: BetterSqlite3.Statement<
    [string, string, string, string],
    { first: number | null; last: number | null }
  >;
  private readonly allSymbols: BetterSqlite3.Statement<[], string>;
  private readonly cutSeries: BetterSqlite3.Statement<[string, string, number]>;
  private readonly cut: (symbols: readonly string[], from: number) => number;

  constructor(db: BetterSqlite3.Database) {
    // The symbol list travels as one JSON parameter, so a single prepared statement serves any list.
    // Forming rows (a live session's unfinished minute) are not history: only closed minutes replay.
    this.minutesIn = db
      .prepare<[string, number, number], MinuteRow>(
        `SELECT symbol, start, open, high, low, close, volume, vwap, trade_count FROM bars
         WHERE symbol IN (SELECT value FROM json_each(?)) AND timeframe = '1m' AND start >= ? AND start < ?
           AND closed = 1
         ORDER BY start, symbol`,
      )
      .raw();
    this.anyMinuteIn = db
      .prepare<[string, number, number], number>(
        `SELECT 1 FROM bars
         WHERE symbol IN (SELECT value FROM json_each(?)) AND timeframe = '1m' AND start >= ? AND start < ?
         LIMIT 1`,
      )
      .pluck();
    this.firstMinute = db
      .prepare<[string], number>(
        "SELECT start FROM bars WHERE symbol = ? AND timeframe = '1m' ORDER BY start LIMIT 1",
      )
      .pluck();
    this.lastMinute = db
      .prepare<[string], number>(
        "SELECT start FROM bars WHERE symbol = ? AND timeframe = '1m' ORDER BY start DESC LIMIT 1",
      )
      .pluck();
    this.lastMinuteBefore = db
      .prepare<[string, number], number>(
        "SELECT start FROM bars WHERE symbol = ? AND timeframe = '1m' AND start < ? ORDER BY start DESC LIMIT 1",
      )
      .pluck();
    this.seriesExtent = db.prepare(
      `SELECT
         (SELECT start FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY start LIMIT 1) AS first,
         (SELECT start FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY start DESC LIMIT 1) AS last`,
    );
    // Distinct symbols by skipping through the primary key: one index seek per symbol, not a table scan.
    this.allSymbols = db
      .prepare<[], string>(
        `WITH RECURSIVE s(symbol) AS (
           SELECT (SELECT min(symbol) FROM bars)
           UNION ALL
           SELECT (SELECT min(symbol) FROM bars WHERE symbol > s.symbol) FROM s WHERE s.symbol IS NOT NULL
         )
         SELECT symbol FROM s WHERE symbol IS NOT NULL`,
      )
      .pluck();
    this.cutSeries = db.prepare<[string, string, number]>(
      'DELETE FROM bars WHERE symbol = ? AND timeframe = ? AND start >= ?',
    );
    this.cut = db.transaction((symbols: readonly string[], from: number) => {
      let rows = 0;
      for (const symbol of symbols) {
        for (const timeframe of TIMEFRAMES) rows += this.cutSeries.run(symbol, timeframe, from).changes;
      }
      return rows;
    });
  }

  /**
   * Closed 1m bars of `symbols` with from <= start < to (epoch ms UTC), ordered by start, then symbol
   * (code-unit order): the order a replay delivers them in, ties included.
   */
  minuteBars(symbols: readonly string[], from: number, to: number): Bar[] {
    const rows = this.minutesIn.all(JSON.stringify(symbols), from, to);
    const bars = new Array<Bar>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [symbol, start, open, high, low, close, volume, vwap, tradeCount] = rows[i]!;
      const bar: Bar = { symbol, timeframe: '1m', start, open, high, low, close, volume, closed: true };
      if (vwap !== null) bar.vwap = vwap;
      if (tradeCount !== null) bar.tradeCount = tradeCount;
      bars[i] = bar;
    }
    return bars;
  }

  /** Whether any of `symbols` has a 1m bar with from <= start < to. */
  hasMinutes(symbols: readonly string[], from: number, to: number): boolean {
    return this.anyMinuteIn.get(JSON.stringify(symbols), from, to) !== undefined;
  }

  /** Start of a symbol's first and last stored 1m bar, or null when it has none. */
  minuteExtent(symbol: string): { first: number; last: number } | null {
    const first = this.firstMinute.get(symbol);
    const last = this.lastMinute.get(symbol);
    return first === undefined || last === undefined ? null : { first, last };
  }

  /** Start of a symbol's first and last stored bar of a timeframe (a daily replay's 1D), or null when none. */
  extent(symbol: string, timeframe: Timeframe): { first: number; last: number } | null {
    const row = this.seriesExtent.get(symbol, timeframe, symbol, timeframe);
    if (row === undefined || row.first === null || row.last === null) return null;
    return { first: row.first, last: row.last };
  }

  /** Start of a symbol's last 1m bar before `before`, or null. */
  lastMinuteStartBefore(symbol: string, before: number): number | null {
    return this.lastMinuteBefore.get(symbol, before) ?? null;
  }

  /** Every symbol with at least one bar of any timeframe, in code-unit order. */
  symbols(): string[] {
    return this.allSymbols.all();
  }

  /**
   * Deletes every bar of every timeframe with start >= `from` (epoch ms UTC), all symbols, in one
   * transaction; returns how many. For a replay's scratch store: rewinding forgets what came after.
   */
  deleteFrom(from: number): number {
    return this.cut(this.symbols(), from);
  }
}
