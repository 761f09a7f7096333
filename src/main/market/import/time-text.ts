/**
 * Reading the time column of a price file, fast (it runs once per row): dates, naive exchange-local
 * date-times, date-times with a UTC offset or Z, and epoch numbers.
 *
 *   2024-01-02  2024/01/02  20240102  01/02/2024 (US month/day)              -> a date
 *   2024-01-02 09:30:00  2024-01-02T09:30  01/02/2024 09:30                 -> local wall-clock time
 *   2024-01-02 09:30:00-05:00  2024-01-02T14:30:00Z  ...+0000  ... UTC        -> an instant
 *   1704205800 (seconds)  1704205800000 (milliseconds)                       -> an instant
 *
 * Calendar arithmetic is the days-from-civil algorithm (Howard Hinnant, "chrono-Compatible Low-Level
 * Date Algorithms"), exact for the proleptic Gregorian calendar; no Date objects per row.
 */

import { zoneOffsetFinder } from '../../core/calendar';

/** How a time was written: a date, a naive local date-time, or an instant (offset, Z or epoch). */
export type TimeForm = 'date' | 'local' | 'instant';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written by `count` ASCII digits at `at`, or -1 when any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48; // NaN past the end of the text
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * A reusable reader: `parse(text)` returns whether the text is a time it understands and leaves the
 * result in `form` and `ms`. For a date, `ms` is that date's midnight as if it were UTC; for a local
 * date-time, the wall-clock time as if it were UTC (a zone turns it into an instant, see LocalToUtc);
 * for an instant, epoch ms UTC.
 */
export class TimeText {
  form: TimeForm = 'date';
  ms = Number.NaN;
  /** The last YYYY-MM-DD read and its midnight (a file's rows of one day share it). */
  private lastDate = '\u0000';
  private lastMidnight = 0;

  parse(raw: string): boolean {
    let text = raw;
    const last = text.charCodeAt(text.length - 1);
    if (last === 13 || last === 32 || text.charCodeAt(0) === 32) text = text.trim();
    const n = text.length;
    if (n < 8) return false;

    let at: number;
    const c4 = text.charCodeAt(4);
    let midnight: number;
    if (c4 === 45 || c4 === 47) {
      // 2024-01-02 or 2024/01/02; rows of one day share the date, so the last one is kept.
      at = 10;
      if (text.startsWith(this.lastDate)) {
        midnight = this.lastMidnight;
      } else {
        if (text.charCodeAt(7) !== c4) return false;
        const year = digits(text, 0, 4);
        const month = digits(text, 5, 2);
        const day = digits(text, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
        midnight = daysFromCivil(year, month, day) * DAY_MS;
        this.lastDate = text.slice(0, 10);
        this.lastMidnight = midnight;
      }
    } else {
      const slash = text.indexOf('/');
      if (slash === 1 || slash === 2) {
        // 01/02/2024 or 1/2/2024 (US order)
        const slash2 = text.indexOf('/', slash + 1);
        if (slash2 !== slash + 2 && slash2 !== slash + 3) return false;
        const month = digits(text, 0, slash);
        const day = digits(text, slash + 1, slash2 - slash - 1);
        const year = digits(text, slash2 + 1, 4);
        at = slash2 + 5;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
        midnight = daysFromCivil(year, month, day) * DAY_MS;
      } else {
        return this.parseDigitsOnly(text);
      }
    }
    if (at === n) {
      this.form = 'date';
      this.ms = midnight;
      return true;
    }
    // The time of day: "T" or a space, HH:MM, then optional :SS, .fraction and a zone.
    const sep = text.charCodeAt(at);
    if (sep !== 84 && sep !== 32) return false;
    const hour = digits(text, at + 1, 2);
    const minute = digits(text, at + 4, 2);
    if (text.charCodeAt(at + 3) !== 58 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    let ms = midnight + (hour * 60 + minute) * MINUTE_MS;
    let i = at + 6;
    if (i < n && text.charCodeAt(i) === 58) {
      const second = digits(text, i + 1, 2);
      if (second < 0 || second > 59) return false;
      ms += second * 1000;
      i += 3;
      if (i < n && text.charCodeAt(i) === 46) {
        let scale = 100;
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i) - 48;
          if (!(d >= 0 && d <= 9)) break;
          ms += d * scale;
          scale /= 10;
        }
        ms = Math.round(ms);
      }
    }
    if (i === n) {
      this.form = 'local';
      this.ms = ms;
      return true;
    }
    if (text.charCodeAt(i) === 32) i++;
    const zone = text.charCodeAt(i);
    if ((zone === 90 || zone === 122) && i + 1 === n) {
      // Z
      this.form = 'instant';
      this.ms = ms;
      return true;
    }
    if (zone === 43 || zone === 45) {
      // +HH, +HH:MM, +HHMM
      const offH = digits(text, i + 1, 2);
      let offM = 0;
      let end = i + 3;
      if (end < n) {
        if (text.charCodeAt(end) === 58) end++;
        offM = digits(text, end, 2);
        end += 2;
      }
      if (end !== n || offH < 0 || offH > 18 || offM < 0 || offM > 59) return false;
      const offset = (offH * 60 + offM) * MINUTE_MS;
      this.form = 'instant';
      this.ms = zone === 43 ? ms - offset : ms + offset;
      return true;
    }
    const rest = text.slice(i);
    if (rest === 'UTC' || rest === 'GMT') {
      this.form = 'instant';
      this.ms = ms;
      return true;
    }
    return false;
  }

