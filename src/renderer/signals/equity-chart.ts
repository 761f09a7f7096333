/**
 * Geometry of the scorecard's equity chart: the model's curve and each baseline's on shared axes. Time
 * runs left to right over the union of all curves; values go on a log scale when every value is
 * positive (equal distances are equal growth rates, so decades of compounding stay readable), else on
 * a linear one. SVG user units; y grows downward.
 */
import type { PlotFrame } from './calibration-chart';

export interface EquityPoint {
  time: number;
  value: number;
}

export interface EquityLine {
  id: string;
  /** SVG path data; '' when the curve has no point. */
  d: string;
  /** The curve's last value (null when empty), for the legend. */
  last: number | null;
}

export interface EquityGeometry {
  lines: EquityLine[];
  scale: 'log' | 'linear';
  /** Value ticks: the lowest, highest and (when it is inside) 1, the start of a growth-of-1 curve. */
  yTicks: { value: number; y: number }[];
  /** First and last time over all curves (epoch ms), null when every curve is empty. */
  span: { from: number; to: number } | null;
  plot: { x: number; y: number; width: number; height: number };
}

export const EQUITY_FRAME: PlotFrame = { width: 300, height: 170, left: 40, bottom: 18, right: 8, top: 8 };

/** Curves longer than this are thinned to about this many points (one SVG path per curve stays light). */
const MAX_POINTS_PER_LINE = 600;

function thin(points: readonly EquityPoint[]): readonly EquityPoint[] {
  if (points.length <= MAX_POINTS_PER_LINE) return points;
  const step = points.length / MAX_POINTS_PER_LINE;
  const kept: EquityPoint[] = [];
  for (let i = 0; i < MAX_POINTS_PER_LINE; i++) kept.push(points[Math.floor(i * step)]!);
  kept.push(points[points.length - 1]!);
  return kept;
}

/**
 * @param curves id → points in time order (epoch ms, equity in any positive unit).
 * @returns one path per curve in the given order, on shared axes.
 */
export function equityGeometry(
  curves: readonly { id: string; points: readonly EquityPoint[] }[],
  frame: PlotFrame = EQUITY_FRAME,
): EquityGeometry {
  const plot = {
    x: frame.left,
    y: frame.top,
    width: frame.width - frame.left - frame.right,
    height: frame.height - frame.top - frame.bottom,
  };
  const all = curves.flatMap((curve) =>
    curve.points.filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value)),
  );
  if (all.length === 0) {
    return {
      lines: curves.map((c) => ({ id: c.id, d: '', last: null })),
      scale: 'linear',
      yTicks: [],
      span: null,
      plot,
    };
  }
  let tMin = Infinity;
  let tMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const p of all) {
    tMin = Math.min(tMin, p.time);
    tMax = Math.max(tMax, p.time);
    vMin = Math.min(vMin, p.value);
    vMax = Math.max(vMax, p.value);
  }
  const scale = vMin > 0 ? 'log' : 'linear';
  const f = scale === 'log' ? Math.log : (v: number): number => v;
  const lo = f(vMin);
  // A flat curve still gets a band to sit in.
  const hi = f(vMax) > lo ? f(vMax) : lo + 1;
  const x = (time: number): number =>
    plot.x + (tMax > tMin ? ((time - tMin) / (tMax - tMin)) * plot.width : plot.width / 2);
  const y = (value: number): number => plot.y + (1 - (f(value) - lo) / (hi - lo)) * plot.height;
  const lines = curves.map((curve) => {
    const points = thin(curve.points.filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value)));
    const d = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`)
      .join(' ');
    return { id: curve.id, d, last: points.length > 0 ? points[points.length - 1]!.value : null };
  });
  const tickValues = [vMin, vMax];
  if (vMin < 1 && vMax > 1) tickValues.push(1);
  const yTicks = [...new Set(tickValues)].sort((a, b) => a - b).map((value) => ({ value, y: y(value) }));
  return { lines, scale, yTicks, span: { from: tMin, to: tMax }, plot };
}
