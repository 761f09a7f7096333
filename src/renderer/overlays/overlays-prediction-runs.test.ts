/** prediction-runs.ts and overlay-colours.ts: which prediction is in force at each bar, the pick's margin, the tints. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STRATEGY_IDS, type Prediction, type StrategyId } from '../../shared/domain';
import { STRATEGY_STYLE } from '../signals/strategy-style';
import { SHADING_ALPHA, blend, hexRgb, shadeOf } from './overlay-colours';
import { lowerBound } from '../charts/series-bars';
import { pickMargin, predictionRuns, runsInRange } from './prediction-runs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A session opens at 14:30 UTC (9:30 ET) and closes 6.5 hours later. */
const OPEN = 14.5 * HOUR;
const CLOSE = OPEN + 6.5 * HOUR;

function prediction(
  day: number,
  strategy: StrategyId = 'balanced_growth',
  probabilities?: number[],
): Prediction {
  return {
    barStart: day * DAY + OPEN,
    time: day * DAY + CLOSE,
    modelVersion: 'trm-test',
    strategy,
    probabilities: probabilities ?? STRATEGY_IDS.map((id) => (id === strategy ? 0.3 : 0.1)),
    haltProbability: 0.5,
    features: [],
    imputed: 0,
  };
}

const dailyBars = (days: number[]) => days.map((day) => ({ start: day * DAY + OPEN }));
/** Hourly bars of the sessions of `days`: 14:30, 15:30, ... 20:30 UTC. */
const hourlyBars = (days: number[]) =>
  days.flatMap((day) => Array.from({ length: 7 }, (_, h) => ({ start: day * DAY + OPEN + h * HOUR })));

/** The oracle: the latest prediction made at or before the bar's start. */
function inForce(start: number, predictions: readonly Prediction[]): Prediction | null {
  let found: Prediction | null = null;
  for (const p of predictions) if (p.time <= start) found = p;
  return found;
}

describe('the prediction in force at each bar', () => {
  it('on daily bars: a decision made at a close holds from the next session until the next decision', () => {
    const bars = dailyBars([1, 2, 3, 4, 5, 8]);
    const runs = predictionRuns(bars, [prediction(2, 'defensive'), prediction(4, 'max_growth')]);
    // Days 1 and 2 traded before any decision was made; day 3 and 4 under day 2's; 5 and 8 under day 4's.
    expect(runs.map((r) => [r.from, r.to, r.prediction.strategy])).toEqual([
      [2, 3, 'defensive'],
      [4, 5, 'max_growth'],
    ]);
  });

  it('on intraday bars: every bar of the session after the decision, none of the decision session', () => {
    const bars = hourlyBars([1, 2, 3]);
    const runs = predictionRuns(bars, [prediction(1, 'defensive'), prediction(2, 'max_growth')]);
    expect(runs.map((r) => [r.from, r.to, r.prediction.strategy])).toEqual([
      [7, 13, 'defensive'],
      [14, 20, 'max_growth'],
    ]);
  });

  it('skips a decision no bar of the chart traded under (superseded before the chart begins)', () => {
    const bars = dailyBars([10, 11, 12]);
    const runs = predictionRuns(bars, [
      prediction(3),
      prediction(5, 'defensive'),
      prediction(10, 'max_growth'),
    ]);
    expect(runs.map((r) => [r.from, r.to, r.prediction.barStart])).toEqual([
      [0, 0, prediction(5).barStart],
      [1, 2, prediction(10).barStart],
    ]);
  });

  it('has no runs without bars or without predictions', () => {
    expect(predictionRuns([], [prediction(1)])).toEqual([]);
    expect(predictionRuns(dailyBars([1, 2]), [])).toEqual([]);
  });

  it('agrees with the latest prediction made at or before each bar, for any bars and predictions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }),
        (barHours, decisionDays) => {
          const bars = [...barHours].sort((a, b) => a - b).map((h) => ({ start: h * HOUR * 3 }));
          const predictions = [...decisionDays].sort((a, b) => a - b).map((d) => prediction(d));
          const runs = predictionRuns(bars, predictions);
          const byBar = new Map<number, Prediction>();
          for (const run of runs) for (let i = run.from; i <= run.to; i++) byBar.set(i, run.prediction);
          bars.forEach((bar, i) => expect(byBar.get(i) ?? null).toBe(inForce(bar.start, predictions)));
        },
      ),
    );
  });
});

describe('drawing only what is in view', () => {
  const runs = predictionRuns(dailyBars(Array.from({ length: 30 }, (_, i) => i)), [
    prediction(0),
    prediction(9),
    prediction(19),
  ]);

  it('finds the runs that reach into a logical range', () => {
    expect(runs.map((r) => [r.from, r.to])).toEqual([
      [1, 9],
      [10, 19],
      [20, 29],
    ]);
    expect(runsInRange(runs, 12, 15).map((r) => r.from)).toEqual([10]);
    expect(runsInRange(runs, 8.5, 20).map((r) => r.from)).toEqual([1, 10, 20]);
    expect(runsInRange(runs, -5, 0.5)).toEqual([]);
    expect(runsInRange(runs, 40, 50)).toEqual([]);
  });

  it('finds the first bar at or after a moment', () => {
    const bars = dailyBars([1, 2, 3]);
    expect(lowerBound(bars, 0)).toBe(0);
    expect(lowerBound(bars, 2 * DAY + OPEN)).toBe(1);
    expect(lowerBound(bars, 2 * DAY + OPEN + 1)).toBe(2);
    expect(lowerBound(bars, 9 * DAY)).toBe(3);
  });
});

describe('the confidence band', () => {
  it('spans the picked strategy’s probability down to the runner-up’s', () => {
    const probabilities = [0.05, 0.1, 0.4, 0.25, 0.05, 0.05, 0.05, 0.05];
    expect(pickMargin(prediction(1, 'balanced_safe', probabilities))).toEqual({ pick: 0.4, second: 0.25 });
  });

  it('reads the pick the model named, even where another strategy ties it', () => {
    const probabilities = [0.3, 0.3, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05];
    expect(pickMargin(prediction(1, 'defensive', probabilities))).toEqual({ pick: 0.3, second: 0.3 });
  });
});

describe('the shading’s colour', () => {
  it('is the strategy’s colour at the shading’s opacity, as painted over the chart background', () => {
    const colour = hexRgb(STRATEGY_STYLE.balanced_growth.color);
    expect(colour).toEqual([0x4c, 0xc3, 0x74]);
    expect(shadeOf('balanced_growth')).toBe(`rgba(76, 195, 116, ${SHADING_ALPHA})`);
    expect(blend([255, 255, 255], 0.5, [0, 0, 0])).toEqual([128, 128, 128]);
    expect(blend(colour, 0, [13, 17, 23])).toEqual([13, 17, 23]);
  });
});
