/** calibration-chart.ts: where the reliability chart draws its dots, diagonal and ticks. */
import { describe, expect, it } from 'vitest';
import { calibrationGeometry, type PlotFrame } from './calibration-chart';

const FRAME: PlotFrame = { width: 120, height: 120, left: 10, bottom: 10, right: 10, top: 10 };
const bin = (from: number, to: number, predicted: number, observed: number, count: number) => ({
  from,
  to,
  predicted,
  observed,
  count,
});

describe('the calibration chart', () => {
  it('runs the diagonal from (0, 0) at the bottom left to (1, 1) at the top right', () => {
    const g = calibrationGeometry([], FRAME);
    expect(g.diagonal).toEqual({ x1: 10, y1: 110, x2: 110, y2: 10 });
    expect(g.points).toEqual([]);
    expect(g.path).toBe('');
  });

  it('puts a bin whose hit rate equals its confidence on the diagonal, an overconfident one below it', () => {
    const g = calibrationGeometry([bin(0.2, 0.4, 0.3, 0.3, 10), bin(0.4, 0.6, 0.5, 0.25, 10)], FRAME);
    const [honest, over] = g.points;
    expect(honest).toMatchObject({ cx: 40, cy: 80 });
    // Below the diagonal: y further down than x's diagonal height.
    expect(over!.cx).toBe(60);
    expect(over!.cy).toBe(85);
    expect(over!.cy).toBeGreaterThan(110 - (over!.cx - 10));
    expect(g.path).toBe('M40.0,80.0 L60.0,85.0');
  });

  it('sizes dots by count (area), skips empty bins and orders the line by confidence', () => {
    const g = calibrationGeometry(
      [bin(0.6, 0.8, 0.7, 0.6, 4), bin(0, 0.2, 0.1, 0, 0), bin(0.2, 0.4, 0.3, 0.2, 16)],
      FRAME,
    );
    expect(g.points.map((p) => p.predicted)).toEqual([0.3, 0.7]);
    const [big, small] = g.points;
    expect(big!.r).toBeCloseTo(7);
    expect(small!.r).toBeCloseTo(3.5);
  });

  it('places ticks at 0, 25, 50, 75 and 100 % on both axes', () => {
    const g = calibrationGeometry([], FRAME);
    expect(g.ticks.map((t) => [t.value, t.x, t.y])).toEqual([
      [0, 10, 110],
      [0.25, 35, 85],
      [0.5, 60, 60],
      [0.75, 85, 35],
      [1, 110, 10],
    ]);
  });
});
