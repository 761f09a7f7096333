import { describe, expect, it } from 'vitest';
import { Z_CLIP } from './model-manifest';
import { fitNormalisation, normalise, SD_FLOOR } from './zscore';

describe('fitNormalisation', () => {
  it('fits each column from its finite values only (sample sd)', () => {
    // column 0: 1, 2, 3, NaN → mean 2, sd 1; column 1: 10, NaN, 14, 18 → mean 14, sd 4.
    const matrix = Float64Array.from([1, 10, 2, NaN, 3, 14, NaN, 18]);
    const norm = fitNormalisation(matrix, 4, 2);
    expect(norm.mean).toEqual([2, 14]);
    expect(norm.sd[0]).toBeCloseTo(1, 12);
    expect(norm.sd[1]).toBeCloseTo(4, 12);
  });

  it('floors the sd of a constant column so its z is 0, not a division by zero', () => {
    const norm = fitNormalisation([5, 5, 5], 3, 1);
    expect(norm.sd).toEqual([SD_FLOOR]);
    expect(normalise([5], norm).z[0]).toBe(0);
  });

  it('refuses a column with fewer than 2 known values, naming the column', () => {
    expect(() => fitNormalisation([1, NaN, 2, NaN, 3, 7], 3, 2)).toThrow(
      /input column 1: it has 1 known value/,
    );
    expect(() => fitNormalisation([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});

describe('normalise', () => {
  const norm = { mean: [2, 14, 0], sd: [1, 4, 0.1] };

  it('gives (value − mean) / sd, clipped to ±Z_CLIP', () => {
    const { z, imputed } = normalise([3.5, 6, 100], norm);
    expect(z[0]).toBeCloseTo(1.5, 6);
    expect(z[1]).toBeCloseTo(-2, 6);
    expect(z[2]).toBe(Z_CLIP);
    expect(normalise([-100, 14, -1], norm).z[0]).toBe(-Z_CLIP);
    expect(normalise([2, 14, 0.3], norm, 2).z[2]).toBe(2);
    expect(imputed).toBe(0);
  });

  it('feeds a missing value as its training mean (z = 0) and counts it as imputed', () => {
    const { z, imputed } = normalise([null, 18, NaN], norm);
    expect([...z]).toEqual([0, 1, 0]);
    expect(imputed).toBe(2);
  });

  it('refuses values that do not match the normalisation in length', () => {
    expect(() => normalise([1, 2], norm)).toThrow(/2 values for a normalisation of 3 inputs/);
  });
});
