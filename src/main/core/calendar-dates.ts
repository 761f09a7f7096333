/**
 * Civil-date arithmetic for calendars: dates as day numbers (days since 1970-01-01, no time zone
 * involved), weekdays, "n-th Monday of the month" and Easter. Pure; no clock.
 */

/** A civil (local) date, as an hours rule sees it. */
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

export const DAY_MS = 86_400_000;

export const SUNDAY = 0;
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date; month 1-12 (Date.UTC rolls overflowing days and months over). */
export function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** YYYY-MM-DD of a day number. */
export function formatDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * YYYY-MM-DD of the UTC day an instant (epoch ms) falls in. A `1D` bar's start (its NYSE session's open,
 * 13:30 or 14:30 UTC) falls on its session's date.
 */
export function utcDateOf(time: number): string {
  return formatDayNumber(Math.floor(time / DAY_MS));
}

/**
 * The day number of a YYYY-MM-DD date.
 * @throws RangeError when the text is not a real date in that form (2024-02-30 and 2024-3-1 included).
 */
export function parseDayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const dayNumber = dayNumberOf(Number(match[1]), Number(match[2]), Number(match[3]));
    // Date.UTC rolls 2024-02-30 over to March; the round trip rejects such dates.
    if (formatDayNumber(dayNumber) === date) return dayNumber;
  }
  throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
}

export const weekdayOf = (dayNumber: number): number => (((dayNumber + 4) % 7) + 7) % 7;

export function civilDateOf(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: weekdayOf(dayNumber),
  };
}

/** The n-th (1-based) given weekday of a month. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

/** The last given weekday of a month. */
export function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayNumberOf(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8). */
export function easterSunday(year: number): number {
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

/** The weekday a fixed-date holiday is observed on when it falls on a weekend: Saturday -> Friday, Sunday -> Monday. */
export function nearestWeekday(dayNumber: number): number {
  const weekday = weekdayOf(dayNumber);
  if (weekday === SATURDAY) return dayNumber - 1;
  if (weekday === SUNDAY) return dayNumber + 1;
  return dayNumber;
}

/** Minutes after midnight of a wall-clock time 'HH:MM'. */
export function minutesOfClock(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (match === null || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    throw new RangeError(`not an HH:MM wall-clock time: ${clock}`);
  }
  return hours * 60 + minutes;
}
