/**
 * Trading-session calendars: when a market is open, in exchange-local dates and UTC instants.
 *
 * A calendar is built from a rule that gives the local trading hours of a civil date (or none). Sessions
 * are computed once per local date and cached, so hot paths (the bar aggregator asks per bar) cost a few
 * map lookups and never an Intl call after the first touch of a date.
 *
 * Zone offsets come from `Intl.DateTimeFormat`, so every DST rule the runtime's time-zone database knows
 * is honoured (the US rule changed in 2007). Each session boundary is converted on its own, which is
 * exact as long as no boundary falls inside a DST transition (NYSE: transitions are at 02:00 local).
 *
 * Calendars: `nyseCalendar` ('XNYS', with the exchange's holidays, early closes and one-off days, see
 * nyse-schedule.ts) and `alwaysOpenCalendar` ('24x7'); `calendarById` picks one by id.
 */

import {
  civilDateOf,
  formatDayNumber,
  parseDayNumber,
  type CivilDate,
  type TradingHours,
} from './calendar-dates';
import { CALENDAR_IDS, type CalendarId } from '../../shared/domain/timeframes';
import { nyseDayOf } from './nyse-schedule';

export type { CivilDate, TradingHours } from './calendar-dates';
export { nyseDayOn, NYSE_REGULAR_HOURS, type NyseDay } from './nyse-schedule';
export { NYSE_SPECIAL_DAYS_FROM_YEAR, NYSE_SPECIAL_DAYS_THROUGH_YEAR } from './nyse-special-days';

export interface Session {
  /** Exchange-local trading date, YYYY-MM-DD. */
  date: string;
  /** First instant of the session (that day's open, a late open included), epoch ms UTC. */
  open: number;
  /** First instant after the session (that day's close, an early close included), epoch ms UTC, exclusive. */
  close: number;
}

export interface SessionCalendar {
  readonly id: string;
  /** IANA zone, e.g. 'America/New_York', 'UTC'. */
  readonly timeZone: string;
  /** The session with open <= t < close, or null when the market is closed at t. */
  sessionAt(t: number): Session | null;
  /** The session on a local trading date, or null when closed that day (weekend, holiday). */
  sessionOn(date: string): Session | null;
  /** The session containing t, else the next one to open after t. */
  sessionOnOrAfter(t: number): Session;
  /** The session containing t, else the last one that closed at or before t. */
  sessionOnOrBefore(t: number): Session;
  nextSession(session: Session): Session;
  previousSession(session: Session): Session;
}

const MINUTE_MS = 60_000;
// A module-local constant, not calendar-dates' DAY_MS: sessionAt runs per bar, and reading an imported
// binding there measured about a third slower.
const DAY_MS = 86_400_000;
/** Longest run of closed days any calendar may have before we call it broken (and stop searching). */
const MAX_CLOSED_RUN_DAYS = 400;

/**
 * A finder of a zone's offset at an instant: `(t: epoch ms UTC) => local minus UTC, ms` (whole seconds),
 * from the runtime's time-zone database (`Intl.DateTimeFormat`). One Intl call per lookup: cache what
 * runs per bar. @throws RangeError for a time zone the runtime does not know.
 */
export function zoneOffsetFinder(timeZone: string): (t: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (t) => {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(t))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    );
    // Offsets are whole seconds here, so drop t's sub-second part before comparing.
    return asUtc - (t - (((t % 1000) + 1000) % 1000));
  };
}

/**
 * A calendar from a rule giving each local date's trading hours (null: closed). The rule is called once
 * per date; keep it pure.
 */
