/**
 * What `trm calendar --from DATE --to DATE [--json]` runs (loaded only then; its options are in
 * calendar.ts): the NYSE's trading sessions between two dates inclusive, as a table in New York time
 * (weekday closures and special hours noted), or as JSON with UTC instants for scripts.
 */
import {
  NYSE_REGULAR_HOURS,
  NYSE_SPECIAL_DAYS_FROM_YEAR,
  NYSE_SPECIAL_DAYS_THROUGH_YEAR,
  nyseCalendar,
  nyseDayOn,
  type Session,
} from '../core/calendar';
import { utcDateOf } from '../core/calendar-dates';
import { MAX_RANGE_YEARS, type CalendarOptions } from './calendar';
import { OptionError, parseDate } from './options';

const DAY_MS = 86_400_000;

/** One session as `--json` prints it: the New York trading date and ISO 8601 UTC instants. */
export interface SessionJson {
  date: string;
  open: string;
  close: string;
}

interface CalendarRange {
  /** Epoch ms of midnight UTC of the first and the last date. */
  from: number;
  to: number;
}

function parseRangeDate(name: '--from' | '--to', text: string | undefined): number {
  if (text === undefined) {
    throw new OptionError(
      `${name} is required: give both dates as YYYY-MM-DD, e.g. trm calendar --from 2025-01-01 --to 2025-01-31`,
    );
  }
  try {
    return parseDate(text);
  } catch (error) {
    throw new OptionError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The range the options ask for.
 * @throws OptionError when a date is missing or not a real YYYY-MM-DD date, when --from is after --to,
 *   or when the range spans more than MAX_RANGE_YEARS years.
 */
export function parseCalendarRange(options: CalendarOptions): CalendarRange {
  const from = parseRangeDate('--from', options.from);
  const to = parseRangeDate('--to', options.to);
  if (from > to) {
    throw new OptionError(`--from ${options.from} is after --to ${options.to}: give the earlier date first`);
  }
  const start = new Date(from);
  const limit = Date.UTC(start.getUTCFullYear() + MAX_RANGE_YEARS, start.getUTCMonth(), start.getUTCDate());
  if (to > limit) {
    throw new OptionError(
      `${options.from} to ${options.to} spans more than ${MAX_RANGE_YEARS} years: ask for at most ${MAX_RANGE_YEARS} years at a time`,
    );
  }
  return { from, to };
}

/** Every date of the range, YYYY-MM-DD, in order. */
function datesOf(range: CalendarRange): string[] {
  const dates: string[] = [];
  for (let t = range.from; t <= range.to; t += DAY_MS) dates.push(utcDateOf(t));
  return dates;
}

/** The NYSE sessions whose trading date lies in the range, in order. */
export function sessionsIn(range: CalendarRange): Session[] {
  const sessions: Session[] = [];
  for (const date of datesOf(range)) {
    const session = nyseCalendar.sessionOn(date);
    if (session !== null) sessions.push(session);
  }
  return sessions;
}

export function sessionsJson(sessions: readonly Session[]): { sessions: SessionJson[] } {
  return {
    sessions: sessions.map((s) => ({
      date: s.date,
      open: new Date(s.open).toISOString(),
      close: new Date(s.close).toISOString(),
    })),
  };
}

const newYorkClock = new Intl.DateTimeFormat('en-US', {
  timeZone: nyseCalendar.timeZone,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** What is special about a session's hours, e.g. "early close: Christmas Eve"; '' on a regular day. */
function noteOf(date: string): string {
  const day = nyseDayOn(date);
  if (day.hours === null || day.reason === null) return '';
  const changes: string[] = [];
  if (day.hours.open > NYSE_REGULAR_HOURS.open) changes.push('late open');
  if (day.hours.close < NYSE_REGULAR_HOURS.close) changes.push('early close');
  return changes.length === 0 ? day.reason : `${changes.join(', ')}: ${day.reason}`;
}

/**
 * The range as a table in New York time: one row per session (date, open, close, a note on special
 * hours) and one per weekday the exchange was closed (with the reason), then the session count.
 */
export function sessionsTable(range: CalendarRange): string {
  const lines = [
    `NYSE (XNYS) sessions from ${utcDateOf(range.from)} to ${utcDateOf(range.to)}, New York time:`,
    'date        open   close  note',
  ];
  let count = 0;
  for (const date of datesOf(range)) {
    const session = nyseCalendar.sessionOn(date);
    if (session !== null) {
      count++;
      const open = newYorkClock.format(session.open);
      const close = newYorkClock.format(session.close);
      lines.push(`${date}  ${open}  ${close}  ${noteOf(date)}`.trimEnd());
    } else {
      const reason = nyseDayOn(date).reason;
      if (reason !== 'weekend') lines.push(`${date}  closed        ${reason ?? ''}`.trimEnd());
    }
  }
  lines.push(`${count} ${count === 1 ? 'session' : 'sessions'}`);
  return `${lines.join('\n')}\n`;
}

/** A caution when the range reaches outside the years the calendar knows one-off days for; else null. */
export function rangeCaution(range: CalendarRange): string | null {
  const cautions: string[] = [];
  if (new Date(range.from).getUTCFullYear() < NYSE_SPECIAL_DAYS_FROM_YEAR) {
    cautions.push(
      `dates before ${NYSE_SPECIAL_DAYS_FROM_YEAR} follow the standing holiday rules only: ` +
        "the exchange's earlier one-off closures, retired holidays and other hours are not included",
    );
  }
  if (new Date(range.to).getUTCFullYear() > NYSE_SPECIAL_DAYS_THROUGH_YEAR) {
    cautions.push(
      `dates after ${NYSE_SPECIAL_DAYS_THROUGH_YEAR} follow the standing holiday rules only: ` +
        'closures the exchange announces later are not included',
    );
  }
  return cautions.length === 0 ? null : cautions.join('; ');
}

/**
 * Runs the command: writes the table, or with `json` exactly `{"sessions":[{date, open, close}]}`
 * (trading sessions only, instants as ISO 8601 UTC); a caution about years outside the calendar's
 * history goes to `warn` (stderr), so the JSON stays clean.
 * @throws OptionError on a bad range (see parseCalendarRange); the CLI's main reports it with exit code 2.
 */
export function runCalendar(
  options: CalendarOptions,
  write: (text: string) => void = (text) => void process.stdout.write(text),
  warn: (text: string) => void = (text) => void process.stderr.write(text),
): void {
  const range = parseCalendarRange(options);
  const caution = rangeCaution(range);
  if (caution !== null) warn(`trm: note: ${caution}\n`);
  write(
    options.json === true ? `${JSON.stringify(sessionsJson(sessionsIn(range)))}\n` : sessionsTable(range),
  );
}
