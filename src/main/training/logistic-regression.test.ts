import { describe, expect, it } from 'vitest';
import { classificationReport } from '../core/signals/classification';
import { logisticProbabilities } from '../core/signals/logistic';
import { fitLogistic } from './logistic-regression';

/**
 * Three classes (1, 4, 6) set apart by two features on different scales, plus noise from a fixed
 * sequence; classes 0, 2, 3, 5, 7 never occur. Feature 0 is in the thousands, so z-scoring matters.
 */
function dataset(rows: number, offset: number): { x: Float32Array; labels: Int8Array } {
  const x = new Float32Array(rows * 2);
  const labels = new Int8Array(rows);
  const classes = [1, 4, 6];
  for (let r = 0; r < rows; r++) {
    const k = (r + offset) % 3;
    const noise = Math.sin((r + offset) * 12.9898) * 0.3;
    x[r * 2] = 1000 + 500 * (k === 1 ? 1 : 0) + 150 * noise;
    x[r * 2 + 1] = (k === 2 ? 1 : -1) + noise;
    labels[r] = classes[k]!;
  }
  return { x, labels };
}

describe('fitLogistic', () => {
  it('learns separable classes, z-scoring each column with its training statistics', async () => {
    const train = dataset(300, 0);
    const model = await fitLogistic(train.x, 300, 2, train.labels, { epochs: 200 });
    expect(model.mean[0]).toBeGreaterThan(1000);
    const test = dataset(90, 1000);
    const p = model.predict(test.x, 90);
    const report = classificationReport(test.labels, p, 1);
    expect(report.accuracy).toBeGreaterThan(0.95);
    // The shipped form (weights folded onto the input scale) answers the same.
    const shipped = logisticProbabilities(test.x, 90, model);
    for (let k = 0; k < p.length; k++) expect(Math.abs(shipped[k]! - p[k]!)).toBeLessThan(1e-5);
  });

  it('gives every class a tiny, finite probability and rows that sum to 1, even for unseen classes', async () => {
    const train = dataset(120, 0);
    const model = await fitLogistic(train.x, 120, 2, train.labels, { epochs: 150 });
    const p = model.predict(Float32Array.of(1000, -1, Number.NaN, Number.NaN), 2);
    for (let r = 0; r < 2; r++) {
      const row = [...p.slice(r * 8, r * 8 + 8)];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (const v of row) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
      for (const unseen of [0, 2, 3, 5, 7]) expect(row[unseen]!).toBeLessThan(0.05);
    }
  });

  it('ignores unlabelled rows and gives the same model for the same seed', async () => {
    const train = dataset(60, 0);
    const labels = Int8Array.from(train.labels, (l, r) => (r % 10 === 0 ? -1 : l));
    const a = await fitLogistic(train.x, 60, 2, labels, { epochs: 50, seed: 7 });
    const b = await fitLogistic(train.x, 60, 2, labels, { epochs: 50, seed: 7 });
    expect([...a.predict(train.x, 60)]).toEqual([...b.predict(train.x, 60)]);
  });

  it('refuses data without a labelled row or with mismatched sizes', async () => {
    await expect(fitLogistic(new Float32Array(4), 2, 2, Int8Array.of(-1, -1))).rejects.toThrow(
      /no labelled row/,
    );
    await expect(fitLogistic(new Float32Array(3), 2, 2, Int8Array.of(0, 1))).rejects.toThrow(/do not make/);
  });
});
