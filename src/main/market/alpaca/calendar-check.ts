/**
 * Compares Alpaca's market calendar (GET /v2/calendar) with our session calendar and logs every
 * disagreement once: a holiday or early close one side does not know about would misplace bars (a
 * daily bar on a day we think is closed, a 1h bucket past an early close).
 */
import type { SessionCalendar } from '../../core/calendar';
import type { Logger } from '../../platform/log';
import type { AlpacaRest } from './rest';
import type { AlpacaCalendarDay } from './schema';

export interface CalendarDifference {
  date: string;
  /** "09:30-13:00", or "closed". */
  theirs: string;
  ours: string;
}

const DAY = 86_400_000;
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function localTime(t: number, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  return format.format(new Date(t));
}

function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The dates in [from, to] (YYYY-MM-DD, inclusive) on which Alpaca's open days `theirs` and `calendar`
 * disagree about being open or about the hours (compared as New York local HH:MM).
 */
export function compareCalendars(
  theirs: readonly AlpacaCalendarDay[],
  calendar: SessionCalendar,
  from: string,
  to: string,
): CalendarDifference[] {
  const byDate = new Map(theirs.map((day) => [day.date, `${day.open}-${day.close}`]));
  const out: CalendarDifference[] = [];
  for (const date of dates(from, to)) {
    const session = calendar.sessionOn(date);
    const ours = session
      ? `${localTime(session.open, calendar.timeZone)}-${localTime(session.close, calendar.timeZone)}`
      : 'closed';
    const their = byDate.get(date) ?? 'closed';
    if (ours !== their) out.push({ date, theirs: their, ours });
  }
  return out;
}

/** Fetches Alpaca's calendar for ranges in use and logs each difference once per process. */
export class CalendarCheck {
  private readonly reported = new Set<string>();
  private readonly checked = new Set<string>();

  constructor(
    private readonly rest: AlpacaRest,
    private readonly calendar: SessionCalendar,
    private readonly log: Logger,
  ) {}

  /** Checks the dates of [from, to] not checked before. Errors are logged, never thrown. */
  async check(from: string, to: string, signal?: AbortSignal): Promise<CalendarDifference[]> {
    const wanted = dates(from, to).filter((date) => !this.checked.has(date));
    if (wanted.length === 0) return [];
    const first = wanted[0]!;
    const last = wanted[wanted.length - 1]!;
    let theirs: AlpacaCalendarDay[];
    try {
      theirs = await this.rest.calendar(first, last, signal);
    } catch (error) {
      if (signal?.aborted) return [];
      this.log.warn(
        `could not compare calendars with Alpaca: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
    for (const date of wanted) this.checked.add(date);
    const differences = compareCalendars(theirs, this.calendar, first, last);
    for (const difference of differences) {
      const key = `${difference.date}|${difference.theirs}|${difference.ours}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.log.warn(
        `market calendar differs on ${difference.date}: Alpaca ${difference.theirs}, ours ${difference.ours}` +
          ` (${this.calendar.id}); bars of that day follow ours`,
      );
    }
    return differences;
  }
}
