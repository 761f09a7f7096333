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
 */

export interface Session {
  /** Exchange-local trading date, YYYY-MM-DD. */
  date: string;
  /** First instant of the regular session, epoch ms UTC. */
  open: number;
  /** First instant after the session, epoch ms UTC (exclusive). */
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

/** A civil (local) date, as the hours rule sees it. */
export interface CivilDate {
  year: number;
  /** 1-12. */
  month: number;
  /** 1-31. */
  day: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

/** Local trading hours of one date, in minutes after local midnight; close may be 1440 (midnight). */
export interface TradingHours {
  open: number;
  close: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Longest run of closed days any calendar may have before we call it broken (and stop searching). */
const MAX_CLOSED_RUN_DAYS = 400;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date (the date itself, no zone involved). */
function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

function parseDate(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const dayNumber = dayNumberOf(year, month, day);
    // Date.UTC rolls 2024-02-30 over to March; the round trip rejects such dates.
    if (formatDate(dayNumber) === date) return dayNumber;
  }
  throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
}

function formatDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function civilDateOf(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

/** Zone offset (local minus UTC, ms) at instant t. */
function makeOffsetFinder(timeZone: string): (t: number) => number {
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
  const offsetAt = makeOffsetFinder(timeZone);
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
            date: formatDate(dayNumber),
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
    sessionOn: (date) => sessionOfDay(parseDate(date)),
    sessionOnOrAfter: (t) =>
      sessionAt(t) ??
      search(Math.floor(t / DAY_MS) - 1, 1, (s) => s.open > t, `after ${new Date(t).toISOString()}`),
    sessionOnOrBefore: (t) =>
      sessionAt(t) ??
      search(Math.floor(t / DAY_MS) + 1, -1, (s) => s.close <= t, `before ${new Date(t).toISOString()}`),
    nextSession: (session) => search(parseDate(session.date) + 1, 1, () => true, `after ${session.date}`),
    previousSession: (session) =>
      search(parseDate(session.date) - 1, -1, () => true, `before ${session.date}`),
  };
}

// ---------------------------------------------------------------------------------------------------
// NYSE

type DayRule = 'closed' | 'early';

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}

const weekdayOf = (dayNumber: number): number => (((dayNumber + 4) % 7) + 7) % 7;

/** The n-th (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayNumberOf(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Saturday holidays move to Friday, Sunday holidays to Monday. */
function observed(dayNumber: number): number {
  const weekday = weekdayOf(dayNumber);
  if (weekday === 6) return dayNumber - 1;
  if (weekday === 0) return dayNumber + 1;
  return dayNumber;
}

const MONDAY = 1;
const THURSDAY = 4;

/**
 * The NYSE's closed days and 13:00 early closes of one year, by rule (current rules applied back to
 * 1990; the exchange's historical schedules differed in a few years, mostly in early closes). One-off
 * closures are NOT included: national days of mourning (e.g. 2004-06-11, 2007-01-02, 2018-12-05,
 * 2025-01-09), 2001-09-11..14 and Hurricane Sandy (2012-10-29/30). Data on those days simply is absent.
 */
function nyseYear(year: number): Map<number, DayRule> {
  const rules = new Map<number, DayRule>();
  const close = (dayNumber: number): void => {
    rules.set(dayNumber, 'closed');
  };

  // New Year's Day on a Saturday is not moved to Dec 31 (NYSE Rule 7.2): the year-end must trade.
  const newYear = dayNumberOf(year, 1, 1);
  if (weekdayOf(newYear) !== 6) close(observed(newYear));
  if (year >= 1998) close(nthWeekday(year, 1, MONDAY, 3));
  close(nthWeekday(year, 2, MONDAY, 3));
  close(easterSunday(year) - 2);
  close(lastWeekday(year, 5, MONDAY));
  if (year >= 2022) close(observed(dayNumberOf(year, 6, 19)));
  const independence = dayNumberOf(year, 7, 4);
  close(observed(independence));
  close(nthWeekday(year, 9, MONDAY, 1));
  const thanksgiving = nthWeekday(year, 11, THURSDAY, 4);
  close(thanksgiving);
  close(observed(dayNumberOf(year, 12, 25)));

  const early = (dayNumber: number): void => {
    const weekday = weekdayOf(dayNumber);
    if (weekday !== 0 && weekday !== 6 && !rules.has(dayNumber)) rules.set(dayNumber, 'early');
  };
  early(thanksgiving + 1);
  early(dayNumberOf(year, 12, 24));
  // Only when July 4 falls Tue-Fri; on a Saturday the holiday itself is observed on Friday July 3.
  const independenceWeekday = weekdayOf(independence);
  if (independenceWeekday >= 2 && independenceWeekday <= 5) early(independence - 1);
  return rules;
}

const NYSE_OPEN = 9 * 60 + 30;
const NYSE_CLOSE = 16 * 60;
const NYSE_EARLY_CLOSE = 13 * 60;

function nyseHours(): (date: CivilDate) => TradingHours | null {
  const years = new Map<number, Map<number, DayRule>>();
  return ({ year, month, day, weekday }) => {
    if (weekday === 0 || weekday === 6) return null;
    let rules = years.get(year);
    if (rules === undefined) {
      rules = nyseYear(year);
      years.set(year, rules);
    }
    const rule = rules.get(dayNumberOf(year, month, day));
    if (rule === 'closed') return null;
    return { open: NYSE_OPEN, close: rule === 'early' ? NYSE_EARLY_CLOSE : NYSE_CLOSE };
  };
}

/** US equities, regular session 09:30-16:00 America/New_York (13:00 on early-close days). */
export const nyseCalendar: SessionCalendar = createSessionCalendar('XNYS', 'America/New_York', nyseHours());

/** 24/7 markets (crypto): one session per UTC day, 00:00-24:00. */
export const alwaysOpenCalendar: SessionCalendar = createSessionCalendar('24x7', 'UTC', () => ({
  open: 0,
  close: 24 * 60,
}));
