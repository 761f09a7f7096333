import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 6 ? 1 : i % 10 < 8 ? 0 : 2));

  it('cuts disjoint parts covering every row, each with the class shares of the whole', () => {
    const [test, validation, train] = stratifiedSplit(labels, [0.15, 0.15], 1) as [
      number[],
      number[],
      number[],
    ];
    expect(test.length).toBe(150);
    expect(validation.length).toBe(150);
    expect(new Set([...test, ...validation, ...train]).size).toBe(1000);
    const share = (rows: number[], c: number): number =>
      rows.filter((r) => labels[r] === c).length / rows.length;
    for (const c of [0, 1, 2]) {
      expect(share(test, c)).toBeCloseTo(
        share(
          labels.map((_, i) => i),
          c,
        ),
        2,
      );
    }
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedSplit(labels, [0.15], 3)).toEqual(stratifiedSplit(labels, [0.15], 3));
    expect(stratifiedSplit(labels, [0.15], 3)[0]).not.toEqual(stratifiedSplit(labels, [0.15], 4)[0]);
    expect(() => stratifiedSplit(labels, [0.6, 0.5], 1)).toThrow(/sum below 1/);
  });
});
