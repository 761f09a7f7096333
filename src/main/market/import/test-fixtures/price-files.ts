/**
 * Price files the import tests write themselves (never the shared data): random-walk minute rows over
 * NYSE sessions in New York time, 5-minute rows in UTC, and helpers to read parser output as bars.
 */
import { writeFileSync } from 'node:fs';
import type { Bar, Timeframe } from '../../../../shared/domain';
import { nyseCalendar, type SessionCalendar } from '../../../core/calendar';
import { Random } from '../../../core/synthetic/random';
import type { BarSeries } from '../../../core/bar-series';
import { makeBar } from '../../../core/ohlcv-aggregate';
import { parseFile, type FileJob, type FileHeader, type ParsedBatch } from '../file-parser';

export const MINUTE = 60_000;

export interface MinuteRow {
  /** Epoch ms UTC. */
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number;
  trades: number;
}

/**
 * Minute rows over the sessions of `dates` (NYSE unless told), in time order, with prices in cents and
 * whole volumes; `extendedHours` adds 04:00-09:30 and 16:00-20:00 New York time (out of session).
 */
export function minuteRows(
  dates: readonly string[],
  options: { seed?: number; extendedHours?: boolean; calendar?: SessionCalendar; step?: number } = {},
): MinuteRow[] {
  const calendar = options.calendar ?? nyseCalendar;
  const step = options.step ?? MINUTE;
  const random = Random.fromSeed(options.seed ?? 1);
  const rows: MinuteRow[] = [];
  let price = 100;
  for (const date of dates) {
    const session = calendar.sessionOn(date);
    if (session === null) throw new Error(`no session on ${date}`);
    const from = options.extendedHours ? session.open - 330 * MINUTE : session.open;
    const to = options.extendedHours ? session.open + 630 * MINUTE : session.close;
    for (let t = from; t < to; t += step) {
      const open = price;
      let high = price;
      let low = price;
      for (let k = 0; k < 3; k++) {
        price = Math.max(1, Math.round((price + (random.uniform() - 0.5) * 0.5) * 100) / 100);
        high = Math.max(high, price);
        low = Math.min(low, price);
      }
      rows.push({
        start: t,
        open,
        high,
        low,
        close: price,
        volume: 100 + Math.floor(random.uniform() * 10_000),
        vwap: Math.round(((high + low) / 2) * 10_000) / 10_000,
        trades: 1 + Math.floor(random.uniform() * 100),
      });
    }
  }
  return rows;
}

const newYork = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "2024-03-04 09:30:00" in New York time. */
export function newYorkText(t: number): string {
  const p = Object.fromEntries(newYork.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "2024-03-04 09:30:00-05:00": New York time with its UTC offset. */
export function offsetText(t: number): string {
  const wall = newYorkText(t);
  const offsetMinutes = Math.round((Date.parse(`${wall.replace(' ', 'T')}Z`) - t) / MINUTE);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2025-04-05 13:05:00+00:00". */
export function utcText(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** The plain OHLCV CSV of minute rows: naive New York times (`datetime,open,high,low,close,volume`). */
export function minuteCsv(rows: readonly MinuteRow[], eol = '\n'): string {
  const lines = ['datetime,open,high,low,close,volume'];
  for (const r of rows)
    lines.push(`${newYorkText(r.start)},${r.open},${r.high},${r.low},${r.close},${r.volume}`);
  return lines.join(eol) + eol;
}

export function write(path: string, text: string | Buffer): string {
  writeFileSync(path, text);
  return path;
}

/** A parse of a whole file, in this thread: header, refusal, batches, and every bar by timeframe. */
export interface Parsed {
  header: FileHeader | null;
  refused: string | null;
  batches: ParsedBatch[];
  bars: Map<Timeframe, Bar[]>;
  rejections: { line: number; reason: string }[];
}

export function parsePath(path: string, job: Partial<FileJob> = {}): Parsed {
  const parsed: Parsed = { header: null, refused: null, batches: [], bars: new Map(), rejections: [] };
  for (const event of parseFile({
    path,
    name: path,
    mtimeMs: Date.UTC(2100, 0, 1),
    resume: null,
    batchRows: 20_000,
    maxListedRejections: 1000,
    ...job,
  })) {
    if (event.type === 'header') parsed.header = event.header;
    else if (event.type === 'refused') parsed.refused = event.reason;
    else {
      parsed.batches.push(event.batch);
      parsed.rejections.push(...event.batch.rejections);
      for (const series of event.batch.series) {
        const list = parsed.bars.get(series.timeframe) ?? [];
        list.push(...barsOf(series));
        parsed.bars.set(series.timeframe, list);
      }
    }
  }
  return parsed;
}

/** The columns of a series as closed bars. */
export function barsOf(series: BarSeries): Bar[] {
  const { symbol, timeframe, start, open, high, low, close, volume, vwap, tradeCount } = series;
  const bars: Bar[] = [];
  for (let i = 0; i < series.length; i++) {
    bars.push(
      makeBar(
        symbol,
        timeframe,
        start[i]!,
        open[i]!,
        high[i]!,
        low[i]!,
        close[i]!,
        volume[i]!,
        vwap?.[i] ?? Number.NaN,
        tradeCount?.[i] ?? Number.NaN,
        true,
      ),
    );
  }
  return bars;
}
