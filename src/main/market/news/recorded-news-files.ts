/**
 * Readers of recorded news files, in three layouts told apart by their header:
 *
 * - company news, `datetime,ticker,headline,summary` (company_news_2023_2024.csv): one row per headline
 *   and ticker. `datetime` is New York local time (EST/EDT), not UTC: earnings releases, which companies
 *   publish right after the 16:00 ET close, appear at 16:0x in both seasons (Alphabet Q3 2024,
 *   2024-10-29 16:06:04 "beats quarterly revenue estimates"; Microsoft FY24 Q4, 2024-07-30 16:01:52;
 *   Amazon Q4 2023, 2024-02-01 16:02:54 in winter; Tesla Q3 2024, 2024-10-23 16:06:09), and "Tokyo stocks
 *   open lower" after Nvidia's results is at 20:38 on 2024-08-28, 09:38 in Tokyo (UTC+9 = EDT+13). Read as
 *   UTC, every one of those releases would fall in the middle of the trading day. A time with an explicit
 *   offset or Z is taken as written. Ids are `recorded:<file stem>:<SHA-256 of time and headline, 16 hex>`,
 *   so the same headline at the same time under two tickers is one item naming both.
 * - StockNet tweets, `created_at_utc,ticker,tweet_id,text`: a tweet naming N tickers is N rows; they are
 *   one item (kind 'social') naming all N. Ids are `recorded:<file stem>:<tweet_id>`.
 * - BBC business headlines, `title,pubDate,guid,link,description`, RFC 2822 dates: market-wide (no
 *   symbols). Ids are `recorded:<file stem>:<guid>` (hashed when the guid is very long).
 *
 * Rows without a time, with a time that cannot be read, with empty text or with a ticker that is not a
 * symbol are refused with the file, line and reason; the rest are read. Text has control characters
 * removed (line breaks and tabs become spaces) and is cut to MAX_NEWS_TEXT_CHARS. Parsing is csv-parse's
 * (quotes, and line breaks inside quoted fields; a stray quote inside a field is kept as text, a quote
 * never closed refuses the rest of the file with its line).
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse';
import { MAX_NEWS_TEXT_CHARS, SYMBOL_PATTERN, type NewsItem, type NewsKind } from '../../../shared/domain';
import { LocalToUtc, TimeText } from '../import/time-text';

export const RECORDED_NEWS_LAYOUTS = ['company-news', 'stocknet-tweets', 'bbc-headlines'] as const;
export type RecordedNewsLayout = (typeof RECORDED_NEWS_LAYOUTS)[number];

/** The columns of each layout, as their headers name them (matched case-insensitively, in any order). */
const LAYOUT_COLUMNS: Record<RecordedNewsLayout, readonly string[]> = {
  'company-news': ['datetime', 'ticker', 'headline', 'summary'],
  'stocknet-tweets': ['created_at_utc', 'ticker', 'tweet_id', 'text'],
  'bbc-headlines': ['title', 'pubDate', 'guid', 'link', 'description'],
};

const LAYOUT_NAMES: Record<RecordedNewsLayout, string> = {
  'company-news': 'company news',
  'stocknet-tweets': 'StockNet tweets',
  'bbc-headlines': 'BBC headlines',
};

/** The time zone of the company news layout's `datetime` (see the header comment for the evidence). */
export const COMPANY_NEWS_TIME_ZONE = 'America/New_York';

/** The most symbols one item names (NewsItemSchema's bound). */
const MAX_SYMBOLS = 64;
/** Longest provider id kept as is in an item id (NewsItemSchema allows 200 characters in all). */
const MAX_ID_PART = 120;

/** A row that was not read, and why. */
export interface NewsRowRefusal {
  /** The path as given. */
  file: string;
  /** 1-based line where the row starts. */
  line: number;
  reason: string;
}

/** The file cannot be read as recorded news at all (missing, unreadable, or a header no layout has). */
export class RecordedNewsFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RecordedNewsFileError';
  }
}

