import { describe, expect, it } from 'vitest';
import { panelOf } from '../../test-support/panel-of';
import { STRATEGIES } from './strategies';
import { assetReturns, strategyDailyReturns, strategyReturnMatrix } from './strategy-returns';

const panel = panelOf({
  close: {
    SPY: [100, 110, 99, 108.9, 108.9],
    IEF: [100, 100, 102, Number.NaN, 101],
  },
});

describe('assetReturns', () => {
  it('is close-to-close, NaN in row 0 and wherever either close is missing', () => {
    const spy = assetReturns(panel, 'SPY');
    expect(spy[0]).toBeNaN();
    expect(spy[1]).toBeCloseTo(0.1, 14);
    expect(spy[2]).toBeCloseTo(-0.1, 14);
    expect(spy[3]).toBeCloseTo(0.1, 14);
    expect(spy[4]).toBe(0);
    const ief = assetReturns(panel, 'IEF');
    expect(ief[2]).toBeCloseTo(0.02, 14);
    expect(ief[3]).toBeNaN();
    expect(ief[4]).toBeNaN();
  });

  it('gives cash 0 and refuses a symbol the panel does not hold', () => {
    expect([...assetReturns(panel, 'CASH')].slice(1)).toEqual([0, 0, 0, 0]);
    expect(() => assetReturns(panel, 'GLD')).toThrow(/no closes for GLD/);
  });
});

describe('strategyDailyReturns', () => {
  it('weights the assets held (cash earns 0) and is NaN where a held asset has no return', () => {
    const r = strategyDailyReturns(panel, { SPY: 0.6, IEF: 0.4 });
    expect(r[0]).toBeNaN();
    expect(r[1]).toBeCloseTo(0.06, 14);
    expect(r[2]).toBeCloseTo(0.6 * -0.1 + 0.4 * 0.02, 14);
    expect(r[3]).toBeNaN();
    const halfCash = strategyDailyReturns(panel, { SPY: 0.5, CASH: 0.5 });
    expect([...halfCash].slice(1).map((x) => Number(x.toFixed(12)))).toEqual([0.05, -0.05, 0.05, 0]);
  });

  it('ignores a symbol held with weight 0', () => {
    expect(strategyDailyReturns(panel, { SPY: 1, IEF: 0 })[3]).toBeCloseTo(0.1, 14);
  });

  it('gives one series per strategy, in STRATEGY_IDS order', () => {
    const symbols = ['SPY', 'QQQ', 'IWM', 'EFA', 'IEF', 'SHY', 'TLT', 'GLD'];
    const full = panelOf({ close: Object.fromEntries(symbols.map((s, k) => [s, [100, 100 + k]])) });
    const matrix = strategyReturnMatrix(full);
    expect(matrix).toHaveLength(8);
    // tactical_opportunity: TLT .4 (+6 %), GLD .4 (+7 %), SHY .2 (+5 %).
    expect(STRATEGIES[7]!.id).toBe('tactical_opportunity');
    expect(matrix[7]![1]).toBeCloseTo(0.4 * 0.06 + 0.4 * 0.07 + 0.2 * 0.05, 14);
    expect(strategyReturnMatrix(full)).toBe(matrix);
  });
});
