import { describe, expect, it } from 'vitest';
import { logisticProbabilities } from './logistic';

describe('logisticProbabilities', () => {
  const weights = [
    [1, 0, 0, 0, 0, 0, 0, 0],
    [0, 2, 0, 0, 0, 0, 0, 0],
  ];
  const bias = [0, 0, 0, 0, 0, 0, 0, Math.log(3)];

  it('is softmax(z·W + b) per row, summing to 1', () => {
    const p = logisticProbabilities([0, 0, 1, 1], 2, { weights, bias });
    // Row 0: logits 0 except class 7 = ln 3 → p = 1/10 each, 3/10 for class 7.
    expect(p[0]).toBeCloseTo(0.1, 12);
    expect(p[7]).toBeCloseTo(0.3, 12);
    // Row 1: exp(1), exp(2), 1×5, 3 over their sum.
    const sum = Math.E + Math.E ** 2 + 5 + 3;
    expect(p[8]).toBeCloseTo(Math.E / sum, 12);
    expect(p[9]).toBeCloseTo(Math.E ** 2 / sum, 12);
    expect([...p.subarray(8)].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('refuses inputs that do not fit the weights', () => {
    expect(() => logisticProbabilities([1, 2, 3], 1, { weights, bias })).toThrow(/do not fit/);
  });
});