/** A batch of items read, with the rows refused since the last batch and where the reader is. */
export interface RecordedNewsChunk {
  layout: RecordedNewsLayout;
  /** Items in file order; rows of one item next to each other (a tweet's tickers) are merged into it. */
  items: NewsItem[];
  refused: NewsRowRefusal[];
  /** Data rows read so far (header excluded), refused ones included. */
  rows: number;
  /** Bytes of the file read so far, and its size. */
  bytesRead: number;
  bytesTotal: number;
}

export interface RecordedNewsReadOptions {
  /** Items per chunk. Default 5,000. */
  batchSize?: number;
}

/** The layout whose columns the header holds, or null. */
export function detectNewsLayout(header: readonly string[]): RecordedNewsLayout | null {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  for (const layout of RECORDED_NEWS_LAYOUTS) {
    if (LAYOUT_COLUMNS[layout].every((c) => names.has(c.toLowerCase()))) return layout;
  }
  return null;
}

/**
 * Removes control characters (line breaks and tabs become a space), trims, and cuts text longer than
 * `max` characters to `max` with an ellipsis (never inside a surrogate pair).
 */
export function cleanNewsText(text: string, max = MAX_NEWS_TEXT_CHARS): string {
  // eslint-disable-next-line no-control-regex
  let clean = text.replace(/[\t\n\v\f\r\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  clean = clean.trim();
  if (clean.length <= max) return clean;
  let end = max - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 2822 §4.3 obsolete zone names, in minutes east of UTC. */
const ZONE_MINUTES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};
const RFC_2822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|[A-Za-z]{1,3})$/;

/**
 * Epoch ms of an RFC 2822 date-time ("Mon, 07 Mar 2022 00:14:42 GMT", "... +0100"), or NaN. A zone is
 * required: the machine's own time zone is never assumed.
 */
export function parseRfc2822(text: string): number {
  const m = RFC_2822.exec(text.trim());
  if (m === null) return Number.NaN;
  const [, day, mon, year, hour, minute, second, zone] = m as unknown as string[];
  const month = MONTHS.indexOf(mon!.toLowerCase());
  let offset: number | undefined;
  if (zone!.startsWith('+') || zone!.startsWith('-')) {
    const sign = zone!.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3, 5)));
  } else {
    offset = ZONE_MINUTES[zone!.toUpperCase()];
  }
  const d = Number(day);
  const h = Number(hour);
  const min = Number(minute);
  const s = Number(second ?? 0);
  if (month < 0 || offset === undefined || d < 1 || d > 31 || h > 23 || min > 59 || s > 60) return Number.NaN;
  const utc = Date.UTC(Number(year), month, d, h, min, s) - offset * 60_000;
  // Date.UTC rolls 31 Feb into March: refuse dates that do not exist.
  return new Date(Date.UTC(Number(year), month, d)).getUTCDate() === d ? utc : Number.NaN;
}

/** Epoch-ms bounds the contract accepts (TimestampSchema). */
const MAX_TIME = 7_258_118_400_000;

/** Reads one row into an item, or a reason it is refused. */
type RowReader = (row: readonly string[]) => NewsItem | string;

