/**
 * One price file in, batches of closed bars out: the work of the import worker (import-worker.ts), kept
 * free of threads and databases so tests can run it directly.
 *
 * 1. Refuse what is not a price table: an empty or binary file, UTF-16 text, a header without time and
 *    OHLC columns, a file with no readable rows or rows from newest to oldest (line 0, with the reason).
 * 2. From the header: the dialect (dialects.ts). From the first rows: how times are written (date, naive
 *    local, instant), the timeframe (from their spacing: 1m, 5m or 1D, checked against a hint in the
 *    name) and the calendar (24/7 for crypto pairs and files with weekend or overnight rows, else NYSE).
 * 3. Every row: parsed and checked; a bad one is refused with its line and reason, never dropped quietly.
 *    Daily rows become 1D bars starting at their session's open (a date the calendar says is closed is
 *    refused). Minute rows are stored as 1m bars and go through the live `BarAggregator`, so 5m ... 1D
 *    come out exactly as live (extended-hours minutes stay 1m only). 5-minute rows are stored as 5m bars
 *    and rolled up into 15m ... 1D by `BarRollup`. Only closed bars come out.
 * 4. Batches end only where no bucket is open (before the first row of a new session), so a batch plus
 *    the line and byte offset after it is a complete restart point: resuming there with a fresh
 *    aggregator gives exactly the bars an uninterrupted run gives.
 *
 * At the end of the file, buckets that had ended when the file was last modified are closed (a file
 * written during a session keeps that session's unfinished bars back, as a live feed would).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import type { Bar, SymbolInfo, Timeframe } from '../../../shared/domain';
import { BarAggregator } from '../../core/bar-aggregator';
import { BarRollup } from '../../core/bar-rollup';
import type { BarSeries } from '../../core/bar-series';
import { alwaysOpenCalendar, nyseCalendar, type Session, type SessionCalendar } from '../../core/calendar';
import { makeBar } from '../../core/ohlcv-aggregate';
import { detectDialect, type Dialect, type DialectName } from './dialects';
import { hintsFromFileName, type ImportTimeframe } from './file-name';
import { LineReader, type LineBlock } from './line-reader';
import { describeSymbol, looksLikeCryptoPair } from './symbol-kinds';
import { LocalToUtc, TimeText, type TimeForm } from './time-text';

export interface FileJob {
  /** The file to read. */
  path: string;
  /** The name the user knows it by: its symbol and timeframe hint come from it. */
  name: string;
  /** The file's modification time, epoch ms: buckets that had ended by then are closed at the end. */
  mtimeMs: number;
  /** Continue after an earlier run's last committed batch; null: from the first row. */
  resume: { line: number; offset: number; listedRejections: number } | null;
  /** A batch ends at the first restart point after this many rows. */
  batchRows: number;
  /** Rejections listed one by one per file; beyond that they are counted. */
  maxListedRejections: number;
}

export interface FileHeader {
  symbol: string;
  name: string;
  kind: SymbolInfo['kind'];
  calendar: 'XNYS' | '24x7';
  timeframe: ImportTimeframe;
  dialect: DialectName;
  /** Bytes. */
  size: number;
}

export interface ParsedBatch {
  series: BarSeries[];
  /** Rows of the file stored by this batch. */
  rows: number;
  /** Where the file continues: line number and byte offset. */
  nextLine: number;
  nextOffset: number;
  rejections: { line: number; reason: string }[];
  /** Refused rows beyond the listed ones, and the first such line. */
  unlisted: number;
  firstUnlistedLine: number | null;
  /** The last batch of the file. */
  complete: boolean;
}

