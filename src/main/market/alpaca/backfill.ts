/**
 * Historical bars over REST: every page of a range (following `next_page_token`), and where a catch-up
 * must start so that the store ends up with every minute once.
 */
import type { SessionCalendar } from '../../core/calendar';
import type { AlpacaRest } from './rest';
import type { AlpacaRestBar } from './schema';

const MINUTE = 60_000;

export interface BarRangeQuery {
  symbol: string;
  timeframe: '1Min' | '1Day';
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
  feed: 'iex' | 'sip';
  /** Bars per page (default 10,000, Alpaca's maximum). */
  pageLimit?: number;
}

/**
 * The bars of one symbol in [from, to], page by page, oldest first. Throws AlpacaRestError (after the
 * client's retries) or AbortedError.
 */
export async function* barPages(
  rest: AlpacaRest,
  query: BarRangeQuery,
  signal?: AbortSignal,
): AsyncGenerator<AlpacaRestBar[]> {
  if (query.to < query.from) return;
  let pageToken: string | undefined;
  do {
    const page = await rest.barsPage(
      {
        symbols: [query.symbol],
        timeframe: query.timeframe,
        start: query.from,
        end: query.to,
        feed: query.feed,
        pageToken,
        limit: query.pageLimit ?? 10_000,
      },
      signal,
    );
    yield page.bars.get(query.symbol) ?? [];
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
}

export interface CatchUpPlan {
  /** First minute to fetch, epoch ms. */
  from: number;
  /** True when the gap was longer than `maxSessions` and was cut (the rest needs `trm backfill`). */
  clipped: boolean;
}

export interface MinuteCatchUpOptions {
  /** The newest minute already held (stored or streamed), or null for none. */
  lastKnown: number | null;
  /** Exchange time now (for delayed feeds: what the feed has reached). */
  now: number;
  calendar: SessionCalendar;
  /** Sessions of minutes to fetch when nothing is known. */
  initialSessions: number;
  /** Most sessions a gap is filled over; older minutes are left to `trm backfill`. */
  maxSessions: number;
  /**
   * Minutes before `lastKnown` fetched again: Alpaca corrects a minute with an updated bar about 30 s
   * after it closes, and a drop can swallow that update.
   */
  overlapMinutes: number;
}

/** The session `count - 1` sessions before the one containing (or last before) `t`. */
export function sessionsBack(calendar: SessionCalendar, t: number, count: number) {
  let session = calendar.sessionOnOrBefore(t);
  for (let i = 1; i < count; i++) session = calendar.previousSession(session);
  return session;
}

/** Where a symbol's minute catch-up starts. */
export function planMinuteCatchUp(options: MinuteCatchUpOptions): CatchUpPlan {
  const { calendar, now } = options;
  const earliest = sessionsBack(calendar, now, Math.max(1, options.maxSessions)).open;
  if (options.lastKnown === null) {
    return { from: sessionsBack(calendar, now, Math.max(1, options.initialSessions)).open, clipped: false };
  }
  const from = options.lastKnown - options.overlapMinutes * MINUTE;
  return from < earliest ? { from: earliest, clipped: true } : { from, clipped: false };
}

/**
 * Where a symbol's daily catch-up starts: the newest stored daily bar's session again (its values
 * change until the day is final), else `initialSessions` sessions back. Returns an instant safely
 * before Alpaca's label for that day (midnight New York) and after the previous day's.
 */
export function planDailyCatchUp(
  lastStoredDay: number | null,
  now: number,
  calendar: SessionCalendar,
  initialSessions: number,
): number {
  const open = lastStoredDay ?? sessionsBack(calendar, now, Math.max(1, initialSessions)).open;
  return open - 12 * 60 * MINUTE;
}
