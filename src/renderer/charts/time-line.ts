/**
 * Where a moment (a news item's publication time) sits on a chart of bars: the bar it falls in, or,
 * when it falls between bars (overnight, a weekend, before the open), the first bar after it, the first
 * the news could move. Pure: no chart, no DOM.
 */
import type { Bar, Timeframe } from '../../shared/domain';
import { INTRADAY_MINUTES } from '../../shared/domain';
import { lowerBound } from './series-bars';

/** A regular NYSE session, 09:30-16:00 (core/calendar.ts): a daily bar starts at its session's open. */
const SESSION_MS = 390 * 60_000;

/**
 * How long a bar of this timeframe lasts. A daily bar spans its session (a regular one: an early close
 * ends sooner, and news after it then marks the next session, which it can move first).
 */
export function barSpanMs(timeframe: Timeframe): number {
  return timeframe === '1D' ? SESSION_MS : INTRADAY_MINUTES[timeframe] * 60_000;
}

/**
 * The logical index (position in `bars`) to draw a line for `time` at: the bar containing it, else the
 * next bar (bars.length when the time is after the newest bar: the empty slot to its right); null when
 * the time is before the oldest bar held (no bar of it is loaded: drawing at the oldest would mislead).
 * @param bars oldest first, ascending starts
 * @param time epoch ms
 */
export function timeLineIndex(bars: readonly Bar[], time: number, timeframe: Timeframe): number | null {
  const after = lowerBound(bars, time + 1);
  const containing = after - 1;
  const bar = bars[containing];
  if (bar === undefined) return null;
  return time < bar.start + barSpanMs(timeframe) ? containing : containing + 1;
}
