/** prediction-history.ts: the history held, the strip and the chart markers. */
import { describe, expect, it } from 'vitest';
import type { Prediction, StrategyId } from '../../shared/domain';
import {
  habitualPick,
  historyStrip,
  loadPredictionPages,
  mergePredictions,
  predictionMarkers,
} from './prediction-history';
import { STRATEGY_STYLE } from './strategy-style';

const DAY = 86_400_000;

function prediction(day: number, strategy: StrategyId = 'balanced_growth', halt = 0.5): Prediction {
  return {
    barStart: day * DAY,
    time: day * DAY + 6.5 * 3_600_000,
    modelVersion: 'trm-test',
    strategy,
    probabilities: [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125],
    haltProbability: halt,
    features: [],
    imputed: 0,
  };
}

describe('the prediction history', () => {
  it('appends a new decision after the last', () => {
    const held = [prediction(1), prediction(2)];
    expect(mergePredictions(held, [prediction(3)]).map((p) => p.barStart / DAY)).toEqual([1, 2, 3]);
  });

  it('keeps one prediction per decision bar, the newer word replacing the held one, in time order', () => {
    const held = [prediction(1), prediction(3)];
    const merged = mergePredictions(held, [prediction(3, 'max_growth'), prediction(2)]);
    expect(merged.map((p) => [p.barStart / DAY, p.strategy])).toEqual([
      [1, 'balanced_growth'],
      [2, 'balanced_growth'],
      [3, 'max_growth'],
    ]);
  });

  it('drops the oldest beyond the limit, and returns the same list when nothing arrives', () => {
    const held = [prediction(1), prediction(2)];
    expect(mergePredictions(held, [])).toBe(held);
    expect(mergePredictions(held, [prediction(3)], 2).map((p) => p.barStart / DAY)).toEqual([2, 3]);
    expect(mergePredictions(held, [prediction(0), prediction(4)], 3).map((p) => p.barStart / DAY)).toEqual([
      1, 2, 4,
    ]);
  });

  it('marks each prediction on its decision bar, coloured by its pick, labelled where the pick changes', () => {
    const markers = predictionMarkers([
      prediction(1, 'defensive'),
      prediction(2, 'defensive'),
      prediction(3, 'tactical_opportunity'),
    ]);
    expect(markers.map((m) => [m.barStart / DAY, m.color, m.text])).toEqual([
      [1, STRATEGY_STYLE.defensive.color, 'Def'],
      [2, STRATEGY_STYLE.defensive.color, ''],
      [3, STRATEGY_STYLE.tactical_opportunity.color, 'Tact'],
    ]);
  });
});

describe('the history strip', () => {
  it('shows the latest decisions that fit, the newest at the right edge, as tall as the pick’s probability', () => {
    const list = Array.from({ length: 200 }, (_, i) => ({
      ...prediction(i, 'defensive'),
      probabilities: [0.1, i % 2 === 0 ? 0.4 : 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05],
    }));
    const cells = historyStrip(list, 300, 20, 3);
    expect(cells).toHaveLength(100);
    expect(cells[0]!.barStart).toBe(100 * DAY);
    const last = cells[cells.length - 1]!;
    expect(last.x + last.width).toBeCloseTo(300);
    expect(cells.map((c) => c.height).slice(0, 2)).toEqual([20, 10]);
  });

  it('keeps a short history’s cells narrow, right-aligned, and every cell visible', () => {
    const cells = historyStrip(
      [{ ...prediction(1, 'defensive'), probabilities: [0, 0, 0, 0, 0, 0, 0, 0] }],
      300,
      20,
    );
    expect(cells[0]).toMatchObject({ x: 292.5, width: 7.5, height: 3 });
    expect(historyStrip([], 300, 20)).toEqual([]);
  });
});

describe('loadPredictionPages', () => {
  /** The engine's answer: the `limit` most recent stored predictions before `before`, oldest first. */
  const engine = (stored: Prediction[], asked: { limit: number; before?: number }[]) => {
    return (params: { limit: number; before?: number }): Promise<Prediction[]> => {
      asked.push(params);
      const older = stored.filter((p) => params.before === undefined || p.barStart < params.before);
      return Promise.resolve(older.slice(Math.max(0, older.length - params.limit)));
    };
  };

  it('asks in pages going back in time and returns the most recent ones, oldest first', async () => {
    const stored = Array.from({ length: 250 }, (_, day) => prediction(day + 1));
    const asked: { limit: number; before?: number }[] = [];
    const loaded = await loadPredictionPages(engine(stored, asked), 230, 100);
    expect(loaded.map((p) => p.barStart)).toEqual(stored.slice(20).map((p) => p.barStart));
    expect(asked).toEqual([
      { limit: 100 },
      { limit: 100, before: 151 * DAY },
      { limit: 30, before: 51 * DAY },
    ]);
  });

  it('stops when the engine has no older predictions', async () => {
    const stored = Array.from({ length: 120 }, (_, day) => prediction(day + 1));
    const asked: { limit: number; before?: number }[] = [];
    const loaded = await loadPredictionPages(engine(stored, asked), 500, 100);
    expect(loaded).toHaveLength(120);
    expect(asked).toHaveLength(2);
    expect(await loadPredictionPages(engine([], []), 500, 100)).toEqual([]);
  });
});

describe("a model's habit", () => {
  const days = (n: number, strategy: StrategyId, from = 0) =>
    Array.from({ length: n }, (_, i) => prediction(from + i, strategy));

  it('is the strategy picked on 90 % or more of at least 20 decisions, with how often', () => {
    const list = [...days(265, 'ultra_defensive'), ...days(5, 'balanced_aggressive', 265)];
    expect(habitualPick(list)).toEqual({ strategy: 'ultra_defensive', count: 265, total: 270 });
    expect(habitualPick([...days(18, 'defensive'), ...days(2, 'max_growth', 18)])).toEqual({
      strategy: 'defensive',
      count: 18,
      total: 20,
    });
  });

  it('is none for a model that changes its mind, or on too few decisions to tell', () => {
    expect(habitualPick([...days(17, 'defensive'), ...days(3, 'max_growth', 17)])).toBeNull();
    expect(habitualPick(days(19, 'defensive'))).toBeNull();
    expect(habitualPick([])).toBeNull();
  });
});
