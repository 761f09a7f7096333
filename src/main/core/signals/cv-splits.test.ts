import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purgedKFold, walkForward, type Split } from './cv-splits';

/**
 * The training rows that leak: a test row itself, or a row whose label window [i, i + horizon] reaches a
 * test row (checked against every test row, not only the block's ends).
 */
function leaks(folds: Split[], horizon: number): number[] {
  const out: number[] = [];
  for (const { train, test } of folds) {
    const testRows = new Set(test);
    for (const i of train) {
      for (let j = i; j <= i + horizon; j++) {
        if (testRows.has(j)) {
          out.push(i);
          break;
        }
      }
    }
  }
  return out;
}

describe('purgedKFold', () => {
  it('purges the label windows before each test block and embargoes the rows after it', () => {
    const folds = purgedKFold(12, 3, 2, 1);
    expect(folds.map((f) => f.test)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    // Block 4..7: rows 2, 3 have windows reaching row 4 (purged); row 8 is embargoed.
    expect(folds[1]!.train).toEqual([0, 1, 9, 10, 11]);
    expect(folds[0]!.train).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(folds[2]!.train).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('never trains on a test row or a row whose label window reaches one, and tests each row once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (n, k, horizon, embargo) => {
          fc.pre(k <= n);
          const folds = purgedKFold(n, k, horizon, embargo);
          expect(folds).toHaveLength(k);
          expect(leaks(folds, horizon)).toEqual([]);
          expect(folds.flatMap((f) => f.test)).toEqual([...Array(n).keys()]);
          for (const { test } of folds) {
            expect(test.length).toBeGreaterThanOrEqual(Math.floor(n / k));
            expect(test.at(-1)! - test[0]!).toBe(test.length - 1);
          }
        },
      ),
    );
  });

  it('refuses k outside 2..rows and negative or fractional sizes', () => {
    expect(() => purgedKFold(10, 1, 2, 0)).toThrow(/2 ≤ k/);
    expect(() => purgedKFold(3, 4, 2, 0)).toThrow(/2 ≤ k/);
    expect(() => purgedKFold(10, 2, -1, 0)).toThrow(/horizon/);
  });
});

describe('walkForward', () => {
  it('trains on an expanding window that ends `horizon` rows before each test block', () => {
    const folds = walkForward(10, { firstTrain: 4, step: 3, horizon: 2 });
    expect(folds).toEqual([
      { train: [0, 1], test: [4, 5, 6] },
      { train: [0, 1, 2, 3, 4], test: [7, 8, 9] },
    ]);
    expect(walkForward(11, { firstTrain: 4, step: 3, horizon: 2 }).at(-1)).toEqual({
      train: [0, 1, 2, 3, 4, 5, 6, 7],
      test: [10],
    });
  });

  it('never trains on a test row or a row whose label window reaches one, and tests each row once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (n, extra, step, horizon) => {
          const firstTrain = horizon + extra;
          const folds = walkForward(n, { firstTrain, step, horizon });
          expect(leaks(folds, horizon)).toEqual([]);
          const tested = folds.flatMap((f) => f.test);
          expect(tested).toEqual(
            Array.from({ length: Math.max(0, n - firstTrain) }, (_, k) => firstTrain + k),
          );
          for (const { train, test } of folds) {
            expect(Math.max(...train)).toBeLessThan(test[0]!); // only the past
            expect(train.length).toBe(test[0]! - horizon);
          }
        },
      ),
    );
  });

  it('refuses a first window that the purge would empty', () => {
    expect(() => walkForward(100, { firstTrain: 20, step: 5, horizon: 20 })).toThrow(
      /longer than the label horizon/,
    );
  });
});
