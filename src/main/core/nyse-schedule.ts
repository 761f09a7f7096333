/**
 * The New York Stock Exchange's schedule by date: the standing holiday and early-close rules, each
 * holding only in the years it applied, overlaid with the one-off closures and special hours that
 * nyse-special-days.ts holds as data (1990 through 2027).
 *
 * Sources of the rules: pandas_market_calendars (holidays/nyse.py, calendars/nyse.py) and
 * exchange_calendars (us_holidays.py, exchange_calendar_xnys.py); NYSE Rule 7.2 for the Saturday and
 * Sunday observance. Where they differ, the comment at the rule says which one we follow and why.
 *
 * Range: faithful from 1990. Later dates than the data follow the rules alone. Earlier dates get the
 * rules as they are written here (with their start years), but none of the earlier history: no one-off
 * closures (e.g. Hurricane Gloria, 1985-09-27), no retired holidays (Election Day, Washington's
 * Birthday on February 22 before 1971) and no other regular hours (09:30 opens date from 1985).
 */
import {
  dayNumberOf,
  easterSunday,
  lastWeekday,
  minutesOfClock,
  MONDAY,
  nearestWeekday,
  nthWeekday,
  parseDayNumber,
  civilDateOf,
  FRIDAY,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  TUESDAY,
  WEDNESDAY,
  weekdayOf,
  type CivilDate,
  type TradingHours,
} from './calendar-dates';
import { NYSE_SPECIAL_DAYS, type NyseSpecialDay } from './nyse-special-days';

export interface NyseDay {
  /** New York trading hours in minutes after midnight, or null when the exchange is closed. */
  readonly hours: TradingHours | null;
  /**
   * Why the day is closed or its hours differ from 09:30-16:00: a holiday's name, 'weekend', or the
   * occasion of an early close or late open. Null on a regular trading day.
   */
  readonly reason: string | null;
}

/** 09:30-16:00 New York time, the regular session since 1985 (PMC calendars/nyse.py `regular_market_times`). */
export const NYSE_REGULAR_HOURS: TradingHours = Object.freeze({ open: 9 * 60 + 30, close: 16 * 60 });

/** A standing rule: the date it gives in a year (or null), in the years from..through inclusive. */
interface Rule {
  readonly name: string;
  /** First year the rule applied; absent: since before 1990. */
  readonly from?: number;
  /** Last year the rule applied; absent: still in force. */
  readonly through?: number;
  /** The day number the rule gives in a year, or null when it gives none that year. */
  readonly on: (year: number) => number | null;
  /** For a fixed-date holiday, its month and day: a date moved off it is reported as "(observed)". */
  readonly fixed?: readonly [month: number, day: number];
}

const holidayOnNearestWeekday = (name: string, month: number, day: number, from?: number): Rule => ({
  name,
  from,
  fixed: [month, day],
  on: (year) => nearestWeekday(dayNumberOf(year, month, day)),
});

/** The day-before/after rule for a date of a year when it falls on one of the given weekdays. */
const onWeekdays =
  (month: number, day: number, weekdays: readonly number[]) =>
  (year: number): number | null => {
    const dayNumber = dayNumberOf(year, month, day);
    return weekdays.includes(weekdayOf(dayNumber)) ? dayNumber : null;
  };

const thanksgiving = (year: number): number => nthWeekday(year, 11, THURSDAY, 4);

/** Full-day holidays (both references agree on all of these from 1990). */
const HOLIDAY_RULES: readonly Rule[] = [
  {
    // Sunday: observed Monday. Saturday: not moved to the Friday before, which ends the year and must
    // trade (NYSE Rule 7.2; PMC USNewYearsDayNYSEpost1952, XC USNewYearsDay: 2005 and 2011 traded Dec 31).
    name: "New Year's Day",
    fixed: [1, 1],
    on: (year) => {
      const newYear = dayNumberOf(year, 1, 1);
      const weekday = weekdayOf(newYear);
      return weekday === SATURDAY ? null : weekday === SUNDAY ? newYear + 1 : newYear;
    },
  },
  // Not an exchange holiday before 1998 (PMC and XC USMartinLutherKingJrAfter1998).
  { name: 'Martin Luther King Jr. Day', from: 1998, on: (year) => nthWeekday(year, 1, MONDAY, 3) },
  // Third Monday of February since 1971 (PMC and XC USPresidentsDay).
  { name: "Washington's Birthday", on: (year) => nthWeekday(year, 2, MONDAY, 3) },
  { name: 'Good Friday', on: (year) => easterSunday(year) - 2 },
  // Last Monday of May since 1971 (PMC and XC USMemorialDay).
  { name: 'Memorial Day', on: (year) => lastWeekday(year, 5, MONDAY) },
  // Since 2022, the first year after it became a federal holiday (PMC USJuneteenthAfter2022, XC USJuneteenth).
  holidayOnNearestWeekday('Juneteenth National Independence Day', 6, 19, 2022),
  holidayOnNearestWeekday('Independence Day', 7, 4),
  { name: 'Labor Day', on: (year) => nthWeekday(year, 9, MONDAY, 1) },
  { name: 'Thanksgiving Day', on: thanksgiving },
  holidayOnNearestWeekday('Christmas Day', 12, 25),
];

/**
 * Regular early closes, on the days they fall on a weekday that is not a holiday. Each holds only in
 * the years the references give it (PMC holidays/nyse.py, XC us_holidays.py).
 */
