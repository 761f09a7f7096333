/**
 * The scorecard on a hand-built history where the realised best strategy is known: long bonds and gold
 * climb steadily for ten sessions (tactical_opportunity wins), then the Nasdaq does (max_growth wins).
 */
import { describe, expect, it } from 'vitest';
import { STRATEGY_IDS, type Prediction, type StrategyId } from '../../shared/domain';
import { followAllocations } from '../core/signals/backtest';
import { strategySchedule } from '../core/signals/baselines';
import { equityCurve, performanceMetrics } from '../core/signals/performance';
import { panelOf } from '../test-support/panel-of';
import { computeScorecard } from './signals-scorecard';

const ROWS = 20;
const HORIZON = 3;
const rising = (from: number, to: number) =>
  Array.from({ length: ROWS }, (_, i) => 100 * 1.01 ** Math.min(Math.max(i - from, 0), to - from));
const flat = () => new Array<number>(ROWS).fill(100);

const panel = panelOf({
  close: {
    SPY: flat(),
    IEF: flat(),
    SHY: flat(),
    EFA: flat(),
    IWM: flat(),
    TLT: rising(0, 9),
    GLD: rising(0, 9),
    QQQ: rising(9, 19),
  },
});

/** A prediction at a panel row picking `strategy` with top probability `top` (the rest shared evenly). */
function predictionAt(row: number, strategy: StrategyId, top: number): Prediction {
  const rest = (1 - top) / (STRATEGY_IDS.length - 1);
  return {
    barStart: panel.times[row]!,
    time: panel.times[row]! + 6.5 * 3_600_000,
    modelVersion: 'trm-x',
    strategy,
    probabilities: STRATEGY_IDS.map((id) => (id === strategy ? top : rest)),
    haltProbability: 0.5,
    features: [],
    imputed: 0,
  };
}

// Rows 0..6 are realised tactical_opportunity (7), rows 11..16 max_growth (6); rows 17, 18 are too recent.
const picks: [number, StrategyId][] = [
  [0, 'tactical_opportunity'],
  [1, 'tactical_opportunity'],
  [2, 'max_growth'],
  [3, 'tactical_opportunity'],
  [4, 'defensive'],
  [5, 'tactical_opportunity'],
  [6, 'tactical_opportunity'],
  [11, 'max_growth'],
  [12, 'max_growth'],
  [13, 'defensive'],
  [14, 'max_growth'],
  [15, 'balanced_safe'],
  [16, 'defensive'],
  [17, 'max_growth'],
  [18, 'max_growth'],
];
const realised = (row: number): StrategyId => (row <= 6 ? 'tactical_opportunity' : 'max_growth');
// Hits are made with confidence 0.7, misses with 0.3 (a well-calibrated model, for once).
const predictions = picks.map(([row, pick]) =>
  predictionAt(row, pick, row > 16 ? 0.5 : pick === realised(row) ? 0.7 : 0.3),
);

