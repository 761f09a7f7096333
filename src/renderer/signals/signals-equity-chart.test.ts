/** equity-chart.ts: the equity curves on shared axes. */
import { describe, expect, it } from 'vitest';
import type { PlotFrame } from './calibration-chart';
import { equityGeometry } from './equity-chart';

const FRAME: PlotFrame = { width: 110, height: 110, left: 10, bottom: 0, right: 0, top: 10 };
const DAY = 86_400_000;

describe('the equity chart', () => {
  it('puts every curve on one time axis and one log value axis', () => {
    const g = equityGeometry(
      [
        {
          id: 'model',
          points: [
            { time: 0, value: 1 },
            { time: 2 * DAY, value: 4 },
          ],
        },
        { id: 'spy_buy_hold', points: [{ time: DAY, value: 2 }] },
      ],
      FRAME,
    );
    expect(g.scale).toBe('log');
    expect(g.span).toEqual({ from: 0, to: 2 * DAY });
    // Log scale: 2 sits halfway between 1 and 4; the middle of the time span is halfway across.
    expect(g.lines[0]!.d).toBe('M10.0,110.0 L110.0,10.0');
    expect(g.lines[1]!.d).toBe('M60.0,60.0');
    expect(g.lines.map((l) => l.last)).toEqual([4, 2]);
    expect(g.yTicks.map((t) => t.value)).toEqual([1, 4]);
  });

  it('uses a linear axis when a value is not positive, and marks 1 when it lies inside', () => {
    const g = equityGeometry(
      [
        {
          id: 'model',
          points: [
            { time: 0, value: -1 },
            { time: DAY, value: 3 },
          ],
        },
      ],
      FRAME,
    );
    expect(g.scale).toBe('linear');
    expect(g.yTicks.map((t) => t.value)).toEqual([-1, 1, 3]);
    expect(g.yTicks[1]!.y).toBe(60);
  });

  it('draws nothing and says there is no span when every curve is empty', () => {
    const g = equityGeometry([{ id: 'model', points: [] }], FRAME);
    expect(g.span).toBeNull();
    expect(g.lines).toEqual([{ id: 'model', d: '', last: null }]);
  });

  it('thins a long curve but keeps its first and last points', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ time: i * DAY, value: 1 + i / 1000 }));
    const g = equityGeometry([{ id: 'model', points }], FRAME);
    const moves = g.lines[0]!.d.split(' ');
    expect(moves.length).toBeLessThanOrEqual(601);
    expect(moves[0]).toBe('M10.0,110.0');
    expect(moves[moves.length - 1]).toBe('L110.0,10.0');
    expect(g.lines[0]!.last).toBe(points[4999]!.value);
  });
});
