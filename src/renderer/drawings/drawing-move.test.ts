/** drawing-move.ts: what a press on a selected drawing grabs, and where the drag puts the drawing. */
import { describe, expect, it } from 'vitest';
import type { Bar, Drawing, Timeframe } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import type { ScreenShape } from './drawing-geometry';
import {
  barDelta,
  grabCursor,
  grabPart,
  moveDrawing,
  moveMoment,
  samePlace,
  type MovePane,
} from './drawing-move';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Friday 23 February 2024, 09:30 ET. */
const OPEN = Date.UTC(2024, 1, 23, 14, 30);
const bar = (start: number, timeframe: Timeframe): Bar => sampleBar({ start, timeframe, closed: true });

// Two sessions of hourly bars, Friday and Monday (09:30 ... 15:30), with the weekend between.
const friday = [0, 1, 2, 3, 4, 5, 6].map((h) => bar(OPEN + h * HOUR, '1h'));
const monday = [0, 1, 2, 3, 4, 5, 6].map((h) => bar(OPEN + 3 * DAY + h * HOUR, '1h'));
const hourly: MovePane = { bars: [...friday, ...monday], timeframe: '1h', precision: 2 };

describe('grabbing a selected drawing', () => {
  const horizontal: ScreenShape = { id: 'h', kind: 'horizontal', y: 100 };
  const trend: ScreenShape = { id: 't', kind: 'trend', from: { x: 100, y: 200 }, to: { x: 300, y: 100 } };

  it('grabs a horizontal line within the click tolerance, anywhere along it', () => {
    expect(grabPart(horizontal, { x: 5, y: 104 })).toBe('body');
    expect(grabPart(horizontal, { x: 900, y: 96 })).toBe('body');
    expect(grabPart(horizontal, { x: 5, y: 110 })).toBeNull();
  });

  it('grabs a trend line by the end handle pressed, else by its body', () => {
    expect(grabPart(trend, { x: 103, y: 205 })).toBe('from');
    expect(grabPart(trend, { x: 297, y: 96 })).toBe('to');
    // Middle of the segment (200, 150), a little off it.
    expect(grabPart(trend, { x: 201, y: 152 })).toBe('body');
    // Beyond the end's handle, in line with the segment: neither.
    expect(grabPart(trend, { x: 320, y: 90 })).toBeNull();
    expect(grabPart(trend, { x: 200, y: 180 })).toBeNull();
  });

  it('shows up-and-down on a horizontal line, move on a trend line’s body, pointer on its ends', () => {
    expect(grabCursor('horizontal', 'body')).toBe('ns-resize');
    expect(grabCursor('trend', 'body')).toBe('move');
    expect(grabCursor('trend', 'from')).toBe('pointer');
  });
});

describe('moving by whole bars', () => {
  it('rounds the pointer’s change of logical index to bars', () => {
    expect(barDelta(3.2, 5.9)).toBe(3);
    expect(barDelta(5.4, 5.1)).toBe(0);
    expect(Object.is(barDelta(5.4, 5.1), 0)).toBe(true);
    expect(barDelta(8, 5.6)).toBe(-2);
  });

  it('moves a moment along the bars, over the weekend as the bars skip it', () => {
    expect(moveMoment(hourly, OPEN + 5 * HOUR, 1)).toBe(OPEN + 6 * HOUR);
    // Friday 15:30 plus one bar: Monday 09:30, not Friday 16:30.
    expect(moveMoment(hourly, OPEN + 6 * HOUR, 1)).toBe(OPEN + 3 * DAY);
    expect(moveMoment(hourly, OPEN + 3 * DAY + HOUR, -3)).toBe(OPEN + 5 * HOUR);
    // A moment part-way through a bar (drawn on 1m) keeps its place in the bar.
    expect(moveMoment(hourly, OPEN + 2 * HOUR + 15 * MINUTE, 2)).toBe(OPEN + 4 * HOUR + 15 * MINUTE);
    expect(moveMoment(hourly, OPEN + 2 * HOUR + 7, 0)).toBe(OPEN + 2 * HOUR + 7);
  });

  it('moves past the newest bar in steps of the timeframe', () => {
    const newest = OPEN + 3 * DAY + 6 * HOUR;
    expect(moveMoment(hourly, newest, 2)).toBe(newest + 2 * HOUR);
  });

  it('leaves the moment where it is on a pane without bars', () => {
    expect(moveMoment({ ...hourly, bars: [] }, OPEN, 4)).toBe(OPEN);
  });
});

describe('moving a drawing', () => {
  const line: Drawing = { id: 'h', kind: 'horizontal', price: 500.25 };
  const trend: Drawing = {
    id: 't',
    kind: 'trend',
    from: { time: OPEN + HOUR, price: 500 },
    to: { time: OPEN + 4 * HOUR, price: 510 },
  };

  it('moves a horizontal line to a new price, to the pane’s decimals; time plays no part', () => {
    expect(moveDrawing(line, 'body', { bars: 3, price: 1.23456 }, hourly)).toEqual({
      ...line,
      price: 501.48,
    });
    expect(moveDrawing(line, 'body', { bars: 0, price: -0.25 }, hourly)).toEqual({ ...line, price: 500 });
  });

  it('keeps a line above zero: a drag below it leaves the line where it was', () => {
    expect(moveDrawing(line, 'body', { bars: 0, price: -600 }, hourly)).toBe(line);
    expect(moveDrawing(trend, 'body', { bars: 0, price: -505 }, hourly)).toBe(trend);
  });

  it('moves a trend line whole by its body: both ends by the same bars and price', () => {
    expect(moveDrawing(trend, 'body', { bars: 2, price: -3 }, hourly)).toEqual({
      ...trend,
      from: { time: OPEN + 3 * HOUR, price: 497 },
      to: { time: OPEN + 6 * HOUR, price: 507 },
    });
  });

  it('moves only the end grabbed', () => {
    expect(moveDrawing(trend, 'to', { bars: 3, price: 2.5 }, hourly)).toEqual({
      ...trend,
      to: { time: OPEN + 3 * DAY, price: 512.5 },
    });
    expect(moveDrawing(trend, 'from', { bars: -1, price: 0 }, hourly)).toEqual({
      ...trend,
      from: { time: OPEN, price: 500 },
    });
  });

  it('does not let an end land on the other (a line of no length)', () => {
    expect(moveDrawing(trend, 'to', { bars: -3, price: -10 }, hourly)).toBe(trend);
  });

  it('tells a drag that ended where it began', () => {
    expect(samePlace(line, { ...line })).toBe(true);
    expect(samePlace(line, { ...line, price: 1 })).toBe(false);
    expect(samePlace(trend, { ...trend, to: { ...trend.to } })).toBe(true);
    expect(samePlace(trend, moveDrawing(trend, 'body', { bars: 1, price: 0 }, hourly))).toBe(false);
    expect(samePlace(line, trend)).toBe(false);
  });
});
