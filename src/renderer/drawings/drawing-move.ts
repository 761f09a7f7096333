/**
 * Moving a placed drawing with the mouse, as TradingView does: a press on a drawing, selected or not, grabs
 * it (a trend line by one of its end handles, else by its body), and the drag moves it by the pointer's
 * change of price and of bars. Pure: no chart, no DOM; the drawing layer (drawing-layer.ts) measures the
 * pointer.
 */
import type { Bar, Drawing, DrawingPoint, Timeframe } from '../../shared/domain';
import {
  distanceToSegment,
  drawingLogical,
  drawingTime,
  HIT_TOLERANCE_PX,
  type ScreenPoint,
  type ScreenShape,
} from './drawing-geometry';

/** What a press grabs of a drawing: the whole of it, or one end of a trend line. */
export type DrawingPart = 'body' | 'from' | 'to';

/** How near (CSS pixels) a press must be to a trend line's end to grab that end: its handle and a margin. */
export const HANDLE_TOLERANCE_PX = 8;

/**
 * The part of `shape` a press at `p` grabs, or null when it misses: a trend line's ends (their handles)
 * win over its body within HANDLE_TOLERANCE_PX, the nearer end first.
 */
export function grabPart(
  shape: ScreenShape,
  p: ScreenPoint,
  tolerance = HIT_TOLERANCE_PX,
  handleTolerance = HANDLE_TOLERANCE_PX,
): DrawingPart | null {
  if (shape.kind === 'horizontal') return Math.abs(p.y - shape.y) <= tolerance ? 'body' : null;
  const toFrom = Math.hypot(p.x - shape.from.x, p.y - shape.from.y);
  const toTo = Math.hypot(p.x - shape.to.x, p.y - shape.to.y);
  if (Math.min(toFrom, toTo) <= handleTolerance) return toFrom <= toTo ? 'from' : 'to';
  return distanceToSegment(p, shape.from, shape.to) <= tolerance ? 'body' : null;
}

/** The CSS cursor over a grabbable part: up and down for a horizontal line, move for a trend line's body. */
export function grabCursor(kind: Drawing['kind'], part: DrawingPart): string {
  if (kind === 'horizontal') return 'ns-resize';
  return part === 'body' ? 'move' : 'pointer';
}

/** How far the pointer moved since the press, on the pane it presses on. */
export interface DrawingDelta {
  /** Whole bars of the pane's timeframe (the pointer's change of logical index, rounded). */
  bars: number;
  /** Dollars. */
  price: number;
}

/** The pane the drawing is moved on: its bars (oldest first) and timeframe, and its prices' decimals. */
export interface MovePane {
  bars: readonly Bar[];
  timeframe: Timeframe;
  precision: number;
}

/** The bars between two logical indices (the press's and the pointer's), whole: a drag moves by bars. */
export function barDelta(fromLogical: number, toLogical: number): number {
  return Math.round(toLogical - fromLogical) || 0; // -0 is 0
}

/**
 * `time` (epoch ms) moved by `bars` whole bars of the pane: a moment on a bar lands on the bar that many
 * further along (skipping nights and weekends as the bars do), beyond the bars held in steps of the
 * timeframe; unchanged for 0 bars or a pane without bars.
 */
export function moveMoment(pane: MovePane, time: number, bars: number): number {
  if (bars === 0) return time;
  const logical = drawingLogical(pane.bars, time, pane.timeframe);
  const moved = logical === null ? null : drawingTime(pane.bars, logical + bars, pane.timeframe);
  return moved ?? time;
}

/** A price moved by `delta`, to the pane's decimals; null where it is not a positive price. */
function movePrice(price: number, delta: number, precision: number): number | null {
  const moved = Number((price + delta).toFixed(precision));
  return Number.isFinite(moved) && moved > 0 && moved <= 1e9 ? moved : null;
}

function movePoint(pane: MovePane, point: DrawingPoint, delta: DrawingDelta): DrawingPoint | null {
  const price = movePrice(point.price, delta.price, pane.precision);
  return price === null ? null : { time: moveMoment(pane, point.time, delta.bars), price };
}

/**
 * `drawing` moved by `delta` on `pane`, by the part grabbed: a horizontal line to a new price; a trend line
 * whole (its body) or one end. A move that would put a price at zero or below keeps the drawing where it is.
 */
export function moveDrawing(
  drawing: Drawing,
  part: DrawingPart,
  delta: DrawingDelta,
  pane: MovePane,
): Drawing {
  if (drawing.kind === 'horizontal') {
    const price = movePrice(drawing.price, delta.price, pane.precision);
    return price === null ? drawing : { ...drawing, price };
  }
  const from = part === 'to' ? drawing.from : movePoint(pane, drawing.from, delta);
  const to = part === 'from' ? drawing.to : movePoint(pane, drawing.to, delta);
  if (from === null || to === null) return drawing;
  // An end dragged onto the other would leave a line of no length: it stays where it was.
  if (from.time === to.time && from.price === to.price) return drawing;
  return { ...drawing, from, to };
}

/** Whether two drawings lie in the same place (a drag that ended where it began changes nothing). */
export function samePlace(a: Drawing, b: Drawing): boolean {
  if (a.kind === 'horizontal') return b.kind === 'horizontal' && a.price === b.price;
  return (
    b.kind === 'trend' &&
    a.from.time === b.from.time &&
    a.from.price === b.from.price &&
    a.to.time === b.to.time &&
    a.to.price === b.to.price
  );
}
