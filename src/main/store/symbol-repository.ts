/**
 * The symbol registry: every symbol the store holds bars for, with what replay and the UI's symbol list
 * need to know about it. Importers and feeds register the symbols they store; readers call `list()` or
 * `get(symbol)`. Bar coverage (first and last bar, timeframes present) is read from the bars table on
 * each call, a few index seeks per symbol, so it is never stale, whoever wrote the bars.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  ASSET_KINDS,
  CALENDAR_IDS,
  TIMEFRAMES,
  type CalendarId,
  type SymbolInfo,
  type Timeframe,
} from '../../shared/domain';
import type { SymbolRegistration } from '../core/symbol-registration';

export type { SymbolRegistration } from '../core/symbol-registration';

export type AssetKind = SymbolInfo['kind'];
/** Session calendars a symbol can trade on (core/calendar.ts): the NYSE's, or around the clock. */
export const SYMBOL_CALENDARS = CALENDAR_IDS;
export type SymbolCalendar = CalendarId;
/** Where a symbol's bars came from first: a file import, or the Alpaca feed. */
export const SYMBOL_SOURCES = ['import', 'alpaca'] as const;
export type SymbolSource = (typeof SYMBOL_SOURCES)[number];

export interface SymbolRecord extends SymbolRegistration {
  /** Start of the earliest stored bar of any timeframe, epoch ms UTC; null when no bar is stored. */
  firstBarStart: number | null;
  /** Start of the latest stored bar of any timeframe, epoch ms UTC; null when no bar is stored. */
  lastBarStart: number | null;
  /** Timeframes with at least one stored bar, shortest first. */
  timeframes: Timeframe[];
}

const TIMEFRAMES_JSON = JSON.stringify(TIMEFRAMES);

interface SymbolRow {
  symbol: string;
  name: string;
  kind: string;
  calendar: string;
  source: string;
}

interface CoverageRow {
  timeframe: string;
  first: number | null;
  last: number | null;
}

export class SymbolRepository {
  private readonly insert: BetterSqlite3.Statement<[string, string, string, string, string, number]>;
  private readonly selectOne: BetterSqlite3.Statement<[string], SymbolRow>;
  private readonly selectAll: BetterSqlite3.Statement<[], SymbolRow>;
  private readonly coverage: BetterSqlite3.Statement<[{ symbol: string; timeframes: string }], CoverageRow>;

  constructor(
    db: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {
    // The first registration of a symbol decides its kind, calendar and source; a later one only fills
    // in a real name where the registry had the bare symbol.
    this.insert = db.prepare(
      `INSERT INTO symbols (symbol, name, kind, calendar, source, registered_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (symbol) DO UPDATE SET name = excluded.name
       WHERE symbols.name = symbols.symbol AND excluded.name <> excluded.symbol`,
    );
    this.selectOne = db.prepare<[string], SymbolRow>(
      'SELECT symbol, name, kind, calendar, source FROM symbols WHERE symbol = ?',
    );
    this.selectAll = db.prepare<[], SymbolRow>(
      'SELECT symbol, name, kind, calendar, source FROM symbols ORDER BY symbol',
    );
    // Two primary-key seeks per timeframe (the min/max of `start` under a (symbol, timeframe) prefix).
    this.coverage = db.prepare<[{ symbol: string; timeframes: string }], CoverageRow>(
      `SELECT tf.value AS timeframe,
         (SELECT start FROM bars WHERE symbol = @symbol AND timeframe = tf.value ORDER BY start LIMIT 1) AS first,
         (SELECT start FROM bars WHERE symbol = @symbol AND timeframe = tf.value ORDER BY start DESC LIMIT 1) AS last
       FROM json_each(@timeframes) AS tf`,
    );
  }

  /**
   * Records a symbol, or leaves a registered one as it is (except a bare-symbol name, which a real name
   * replaces). Cheap enough to call with every batch written.
   * @throws RangeError for a kind, calendar or source outside the known sets
   */
  register(entry: SymbolRegistration): void {
    if (!(ASSET_KINDS as readonly string[]).includes(entry.kind))
      throw new RangeError(`unknown kind ${entry.kind}`);
    if (!(SYMBOL_CALENDARS as readonly string[]).includes(entry.calendar)) {
      throw new RangeError(`unknown calendar ${entry.calendar}`);
    }
    if (!(SYMBOL_SOURCES as readonly string[]).includes(entry.source)) {
      throw new RangeError(`unknown source ${entry.source}`);
    }
    this.insert.run(
      entry.symbol,
      entry.name || entry.symbol,
      entry.kind,
      entry.calendar,
      entry.source,
      this.now(),
    );
  }

  /** One symbol with its bar coverage, or null when it is not registered. */
  get(symbol: string): SymbolRecord | null {
    const row = this.selectOne.get(symbol);
    return row === undefined ? null : this.withCoverage(row);
  }

  /** Every registered symbol with its bar coverage, by symbol. */
  list(): SymbolRecord[] {
    return this.selectAll.all().map((row) => this.withCoverage(row));
  }

  private withCoverage(row: SymbolRow): SymbolRecord {
    let first: number | null = null;
    let last: number | null = null;
    const timeframes: Timeframe[] = [];
    for (const c of this.coverage.all({ symbol: row.symbol, timeframes: TIMEFRAMES_JSON })) {
      if (c.first === null || c.last === null) continue;
      timeframes.push(c.timeframe as Timeframe);
      if (first === null || c.first < first) first = c.first;
      if (last === null || c.last > last) last = c.last;
    }
    return {
      symbol: row.symbol,
      name: row.name,
      kind: row.kind as AssetKind,
      calendar: row.calendar as SymbolCalendar,
      source: row.source as SymbolSource,
      firstBarStart: first,
      lastBarStart: last,
      timeframes,
    };
  }
}
