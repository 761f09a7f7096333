/** drawing-geometry.ts: a drawing's moments placed on any timeframe's bars, and clicks mapped back. */
import { describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import {
  distanceToSegment,
  drawingLogical,
  drawingTime,
  hitDrawing,
  logicalToX,
  xToLogical,
} from './drawing-geometry';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tuesday 20 February 2024, 09:30 ET. */
const OPEN = Date.UTC(2024, 1, 20, 14, 30);
const bar = (start: number, timeframe: Timeframe): Bar => sampleBar({ start, timeframe, closed: true });

describe('placing a drawing’s moment on a pane’s bars', () => {
  // 09:30, 10:30, ... 15:30: a session of hourly bars (the last one half an hour long).
  const hours = [0, 1, 2, 3, 4, 5, 6].map((h) => bar(OPEN + h * HOUR, '1h'));

  it('puts a bar’s start at its index, and a moment inside a bar that far towards the next', () => {
    expect(drawingLogical(hours, OPEN, '1h')).toBe(0);
    expect(drawingLogical(hours, OPEN + 2 * HOUR, '1h')).toBe(2);
    // Drawn on 1m at 11:45: three quarters through the 11:30 bar.
    expect(drawingLogical(hours, OPEN + 2 * HOUR + 45 * MINUTE, '1h')).toBe(2.75);
  });

  it('puts a moment between two bars (overnight) at the next bar', () => {
    const days = [bar(OPEN, '1h'), bar(OPEN + DAY, '1h')];
    expect(drawingLogical(days, OPEN + 3 * HOUR, '1h')).toBe(1);
  });

  it('places a minute drawn on 1m inside its session on a daily pane', () => {
    const days = [0, 1, 2].map((d) => bar(OPEN + d * DAY, '1D'));
    // 13:45 ET on the second day: 255 of the session's 390 minutes.
    expect(drawingLogical(days, OPEN + DAY + 255 * MINUTE, '1D')).toBeCloseTo(1 + 255 / 390, 9);
  });

  it('extrapolates in bars of the timeframe before the oldest bar and after the newest', () => {
    const minutes = [0, 1, 2].map((m) => bar(OPEN + m * MINUTE, '1m'));
    expect(drawingLogical(minutes, OPEN - 10 * MINUTE, '1m')).toBe(-10);
    expect(drawingLogical(minutes, OPEN - 90_000, '1m')).toBe(-1.5);
    expect(drawingLogical(minutes, OPEN + 2 * MINUTE + 30_000, '1m')).toBe(2.5);
    expect(drawingLogical(minutes, OPEN + 12 * MINUTE, '1m')).toBe(12);
    // A daily pane counts a calendar day a bar; the part of a day after the close stays at the next bar.
    const days = [0, 1].map((d) => bar(OPEN + d * DAY, '1D'));
    expect(drawingLogical(days, OPEN + 5 * DAY, '1D')).toBe(5);
    expect(drawingLogical(days, OPEN + DAY + 8 * HOUR, '1D')).toBe(2);
    expect(drawingLogical(days, OPEN - 3 * DAY + 195 * MINUTE, '1D')).toBeCloseTo(-2.5, 9);
  });

  it('has no place without bars', () => {
    expect(drawingLogical([], OPEN, '1m')).toBeNull();
    expect(drawingTime([], 1, '1m')).toBeNull();
  });

  it('maps a clicked position back to the moment it was placed from', () => {
    const minutes = [0, 1, 2, 3, 4].map((m) => bar(OPEN + m * MINUTE, '1m'));
    for (const logical of [-7.25, -1, 0, 0.5, 2.75, 4, 4.5, 9]) {
      const time = drawingTime(minutes, logical, '1m')!;
      expect(drawingLogical(minutes, time, '1m')).toBeCloseTo(logical, 9);
    }
    const days = [0, 1, 2].map((d) => bar(OPEN + d * DAY, '1D'));
    for (const logical of [-3.5, 0, 1.25, 2, 2.5, 6.75]) {
      const time = drawingTime(days, logical, '1D')!;
      expect(drawingLogical(days, time, '1D')).toBeCloseTo(logical, 6);
    }
    expect(drawingTime(days, 1.5, '1D')).toBe(OPEN + DAY + 195 * MINUTE);
  });

  it('never answers a moment before the epoch', () => {
    const minutes = [bar(2 * MINUTE, '1m'), bar(3 * MINUTE, '1m')];
    expect(drawingTime(minutes, -100, '1m')).toBe(0);
  });
});

describe('pixels of fractional positions', () => {
  // The time scale places whole indices 8 px apart, index 0 at x = 100.
  const indexToX = (index: number) => 100 + 8 * index;

  it('interpolates between whole indices, either side of the bars', () => {
    expect(logicalToX(2.25, indexToX)).toBe(118);
    expect(logicalToX(-1.5, indexToX)).toBe(88);
    expect(logicalToX(3, () => null)).toBeNull();
  });

  it('turns a pointer’s x into a fractional index from the nearest whole one', () => {
    expect(xToLogical(118, 2, indexToX)).toBe(2.25);
    expect(xToLogical(118, 3, indexToX)).toBe(2.25);
    expect(xToLogical(118, null, indexToX)).toBeNull();
  });
});

describe('selecting a drawing by clicking near it', () => {
  const shapes = [
    { id: 'h', kind: 'horizontal' as const, y: 100 },
    { id: 't', kind: 'trend' as const, from: { x: 0, y: 0 }, to: { x: 100, y: 100 } },
  ];

  it('measures the distance to a segment, its ends included', () => {
    expect(distanceToSegment({ x: 50, y: 0 }, { x: 0, y: 0 }, { x: 100, y: 0 })).toBe(0);
    expect(distanceToSegment({ x: 50, y: 4 }, { x: 0, y: 0 }, { x: 100, y: 0 })).toBe(4);
    expect(distanceToSegment({ x: 103, y: 4 }, { x: 0, y: 0 }, { x: 100, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });

  it('picks the nearest drawing within 6 px, or none', () => {
    expect(hitDrawing(shapes, { x: 300, y: 104 })).toBe('h');
    expect(hitDrawing(shapes, { x: 50, y: 53 })).toBe('t');
    expect(hitDrawing(shapes, { x: 97, y: 99 })).toBe('h');
    expect(hitDrawing(shapes, { x: 93, y: 91 })).toBe('t');
    expect(hitDrawing(shapes, { x: 50, y: 70 })).toBeNull();
    expect(hitDrawing([], { x: 0, y: 0 })).toBeNull();
  });
});
