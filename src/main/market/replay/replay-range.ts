/**
 * Where a replay begins and ends, and where it may restart, for symbols that trade on different session
 * calendars (NYSE stocks beside a 24/7 crypto symbol). Pure calendar arithmetic; times are epoch ms UTC.
 */
import type { Session, SessionCalendar } from '../../core/calendar';
import { utcDateOf } from '../../core/calendar-dates';

const DAY = 86_400_000;

/**
 * The latest instant at or before t that is a boundary of every bucket of every calendar: no session
 * is open across it (it is outside every session, or exactly a session's open). Aggregation that starts
 * there owes nothing to what came before, which is what a rewind needs.
 */
export function bucketBoundaryAtOrBefore(calendars: readonly SessionCalendar[], t: number): number {
  let at = t;
  for (;;) {
    let earliest = at;
    for (const calendar of calendars) {
      const session = calendar.sessionAt(at);
      if (session !== null && session.open < earliest) earliest = session.open;
    }
    if (earliest === at) return at;
    at = earliest;
  }
}

/** The earliest instant at or after t at which any of the calendars is open. */
export function openAtOrAfter(calendars: readonly SessionCalendar[], t: number): number {
  let earliest = Infinity;
  for (const calendar of calendars) {
    const open = calendar.sessionAt(t) === null ? calendar.sessionOnOrAfter(t).open : t;
    if (open < earliest) earliest = open;
  }
  return earliest;
}

/**
 * The earliest session close after t of any of the calendars: the close of the session open at t, else
 * of the next session to open. A daily replay's step goes there (one session on).
 */
export function closeAfter(calendars: readonly SessionCalendar[], t: number): number {
  let earliest = Infinity;
  for (const calendar of calendars) {
    const close = calendar.sessionOnOrAfter(t).close;
    if (close < earliest) earliest = close;
  }
  return earliest;
}

/** The date (YYYY-MM-DD, UTC) of an epoch-ms instant. */

/** The first session of `calendar` dated on or after the UTC date of `day` (epoch ms, e.g. its midnight). */
export function firstSessionOnOrAfterDate(calendar: SessionCalendar, day: number): Session {
  let session = calendar.sessionOnOrAfter(day - DAY);
  while (session.date < utcDateOf(day)) session = calendar.nextSession(session);
  return session;
}

/** The last session of `calendar` dated on or before the UTC date of `day` (epoch ms, e.g. its midnight). */
export function lastSessionOnOrBeforeDate(calendar: SessionCalendar, day: number): Session {
  let session = calendar.sessionOnOrBefore(day + 2 * DAY);
  while (session.date > utcDateOf(day)) session = calendar.previousSession(session);
  return session;
}