  /** 20240102 (a date), or epoch seconds (9-10 digits) or milliseconds (12-13 digits). */
  private parseDigitsOnly(text: string): boolean {
    const n = text.length;
    if (n === 8) {
      const year = digits(text, 0, 4);
      const month = digits(text, 4, 2);
      const day = digits(text, 6, 2);
      if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
      this.form = 'date';
      this.ms = daysFromCivil(year, month, day) * DAY_MS;
      return true;
    }
    if (n < 9 || n > 13 || n === 11) return false;
    const value = digits(text, 0, n);
    if (value < 0) return false;
    this.form = 'instant';
    this.ms = n <= 10 ? value * 1000 : value;
    return true;
  }
}

const HOUR_MS = 3_600_000;

/** Per zone, shared by every converter (files of one import cover the same days). */
interface ZoneOffsets {
  offsetAt: (t: number) => number;
  /** Per local day: its offset, or null when the clocks change that day (then per hour). */
  byDay: Map<number, number | null>;
  byHour: Map<number, number>;
}
const ZONES = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    zone = { offsetAt: zoneOffsetFinder(timeZone), byDay: new Map(), byHour: new Map() };
    ZONES.set(timeZone, zone);
  }
  return zone;
}

/**
 * Wall-clock times of one zone to instants. Offsets are looked up once per local day (zones change
 * offset at most once a day: a day whose first and last instants have the same offset has it all day),
 * and per hour only on the days the clocks change; the lookups are shared by all converters of a zone.
 */
export class LocalToUtc {
  private readonly zone: ZoneOffsets | null;
  private lastDay = Number.NaN;
  private lastOffset = 0;

  constructor(readonly timeZone: string) {
    this.zone = timeZone === 'UTC' ? null : zoneOffsets(timeZone);
  }

  /**
   * The instant of a local wall-clock time given as if UTC (TimeText's `ms` for form 'local'); NaN for a
   * time the zone skips (the hour clocks jump over when daylight saving starts). A time that occurs
   * twice (the hour repeated when it ends) gets the first, daylight-saving one.
   */
  convert(wall: number): number {
    const zone = this.zone;
    if (zone === null) return wall;
    const day = Math.floor(wall / DAY_MS);
    if (day === this.lastDay) return wall - this.lastOffset;
    let offset = zone.byDay.get(day);
    if (offset === undefined) {
      offset = dayOffset(zone.offsetAt, day * DAY_MS);
      zone.byDay.set(day, offset);
    }
    if (offset !== null) {
      this.lastDay = day;
      this.lastOffset = offset;
      return wall - offset;
    }
    const hour = Math.floor(wall / HOUR_MS);
    let hourly = zone.byHour.get(hour);
    if (hourly === undefined) {
      hourly = hourOffset(zone.offsetAt, hour * HOUR_MS);
      zone.byHour.set(hour, hourly);
    }
    return wall - hourly;
  }
}

/** The offset of a whole local day starting at `midnight` (wall, as if UTC), or null if it changes that day. */
function dayOffset(offsetAt: (t: number) => number, midnight: number): number | null {
  const noon = offsetAt(midnight + 12 * HOUR_MS);
  const first = offsetAt(midnight - noon);
  const last = offsetAt(midnight + DAY_MS - 1000 - noon);
  return first === noon && last === noon ? noon : null;
}

/** Offset for wall times in the hour starting at `wall` (as if UTC); NaN when that hour does not exist. */
function hourOffset(offsetAt: (t: number) => number, wall: number): number {
  // The earlier offset wins for a repeated hour: try the offset in force well before, then after.
  const before = offsetAt(wall - 13 * HOUR_MS);
  const after = offsetAt(wall + 12 * HOUR_MS);
  for (const offset of before >= after ? [before, after] : [after, before]) {
    if (offsetAt(wall - offset) === offset) return offset;
  }
  return Number.NaN;
}
