import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../shared/domain';
import type { Store } from './store';
import { openStore } from './store';
import { storePerTest, tempDir } from './test-fixtures/helpers';

const DAY = 86_400_000;
const OPEN = Date.UTC(2024, 0, 2, 14, 30);

function prediction(day: number, overrides: Partial<Prediction> = {}): Prediction {
  const barStart = OPEN + day * DAY;
  return {
    barStart,
    time: barStart + 6.5 * 3_600_000,
    modelVersion: 'trm-a',
    strategy: 'balanced_growth',
    probabilities: [0.05, 0.05, 0.1, 0.4, 0.1, 0.1, 0.1, 0.1],
    haltProbability: 0.62,
    features: [
      {
        id: 'vix_level',
        value: null,
        z: null,
        available: false,
        reason: 'no daily bars of VIX in the store',
      },
      { id: 'spy_return_5d', value: 0.0123, z: 0.8, available: true, reason: null },
    ],
    imputed: 1,
    ...overrides,
  };
}

describe('PredictionRepository', () => {
  let store: Store;
  storePerTest((s) => (store = s));

  it('round-trips a prediction with its features, probabilities and halting probability', () => {
    const p = prediction(0);
    store.predictions.insert([p]);
    expect(store.predictions.get(p.barStart)).toEqual(p);
    expect(store.predictions.get(p.barStart + DAY)).toBeNull();
    expect(store.predictions.has('trm-a', p.barStart)).toBe(true);
    expect(store.predictions.has('trm-b', p.barStart)).toBe(false);
  });

  it('lists the most recent before a time, oldest first, limited', () => {
    store.predictions.insert([0, 1, 2, 3, 4].map((d) => prediction(d)));
    const starts = (list: Prediction[]) => list.map((p) => (p.barStart - OPEN) / DAY);
    expect(starts(store.predictions.list({ limit: 2 }))).toEqual([3, 4]);
    expect(starts(store.predictions.list({ before: OPEN + 3 * DAY, limit: 2 }))).toEqual([1, 2]);
    expect(starts(store.predictions.list({ before: OPEN + 3 * DAY, limit: 10 }))).toEqual([0, 1, 2]);
    expect(store.predictions.list({ limit: 0 })).toEqual([]);
    expect(() => store.predictions.list({ limit: -1 })).toThrow(RangeError);
    expect(starts(store.predictions.all())).toEqual([0, 1, 2, 3, 4]);
  });

  it('answers with the prediction written last where two models predicted one bar', () => {
    store.predictions.insert([prediction(0), prediction(1)]);
    store.predictions.insert([prediction(1, { modelVersion: 'trm-b', strategy: 'max_growth' })]);
    expect(store.predictions.get(OPEN + DAY)?.modelVersion).toBe('trm-b');
    expect(store.predictions.list({ limit: 10 }).map((p) => p.modelVersion)).toEqual(['trm-a', 'trm-b']);
    expect(store.predictions.count()).toBe(3);
    // The same model deciding a bar again replaces its row and becomes the latest.
    store.predictions.insert([prediction(1, { strategy: 'defensive' })]);
    expect(store.predictions.get(OPEN + DAY)).toMatchObject({ modelVersion: 'trm-a', strategy: 'defensive' });
    expect(store.predictions.count()).toBe(3);
  });

  it('deletes the predictions of bars at or after a rewind point, as bars are', () => {
    store.predictions.insert([0, 1, 2, 3].map((d) => prediction(d)));
    expect(store.predictions.deleteFrom(OPEN + 2 * DAY)).toBe(2);
    expect(store.predictions.all().map((p) => p.barStart)).toEqual([OPEN, OPEN + DAY]);
  });
});

describe('PredictionRepository across restarts', () => {
  it('keeps predictions in the database file', () => {
    const tmp = tempDir();
    try {
      const first = openStore(tmp.file('trm.sqlite'));
      first.predictions.insert([prediction(0)]);
      first.close();
      const again = openStore(tmp.file('trm.sqlite'));
      expect(again.predictions.get(OPEN)).toEqual(prediction(0));
      again.close();
    } finally {
      tmp.remove();
    }
  });
});
