import { describe, expect, it } from 'vitest';
import { panelOf } from '../../test-support/panel-of';
import { followAllocations } from './backtest';
import { fixedSchedule, runBaselines, strategySchedule } from './baselines';
import { STRATEGIES, STRATEGY_SYMBOLS } from './strategies';

// Every strategy symbol, 6 sessions over a month end: row 3 (2020-02-03) opens February.
const dates = ['2020-01-28', '2020-01-29', '2020-01-30', '2020-02-03', '2020-02-04', '2020-02-05'];
const path = (k: number): number[] => dates.map((_, i) => 100 * (1 + 0.01 * ((i * (k + 3)) % 5)));
const panel = panelOf({ dates, close: Object.fromEntries(STRATEGY_SYMBOLS.map((s, k) => [s, path(k)])) });
const rows = { from: 0, to: 5 };

describe('baselines', () => {
  it('buys SPY once and never trades again', () => {
    const result = runBaselines(panel, rows, { majorityPick: () => 0, logisticPick: () => 0 }).spy_buy_hold;
    expect([...result.turnover]).toEqual([1, 0, 0, 0, 0]);
    const spy = panel.close.get('SPY')!;
    expect(result.returns[0]).toBeCloseTo(0.9995 * (spy[1]! / spy[0]!) - 1, 14);
    expect(result.returns[4]).toBeCloseTo(spy[5]! / spy[4]! - 1, 14);
  });

  it('rebalances 60/40 and the equal-weight mix only on the first session of a month', () => {
    const all = runBaselines(panel, rows, { majorityPick: () => 0, logisticPick: () => 0 });
    for (const id of ['sixty_forty', 'equal_weight'] as const) {
      const traded = [...all[id].turnover].map((t) => t > 0);
      expect(traded, id).toEqual([true, false, false, true, false]);
    }
  });

  it('holds each pick for `holding` sessions in overlapping tranches: the mean of the last picks’ allocations', () => {
    const picks = [6, 7, 7, null, 0];
    const schedule = strategySchedule((i) => picks[i] ?? null, 2);
    // max_growth QQQ .6 IWM .25 SPY .15; tactical_opportunity TLT .4 GLD .4 SHY .2.
    expect(schedule.decide(0)).toEqual({ QQQ: 0.6, IWM: 0.25, SPY: 0.15 });
    const mixed = schedule.decide(1)!;
    expect(mixed.QQQ).toBeCloseTo(0.3, 12);
    expect(mixed.TLT).toBeCloseTo(0.2, 12);
    expect(Object.values(mixed).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(schedule.decide(2)).toEqual({ TLT: 0.4, GLD: 0.4, SHY: 0.2 });
    // No pick today: keep what is held; a window whose other day had no pick is the one pick alone.
    expect(schedule.decide(3)).toBeNull();
    expect(schedule.decide(4)).toEqual(STRATEGIES[0]!.allocation);
    expect(() => strategySchedule(() => 1, 0)).toThrow(/holding period/);
  });

  it('follows picks: the picked strategy’s targets at every close with a pick, holdings kept on null', () => {
    const picks = [5, 5, null, 2, 2];
    const schedule = strategySchedule((i) => picks[i] ?? null);
    expect(schedule.rebalance).toBe('daily');
    expect(picks.map((_, i) => schedule.decide(i))).toEqual([
      STRATEGIES[5]!.allocation,
      STRATEGIES[5]!.allocation,
      null,
      STRATEGIES[2]!.allocation,
      STRATEGIES[2]!.allocation,
    ]);
    // Holding aggressive_growth (SPY .5, QQQ .3, IWM .2) daily: each close trades the drift back.
    const result = followAllocations(panel, rows, schedule.decide, { costBps: 5, rebalance: 'daily' });
    const r = (s: string, i: number): number => panel.close.get(s)![i]! / panel.close.get(s)![i - 1]! - 1;
    const gross = 0.5 * r('SPY', 1) + 0.3 * r('QQQ', 1) + 0.2 * r('IWM', 1);
    const drift = ['SPY', 'QQQ', 'IWM'].reduce((sum, s, k) => {
      const w = [0.5, 0.3, 0.2][k]!;
      return sum + Math.abs((w * (1 + r(s, 1))) / (1 + gross) - w);
    }, 0);
    expect(Math.abs(result.turnover[1]! - drift)).toBeLessThan(1e-12);
    expect(result.turnover[2]).toBe(0); // row 2 had no pick: nothing traded
  });

  it('runs majority and logistic through the same backtest as a model with the same picks', () => {
    const pick = (i: number): number => (i < 2 ? 7 : 3);
    const all = runBaselines(panel, rows, { majorityPick: () => 4, logisticPick: pick });
    const model = followAllocations(panel, rows, strategySchedule(pick).decide);
    expect([...all.logistic.returns]).toEqual([...model.returns]);
    const always4 = followAllocations(panel, rows, strategySchedule(() => 4).decide);
    expect([...all.majority.returns]).toEqual([...always4.returns]);
    expect(all.majority.turnover[0]).toBe(1); // bought from cash
  });

  it('gives the fixed baselines their documented weights', () => {
    expect(fixedSchedule('sixty_forty', 0).decide(3)).toEqual({ SPY: 0.6, IEF: 0.4 });
    expect(fixedSchedule('equal_weight', 0).decide(0)).toEqual({
      SPY: 0.25,
      TLT: 0.25,
      GLD: 0.25,
      SHY: 0.25,
    });
    expect(fixedSchedule('spy_buy_hold', 2).decide(3)).toBeNull();
  });
});