function rowReader(layout: RecordedNewsLayout, header: readonly string[], file: string): RowReader {
  const at = (name: string): number => header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  const stem = basename(file, extname(file));
  const source = basename(file);
  const idPrefix = `recorded:${stem.slice(0, 60)}:`;
  const timeText = new TimeText();
  const checkTime = (ms: number, raw: string): number | string =>
    Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIME ? ms : `time "${raw}" is out of range`;

  const item = (
    kind: NewsKind,
    id: string,
    time: number,
    headline: string,
    summary: string,
    symbols: string[],
    url: string | null,
  ): NewsItem => ({ id, origin: 'recorded', kind, source, time, headline, summary, symbols, url });

  /** The row's ticker as a symbol (upper case), or a reason. */
  const symbolOf = (raw: string | undefined): string | { reason: string } => {
    const symbol = (raw ?? '').trim().toUpperCase();
    if (symbol === '') return { reason: 'no ticker' };
    return SYMBOL_PATTERN.test(symbol) ? symbol : { reason: `ticker "${raw}" is not a symbol` };
  };

  switch (layout) {
    case 'company-news': {
      const [cTime, cTicker, cHeadline, cSummary] = LAYOUT_COLUMNS[layout].map(at) as [
        number,
        number,
        number,
        number,
      ];
      const newYork = new LocalToUtc(COMPANY_NEWS_TIME_ZONE);
      return (row) => {
        const raw = (row[cTime] ?? '').trim();
        if (raw === '') return 'no time';
        if (!timeText.parse(raw) || timeText.form === 'date') return `time "${raw}" is not a date and time`;
        const ms = timeText.form === 'local' ? newYork.convert(timeText.ms) : timeText.ms;
        if (Number.isNaN(ms)) return `time "${raw}" does not exist in New York (the clocks skip it)`;
        const time = checkTime(ms, raw);
        if (typeof time === 'string') return time;
        const symbol = symbolOf(row[cTicker]);
        if (typeof symbol !== 'string') return symbol.reason;
        const headline = cleanNewsText(row[cHeadline] ?? '');
        if (headline === '') return 'no headline';
        const hash = contentId(time, headline);
        return item(
          'headline',
          idPrefix + hash,
          time,
          headline,
          cleanNewsText(row[cSummary] ?? ''),
          [symbol],
          null,
        );
      };
    }
    case 'stocknet-tweets': {
      const [cTime, cTicker, cId, cText] = LAYOUT_COLUMNS[layout].map(at) as [number, number, number, number];
      return (row) => {
        const raw = (row[cTime] ?? '').trim();
        if (raw === '') return 'no time';
        // The column is UTC by name: a time without an offset is read as UTC.
        if (!timeText.parse(raw) || timeText.form === 'date') return `time "${raw}" is not a date and time`;
        const time = checkTime(timeText.ms, raw);
        if (typeof time === 'string') return time;
        const symbol = symbolOf(row[cTicker]);
        if (typeof symbol !== 'string') return symbol.reason;
        const tweetId = (row[cId] ?? '').trim();
        if (tweetId === '') return 'no tweet_id';
        const text = cleanNewsText(row[cText] ?? '');
        if (text === '') return 'no text';
        return item('social', idPrefix + idPart(tweetId), time, text, '', [symbol], null);
      };
    }
    case 'bbc-headlines': {
      const [cTitle, cDate, cGuid, cLink, cDescription] = LAYOUT_COLUMNS[layout].map(at) as [
        number,
        number,
        number,
        number,
        number,
      ];
      return (row) => {
        const raw = (row[cDate] ?? '').trim();
        if (raw === '') return 'no pubDate';
        const ms = parseRfc2822(raw);
        if (Number.isNaN(ms)) return `pubDate "${raw}" is not an RFC 2822 date and time`;
        const time = checkTime(ms, raw);
        if (typeof time === 'string') return time;
        const headline = cleanNewsText(row[cTitle] ?? '');
        if (headline === '') return 'no title';
        const link = (row[cLink] ?? '').trim();
        const guid = (row[cGuid] ?? '').trim() || link;
        const id = guid === '' ? contentId(time, headline) : idPart(guid);
        const url = link === '' || link.length > 2000 ? null : link;
        return item(
          'headline',
          idPrefix + id,
          time,
          headline,
          cleanNewsText(row[cDescription] ?? ''),
          [],
          url,
        );
      };
    }
  }
}

/** A provider id as part of an item id: as is when short, else its SHA-256 (16 hex). */
function idPart(id: string): string {
  return id.length <= MAX_ID_PART ? id : sha256Hex16(id);
}

/** An id for an item its file gives none: the SHA-256 (16 hex) of its time (epoch ms) and headline. */
function contentId(time: number, headline: string): string {
  return sha256Hex16(`${time}\n${headline}`);
}

function sha256Hex16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function openError(file: string, error: unknown): RecordedNewsFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a folder, not a file'
        : `cannot be read (${(error as Error).message})`;
  return new RecordedNewsFileError(file, `${file}: ${why}`, { cause: error });
}

/**
 * Reads a recorded news file in chunks of items (see the header comment for the layouts and rules).
 * @throws RecordedNewsFileError when the file cannot be read or its header matches no layout (before
 *   the first chunk); a row that cannot be parsed as CSV is refused like any bad row.
 */
