/**
 * A backfill of a date range over Alpaca REST (`trm backfill`): per symbol, the minute bars (each page
 * handed to the symbol's sink, which aggregates them like live ones) and then the official daily bars
 * (written last, so they win over the 1D bars aggregated from minutes), or the daily bars alone.
 *
 * Progress is recorded after every page the sink has written, so an interrupted backfill resumes where
 * it stopped: minutes from the start of the session holding the last written minute (a fresh
 * aggregator then rebuilds that session's buckets whole), daily bars from the last written day.
 */
import type { Bar } from '../../../shared/domain';
import type { SessionCalendar } from '../../core/calendar';
import { barPages } from './backfill';
import { dailyBarFromRest, minuteBarFromRest } from './mapper';
import type { AlpacaRest } from './rest';

export type HistoryTimeframe = '1Min' | '1Day';

/** Where one symbol's bars go. */
export interface HistorySymbolSink {
  minuteBar(bar: Bar): void;
  officialDailyBar(bar: Bar): void;
  /** Every bar handed over so far is durably written (called before progress is recorded). */
  commit(): void;
  /** The symbol's minutes are all in: close the buckets that ended by `t`. */
  finishMinutes(t: number): void;
}

export interface HistoryProgressRecord {
  /** Start of the newest bar written, epoch ms. */
  through: number;
  /** Minutes written (1Min), or daily bars written (1Day), in earlier runs included. */
  bars: number;
  done: boolean;
}

/** Where progress is kept between runs (the store's settings). */
export interface HistoryProgressStore {
  get(key: string): HistoryProgressRecord | null;
  set(key: string, record: HistoryProgressRecord): void;
}

export interface HistoryProgressEvent {
  symbol: string;
  symbolIndex: number;
  symbols: number;
  timeframe: HistoryTimeframe;
  /** Start of the newest bar written for the symbol, or null before the first. */
  through: number | null;
  bars: number;
  /** 0..1 over the whole job. */
  fraction: number;
  /** 'resumed' when earlier progress was found, 'skipped' when the symbol's range was already done. */
  note: 'page' | 'resumed' | 'skipped' | 'done';
}

export interface HistoryJobOptions {
  rest: AlpacaRest;
  calendar: SessionCalendar;
  symbols: readonly string[];
  timeframe: HistoryTimeframe;
  /** First session date, YYYY-MM-DD. */
  from: string;
  /** Last session date, YYYY-MM-DD; null: up to now. */
  to: string | null;
  feed: 'iex' | 'sip';
  /** Exchange time now, epoch ms (the range never reaches past it). */
  now: number;
  /** Start again even where earlier runs finished or progressed. */
  restart?: boolean;
  pageLimit?: number;
  sinkFor(symbol: string): HistorySymbolSink;
  progress: HistoryProgressStore;
  onProgress?(event: HistoryProgressEvent): void;
  signal?: AbortSignal;
}

export interface HistorySummary {
  minuteBars: number;
  dailyBars: number;
  skipped: string[];
}

export class HistoryRangeError extends Error {
  override readonly name = 'HistoryRangeError';
}

const DAY = 86_400_000;

/** The instants a date range covers: the first session's open to the last session's close (or now). */
export function historyRange(
  calendar: SessionCalendar,
  from: string,
  to: string | null,
  now: number,
): { start: number; end: number } {
  const first = calendar.sessionOnOrAfter(Date.parse(`${from}T00:00:00Z`));
  const lastDay = to === null ? now : Math.min(now, Date.parse(`${to}T00:00:00Z`) + DAY);
  const end = Math.min(now, calendar.sessionOnOrBefore(lastDay).close);
  if (first.open >= end) {
    throw new HistoryRangeError(
      `no trading session has happened between ${from} and ${to ?? 'now'}: choose dates with sessions in the past`,
    );
  }
  return { start: first.open, end };
}

/** Runs the job; resolves with what was written. Throws AlpacaRestError, AbortedError or HistoryRangeError. */
export async function runHistoryJob(options: HistoryJobOptions): Promise<HistorySummary> {
  const { calendar, symbols, timeframe } = options;
  const range = historyRange(calendar, options.from, options.to, options.now);
  const summary: HistorySummary = { minuteBars: 0, dailyBars: 0, skipped: [] };
  for (let index = 0; index < symbols.length; index++) {
    const symbol = symbols[index]!;
    const key = `alpaca.backfill.v1:${timeframe}:${symbol}:${options.from}:${options.to ?? 'now'}`;
    const earlier = options.restart ? null : options.progress.get(key);
    const report = (through: number | null, bars: number, note: HistoryProgressEvent['note']): void => {
      const covered = through === null ? 0 : (through - range.start) / Math.max(1, range.end - range.start);
      const fraction = note === 'done' || note === 'skipped' ? 1 : Math.min(1, Math.max(0, covered));
      options.onProgress?.({
        symbol,
        symbolIndex: index,
        symbols: symbols.length,
        timeframe,
        through,
        bars,
        fraction: (index + fraction) / symbols.length,
        note,
      });
    };
    // A fixed range that was finished has nothing new; an open-ended one continues from where it got to.
    if (earlier?.done && options.to !== null) {
      summary.skipped.push(symbol);
      report(earlier.through, earlier.bars, 'skipped');
      continue;
    }
    const sink = options.sinkFor(symbol);
    let bars = earlier?.bars ?? 0;
    let through = earlier?.through ?? null;
    if (earlier) report(through, bars, 'resumed');
    const save = (done: boolean): void => {
      sink.commit();
      if (through !== null) options.progress.set(key, { through, bars, done });
    };

    // Where this run starts: the range's start, or where an earlier run got to.
    const from = earlier
      ? timeframe === '1Min'
        ? calendar.sessionOnOrBefore(earlier.through).open
        : earlier.through
      : range.start;
    if (timeframe === '1Min') {
      for await (const page of barPages(
        options.rest,
        {
          symbol,
          timeframe: '1Min',
          from,
          to: range.end - 1,
          feed: options.feed,
          pageLimit: options.pageLimit ?? 10_000,
        },
        options.signal,
      )) {
        let written = 0;
        for (const raw of page) {
          const bar = minuteBarFromRest(symbol, raw);
          if (!bar || bar.start < from || bar.start >= range.end) continue;
          sink.minuteBar(bar);
          through = Math.max(through ?? bar.start, bar.start);
          written++;
        }
        bars += written;
        summary.minuteBars += written;
        save(false);
        report(through, bars, 'page');
      }
      sink.finishMinutes(range.end);
    }
    // Daily bars: alone for 1Day, after the minutes for 1Min (official values win over aggregated ones).
    // Alpaca labels a day's bar with midnight New York: 12 hours before the open is safely before it.
    const dailyFrom = from - 12 * 3_600_000;
    for await (const page of barPages(
      options.rest,
      {
        symbol,
        timeframe: '1Day',
        from: dailyFrom,
        to: range.end,
        feed: options.feed,
        pageLimit: options.pageLimit ?? 10_000,
      },
      options.signal,
    )) {
      let written = 0;
      for (const raw of page) {
        const bar = dailyBarFromRest(symbol, raw, calendar, options.now);
        if (!bar || bar.start < from || bar.start >= range.end) continue;
        sink.officialDailyBar(bar);
        if (timeframe === '1Day') through = Math.max(through ?? bar.start, bar.start);
        written++;
      }
      summary.dailyBars += written;
      if (timeframe === '1Day') {
        bars += written;
        save(false);
        report(through, bars, 'page');
      }
    }
    if (through === null) through = range.start;
    save(true);
    report(through, bars, 'done');
  }
  return summary;
}
