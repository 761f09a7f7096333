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
    const result = runBaselines(panel, rows, { majority: 0, logisticPick: () => 0 }).spy_buy_hold;
    expect([...result.turnover]).toEqual([1, 0, 0, 0, 0]);
    const spy = panel.close.get('SPY')!;
    expect(result.returns[0]).toBeCloseTo(0.9995 * (spy[1]! / spy[0]!) - 1, 14);
    expect(result.returns[4]).toBeCloseTo(spy[5]! / spy[4]! - 1, 14);
  });

  it('rebalances 60/40 and the equal-weight mix only on the first session of a month', () => {
    const all = runBaselines(panel, rows, { majority: 0, logisticPick: () => 0 });
    for (const id of ['sixty_forty', 'equal_weight'] as const) {
      const traded = [...all[id].turnover].map((t) => t > 0);
      expect(traded, id).toEqual([true, false, false, true, false]);
    }
  });

  it('follows picks: trades when the pick changes or a month starts, keeps holdings on null', () => {
    const picks = [5, 5, null, 2, 2];
    const schedule = strategySchedule((i) => picks[i] ?? null, 0, panel.times);
    const decided = picks.map((_, i) => schedule.decide(i));
    expect(decided).toEqual([STRATEGIES[5]!.allocation, null, null, STRATEGIES[2]!.allocation, null]);
    // A month start re-sets the same pick to its targets.
    const steady = strategySchedule(() => 6, 0, panel.times);
    expect(dates.slice(0, 5).map((_, i) => steady.decide(i) !== null)).toEqual([
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it('runs majority and logistic through the same backtest as a model with the same picks', () => {
    const pick = (i: number): number => (i < 2 ? 7 : 3);
    const all = runBaselines(panel, rows, { majority: 4, logisticPick: pick });
    const model = followAllocations(panel, rows, strategySchedule(pick, 0, panel.times).decide);
    expect([...all.logistic.returns]).toEqual([...model.returns]);
    const always4 = followAllocations(panel, rows, strategySchedule(() => 4, 0, panel.times).decide);
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
