/**
 * Where a drawing's points sit on a pane's time axis, and back. A drawing keeps its points as moments (epoch
 * ms) and prices, so the same trend line shows on every timeframe: drawn on 1m, it is placed on a 1h pane by
 * the bar that contains each moment. Pure: no chart, no DOM; the chart's coordinate functions are passed in.
 *
 * Positions are lightweight-charts' logical indices (bar i of the series is at i, its centre on screen),
 * fractional: a moment part-way through a bar is that far towards the next bar. A moment between two bars
 * (overnight, a weekend) sits at the next bar's index. Outside the bars held, positions continue in bars of
 * the pane's timeframe (one bar a calendar day on a daily pane), so a line drawn beyond the loaded history
 * or past the newest bar still shows, in the right direction and about the right place.
 */
import type { Bar, Timeframe } from '../../shared/domain';
import { lowerBound } from '../charts/series-bars';
import { barSpanMs } from '../charts/time-line';

const DAY_MS = 86_400_000;

/** How far apart (ms) two bars of `timeframe` start when extrapolating: its length, a calendar day on 1D. */
export function barStepMs(timeframe: Timeframe): number {
  return timeframe === '1D' ? DAY_MS : barSpanMs(timeframe);
}

/**
 * The logical index (fractional) of the moment `time` on a pane showing `bars` of `timeframe`; null when
 * there are no bars.
 * @param bars oldest first, ascending starts
 * @param time epoch ms
 */
export function drawingLogical(bars: readonly Bar[], time: number, timeframe: Timeframe): number | null {
  const last = bars.length - 1;
  if (last < 0) return null;
  const span = barSpanMs(timeframe);
  const containing = lowerBound(bars, time + 1) - 1;
  const bar = bars[containing];
  if (bar !== undefined && containing < last) {
    return containing + Math.min(1, (time - bar.start) / span);
  }
  // Before the oldest bar or from the newest one on: virtual bars of the timeframe's step.
  const anchorIndex = containing < 0 ? 0 : last;
  const anchor = bars[anchorIndex]!.start;
  const step = barStepMs(timeframe);
  const k = Math.floor((time - anchor) / step);
  return anchorIndex + k + Math.min(1, (time - (anchor + k * step)) / span);
}

/**
 * The moment (epoch ms, whole, never negative) at the logical index `logical` on a pane showing `bars`:
 * the inverse of drawingLogical for a position on the bars or beyond them; null when there are no bars.
 */
export function drawingTime(bars: readonly Bar[], logical: number, timeframe: Timeframe): number | null {
  const last = bars.length - 1;
  if (last < 0 || !Number.isFinite(logical)) return null;
  const index = Math.floor(logical);
  const fraction = logical - index;
  const span = barSpanMs(timeframe);
  const bar = bars[index];
  if (bar !== undefined && index < last) return Math.max(0, Math.round(bar.start + fraction * span));
  const anchorIndex = index < 0 ? 0 : last;
  const anchor = bars[anchorIndex]!.start;
  const k = index - anchorIndex;
  return Math.max(0, Math.round(anchor + k * barStepMs(timeframe) + fraction * span));
}

/** x (CSS pixels) of the bar at a whole logical index, as the chart's time scale places it; null: none. */
export type IndexToX = (index: number) => number | null;

/**
 * x of a fractional logical index: the chart's time scale only places whole indices (it answers 0 for any
 * other), and it spaces them evenly, so a fraction lies that far between its two neighbours.
 */
export function logicalToX(logical: number, indexToX: IndexToX): number | null {
  const index = Math.floor(logical);
  const x0 = indexToX(index);
  const x1 = indexToX(index + 1);
  if (x0 === null || x1 === null) return null;
  return x0 + (logical - index) * (x1 - x0);
}

/**
 * The fractional logical index under x (CSS pixels), from the nearest whole index the chart reports there
 * (`nearestIndex`) and the spacing of its neighbours; null when the chart has no bars.
 */
export function xToLogical(x: number, nearestIndex: number | null, indexToX: IndexToX): number | null {
  if (nearestIndex === null) return null;
  const x0 = indexToX(nearestIndex);
  const x1 = indexToX(nearestIndex + 1);
  if (x0 === null || x1 === null || x1 === x0) return null;
  return nearestIndex + (x - x0) / (x1 - x0);
}

export interface ScreenPoint {
  x: number;
  y: number;
}

/** The distance (pixels) from `p` to the segment from `a` to `b`. */
export function distanceToSegment(p: ScreenPoint, a: ScreenPoint, b: ScreenPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t =
    lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** A drawing as it lies on screen now: a horizontal line at y, or a segment. */
export type ScreenShape =
  | { id: string; kind: 'horizontal'; y: number }
  | { id: string; kind: 'trend'; from: ScreenPoint; to: ScreenPoint };

/** How near (CSS pixels) a click must be to a drawing to select it. */
export const HIT_TOLERANCE_PX = 6;

/** The id of the drawing nearest `p` within `tolerance` pixels (the later one on a tie), or null. */
export function hitDrawing(
  shapes: readonly ScreenShape[],
  p: ScreenPoint,
  tolerance = HIT_TOLERANCE_PX,
): string | null {
  let best: string | null = null;
  let bestDistance = tolerance;
  for (const shape of shapes) {
    const distance =
      shape.kind === 'horizontal' ? Math.abs(p.y - shape.y) : distanceToSegment(p, shape.from, shape.to);
    if (distance <= bestDistance) {
      best = shape.id;
      bestDistance = distance;
    }
  }
  return best;
}