describe('computeScorecard', () => {
  const card = computeScorecard({ modelVersion: 'trm-x', horizon: HORIZON, predictions, panel });

  it('scores predictions with a full horizon after them: hit rate next to the majority rate', () => {
    expect(card).toMatchObject({ modelVersion: 'trm-x', horizon: HORIZON, predictions: 15, scored: 13 });
    expect(card.hitRate).toBeCloseTo(8 / 13, 12);
    expect(card.majorityStrategy).toBe('tactical_opportunity');
    expect(card.majorityRate).toBeCloseTo(7 / 13, 12);
  });

  it('says which share of the scored predictions lies inside the model’s training window (in-sample)', () => {
    expect(card.inSample, 'no training window given').toBe(0);
    expect(card.note).toBeNull();
    const day = (row: number) => new Date(panel.times[row]!).toISOString().slice(0, 10);
    // Trained up to the day of row 6: rows 0..6 of the 13 scored predictions are in-sample.
    const scoredRows = picks.map(([row]) => row).filter((row) => row + HORIZON < ROWS);
    const inside = scoredRows.filter((row) => row <= 6).length;
    const trained = computeScorecard({
      modelVersion: 'trm-x',
      horizon: HORIZON,
      predictions,
      panel,
      trainedFrom: day(0),
      trainedTo: day(6),
    });
    expect(trained.inSample).toBeCloseTo(inside / 13, 12);
  });

  it('bins the top probability against the observed hit rate', () => {
    expect(card.calibration.map(({ from, to, observed, count }) => ({ from, to, observed, count }))).toEqual([
      { from: 0.2, to: 0.4, observed: 0, count: 5 },
      { from: 0.6, to: 0.8, observed: 1, count: 8 },
    ]);
    expect(card.calibration[0]!.predicted).toBeCloseTo(0.3, 12);
    expect(card.calibration[1]!.predicted).toBeCloseTo(0.7, 12);
  });

  it('follows the picks from the first prediction with the backtest of the CLI report (each pick held for the horizon in tranches)', () => {
    const pickAt = new Map(picks.map(([row, pick]) => [row, STRATEGY_IDS.indexOf(pick)]));
    const schedule = strategySchedule((i) => pickAt.get(i) ?? null, HORIZON);
    const expected = followAllocations(panel, { from: 0, to: ROWS - 1 }, schedule.decide, {
      costBps: 5,
      rebalance: 'daily',
    });
    expect(card.equity.model).toEqual(equityCurve(expected.returns, expected.times));
    // No losing day in this rising market: Sortino is undefined, and a set with an undefined figure is null.
    const metrics = performanceMetrics(expected.returns, expected.turnover, expected.times);
    expect(Number.isNaN(metrics.sortino)).toBe(true);
    expect(card.metrics.model).toBeNull();
    expect(card.equity.model.length).toBe(expected.returns.length);
    // By hand: bought TLT .4, GLD .4, SHY .2 from cash at the first close (1 unit of turnover at 5 bps),
    // then TLT and GLD rose 1 %.
    expect(card.equity.model[0]!.value).toBeCloseTo((1 - 0.0005) * 1.008, 12);
    expect(card.equity.model).toHaveLength(ROWS - 1);
  });

  it('shows the fixed baselines over the same rows', () => {
    expect(Object.keys(card.equity.baselines).sort()).toEqual([
      'equal_weight',
      'sixty_forty',
      'spy_buy_hold',
    ]);
    // SPY is flat: buy and hold only pays its entry cost.
    expect(card.equity.baselines.spy_buy_hold!.map((p) => p.value)).toEqual(
      new Array<number>(ROWS - 1).fill(1 - 0.0005),
    );
    expect(card.equity.baselines.spy_buy_hold![0]!.time).toBe(panel.times[1]);
    expect(card.metrics.baselines.sixty_forty).not.toBeNull();
  });

  it('leaves a curve it cannot follow empty (an ETF without daily bars), and scores nothing without a panel', () => {
    const noBonds = panelOf({ close: { SPY: flat(), QQQ: rising(0, 19), TLT: flat(), GLD: flat() } });
    const times = (row: number) => ({
      ...predictions[0]!,
      barStart: noBonds.times[row]!,
      strategy: 'defensive' as const,
    });
    const partial = computeScorecard({
      modelVersion: 'trm-x',
      horizon: HORIZON,
      predictions: [times(0)],
      panel: noBonds,
    });
    expect(partial.equity.model).toEqual([]);
    expect(partial.metrics.model).toBeNull();
    expect(partial.scored).toBe(0);
    // It says why, naming the ETFs without bars, rather than "not scored yet".
    expect(partial.note).toMatch(/cannot be scored here: the strategies hold .*IEF.*SHY/);
    expect(partial.equity.baselines.spy_buy_hold).toHaveLength(ROWS - 1);

    const none = computeScorecard({ modelVersion: null, horizon: HORIZON, predictions: [], panel: null });
    expect(none).toMatchObject({
      predictions: 0,
      scored: 0,
      hitRate: null,
      majorityRate: null,
      calibration: [],
    });
  });
});
