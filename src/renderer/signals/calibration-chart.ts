/**
 * Geometry of the scorecard's calibration (reliability) chart: predicted confidence on x, the observed
 * hit rate on y, both 0..1, the diagonal where they agree, one dot per non-empty bin sized by how many
 * predictions fell in it. SVG user units; y grows downward as in SVG.
 */
import type { Scorecard } from '../../shared/domain';

export interface PlotFrame {
  width: number;
  height: number;
  /** Room for the axes' labels: left and bottom; a small margin right and top. */
  left: number;
  bottom: number;
  right: number;
  top: number;
}

export const CALIBRATION_FRAME: PlotFrame = {
  width: 240,
  height: 200,
  left: 34,
  bottom: 28,
  right: 8,
  top: 8,
};

export interface CalibrationPoint {
  cx: number;
  cy: number;
  r: number;
  predicted: number;
  observed: number;
  count: number;
  from: number;
  to: number;
}

export interface CalibrationGeometry {
  /** The diagonal (perfect calibration) from (0, 0) to (1, 1). */
  diagonal: { x1: number; y1: number; x2: number; y2: number };
  points: CalibrationPoint[];
  /** Polyline through the points in order of predicted confidence ('' under two points). */
  path: string;
  /** Axis ticks at 0, 0.25, 0.5, 0.75, 1: positions on each axis. */
  ticks: { value: number; x: number; y: number }[];
  /** The plot area. */
  plot: { x: number; y: number; width: number; height: number };
}

const MIN_R = 2.5;
const MAX_R = 7;

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * @param bins the scorecard's calibration bins (fractions 0..1); bins with count 0 draw no dot.
 * @returns positions in the frame's units; dot area grows with the bin's count (largest bin → MAX_R).
 */
export function calibrationGeometry(
  bins: Scorecard['calibration'],
  frame: PlotFrame = CALIBRATION_FRAME,
): CalibrationGeometry {
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const x = (value: number): number => frame.left + clamp01(value) * plotWidth;
  const y = (value: number): number => frame.top + (1 - clamp01(value)) * plotHeight;
  const filled = bins.filter((bin) => bin.count > 0 && Number.isFinite(bin.predicted + bin.observed));
  const most = filled.reduce((max, bin) => Math.max(max, bin.count), 0);
  const points = filled
    .map((bin) => ({
      cx: x(bin.predicted),
      cy: y(bin.observed),
      // Area, not radius, in proportion to the count.
      r: most > 0 ? Math.max(MIN_R, MAX_R * Math.sqrt(bin.count / most)) : MIN_R,
      predicted: bin.predicted,
      observed: bin.observed,
      count: bin.count,
      from: bin.from,
      to: bin.to,
    }))
    .sort((a, b) => a.predicted - b.predicted);
  const path =
    points.length < 2
      ? ''
      : points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.cx.toFixed(1)},${p.cy.toFixed(1)}`).join(' ');
  return {
    diagonal: { x1: x(0), y1: y(0), x2: x(1), y2: y(1) },
    points,
    path,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((value) => ({ value, x: x(value), y: y(value) })),
    plot: { x: frame.left, y: frame.top, width: plotWidth, height: plotHeight },
  };
}
