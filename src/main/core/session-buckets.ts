/**
 * Where a bar's bucket lies: intraday timeframes count whole multiples of their length from the session
 * open (so a 09:30 open gives 1h buckets 09:30-10:30 ... 15:30-16:00), the last bucket is clipped to the
 * close (early closes included), and `1D` is the whole session.
 */
import { INTRADAY_MINUTES, type Timeframe } from '../../shared/domain/timeframes';
import type { Session, SessionCalendar } from './calendar';

export interface BucketBounds {
  /** First instant of the bucket (a bar's `start`). */
  start: number;
  /** First instant after the bucket (exclusive), never past the session close. */
  end: number;
}

const MINUTE_MS = 60_000;

/** Bucket length in ms; 0 for `1D`, whose length is the session's. */
export function timeframeMs(timeframe: Timeframe): number {
  return timeframe === '1D' ? 0 : INTRADAY_MINUTES[timeframe] * MINUTE_MS;
}

/** Bucket start of t in a session by bucket length (0: the whole session). t must lie in the session. */
export function bucketStartIn(session: Session, lengthMs: number, t: number): number {
  if (lengthMs === 0) return session.open;
  return session.open + Math.floor((t - session.open) / lengthMs) * lengthMs;
}

/** End (exclusive) of the bucket starting at `start`, clipped to the session close. */
export function bucketEndIn(session: Session, lengthMs: number, start: number): number {
  return lengthMs === 0 ? session.close : Math.min(start + lengthMs, session.close);
}

/** The bucket of `timeframe` holding t, within a session that holds t. */
export function bucketInSession(session: Session, timeframe: Timeframe, t: number): BucketBounds {
  const lengthMs = timeframeMs(timeframe);
  const start = bucketStartIn(session, lengthMs, t);
  return { start, end: bucketEndIn(session, lengthMs, start) };
}

/** The bucket of `timeframe` holding t, or null when t lies outside every session. */
export function bucketOf(calendar: SessionCalendar, timeframe: Timeframe, t: number): BucketBounds | null {
  const session = calendar.sessionAt(t);
  return session === null ? null : bucketInSession(session, timeframe, t);
}