export type ParseEvent =
  | { type: 'header'; header: FileHeader }
  | { type: 'batch'; batch: ParsedBatch }
  | { type: 'refused'; reason: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Rows looked at to tell the timeframe, time form and calendar. */
const SNIFF_ROWS = 2000;
/** Prices above this are taken as a broken value (1e308, a misplaced column), not a quote. */
const MAX_PRICE = 1e9;
const MAX_VOLUME = 1e15;
/** Epoch ms bounds of the domain's timestamps (1970 ... 2200). */
const MAX_TIME = 7_258_118_400_000;
/**
 * open/close outside [low, high] by less than this fraction is rounding noise of split and dividend
 * adjustment (the shared Yahoo files have a few hundred such rows, off by ~1e-15): the high or low is
 * widened to include it. More than this is a real inconsistency and the row is refused.
 */
const ROUNDING_TOLERANCE = 1e-9;
const TIMEFRAME_MS: Record<ImportTimeframe, number> = { '1m': MINUTE_MS, '5m': 5 * MINUTE_MS, '1D': DAY_MS };
const TIMEFRAME_WORDS: Record<ImportTimeframe, string> = {
  '1m': '1-minute',
  '5m': '5-minute',
  '1D': 'daily',
};

class Refusal extends Error {}

/** Reads one file; yields its header, then batches (the last with `complete`), or a refusal. */
export function* parseFile(job: FileJob): Generator<ParseEvent, void, void> {
  let fd: number;
  try {
    fd = openSync(job.path, 'r');
  } catch (error) {
    yield {
      type: 'refused',
      reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
    return;
  }
  try {
    yield* new FileParser(fd, job).run();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    yield { type: 'refused', reason: error.message };
  } finally {
    closeSync(fd);
  }
}

/** Grows columns of closed bars of one timeframe; `take()` hands them out and starts over. */
class SeriesBuilder {
  length = 0;
  private start: Float64Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;
  private vwap: Float64Array | null;
  private trades: Float64Array | null;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    readonly derivedFrom: number,
    extras: boolean,
    capacity = 1024,
  ) {
    this.start = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
    this.vwap = extras ? new Float64Array(capacity) : null;
    this.trades = extras ? new Float64Array(capacity) : null;
  }

  push(
    start: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    vwap: number,
    trades: number,
  ): void {
    if (this.length === this.start.length) this.grow();
    const i = this.length++;
    this.start[i] = start;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    if (this.vwap !== null) this.vwap[i] = vwap;
    if (this.trades !== null) this.trades[i] = trades;
  }

  pushBar(bar: Bar): void {
    this.push(
      bar.start,
      bar.open,
      bar.high,
      bar.low,
      bar.close,
      bar.volume,
      bar.vwap ?? Number.NaN,
      bar.tradeCount ?? Number.NaN,
    );
  }

  /** The rows so far as right-sized columns (their buffers can be transferred), or null when none. */
  take(): BarSeries | null {
    const n = this.length;
    if (n === 0) return null;
    this.length = 0;
    const series: BarSeries = {
      symbol: this.symbol,
      timeframe: this.timeframe,
      derivedFrom: this.derivedFrom,
      length: n,
      start: this.start.slice(0, n),
      open: this.open.slice(0, n),
      high: this.high.slice(0, n),
      low: this.low.slice(0, n),
      close: this.close.slice(0, n),
      volume: this.volume.slice(0, n),
    };
    if (this.vwap !== null) series.vwap = this.vwap.slice(0, n);
    if (this.trades !== null) series.tradeCount = this.trades.slice(0, n);
    return series;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.start = bigger(this.start);
    this.open = bigger(this.open);
    this.high = bigger(this.high);
    this.low = bigger(this.low);
    this.close = bigger(this.close);
    this.volume = bigger(this.volume);
    if (this.vwap !== null) this.vwap = bigger(this.vwap);
    if (this.trades !== null) this.trades = bigger(this.trades);
  }
}

/** Parsed rows of a block, one per line, and per line a reason it could not be split (or null). */
interface BlockRows {
  rows: string[][];
  errors: (string | null)[] | null;
}

interface Layout {
  header: string[];
  delimiter: string;
  dialect: Dialect;
  /** First data line and its byte offset. */
  dataLine: number;
  dataOffset: number;
}

interface Sniffed {
  form: TimeForm;
  timeframe: ImportTimeframe;
  calendar: SessionCalendar;
}

class FileParser {
  private readonly size: number;
  private readonly time = new TimeText();
  private listed: number;

  constructor(
    private readonly fd: number,
    private readonly job: FileJob,
  ) {
    this.size = fstatSync(fd).size;
    this.listed = job.resume?.listedRejections ?? 0;
  }

  *run(): Generator<ParseEvent, void, void> {
    this.refuseNonText();
    const layout = this.readHeader();
    const hints = hintsFromFileName(this.job.name);
    if (hints.symbol === null) {
      throw new Refusal(
        `its name does not start with a ticker symbol, which is where the symbol comes from: ` +
          `name it like SPY.csv, SPY_1min.csv or spy.us.txt`,
      );
    }
    const sniffed = this.sniff(layout, hints.symbol, hints.timeframe);
    const { name, kind } = describeSymbol(hints.symbol, sniffed.calendar.id);
    yield {
      type: 'header',
      header: {
        symbol: hints.symbol,
        name,
        kind,
        calendar: sniffed.calendar.id === '24x7' ? '24x7' : 'XNYS',
        timeframe: sniffed.timeframe,
        dialect: layout.dialect.name,
        size: this.size,
      },
    };
    yield* this.readRows(layout, sniffed, hints.symbol);
  }

  private refuseNonText(): void {
    if (this.size === 0) throw new Refusal('the file is empty');
    const head = Buffer.alloc(Math.min(this.size, 64 * 1024));
    readSync(this.fd, head, 0, head.length, 0);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      throw new Refusal('it is UTF-16 text: save it as UTF-8 (plain CSV) and import it again');
    }
    let control = 0;
    for (const byte of head) {
      if (byte === 0)
        throw new Refusal('it is not a text file (it holds binary data); expected a CSV table of prices');
      if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13) control++;
    }
    if (control > head.length / 100) {
      throw new Refusal(
        'it is not a text file (it holds control characters); expected a CSV table of prices',
      );
    }
  }

  /** The first non-empty line is the header. */
  private readHeader(): Layout {
    // Small blocks: only the first lines are wanted.
    const reader = new LineReader(this.fd, { offset: 0, line: 1, blockBytes: 4096 });
    for (let block = reader.next(); block !== null; block = reader.next()) {
      const lines = block.text.split('\n');
      for (let i = 0; i < block.lines; i++) {
        if (block.tooLong?.has(i)) {
          throw new Refusal(
            `its first line is ${block.tooLong.get(i)!.toLocaleString('en-US')} bytes long: not a header of a price table`,
          );
        }
        const text = lines[i]!.replace(/^\uFEFF/, '').replace(/\r$/, '');
        if (text.trim() === '') continue;
        const delimiter = pickDelimiter(text);
        const header = (Papa.parse<string[]>(text, { delimiter, newline: '\n' }).data[0] ?? []).map((h) =>
          h.trim(),
        );
        const dialect = detectDialect(header);
        if (typeof dialect === 'string') throw new Refusal(dialect);
        return { header, delimiter, dialect, dataLine: block.firstLine + i + 1, dataOffset: block.ends[i]! };
      }
    }
    throw new Refusal('the file holds only empty lines');
  }

  /** Tells time form, timeframe and calendar from the first rows (the same rows every run: resumes agree). */
  private sniff(layout: Layout, symbol: string, hint: ImportTimeframe | null): Sniffed {
    const { dialect } = layout;
    // Blocks of about a tenth of the rows looked at: little is parsed beyond them.
    const reader = new LineReader(this.fd, {
      offset: layout.dataOffset,
      line: layout.dataLine,
      blockBytes: 16 * 1024,
    });
    const times: number[] = [];
    let form: TimeForm | null = null;
    let rowsSeen = 0;
    let firstBad: string | null = null;
    let period: string | null = null;
    read: for (let block = reader.next(); block !== null; block = reader.next()) {
      const { rows } = this.rowsOf(block, layout.delimiter);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (block.tooLong?.has(i) || isBlankRow(row)) continue;
        rowsSeen++;
        const text = row[dialect.time] ?? '';
        if (dialect.period >= 0 && period === null) period = (row[dialect.period] ?? '').trim();
        if (this.time.parse(text) && (form === null || this.time.form === form)) {
          form = this.time.form;
          times.push(this.time.ms);
        } else firstBad ??= text.slice(0, 40);
        if (rowsSeen >= SNIFF_ROWS) break read;
      }
    }
    if (rowsSeen === 0) throw new Refusal('it has a header but no rows');
    if (form === null) {
      throw new Refusal(`no row has a time that can be read (the first says "${firstBad ?? ''}")`);
    }
    if (period !== null && period.toUpperCase() !== 'D') {
      throw new Refusal(`its period is "${period}": only Stooq's daily exports (period D) are read`);
    }

    let rising = 0;
    let falling = 0;
    const gaps = new Map<number, number>();
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      if (gap > 0) {
        rising++;
        gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
      } else if (gap < 0) falling++;
    }
    if (falling > rising) {
      throw new Refusal('its rows run from newest to oldest: sort them oldest first and import it again');
    }

    let timeframe: ImportTimeframe;
    let usual = 0;
    let most = 0;
    for (const [gap, count] of gaps) {
      if (count > most || (count === most && gap < usual)) {
        usual = gap;
        most = count;
      }
    }
    if (form === 'date' || usual >= 20 * HOUR_MS) timeframe = '1D';
    else if (usual === MINUTE_MS) timeframe = '1m';
    else if (usual === 5 * MINUTE_MS) timeframe = '5m';
    else if (usual === 0) timeframe = hint ?? '1m';
    else {
      throw new Refusal(
        `its rows are ${describeSpan(usual)} apart: the importer reads 1-minute, 5-minute and daily bars`,
      );
    }
    if (hint !== null && hint !== timeframe && most > 0) {
      throw new Refusal(
        `its name says ${TIMEFRAME_WORDS[hint]} bars but its rows are ${TIMEFRAME_WORDS[timeframe]} bars ` +
          `(${describeSpan(usual)} apart); rename the file or check its contents`,
      );
    }

    // 24/7: a crypto pair, or many rows on weekends or overnight (US markets trade 04:00-20:00 New York
    // time at most): a fifth of daily rows (2/7 of a 24/7 market's days are weekend days), a tenth of
    // intraday rows. Naive times are read as New York time for this test.
    let calendar = nyseCalendar;
    if (looksLikeCryptoPair(symbol)) calendar = alwaysOpenCalendar;
    else {
      const newYork = new LocalToUtc('America/New_York');
      const wallOf = (t: number): number => (form === 'instant' ? t + zoneOffset(newYork, t) : t);
      let offHours = 0;
      for (const t of times) {
        const wall = wallOf(t);
        const weekday = (Math.floor(wall / DAY_MS) + 4) % 7;
        const hour = Math.floor((wall % DAY_MS) / HOUR_MS);
        if (weekday === 0 || weekday === 6 || (timeframe !== '1D' && (hour < 4 || hour >= 20))) offHours++;
      }
      // Ten rows at least, so a stray weekend row in a short file does not move a stock to 24/7.
      const share = timeframe === '1D' ? 0.2 : 0.1;
      if (times.length >= 10 && offHours >= times.length * share) calendar = alwaysOpenCalendar;
    }
    return { form, timeframe, calendar };
  }

  private *readRows(layout: Layout, sniffed: Sniffed, symbol: string): Generator<ParseEvent, void, void> {
    const { dialect, delimiter } = layout;
    const { form, timeframe, calendar } = sniffed;
    // Column positions as locals: the row loop below runs once per line of the file.
    const { columns, time: timeColumn, open: openColumn, high: highColumn, low: lowColumn } = dialect;
    const { close: closeColumn, volume: volumeColumn, vwap: vwapColumn } = dialect;
    const { transactions: tradesColumn, adjClose: adjCloseColumn } = dialect;
    const job = this.job;
    const extras = vwapColumn >= 0 || tradesColumn >= 0;
    const native = new SeriesBuilder(
      symbol,
      timeframe,
      0,
      extras,
      Math.ceil(Math.min(job.batchRows * 1.2, 1 << 20)),
    );
    const derived = new Map<Timeframe, SeriesBuilder>();
    const derivedFrom = timeframe === '1m' ? 1 : 5;
    const builderOf = (tf: Timeframe): SeriesBuilder => {
      let builder = derived.get(tf);
      if (builder === undefined) {
        builder = new SeriesBuilder(symbol, tf, derivedFrom, extras);
        derived.set(tf, builder);
      }
      return builder;
    };
    // Closed bars only: forming ones would be built for every minute and thrown away.
    const aggregator = timeframe === '1m' ? new BarAggregator(calendar, { forming: 'on-demand' }) : null;
    const rollup = timeframe === '5m' ? new BarRollup(calendar, '5m') : null;
    const takeClosed = (bars: readonly Bar[]): void => {
      for (const bar of bars) {
        if (bar.closed && bar.timeframe !== timeframe) builderOf(bar.timeframe).pushBar(bar);
      }
    };
    const zone = new LocalToUtc(calendar.timeZone);
    const tfMs = TIMEFRAME_MS[timeframe];
    const daily = timeframe === '1D';

    let rows = 0;
    let rejections: { line: number; reason: string }[] = [];
    let unlisted = 0;
    let firstUnlisted: number | null = null;
    const reject = (line: number, reason: string): void => {
      if (this.listed < job.maxListedRejections) {
        this.listed++;
        rejections.push({ line, reason: reason.length > 480 ? `${reason.slice(0, 477)}...` : reason });
      } else {
        unlisted++;
        firstUnlisted ??= line;
      }
    };
    const batch = (nextLine: number, nextOffset: number, complete: boolean): ParseEvent => {
      const series: BarSeries[] = [];
      const own = native.take();
      if (own !== null) series.push(own);
      for (const builder of derived.values()) {
        const taken = builder.take();
        if (taken !== null) series.push(taken);
      }
      const event: ParseEvent = {
        type: 'batch',
        batch: {
          series,
          rows,
          nextLine,
          nextOffset,
          rejections,
          unlisted,
          firstUnlistedLine: firstUnlisted,
          complete,
        },
      };
      rows = 0;
      rejections = [];
      unlisted = 0;
      firstUnlisted = null;
      return event;
    };

    // A resume point is after the header (a journal that never advanced says offset 0: start over).
    const resume = job.resume !== null && job.resume.offset >= layout.dataOffset ? job.resume : null;
    const start = resume ?? { line: layout.dataLine, offset: layout.dataOffset };
    const reader = new LineReader(this.fd, { offset: start.offset, line: start.line });
    const clock = this.time;
    let previous = -Infinity;
    let previousLine = 0;
    let previousText = '';
    /** Intraday: the close of the session the last in-session row belongs to (no bucket is open after it). */
    let openUntil = -Infinity;
    let session: Session | null = null;
    let lastEnd = -Infinity;
    let nextLine = start.line;
    let nextOffset = start.offset;

    for (let block = reader.next(); block !== null; block = reader.next()) {
      const { rows: fields, errors } = this.rowsOf(block, delimiter);
      for (let i = 0; i < block.lines; i++) {
        const line = block.firstLine + i;
        const lineOffset = i === 0 ? nextOffset : block.ends[i - 1]!;
        const row = fields[i]!;
        const tooLong = block.tooLong?.get(i);
        if (tooLong !== undefined) {
          reject(
            line,
            `the line is ${tooLong.toLocaleString('en-US')} bytes long: not a row of prices (a damaged file?)`,
          );
          continue;
        }
        if (isBlankRow(row)) continue;
        const splitError = errors?.[i] ?? null;
        if (splitError !== null) {
          reject(line, splitError);
          continue;
        }
        if (row.length !== columns) {
          reject(line, `it has ${row.length} fields where the header has ${columns}`);
          continue;
        }

        // Time.
        const timeText = row[timeColumn]!;
        if (!clock.parse(timeText)) {
          reject(line, `the time "${clip(timeText)}" cannot be read`);
          continue;
        }
        if (clock.form !== form) {
          reject(
            line,
            `the time "${clip(timeText)}" is written ${FORM_WORDS[clock.form]}, unlike the first rows (${FORM_WORDS[form]}): mixed time forms are ambiguous`,
          );
          continue;
        }
        let barStart: number;
        let rowSession: Session | null = null;
        if (daily) {
          const dayNumber = Math.floor(
            (form === 'instant' ? clock.ms + zoneOffset(zone, clock.ms) : clock.ms) / DAY_MS,
          );
          const date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
          rowSession = calendar.sessionOn(date);
          if (rowSession === null) {
            reject(
              line,
              `no trading session on ${date} on the ${calendarWords(calendar)} (a weekend, a holiday or a special closure)`,
            );
            continue;
          }
          barStart = rowSession.open;
        } else {
          barStart = form === 'local' ? zone.convert(clock.ms) : clock.ms;
          if (barStart !== barStart) {
            reject(
              line,
              `the time "${clip(timeText)}" does not exist in ${calendar.timeZone} (the clocks moved forward)`,
            );
            continue;
          }
          if (barStart % tfMs !== 0) {
            reject(
              line,
              `the time "${clip(timeText)}" is not on the ${TIMEFRAME_WORDS[timeframe]} grid (bars start every ${tfMs / MINUTE_MS} minutes)`,
            );
            continue;
          }
        }
        if (barStart < 0 || barStart > MAX_TIME) {
          reject(line, `the time "${clip(timeText)}" is outside 1970-2200`);
          continue;
        }
        if (barStart <= previous) {
          reject(
            line,
            barStart === previous
              ? `duplicate time "${clip(timeText)}": line ${previousLine} has the same`
              : `out of order: "${clip(timeText)}" comes after "${clip(previousText)}" (line ${previousLine})`,
          );
          continue;
        }

        // Prices and volume: one range test per value on the way through; reasons only when one fails.
        const openText = row[openColumn]!;
        const highText = row[highColumn]!;
        const lowText = row[lowColumn]!;
        const closeText = row[closeColumn]!;
        let open = +openText;
        let high = +highText;
        let low = +lowText;
        let close = +closeText;
        if (
          !(open > 0 && open <= MAX_PRICE && high > 0 && high <= MAX_PRICE) ||
          !(low > 0 && low <= MAX_PRICE && close > 0 && close <= MAX_PRICE)
        ) {
          reject(
            line,
            badPrice(open, openText, 'open') ??
              badPrice(high, highText, 'high') ??
              badPrice(low, lowText, 'low') ??
              badPrice(close, closeText, 'close') ??
              'a price is not valid',
          );
          continue;
        }
        let volume = 0;
        if (volumeColumn >= 0) {
          const text = row[volumeColumn]!;
          volume = +text;
          if (!(volume >= 0 && volume <= MAX_VOLUME) || (volume === 0 && isBlank(text))) {
            reject(line, badVolume(volume, text));
            continue;
          }
        }
        let vwap = Number.NaN;
        if (vwapColumn >= 0) {
          const text = row[vwapColumn]!;
          const value = +text;
          if (!(value === 0 && isBlank(text))) {
            if (!(value > 0 && value <= MAX_PRICE)) {
              reject(line, badPrice(value, text, 'vwap') ?? 'the vwap is not valid');
              continue;
            }
            vwap = value;
          }
        }
        let trades = Number.NaN;
        if (tradesColumn >= 0) {
          const text = row[tradesColumn]!;
          const value = +text;
          if (!(value === 0 && isBlank(text))) {
            if (!(value >= 0 && value <= MAX_VOLUME && Number.isInteger(value))) {
              reject(line, `the trade count "${clip(text)}" is not a whole number of trades`);
              continue;
            }
            trades = value;
          }
        }
        if (adjCloseColumn >= 0) {
          const text = row[adjCloseColumn]!;
          const adjusted = +text;
          if (!(adjusted > 0 && adjusted <= MAX_PRICE)) {
            reject(line, badPrice(adjusted, text, 'adjusted close') ?? 'the adjusted close is not valid');
            continue;
          }
          // Yahoo's Close is split-adjusted only; Adj Close also takes dividends out. Scaling the row
          // by their ratio gives fully adjusted OHLC (what yfinance's auto_adjust does, and how the
          // shared daily files are written). Volume is left as traded.
          const factor = adjusted / close;
          open *= factor;
          high *= factor;
          low *= factor;
          close = adjusted;
          if (vwap === vwap) vwap *= factor;
        }
        if (!(open <= high && open >= low && close <= high && close >= low)) {
          if (high < low) {
            reject(line, `the high ${clip(highText)} is below the low ${clip(lowText)}`);
            continue;
          }
          const tolerance = high * ROUNDING_TOLERANCE;
          const outside =
            outsideRange(open, high, low, tolerance, 'open') ??
            outsideRange(close, high, low, tolerance, 'close');
          if (outside !== null) {
            reject(line, outside);
            continue;
          }
          high = Math.max(high, open, close);
          low = Math.min(low, open, close);
        }

        // A valid row. Before the first row of a new session, with enough rows taken, end the batch:
        // nothing is open there, so the line and offset of this row are a clean restart point.
        if (!daily) {
          if (session === null || barStart < session.open || barStart >= session.close) {
            session = calendar.sessionAt(barStart);
          }
          rowSession = session;
        }
        if (rows >= job.batchRows && barStart >= openUntil) {
          if (aggregator !== null) takeClosed(aggregator.onTime(barStart));
          if (rollup !== null) takeClosed(rollup.onTime(barStart));
          yield batch(line, lineOffset, false);
        }
        rows++;
        previous = barStart;
        previousLine = line;
        previousText = timeText;
        native.push(barStart, open, high, low, close, volume, vwap, trades);
        if (!daily) {
          if (rowSession !== null) openUntil = rowSession.close;
          lastEnd = barStart + tfMs;
          if (aggregator !== null || rollup !== null) {
            const bar = makeBar(
              symbol,
              timeframe,
              barStart,
              open,
              high,
              low,
              close,
              volume,
              vwap,
              trades,
              true,
            );
            takeClosed(aggregator !== null ? aggregator.onMinuteBar(bar) : rollup!.onBar(bar));
          }
        }
      }
      nextLine = block.firstLine + block.lines;
      nextOffset = block.ends[block.lines - 1]!;
    }

    // The end: close what had ended when the file was written (at least what its last row ended).
    const end = Math.max(lastEnd, job.mtimeMs);
    if (aggregator !== null) takeClosed(aggregator.onTime(end));
    if (rollup !== null) takeClosed(rollup.onTime(end));
    yield batch(nextLine, nextOffset, true);
  }

  /** A block's rows, one per line: fast on the whole block, line by line where quotes span lines. */
  private rowsOf(block: LineBlock, delimiter: string): BlockRows {
    const parsed = Papa.parse<string[]>(block.text, { delimiter, newline: '\n' });
    const rows = parsed.data;
    if (block.text.endsWith('\n') && rows.length > 0) rows.pop();
    if (rows.length === block.lines && parsed.errors.length === 0) return { rows, errors: null };
    // A quoted field holds a line break, or a quote is not closed: split and parse each line on its
    // own, so line numbers stay right and such a line is refused with the reason.
    const lines = block.text.split('\n');
    const out: string[][] = [];
    const errors: (string | null)[] = [];
    for (let i = 0; i < block.lines; i++) {
      const one = Papa.parse<string[]>(lines[i]!, { delimiter, newline: '\n' });
      out.push(one.data[0] ?? ['']);
      errors.push(one.errors.length > 0 ? 'a quoted field is not closed on its line' : null);
    }
    return { rows: out, errors };
  }
}

