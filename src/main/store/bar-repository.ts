/**
 * Bars on disk. Statements are prepared once per connection and reused; rows come back as plain `Bar`
 * objects (closed as a boolean), so callers never see the storage encoding.
 *
 * Writes go through multi-row INSERT statements (up to 256 rows per statement) over runs of consecutive
 * keys: one statement per row spends much of its time crossing from JavaScript into SQLite and back,
 * and a multi-row statement over consecutive keys about halves the cost per row, while one whose keys
 * jump about costs more than single rows (measured in bench/store.bench.ts, which shows both).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Bar, Timeframe } from '../../shared/domain';
import type { BarSeries } from '../core/bar-series';

export type { BarSeries } from '../core/bar-series';

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
type Param = string | number | null;
/** Named values of a series statement, bound once per statement. */
interface SeriesHead {
  symbol: string;
  timeframe: string;
  derived: number;
}
/** Statements take the row values as one array (anonymous parameters), then the named ones if any. */
type BarsStatement = BetterSqlite3.Statement<[Param[]]>;
type SeriesStatement = BetterSqlite3.Statement<[Param[], SeriesHead]>;

const COLUMNS = 'symbol, timeframe, start, open, high, low, close, volume, closed, vwap, trade_count';
/** Larger than any epoch-ms timestamp the domain accepts, so "no upper bound" shares the ranged statement. */
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
/**
 * Rows per statement, largest first: a write of n rows uses as many of the largest as fit, then the
 * smaller ones for the rest. 256 rows x 11 values stays far below SQLite's 32,766 bound parameters.
 */
const ROWS_PER_STATEMENT = [256, 64, 16, 4, 1] as const;
/** For runs of `upsert` (often a few dozen bars of one series): fewer statements per run. */
const RUN_ROWS_PER_STATEMENT = [256, 64, 32, 16, 8, 4, 2, 1] as const;

/**
 * An upsert, not INSERT OR REPLACE: REPLACE deletes and reinserts, which costs more and would fire delete
 * semantics (foreign keys, triggers) on every update of a forming bar. The WHERE keeps a given bar from
 * being overwritten by one computed from finer or coarser data (derived_from, migration 0004).
 */
const ON_CONFLICT = `ON CONFLICT (symbol, timeframe, start) DO UPDATE SET
  open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
  volume = excluded.volume, closed = excluded.closed, vwap = excluded.vwap,
  trade_count = excluded.trade_count, derived_from = excluded.derived_from
  WHERE excluded.derived_from <= bars.derived_from`;

export class BarRepository {
  /** Upserts of whole Bar objects (11 values a row), by rows per statement. */
  private readonly upsertBars = new Map<number, BarsStatement>();
  /** Upserts of one series (symbol, timeframe, derived_from bound once), without and with vwap/trades. */
  private readonly upsertPlain = new Map<number, SeriesStatement>();
  private readonly upsertFull = new Map<number, SeriesStatement>();
  /** One parameter array per statement size, reused (filled in place, then bound). */
  private readonly params = new Map<string, Param[]>();
  private readonly upsertMany: (bars: readonly Bar[]) => void;
  private readonly upsertSeriesTx: (series: BarSeries) => void;
  private readonly rangeDesc: BetterSqlite3.Statement<[string, string, number, number], BarRow>;
  private readonly latestOne: BetterSqlite3.Statement<[string, string], BarRow>;
  private readonly formingAll: BetterSqlite3.Statement<[], BarRow>;
  private readonly formingOf: BetterSqlite3.Statement<[string], BarRow>;
  private readonly countAll: BetterSqlite3.Statement<[], number>;
  private readonly deleteEvery: BetterSqlite3.Statement<[]>;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.upsertMany = db.transaction((bars: readonly Bar[]) => this.writeBars(bars));
    this.upsertSeriesTx = db.transaction((series: BarSeries) => this.writeSeries(series));
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

  /**
   * Inserts or overwrites each bar by (symbol, timeframe, start), all in one transaction (nested in the
   * caller's when there is one). Bars written here count as given by their source (derived_from 0).
   */
  upsert(bars: readonly Bar[]): void {
    if (bars.length === 0) return;
    this.upsertMany(bars);
  }