const EARLY_CLOSE_RULES: readonly Rule[] = [
  // July 3 on a Monday, Tuesday or Thursday, from 1995 (PMC and XC MonTuesThursBeforeIndependenceDay).
  {
    name: 'day before Independence Day',
    from: 1995,
    on: onWeekdays(7, 3, [MONDAY, TUESDAY, THURSDAY]),
  },
  // A Thursday July 4: until 2012 the Friday after closed early and the Wednesday before traded a full
  // day; from 2013 it is the other way round (PMC FridayAfterIndependenceDayNYSEpre2013 and
  // WednesdayBeforeIndependenceDayPost2013, XC the same names; no Thursday July 4 fell in 1995).
  { name: 'day after Independence Day', from: 1995, through: 2012, on: onWeekdays(7, 5, [FRIDAY]) },
  { name: 'day before Independence Day', from: 2013, on: onWeekdays(7, 3, [WEDNESDAY]) },
  // From 1992 (PMC DayAfterThanksgiving2pmEarlyCloseBefore1993, XC USBlackFridayBefore1993).
  { name: 'day after Thanksgiving', from: 1992, on: (year) => thanksgiving(year) + 1 },
  // Monday to Thursday. PMC has it from 1990 (ChristmasEve2pmEarlyCloseAdhoc 1990-1992, then
  // ChristmasEve1pmEarlyCloseAdhoc and ChristmasEvePost1999Early1pmClose) and lists the weekday
  // Christmas Eves of 1976-1989 as full days; XC applies it to every year. We follow PMC.
  {
    name: 'Christmas Eve',
    from: 1990,
    on: onWeekdays(12, 24, [MONDAY, TUESDAY, WEDNESDAY, THURSDAY]),
  },
];

/** Until 1992 the regular early close was at 14:00, from 1993 at 13:00 (PMC and XC, XNYS docstring). */
const earlyCloseIn = (year: number): number => (year < 1993 ? 14 * 60 : 13 * 60);

const appliesIn = (rule: Rule, year: number): boolean =>
  (rule.from === undefined || year >= rule.from) && (rule.through === undefined || year <= rule.through);

const WEEKEND: NyseDay = Object.freeze({ hours: null, reason: 'weekend' });
const REGULAR: NyseDay = Object.freeze({ hours: NYSE_REGULAR_HOURS, reason: null });

function dayFromData(special: NyseSpecialDay): NyseDay {
  if (special.kind === 'closed') return Object.freeze({ hours: null, reason: special.reason });
  const hours = Object.freeze({
    open: special.open === undefined ? NYSE_REGULAR_HOURS.open : minutesOfClock(special.open),
    close: special.close === undefined ? NYSE_REGULAR_HOURS.close : minutesOfClock(special.close),
  });
  return Object.freeze({ hours, reason: special.reason });
}

/** The data's days by year, each as a day number and the day it makes. */
const SPECIAL_DAYS_BY_YEAR = new Map<number, [number, NyseDay][]>();
for (const special of NYSE_SPECIAL_DAYS) {
  const dayNumber = parseDayNumber(special.date);
  const year = civilDateOf(dayNumber).year;
  const list = SPECIAL_DAYS_BY_YEAR.get(year) ?? [];
  list.push([dayNumber, dayFromData(special)]);
  SPECIAL_DAYS_BY_YEAR.set(year, list);
}

/** Every weekday of a year whose schedule is not regular, by day number. */
function irregularDaysOf(year: number): Map<number, NyseDay> {
  const days = new Map<number, NyseDay>();
  for (const rule of HOLIDAY_RULES) {
    if (!appliesIn(rule, year)) continue;
    const dayNumber = rule.on(year);
    if (dayNumber === null) continue;
    const observed = rule.fixed !== undefined && dayNumber !== dayNumberOf(year, ...rule.fixed);
    days.set(
      dayNumber,
      Object.freeze({ hours: null, reason: observed ? `${rule.name} (observed)` : rule.name }),
    );
  }
  const earlyClose = Object.freeze({ open: NYSE_REGULAR_HOURS.open, close: earlyCloseIn(year) });
  for (const rule of EARLY_CLOSE_RULES) {
    if (!appliesIn(rule, year)) continue;
    const dayNumber = rule.on(year);
    if (dayNumber === null || days.has(dayNumber)) continue;
    const weekday = weekdayOf(dayNumber);
    if (weekday === SATURDAY || weekday === SUNDAY) continue;
    days.set(dayNumber, Object.freeze({ hours: earlyClose, reason: rule.name }));
  }
  // One-off days override the rules (today none of them falls on a day a rule gives).
  for (const [dayNumber, day] of SPECIAL_DAYS_BY_YEAR.get(year) ?? []) days.set(dayNumber, day);
  return days;
}

const yearCache = new Map<number, Map<number, NyseDay>>();

/** The NYSE's schedule on a New York civil date. Pure and cached per year; cheap to call per date. */
export function nyseDayOf(date: CivilDate): NyseDay {
  if (date.weekday === SATURDAY || date.weekday === SUNDAY) return WEEKEND;
  let days = yearCache.get(date.year);
  if (days === undefined) {
    days = irregularDaysOf(date.year);
    yearCache.set(date.year, days);
  }
  return days.get(dayNumberOf(date.year, date.month, date.day)) ?? REGULAR;
}

/**
 * The NYSE's schedule on a New York trading date, YYYY-MM-DD.
 * @throws RangeError when the date is not a real YYYY-MM-DD date.
 */
export function nyseDayOn(date: string): NyseDay {
  return nyseDayOf(civilDateOf(parseDayNumber(date)));
}
