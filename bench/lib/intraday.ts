/**
 * The real intraday minute bars of ../shared/data/intraday/<SYM>_1min.csv (see that folder's README:
 * `datetime,open,high,low,close,volume`, America/New_York local time, regular session 09:30-15:59) as
 * closed 1m bars, for the benchmarks that measure the data path on real data. The files are read in
 * place, never copied into the repository; `null` when the folder is missing (a fresh clone).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Bar } from '../../src/shared/domain';
import { nyseCalendar } from '../../src/main/core/calendar';

const MINUTE = 60_000;
const REGULAR_OPEN_MINUTES = 9 * 60 + 30;

/** ../shared/data/intraday, beside the repository root. */
export const INTRADAY_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'data',
  'intraday',
);

export interface IntradaySet {
  /** Every bar, ordered by (start, symbol): the order a replay delivers them in. */
  bars: Bar[];
  symbols: string[];
  /** Rows skipped: outside the NYSE regular session of their date (none expected). */
  skipped: number;
}

/**
 * Reads every `<SYM>_1min.csv`. A row's local time becomes UTC through the NYSE session of its date
 * (open + minutes after 09:30 local), which handles EST and EDT without a time-zone library.
 */
export function loadIntradayMinutes(dir = INTRADAY_DIR): IntradaySet | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((name) => /^[A-Z]+_1min\.csv$/.test(name))
    .sort();
  const bars: Bar[] = [];
  const symbols: string[] = [];
  let skipped = 0;
  for (const file of files) {
    const symbol = file.slice(0, file.indexOf('_'));
    symbols.push(symbol);
    const rows = parse<Record<string, string>>(readFileSync(join(dir, file)), {
      columns: true,
      skip_empty_lines: true,
    });
    for (const row of rows) {
      const datetime = row.datetime!;
      const session = nyseCalendar.sessionOn(datetime.slice(0, 10));
      const minutes = Number(datetime.slice(11, 13)) * 60 + Number(datetime.slice(14, 16));
      const start = session === null ? NaN : session.open + (minutes - REGULAR_OPEN_MINUTES) * MINUTE;
      if (session === null || !(start >= session.open && start < session.close)) {
        skipped++;
        continue;
      }
      bars.push({
        symbol,
        timeframe: '1m',
        start,
        open: Number(row.open),
        high: Number(row.high),
        low: Number(row.low),
        close: Number(row.close),
        volume: Number(row.volume),
        closed: true,
      });
    }
  }
  bars.sort((a, b) => a.start - b.start || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  // Allocated again in delivery order, as a feed creates them: neighbours in time are neighbours in
  // memory, which is what a replay's or a live feed's bars look like to the CPU cache.
  return { bars: bars.map((bar) => ({ ...bar })), symbols, skipped };
}