export async function* readRecordedNews(
  file: string,
  options: RecordedNewsReadOptions = {},
): AsyncGenerator<RecordedNewsChunk> {
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  let bytesTotal: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    bytesTotal = stat.size;
  } catch (error) {
    throw openError(file, error);
  }

  const refused: NewsRowRefusal[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  let lastLine = 0;
  parser.on('skip', (error: Error & { lines?: number }) => {
    refused.push({ file, line: error.lines ?? lastLine + 1, reason: `not valid CSV: ${error.message}` });
    if (error.lines !== undefined) lastLine = error.lines;
  });
  const input = createReadStream(file);
  input.on('error', (error) => parser.destroy(openError(file, error)));
  input.pipe(parser);

  type Record = { record: string[]; info: { lines: number; empty_lines: number; bytes: number } };
  let layout: RecordedNewsLayout | null = null;
  let read: RowReader = () => 'no header';
  let rows = 0;
  let items: NewsItem[] = [];
  let lastEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<Record>) {
      // csv-parse reports the line a record ends on; it starts after the last one and any blank lines.
      const line = lastLine + 1 + (info.empty_lines - lastEmpty);
      lastLine = info.lines;
      lastEmpty = info.empty_lines;
      if (layout === null) {
        layout = detectNewsLayout(record);
        if (layout === null) {
          throw new RecordedNewsFileError(
            file,
            `${file}: not a recorded news file: its header "${record.join(',').slice(0, 200)}" matches none of ` +
              RECORDED_NEWS_LAYOUTS.map((l) => `${LAYOUT_NAMES[l]} (${LAYOUT_COLUMNS[l].join(',')})`).join(
                ', ',
              ),
          );
        }
        read = rowReader(layout, record, file);
        continue;
      }
      rows++;
      const result = read(record);
      if (typeof result === 'string') {
        refused.push({ file, line, reason: result });
        continue;
      }
      const previous = items[items.length - 1];
      if (previous !== undefined && previous.id === result.id) {
        // The next row of one item (a tweet's next ticker): merge its symbols.
        for (const symbol of result.symbols) {
          if (!previous.symbols.includes(symbol) && previous.symbols.length < MAX_SYMBOLS) {
            previous.symbols.push(symbol);
          }
        }
        continue;
      }
      if (items.length >= batchSize) {
        yield {
          layout,
          items,
          refused: refused.splice(0),
          rows: rows - 1,
          bytesRead: info.bytes,
          bytesTotal,
        };
        items = [];
      }
      items.push(result);
    }
  } catch (error) {
    if (error instanceof RecordedNewsFileError) throw error;
    throw openError(file, error);
  } finally {
    input.destroy();
  }
  if (layout === null) throw new RecordedNewsFileError(file, `${file}: is empty (no header)`);
  yield { layout, items, refused: refused.splice(0), rows, bytesRead: bytesTotal, bytesTotal };
}

/** A whole recorded news file: every item (an id's rows merged wherever they are), and the refusals. */
export interface RecordedNewsFile {
  layout: RecordedNewsLayout;
  items: NewsItem[];
  refused: NewsRowRefusal[];
  rows: number;
}

/**
 * Reads a whole recorded news file into memory (the tweets file: ~97k items, tens of MB): items in file
 * order, an id's rows merged into its first item even when they are not next to each other.
 * @throws RecordedNewsFileError as readRecordedNews
 */
export async function readRecordedNewsFile(file: string): Promise<RecordedNewsFile> {
  const byId = new Map<string, NewsItem>();
  const refused: NewsRowRefusal[] = [];
  let layout: RecordedNewsLayout = 'company-news';
  let rows = 0;
  for await (const chunk of readRecordedNews(file)) {
    layout = chunk.layout;
    rows = chunk.rows;
    refused.push(...chunk.refused);
    for (const item of chunk.items) {
      const first = byId.get(item.id);
      if (first === undefined) {
        byId.set(item.id, item);
        continue;
      }
      for (const symbol of item.symbols) {
        if (!first.symbols.includes(symbol) && first.symbols.length < MAX_SYMBOLS) first.symbols.push(symbol);
      }
    }
  }
  return { layout, items: [...byId.values()], refused, rows };
}
