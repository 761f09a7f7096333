import { describe, expect, it } from 'vitest';
import { panelOf } from '../../test-support/panel-of';
import { followAllocations, isFirstRowOfMonth } from './backtest';
import type { Allocation } from './strategies';

// Three January sessions, then two in February (row 3 is the month's first row).
const dates = ['2020-01-29', '2020-01-30', '2020-01-31', '2020-02-03', '2020-02-04'];
// SPY: +10 %, −10 %, +10 %, 0; IEF: 0, +2 %, 0, −1 %.
const panel = panelOf({
  dates,
  close: { SPY: [100, 110, 99, 108.9, 108.9], IEF: [100, 100, 102, 102, 100.98] },
});
const sixtyForty: Allocation = { SPY: 0.6, IEF: 0.4 };
const all = { from: 0, to: 4 };

describe('followAllocations', () => {
  it('lets a monthly 60/40 drift within the month and pays 5 bps per unit of turnover', () => {
    const result = followAllocations(panel, all, () => sixtyForty, {
      costBps: 5,
      rebalance: 'monthly',
      recordWeights: true,
    });
    // Day 1: bought from cash at row 0's close (1 unit, 5 bps), SPY +10 %.
    const day1 = 0.9995 * 1.06 - 1;
    // Day 2: weights drifted to .66/1.06 and .40/1.06; SPY −10 %, IEF +2 %.
    const day2 = (0.66 * -0.1 + 0.4 * 0.02) / 1.06;
    // Day 3: dollars per 1.06 of start are SPY .594, IEF .408 (sum 1.002); SPY +10 %.
    const day3 = (0.594 * 0.1) / 1.002;
    // Row 3 is February's first row: back to 60/40 from SPY .6534/1.0614, IEF .408/1.0614.
    const traded = Math.abs(0.6534 / 1.0614 - 0.6) + Math.abs(0.408 / 1.0614 - 0.4);
    const day4 = (1 - 0.0005 * traded) * (1 + 0.4 * -0.01) - 1;
    const expected = [day1, day2, day3, day4];
    for (let k = 0; k < 4; k++) expect(Math.abs(result.returns[k]! - expected[k]!)).toBeLessThan(1e-12);
    expect(Math.abs(result.turnover[3]! - traded)).toBeLessThan(1e-12);
    expect([...result.turnover.slice(0, 3)]).toEqual([1, 0, 0]);
    expect(result.weights![1]!.SPY).toBeCloseTo(0.66 / 1.06, 12);
    expect(result.weights![2]!.SPY).toBeCloseTo(0.594 / 1.002, 12);
    expect(result.weights![3]!).toEqual(sixtyForty);
    expect([...result.times]).toEqual([...panel.times.slice(1)]);
  });

  it('rebalances a daily 60/40 back to its targets at every close', () => {
    const result = followAllocations(panel, all, () => sixtyForty, { costBps: 5, rebalance: 'daily' });
    // After day 1 the weights are .66/1.06 and .4/1.06: the trade back to 60/40 is 2·(.66/1.06 − .6).
    const traded = 2 * (0.66 / 1.06 - 0.6);
    expect(Math.abs(result.turnover[1]! - traded)).toBeLessThan(1e-12);
    const day2 = (1 - 0.0005 * traded) * (1 + 0.6 * -0.1 + 0.4 * 0.02) - 1;
    expect(Math.abs(result.returns[1]! - day2)).toBeLessThan(1e-12);
  });

  it('keeps the holdings when decide answers null, and pays for both legs of a switch', () => {
    const decide = (i: number): Allocation | null => (i === 0 ? { SPY: 1 } : i === 2 ? { IEF: 1 } : null);
    const result = followAllocations(panel, all, decide, { costBps: 5, rebalance: 'daily' });
    expect([...result.turnover]).toEqual([1, 0, 2, 0]);
    const expected = [0.9995 * 1.1 - 1, -0.1, 0.999 * 1 - 1, -0.01];
    for (let k = 0; k < 4; k++) expect(Math.abs(result.returns[k]! - expected[k]!)).toBeLessThan(1e-12);
  });

  it('asks a monthly schedule only at the start and on the first row of each month', () => {
    const asked: number[] = [];
    followAllocations(panel, all, (i) => (asked.push(i), sixtyForty), { costBps: 5, rebalance: 'monthly' });
    expect(asked).toEqual([0, 3]);
    expect(dates.map((_, i) => isFirstRowOfMonth(panel.times, i))).toEqual([true, false, false, true, false]);
  });

  it('holds cash at 0 and trades no cost for it', () => {
    const result = followAllocations(panel, { from: 0, to: 1 }, () => ({ SPY: 0.5, CASH: 0.5 }), {
      costBps: 10,
      rebalance: 'daily',
    });
    expect(result.turnover[0]).toBe(0.5);
    expect(result.returns[0]).toBeCloseTo((1 - 0.001 * 0.5) * 1.05 - 1, 14);
  });

  it('starts in cash and earns nothing until the first allocation', () => {
    const result = followAllocations(panel, { from: 1, to: 3 }, (i) => (i === 2 ? { SPY: 1 } : null), {
      costBps: 0,
      rebalance: 'daily',
    });
    expect(result.returns[0]).toBe(0);
    expect(result.returns[1]).toBeCloseTo(0.1, 14);
  });

  it('names the symbol and the date when a held symbol has no bar, and ignores a symbol not held', () => {
    const gappy = panelOf({
      dates,
      close: { SPY: [100, 101, 102, 103, 104], GLD: [100, Number.NaN, 100, 100, 100] },
    });
    expect(() => followAllocations(gappy, all, () => ({ SPY: 0.5, GLD: 0.5 }))).toThrow(
      /holds GLD on 2020-01-30 .*no daily bar/,
    );
    expect(() => followAllocations(gappy, all, () => ({ SPY: 1, GLD: 0 }))).not.toThrow();
  });

  it('refuses weights that do not sum to 1 and rows outside the panel', () => {
    expect(() => followAllocations(panel, all, () => ({ SPY: 0.5, IEF: 0.4 }))).toThrow(/summing to 0.9/);
    expect(() => followAllocations(panel, { from: 2, to: 5 }, () => null)).toThrow(/not inside/);
  });
});