  /**
   * Inserts or overwrites closed bars given as columns (an import's output), in one transaction (nested
   * in the caller's when there is one). A row does not replace a stored bar with a lower derived_from.
   * @throws RangeError when a column is shorter than `length`
   */
  upsertSeries(series: BarSeries): void {
    if (series.length === 0) return;
    const { length } = series;
    for (const column of [series.start, series.open, series.high, series.low, series.close, series.volume]) {
      if (column.length < length)
        throw new RangeError(`a column of ${series.symbol} ${series.timeframe} is short`);
    }
    if (
      (series.vwap && series.vwap.length < length) ||
      (series.tradeCount && series.tradeCount.length < length)
    ) {
      throw new RangeError(`the vwap or trade count column of ${series.symbol} ${series.timeframe} is short`);
    }
    this.upsertSeriesTx(series);
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

  /**
   * Writes bars run by run: SQLite's multi-row insert is fast over consecutive keys and slower than one
   * row per statement when keys jump about within a statement (a flush of many symbols interleaves
   * them). So the bars are grouped by (symbol, timeframe) in first-seen order, each group in start
   * order (stable: of two bars with one key, the later still wins), and each group written in
   * statements of consecutive bars.
   */
  private writeBars(bars: readonly Bar[]): void {
    const groups = new Map<string, Map<string, Bar[]>>();
    for (const bar of bars) {
      let bySymbol = groups.get(bar.symbol);
      if (bySymbol === undefined) {
        bySymbol = new Map();
        groups.set(bar.symbol, bySymbol);
      }
      const group = bySymbol.get(bar.timeframe);
      if (group === undefined) bySymbol.set(bar.timeframe, [bar]);
      else group.push(bar);
    }
    for (const bySymbol of groups.values()) {
      for (const group of bySymbol.values()) {
        let ordered = true;
        for (let i = 1; i < group.length && ordered; i++) ordered = group[i - 1]!.start <= group[i]!.start;
        this.writeRun(ordered ? group : group.sort((a, b) => a.start - b.start));
      }
    }
  }

  private writeRun(bars: readonly Bar[]): void {
    let i = 0;
    for (const rows of RUN_ROWS_PER_STATEMENT) {
      if (bars.length - i < rows) continue;
      const statement = this.statement(this.upsertBars, rows, () => barsSql(rows));
      const params = this.paramArray(`bars${rows}`, rows * 11);
      for (; bars.length - i >= rows; i += rows) {
        let p = 0;
        for (let r = i; r < i + rows; r++) {
          const bar = bars[r]!;
          params[p++] = bar.symbol;
          params[p++] = bar.timeframe;
          params[p++] = bar.start;
          params[p++] = bar.open;
          params[p++] = bar.high;
          params[p++] = bar.low;
          params[p++] = bar.close;
          params[p++] = bar.volume;
          params[p++] = bar.closed ? 1 : 0;
          params[p++] = bar.vwap ?? null;
          params[p++] = bar.tradeCount ?? null;
        }
        statement.run(params);
      }
    }
  }

  private writeSeries(series: BarSeries): void {
    const { start, open, high, low, close, volume, vwap, tradeCount, length } = series;
    const full = vwap !== undefined || tradeCount !== undefined;
    const width = full ? 8 : 6;
    const head: SeriesHead = {
      symbol: series.symbol,
      timeframe: series.timeframe,
      derived: series.derivedFrom,
    };
    let i = 0;
    for (const rows of ROWS_PER_STATEMENT) {
      if (length - i < rows) continue;
      const statement = full
        ? this.statement(this.upsertFull, rows, () => seriesSql(rows, true))
        : this.statement(this.upsertPlain, rows, () => seriesSql(rows, false));
      const params = this.paramArray(`series${width}x${rows}`, rows * width);
      for (; length - i >= rows; i += rows) {
        let p = 0;
        for (let r = i; r < i + rows; r++) {
          params[p++] = start[r]!;
          params[p++] = open[r]!;
          params[p++] = high[r]!;
          params[p++] = low[r]!;
          params[p++] = close[r]!;
          params[p++] = volume[r]!;
          if (full) {
            const v = vwap === undefined ? Number.NaN : vwap[r]!;
            const n = tradeCount === undefined ? Number.NaN : tradeCount[r]!;
            params[p++] = v === v ? v : null;
            params[p++] = n === n ? n : null;
          }
        }
        statement.run(params, head);
      }
    }
  }

  private statement<S extends BarsStatement | SeriesStatement>(
    cache: Map<number, S>,
    rows: number,
    sql: () => string,
  ): S {
    let statement = cache.get(rows);
    if (statement === undefined) {
      statement = this.db.prepare(sql()) as S;
      cache.set(rows, statement);
    }
    return statement;
  }

  private paramArray(key: string, size: number): Param[] {
    let params = this.params.get(key);
    if (params === undefined) {
      params = new Array<Param>(size).fill(null);
      this.params.set(key, params);
    }
    return params;
  }
}

function barsSql(rows: number): string {
  const tuple = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)';
  return `INSERT INTO bars (${COLUMNS}, derived_from) VALUES ${new Array<string>(rows).fill(tuple).join(', ')}
    ${ON_CONFLICT}`;
}

/** Imported bars are closed by definition; symbol, timeframe and derived_from are named, bound once. */
function seriesSql(rows: number, full: boolean): string {
  const tuple = full
    ? '(@symbol, @timeframe, ?, ?, ?, ?, ?, ?, 1, ?, ?, @derived)'
    : '(@symbol, @timeframe, ?, ?, ?, ?, ?, ?, 1, NULL, NULL, @derived)';
  return `INSERT INTO bars (${COLUMNS}, derived_from) VALUES ${new Array<string>(rows).fill(tuple).join(', ')}
    ${ON_CONFLICT}`;
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