const FORM_WORDS: Record<TimeForm, string> = {
  date: 'as a date',
  local: 'as a local time without a UTC offset',
  instant: 'with a UTC offset',
};

/** Offset (local minus UTC) of the converter's zone at instant t; 0 for UTC. */
function zoneOffset(zone: LocalToUtc, t: number): number {
  // convert() maps wall -> instant; for an instant t the wall time is t + offset, found by one probe.
  const probe = zone.convert(t);
  return probe === probe ? t - probe : 0;
}

function pickDelimiter(header: string): string {
  let best = ',';
  let count = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const n = header.split(candidate).length - 1;
    if (n > count) {
      best = candidate;
      count = n;
    }
  }
  return best;
}

function isBlankRow(row: readonly string[]): boolean {
  return row.length === 1 && isBlank(row[0]!);
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

function badVolume(value: number, text: string): string {
  if (value !== value || isBlank(text) || !Number.isFinite(value))
    return `the volume "${clip(text)}" is not a number`;
  if (value < 0) return `the volume ${clip(text)} is negative`;
  return `the volume ${clip(text)} is out of range`;
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function badPrice(value: number, text: string, what: string): string | null {
  if (value !== value || text.trim() === '' || !Number.isFinite(value))
    return `the ${what} "${clip(text)}" is not a number`;
  if (value <= 0) return `the ${what} ${clip(text)} is not a positive price`;
  if (value > MAX_PRICE) return `the ${what} ${clip(text)} is out of range for a price`;
  return null;
}

function outsideRange(
  value: number,
  high: number,
  low: number,
  tolerance: number,
  what: string,
): string | null {
  if (value > high + tolerance) return `the ${what} ${value} is above the high ${high}`;
  if (value < low - tolerance) return `the ${what} ${value} is below the low ${low}`;
  return null;
}

function describeSpan(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day${ms === DAY_MS ? '' : 's'}`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} hour${ms === HOUR_MS ? '' : 's'}`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} minute${ms === MINUTE_MS ? '' : 's'}`;
  return `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
}

function calendarWords(calendar: SessionCalendar): string {
  return calendar.id === 'XNYS' ? 'NYSE calendar' : `${calendar.id} calendar`;
}
