import { describe, expect, it } from 'vitest';
import { equityCurve, performanceMetrics } from './performance';

const DAY = 86_400_000;
const timesOf = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, k) => 1_577_975_400_000 + k * DAY);

describe('performanceMetrics', () => {
  it('computes CAGR, volatility, Sharpe, Sortino, drawdown and turnover of a known series', () => {
    const r = Float64Array.of(0.01, -0.02, 0.03, -0.01);
    const m = performanceMetrics(r, Float64Array.of(1, 0, 0, 0.5), timesOf(4));
    const growth = 1.01 * 0.98 * 1.03 * 0.99;
    // mean .0025; deviations .0075, −.0225, .0275, −.0125; Σ squares .001475 over n − 1 = 3.
    const sd = Math.sqrt(0.001475 / 3);
    // downside deviation √((.02² + .01²) / 4).
    const downside = Math.sqrt((0.0004 + 0.0001) / 4);
    expect(m.cagr).toBeCloseTo(growth ** (252 / 4) - 1, 12);
    expect(m.vol).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(m.sharpe).toBeCloseTo((0.0025 / sd) * Math.sqrt(252), 12);
    expect(m.sortino).toBeCloseTo((0.0025 / downside) * Math.sqrt(252), 12);
    // Peak 1.01 after day 1, trough 1.01·0.98 after day 2: a 2 % fall; the later dip from 1.019494 is 1 %.
    expect(m.max_drawdown).toBeCloseTo(0.02, 12);
    // 1.5 units traded in 4 sessions = 4/252 years.
    expect(m.turnover).toBeCloseTo(1.5 / (4 / 252), 12);
  });

  it('measures the deepest fall from the running peak, the start counting as one', () => {
    // Equity 2, 1, 1.5, 0.5, 3: the deepest fall is 2 → 0.5, 75 %.
    const m = performanceMetrics(Float64Array.of(1, -0.5, 0.5, -2 / 3, 5), new Float64Array(5), timesOf(5));
    expect(m.max_drawdown).toBeCloseTo(0.75, 12);
    // A loss on the first day is a drawdown from the starting 1.
    const first = performanceMetrics(Float64Array.of(-0.1, 0.05), new Float64Array(2), timesOf(2));
    expect(first.max_drawdown).toBeCloseTo(0.1, 12);
  });

  it('compounds a year of 252 sessions to its total return', () => {
    const r = new Float64Array(252).fill(1.1 ** (1 / 252) - 1);
    expect(performanceMetrics(r, new Float64Array(252), timesOf(252)).cagr).toBeCloseTo(0.1, 12);
  });

  it('answers NaN where a ratio is undefined, and for an empty series', () => {
    const flat = performanceMetrics(new Float64Array(10).fill(0.001), new Float64Array(10), timesOf(10));
    expect(flat.vol).toBe(0);
    expect(flat.sharpe).toBeNaN();
    expect(flat.sortino).toBeNaN(); // no losing day
    expect(flat.max_drawdown).toBe(0);
    const empty = performanceMetrics(new Float64Array(0), new Float64Array(0), new Float64Array(0));
    expect(Object.values(empty).every(Number.isNaN)).toBe(true);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => performanceMetrics(new Float64Array(3), new Float64Array(2), timesOf(3))).toThrow(
      /one turnover/,
    );
  });
});

describe('equityCurve', () => {
  it('compounds 1 dollar, one point per day at its time', () => {
    const times = timesOf(3);
    const curve = equityCurve(Float64Array.of(0.1, -0.5, 1), times);
    expect(curve.map((p) => p.time)).toEqual([...times]);
    expect(curve[0]!.value).toBeCloseTo(1.1, 14);
    expect(curve[1]!.value).toBeCloseTo(0.55, 14);
    expect(curve[2]!.value).toBeCloseTo(1.1, 14);
  });
});
