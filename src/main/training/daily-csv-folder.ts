/**
 * Reads a folder of end-of-day CSV files in the layout of `../shared/data/daily` (one `<ticker>.csv` per
 * symbol, header `Date,Open,High,Low,Close,Volume`, `Date` as YYYY-MM-DD; VIX as `vix.csv`) into daily
 * bars for the panel builder. Each bar starts at its date's NYSE session open, the same `start` the
 * store gives a `1D` bar, so a panel built from CSV files and one built from the store line up.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { nyseCalendar } from '../core/calendar';
import { CLOCK_SYMBOL, type DailyBarLike } from '../core/signals/daily-panel';
import { FEATURE_SYMBOLS } from '../core/signals/feature-registry';
import { STRATEGY_SYMBOLS } from '../core/signals/strategies';

/** What the training reads by default: every symbol a feature stream or a strategy uses. */
export const DAILY_CSV_SYMBOLS: readonly string[] = [...new Set([...FEATURE_SYMBOLS, ...STRATEGY_SYMBOLS])];

export interface DailyCsvFolder {
  /** One bar per usable row, per file, in file order. */
  bars: DailyBarLike[];
  /** Upper-case symbols whose file was read, in the order asked. */
  symbols: string[];
  /** Plain-words notes on what was skipped (missing files, closed dates, unreadable rows). */
  warnings: string[];
}

const REQUIRED_COLUMNS = ['date', 'close', 'volume'] as const;

/**
 * Reads `<ticker>.csv` (file names matched case-insensitively, e.g. `spy.csv` for SPY) for each symbol of
 * `options.symbols` (default DAILY_CSV_SYMBOLS) from `dir`. Rows dated on a day with no NYSE session are
 * skipped with one warning per file; so are rows whose close is not a positive number or whose date is
 * not YYYY-MM-DD. A missing volume reads as NaN. A missing file other than the clock symbol's is a warning.
 * @throws Error when `dir` is not a folder, when the clock symbol's file (spy.csv) is missing, or when a
 * file lacks the Date, Close or Volume column.
 */
export function readDailyCsvFolder(
  dir: string,
  options: { symbols?: readonly string[] } = {},
): DailyCsvFolder {
  const what =
    `a folder of daily CSV files, one <ticker>.csv per symbol (e.g. spy.csv, vix.csv) with the header ` +
    `Date,Open,High,Low,Close,Volume, like ../shared/data/daily`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`daily data folder not found: ${dir}. Give ${what}.`);
  }
  const fileByName = new Map(readdirSync(dir).map((name) => [name.toLowerCase(), name]));
  const wanted = [...new Set((options.symbols ?? DAILY_CSV_SYMBOLS).map((s) => s.toUpperCase()))];
  if (!wanted.includes(CLOCK_SYMBOL)) wanted.unshift(CLOCK_SYMBOL);

  const bars: DailyBarLike[] = [];
  const symbols: string[] = [];
  const warnings: string[] = [];
  for (const symbol of wanted) {
    const expected = `${symbol.toLowerCase()}.csv`;
    const file = fileByName.get(expected);
    if (file === undefined) {
      if (symbol === CLOCK_SYMBOL) {
        throw new Error(
          `${join(dir, expected)} is missing: ${CLOCK_SYMBOL}'s daily bars are the decision clock and must be ` +
            `there. Give ${what}.`,
        );
      }
      warnings.push(
        `${expected} not found in ${dir}: features and strategies that use ${symbol} will be missing`,
      );
      continue;
    }
    readFile(join(dir, file), symbol, bars, warnings);
    symbols.push(symbol);
  }
  return { bars, symbols, warnings };
}

function readFile(path: string, symbol: string, bars: DailyBarLike[], warnings: string[]): void {
  const records: string[][] = parse(readFileSync(path), {
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  });
  const header = (records[0] ?? []).map((name) => name.toLowerCase());
  const column = Object.fromEntries(REQUIRED_COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof REQUIRED_COLUMNS)[number],
    number
  >;
  const absent = REQUIRED_COLUMNS.filter((name) => column[name] < 0);
  if (absent.length > 0) {
    throw new Error(
      `${path} has no ${absent.join(', ')} column (its header is "${(records[0] ?? []).join(',')}"); ` +
        `a daily file needs the header Date,Open,High,Low,Close,Volume`,
    );
  }
  let closedDays = 0;
  let firstClosed = '';
  let unreadable = 0;
  let firstUnreadable = 0;
  for (let row = 1; row < records.length; row++) {
    const record = records[row]!;
    const date = record[column.date] ?? '';
    const close = Number(record[column.close]);
    const volumeText = record[column.volume] ?? '';
    let open: number | null;
    try {
      open = nyseCalendar.sessionOn(date)?.open ?? null;
    } catch {
      open = NaN; // not a YYYY-MM-DD date
    }
    if (Number.isNaN(open) || !Number.isFinite(close) || close <= 0) {
      if (unreadable++ === 0) firstUnreadable = row + 1;
      continue;
    }
    if (open === null) {
      if (closedDays++ === 0) firstClosed = date;
      continue;
    }
    const volume = volumeText === '' ? NaN : Number(volumeText);
    bars.push({ symbol, start: open, close, volume });
  }
  if (closedDays > 0) {
    warnings.push(
      `${path}: skipped ${closedDays} row${closedDays === 1 ? '' : 's'} dated on days the NYSE was closed ` +
        `(first ${firstClosed})`,
    );
  }
  if (unreadable > 0) {
    warnings.push(
      `${path}: skipped ${unreadable} row${unreadable === 1 ? '' : 's'} without a YYYY-MM-DD date and a ` +
        `positive close (first on line ${firstUnreadable})`,
    );
  }
}