export function createSessionCalendar(
  id: string,
  timeZone: string,
  hoursOn: (date: CivilDate) => TradingHours | null,
): SessionCalendar {
  const offsetAt = zoneOffsetFinder(timeZone);
  const byDay = new Map<number, Session | null>();
  let lastHit: Session | null = null;

  /** UTC instant of a local wall time; the second probe settles dates whose offset differs from the guess. */
  const localToUtc = (dayNumber: number, minutes: number): number => {
    const wall = dayNumber * DAY_MS + minutes * MINUTE_MS;
    const guess = offsetAt(wall);
    const settled = offsetAt(wall - guess);
    return wall - settled;
  };

  const sessionOfDay = (dayNumber: number): Session | null => {
    const cached = byDay.get(dayNumber);
    if (cached !== undefined) return cached;
    const hours = hoursOn(civilDateOf(dayNumber));
    const session =
      hours === null
        ? null
        : Object.freeze({
            date: formatDayNumber(dayNumber),
            open: localToUtc(dayNumber, hours.open),
            close: localToUtc(dayNumber, hours.close),
          });
    byDay.set(dayNumber, session);
    return session;
  };

  // A local date's session lies within the UTC days before, of and after it (offsets are under 24h),
  // so the session holding t can only belong to one of three local dates.
  const sessionAt = (t: number): Session | null => {
    if (lastHit !== null && t >= lastHit.open && t < lastHit.close) return lastHit;
    const utcDay = Math.floor(t / DAY_MS);
    for (let d = utcDay - 1; d <= utcDay + 1; d++) {
      const session = sessionOfDay(d);
      if (session !== null && t >= session.open && t < session.close) {
        lastHit = session;
        return session;
      }
    }
    return null;
  };

  const search = (fromDay: number, step: 1 | -1, accept: (s: Session) => boolean, what: string): Session => {
    for (let i = 0, d = fromDay; i < MAX_CLOSED_RUN_DAYS; i++, d += step) {
      const session = sessionOfDay(d);
      if (session !== null && accept(session)) return session;
    }
    throw new RangeError(`${id}: no session ${what} within ${MAX_CLOSED_RUN_DAYS} days`);
  };

  return {
    id,
    timeZone,
    sessionAt,
    sessionOn: (date) => sessionOfDay(parseDayNumber(date)),
    sessionOnOrAfter: (t) =>
      sessionAt(t) ??
      search(Math.floor(t / DAY_MS) - 1, 1, (s) => s.open > t, `after ${new Date(t).toISOString()}`),
    sessionOnOrBefore: (t) =>
      sessionAt(t) ??
      search(Math.floor(t / DAY_MS) + 1, -1, (s) => s.close <= t, `before ${new Date(t).toISOString()}`),
    nextSession: (session) =>
      search(parseDayNumber(session.date) + 1, 1, () => true, `after ${session.date}`),
    previousSession: (session) =>
      search(parseDayNumber(session.date) - 1, -1, () => true, `before ${session.date}`),
  };
}

// ---------------------------------------------------------------------------------------------------
// Calendars

/**
 * US equities (NYSE, id 'XNYS'): regular session 09:30-16:00 America/New_York, with the exchange's
 * holidays, early closes and one-off closures and special hours (nyse-schedule.ts: standing rules in
 * the years they applied, plus data from 1990 through 2027; later dates follow the rules alone).
 */
export const nyseCalendar: SessionCalendar = createSessionCalendar(
  'XNYS',
  'America/New_York',
  (date) => nyseDayOf(date).hours,
);

/** 24/7 markets (crypto), id '24x7': one session per UTC day, 00:00-24:00. */
export const alwaysOpenCalendar: SessionCalendar = createSessionCalendar('24x7', 'UTC', () => ({
  open: 0,
  close: 24 * 60,
}));

export { CALENDAR_IDS, type CalendarId };

/**
 * The calendar with an id: 'XNYS' (nyseCalendar) or '24x7' (alwaysOpenCalendar).
 * @throws RangeError for any other id, naming the ones that exist.
 */
export function calendarById(id: string): SessionCalendar {
  if (id === 'XNYS') return nyseCalendar;
  if (id === '24x7') return alwaysOpenCalendar;
  throw new RangeError(`unknown calendar "${id}": expected one of ${CALENDAR_IDS.join(', ')}`);
}
