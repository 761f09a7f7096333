/** time-line.ts: a news time is marked at the bar it falls in, or the first bar after it. */
import { describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { timeLineIndex } from './time-line';

const OPEN = Date.UTC(2024, 1, 20, 14, 30);
const bar = (start: number, timeframe: Timeframe = '1m'): Bar =>
  sampleBar({ start, timeframe, closed: true });

describe('placing a time line on a chart', () => {
  const minutes = [0, 1, 2, 3].map((m) => bar(OPEN + m * 60_000));

  it('marks the bar a time falls in', () => {
    expect(timeLineIndex(minutes, OPEN + 90_000, '1m')).toBe(1);
    expect(timeLineIndex(minutes, OPEN, '1m')).toBe(0);
  });

  it('marks the first bar after a time that falls between bars, or the slot after the newest', () => {
    const gap = [bar(OPEN), bar(OPEN + 10 * 60_000)];
    expect(timeLineIndex(gap, OPEN + 5 * 60_000, '1m')).toBe(1);
    expect(timeLineIndex(minutes, OPEN + 30 * 60_000, '1m')).toBe(4);
  });

  it('marks nothing before the oldest bar held', () => {
    expect(timeLineIndex(minutes, OPEN - 1, '1m')).toBeNull();
    expect(timeLineIndex([], OPEN, '1m')).toBeNull();
  });

  it('puts news of a session on its daily bar, and news after the close on the next session', () => {
    // Daily bars start at the session open, 09:30 New York (14:30 UTC in February).
    const days = [bar(Date.UTC(2024, 1, 20, 14, 30), '1D'), bar(Date.UTC(2024, 1, 21, 14, 30), '1D')];
    expect(timeLineIndex(days, Date.UTC(2024, 1, 20, 20, 59), '1D')).toBe(0);
    expect(timeLineIndex(days, Date.UTC(2024, 1, 20, 21, 30), '1D')).toBe(1);
    expect(timeLineIndex(days, Date.UTC(2024, 1, 21, 12), '1D')).toBe(1);
  });
});
